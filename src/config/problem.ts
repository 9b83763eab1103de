/** What the config's checks report before the loader gives it a line and column. */

/** Where a value sits in the parsed config, e.g. ["endpoints", 1, "slo", "p95"]. */
export type KeyPath = (string | number)[];

/** One thing wrong with the config, before it is given a line and column. */
export interface Problem {
  path: KeyPath;
  /** What was expected and what was got; the key path is put in front of it. */
  text: string;
  /** What line:col points at: the value at `path`, the key itself (an unknown key), or the map missing it. */
  pointAt: 'value' | 'key' | 'parent';
}
