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
  async group<T>(title: string, body: () => Promise<T>): Promise<T> {
    this.lines.push(`## ${title}`);
    return body();
  }
}
