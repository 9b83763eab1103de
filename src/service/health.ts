/**
 * The standard health body: {"status": "ok"|"degraded"|"down", "version": "...",
 * "dependencies": {"name": "up"|"degraded"|"down"}}. Anything else is a plain health check, judged by
 * its status code alone.
 */
export interface HealthReport {
  status: string;
  version?: string;
  dependencies: Record<string, string>;
}

/** The standard shape, or undefined when the body is not one (not JSON, no string status, …). */
export function parseHealthBody(body: string): HealthReport | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  if (typeof record.status !== 'string') return undefined;
  const dependencies: Record<string, string> = {};
  if (record.dependencies && typeof record.dependencies === 'object' && !Array.isArray(record.dependencies)) {
    for (const [name, state] of Object.entries(record.dependencies as Record<string, unknown>)) {
      if (typeof state === 'string') dependencies[name] = state;
      else if (
        state &&
        typeof state === 'object' &&
        typeof (state as { status?: unknown }).status === 'string'
      ) {
        dependencies[name] = (state as { status: string }).status;
      }
    }
  }
  return {
    status: record.status.toLowerCase(),
    version: typeof record.version === 'string' ? record.version : undefined,
    dependencies,
  };
}

/** "db: down, redis: degraded" for the dependencies not "up". */
export function describeUnhealthyDependencies(report: HealthReport): string {
  return Object.entries(report.dependencies)
    .filter(([, state]) => !['up', 'ok'].includes(state.toLowerCase()))
    .map(([name, state]) => `${name}: ${state}`)
    .join(', ');
}
