/**
 * The capacity search against test/servers/workers.mjs, whose capacity is known by construction: WORKERS
 * workers each holding a request HOLD_MS, so at most WORKERS × 1000 / HOLD_MS requests a second.
 */
import { searchCapacity } from '../../src/load/capacity-run.js';
import { runLoad } from '../../src/load/run-load.js';
import type { CapacitySearch } from '../../src/report/model.js';
import { startNodeServer } from '../../test/helpers/servers.js';

export interface CapacityCase {
  workers: number;
  holdMs: number;
  /** workers × 1000 / holdMs. */
  truthRps: number;
  found: CapacitySearch;
}

/**
 * One search: p95 target three hold times (a queue of two requests per worker), steps of 2 s after a
 * 0.5 s warmup, from 13% of the truth upwards (off the grid of powers of two, so the edge is found by bisection, not hit).
 */
export async function measureCapacityCase(workers: number, holdMs: number): Promise<CapacityCase> {
  const truthRps = (workers * 1000) / holdMs;
  const server = await startNodeServer('workers.mjs', { WORKERS: String(workers), HOLD_MS: String(holdMs) });
  try {
    const { head } = await searchCapacity({
      capacity: {
        fromRps: Math.round(truthRps * 0.13),
        toRps: truthRps * 20,
        stepMs: 2000,
        warmupMs: 500,
        precision: 0.1,
        maxTimeMs: 60_000,
      },
      targets: { p95Ms: 3 * holdMs, errorRate: 0.01 },
      requestTimeoutMs: 5000,
      sides: ['head'],
      runStep: (_side, shape) => runLoad({ url: `${server.url}/work`, method: 'GET', headers: {}, ...shape }),
      stopped: () => false,
    });
    return { workers, holdMs, truthRps, found: head! };
  } finally {
    await server.close();
  }
}
