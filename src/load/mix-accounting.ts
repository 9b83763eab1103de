/**
 * The accounting of a mixed load's window (issue #10): each result goes to its endpoint's WindowAccounting
 * and to the whole mix's. Pure like window.ts: results in, measurements out.
 *
 * Outside a mix there is one part, and its accounting is the total: a load of one endpoint counts exactly
 * as before.
 */
import type { RequestResult } from './gate-client.js';
import { WindowAccounting, type LoadMeasurement, type SendNote, type WindowBounds } from './window.js';

/** A mixed load's window: each endpoint's measurement, in the plan's order, and the whole mix's. */
export interface MixedMeasurement {
  parts: LoadMeasurement[];
  total: LoadMeasurement;
}

/** Statuses that count as success; undefined means any 2xx. */
export function successTest(expected: readonly number[] | undefined): (statusCode: number) => boolean {
  return expected ? (code) => expected.includes(code) : (code) => code >= 200 && code < 300;
}

export class MixAccounting {
  private readonly parts: WindowAccounting[];
  private readonly total: WindowAccounting;
  /** The part being recorded: the total judges success by that part's statuses. */
  private recordingPart = 0;

  /**
   * `expectStatus`: one entry per part, each its statuses of success (undefined: any 2xx). `stages`: the
   * stages' windows, which every part and the total account apart as well.
   */
  constructor(
    bounds: WindowBounds,
    expectStatus: readonly (readonly number[] | undefined)[],
    stages: readonly { startNs: bigint; endNs: bigint }[] = [],
  ) {
    const tests = expectStatus.map(successTest);
    this.parts = tests.map((isSuccess) => new WindowAccounting(bounds, isSuccess, stages));
    this.total =
      this.parts.length === 1
        ? this.parts[0]!
        : new WindowAccounting(bounds, (code) => tests[this.recordingPart]!(code), stages);
  }

  noteSend(part: number, send: SendNote): void {
    this.each(part, (w) => w.noteSend(send));
  }

  record(part: number, result: RequestResult, timedFromNs?: bigint): void {
    this.each(part, (w) => w.record(result, timedFromNs));
  }

  recordUnloaded(part: number, result: RequestResult): void {
    this.each(part, (w) => w.recordUnloaded(result));
  }

  recordUnsent(part: number, intendedNs: bigint, atNs: bigint): void {
    this.each(part, (w) => w.recordUnsent(intendedNs, atNs));
  }

  /** The whole mix's requests and errors so far (for progress lines). */
  progress(): { requests: number; errors: number } {
    return this.total.progress();
  }

  close(abortedAtNs?: bigint, ranOutAtNs?: bigint): MixedMeasurement {
    const close = (w: WindowAccounting) => w.close(abortedAtNs, ranOutAtNs);
    return { parts: this.parts.map(close), total: close(this.total) };
  }

  private each(part: number, write: (window: WindowAccounting) => void): void {
    const window = this.parts[part];
    if (!window) throw new Error(`no part ${part} in a mix of ${this.parts.length}`);
    write(window);
    if (this.total === window) return;
    this.recordingPart = part;
    write(this.total);
  }
}
