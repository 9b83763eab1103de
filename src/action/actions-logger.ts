/**
 * The engine's Logger on the Actions runner: each phase a collapsible group, warnings as annotations
 * (the engine warns about what it recovered from), debug lines only with step debugging on.
 */
import * as core from '@actions/core';
import type { Logger } from '../log.js';

export class ActionsLogger implements Logger {
  /** The runner cannot nest groups: an inner phase is a line inside the outer group. */
  private depth = 0;

  info(message: string): void {
    core.info(message);
  }

  warn(message: string): void {
    core.warning(message);
  }

  debug(message: string): void {
    core.debug(message);
  }

  output(title: string, lines: readonly string[]): void {
    if (this.depth > 0) core.info(`▸ ${title}`);
    else core.startGroup(title);
    for (const line of lines) core.info(line);
    if (this.depth === 0) core.endGroup();
  }

  async group<T>(title: string, body: () => Promise<T>): Promise<T> {
    if (this.depth > 0) {
      core.info(`▸ ${title}`);
      return body();
    }
    core.startGroup(title);
    this.depth++;
    try {
      return await body();
    } finally {
      this.depth--;
      core.endGroup();
    }
  }
}
