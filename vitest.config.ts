import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that are pure logic: no sockets, no child processes, no sleeps, no timing. They run first, in
 * one group, without a fresh module graph per file (`isolate: false`: they share no state, and a fresh
 * worker per file cost more than the tests themselves). Whole folders are listed only where the folder's
 * code is pure by design; elsewhere, file by file.
 *
 * Every other file is a load or engine test (real servers, processes, latencies) and runs after this group,
 * alone, one file at a time. A new file is sequential until it is listed here: list it only if it opens no
 * socket, starts no process and waits on no clock.
 */
const PURE = [
  'test/config/**/*.test.ts',
  'test/report/**/*.test.ts',
  'test/stats/**/*.test.ts',
  'test/slo/**/*.test.ts',
  'test/verdict/**/*.test.ts',
  'test/cli.test.ts',
  'test/action/actions-logger.test.ts',
  'test/action/comment.test.ts',
  'test/action/inputs.test.ts',
  'test/action/outcome.test.ts',
  'test/baseline/calibrate.test.ts',
  'test/baseline/compare.test.ts',
  'test/baseline/rounds.test.ts',
  'test/baseline/settle.test.ts',
  'test/init/detect-go.test.ts',
  'test/init/detect-python.test.ts',
  'test/init/init.test.ts',
  'test/load/capacity-mix.test.ts',
  'test/load/capacity.test.ts',
  'test/load/capture.test.ts',
  'test/load/queue-diagnosis.test.ts',
  'test/load/requests.test.ts',
  'test/load/schedule.test.ts',
  'test/load/stages.test.ts',
  'test/load/timeline.test.ts',
  'test/load/weighted.test.ts',
  'test/load/window.test.ts',
  'test/service/describe-stop.test.ts',
  'test/shard/merge.test.ts',
  'test/shard/plan.test.ts',
  'test/shard/report-fields.test.ts',
  'test/shard/spec.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two groups, run one after the other (sequence.groupOrder), so a pure test never shares the CPU with
    // a load test. `npm test` runs both; `npx vitest run --project pure` runs one.
    projects: [
      {
        extends: true,
        test: {
          name: 'pure',
          include: PURE,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'load',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...PURE],
          // Load tests measure latency: two files loading the CPU at once would disturb each other's numbers.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
