/**
 * Where people read what the gate is doing. The CLI prints to the terminal; the Action maps these onto
 * @actions/core (groups, annotations). Library code logs only through this.
 */
export interface Logger {
  info(message: string): void;
  /** Something recovered from, or worth a look. */
  warn(message: string): void;
  /** One phase of the run; the Action folds it into a collapsible group. */
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  debug(message: string): void;
  /**
   * A block of someone else's text (the service's output) that people may want to unfold: a collapsed
   * group in the Action; left out of the terminal, where a failure report shows the tail anyway.
   */
  output(title: string, lines: readonly string[]): void;
}

/** Collects everything; for tests. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  warn(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  debug(): void {}
  output(title: string, lines: readonly string[]): void {
    this.lines.push(`## ${title}`, ...lines);
  }
  async group<T>(title: string, body: () => Promise<T>): Promise<T> {
    this.lines.push(`## ${title}`);
    return body();
  }
}
