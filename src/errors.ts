/**
 * Errors are values with a kind. Each kind maps to one exit code, in one place (`exitCodeFor`).
 * An SLO breach is not an error: it is a result (`GateResult.passed === false`), exit code 1.
 */
export type GateErrorKind = 'config' | 'usage' | 'service';

export class GateError extends Error {
  constructor(
    readonly kind: GateErrorKind,
    message: string,
    /** Extra lines for people (a log tail, say), shown after the one-line message. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'GateError';
  }
}

export const configError = (message: string): GateError => new GateError('config', message);
export const usageError = (message: string): GateError => new GateError('usage', message);
export const serviceError = (message: string, details: string[] = []): GateError =>
  new GateError('service', message, details);

export const ExitCode = {
  passed: 0,
  breached: 1,
  badInput: 2,
  serviceFailed: 3,
  /** A bug in slo-gate itself: anything that is not a GateError. */
  internal: 4,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof GateError) {
    return error.kind === 'service' ? ExitCode.serviceFailed : ExitCode.badInput;
  }
  return ExitCode.internal;
}

/** One line for people: the message of a GateError, or the message of an unexpected error. */
export function describeError(error: unknown): string {
  if (error instanceof GateError) return error.message;
  if (error instanceof Error) return `internal error: ${error.message}`;
  return `internal error: ${String(error)}`;
}
