/**
 * hey (github.com/rakyll/hey) as a reference client: Go's HTTP client, which honours `Connection: close`
 * and times each request from its start to the end of its body, connect included.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** hey on PATH (Debian's package puts it in /usr/bin; `go install` in ~/go/bin), or undefined. */
const findHey = (): string | undefined =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, 'hey'))
    .find((candidate) => existsSync(candidate));

export const hasHey = (): boolean => findHey() !== undefined;

/** The percentiles hey prints. */
export const HEY_PERCENTILES = [10, 25, 50, 75, 90, 95, 99] as const;
export type HeyPercentile = (typeof HEY_PERCENTILES)[number];

export interface HeyResult {
  /**
   * Latency percentiles in ms. hey prints seconds with 4 decimals, so these are exact to 0.1 ms; only
   * answered requests count (a timed-out request is an error with no latency).
   */
  percentilesMs: Record<HeyPercentile, number>;
  averageMs: number;
  slowestMs: number;
  requestsPerSecond: number;
  /** Responses per status code. */
  statusCodes: Record<string, number>;
  /** Requests that ended without a response (timeouts, resets). */
  errors: number;
}

export interface HeyOptions {
  connections: number;
  /** Run for this long (hey -z); otherwise `requests` in all (hey -n). */
  durationS?: number;
  requests?: number;
  /** hey -q: a rate limit per connection (hey calls them workers), requests per second. */
  ratePerConnection?: number;
  /** hey -t, whole seconds. */
  requestTimeoutS?: number;
}

/** Parses hey's default summary output. Throws when a figure is missing, so a format change is loud. */
export function parseHeyOutput(output: string): HeyResult {
  const seconds = (pattern: RegExp, what: string): number => {
    const match = pattern.exec(output);
    if (!match) throw new Error(`hey output has no ${what}:\n${output}`);
    // Whole tenths of a millisecond, as printed (no 28.199999… from the float product).
    return Math.round(Number(match[1]) * 10_000) / 10;
  };
  const percentilesMs = {} as Record<HeyPercentile, number>;
  for (const p of HEY_PERCENTILES) {
    percentilesMs[p] = seconds(new RegExp(`^\\s*${p}% in (\\d+\\.\\d+) secs`, 'm'), `${p}% line`);
  }
  const statusCodes: Record<string, number> = {};
  for (const match of output.matchAll(/^\s*\[(\d{3})\]\s+(\d+) responses/gm)) {
    statusCodes[match[1]!] = Number(match[2]);
  }
  let errors = 0;
  const errorSection = /Error distribution:\n([\s\S]*)$/.exec(output)?.[1] ?? '';
  for (const match of errorSection.matchAll(/^\s*\[(\d+)\]\s/gm)) errors += Number(match[1]);
  const rps = /Requests\/sec:\s+(\d+(?:\.\d+)?)/.exec(output);
  if (!rps) throw new Error(`hey output has no Requests/sec:\n${output}`);
  return {
    percentilesMs,
    averageMs: seconds(/Average:\s+(\d+\.\d+) secs/, 'average'),
    slowestMs: seconds(/Slowest:\s+(\d+\.\d+) secs/, 'slowest'),
    requestsPerSecond: Number(rps[1]),
    statusCodes,
    errors,
  };
}

export function runHey(url: string, options: HeyOptions): Promise<HeyResult> {
  const args = ['-c', String(options.connections)];
  if (options.durationS !== undefined) args.push('-z', `${options.durationS}s`);
  else args.push('-n', String(options.requests ?? 200));
  if (options.ratePerConnection !== undefined) args.push('-q', String(options.ratePerConnection));
  if (options.requestTimeoutS !== undefined) args.push('-t', String(options.requestTimeoutS));
  args.push(url);
  const limitMs = ((options.durationS ?? 30) + (options.requestTimeoutS ?? 20) + 10) * 1000;
  const hey = findHey();
  if (!hey) return Promise.reject(new Error('hey is not installed (Debian: apt-get install hey)'));
  return new Promise((resolve, reject) => {
    execFile(hey, args, { timeout: limitMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`hey ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      try {
        resolve(parseHeyOutput(stdout));
      } catch (parseError) {
        reject(parseError as Error);
      }
    });
  });
}
