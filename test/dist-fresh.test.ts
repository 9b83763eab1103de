/** The Action runs the committed dist/, not src/: a change to src/ without `npm run bundle` must fail here. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { bundle } from '../scripts/bundle.mjs';

describe('dist/', () => {
  it('is what npm run bundle builds from the current src/', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-dist-'));
    try {
      await (bundle as (outdir: string) => Promise<void>)(fresh);
      const names = (await readdir(fresh)).sort();
      expect((await readdir('dist')).sort()).toEqual(names);
      for (const name of names) {
        const [built, committed] = await Promise.all([
          readFile(path.join(fresh, name), 'utf8'),
          readFile(path.join('dist', name), 'utf8'),
        ]);
        expect(committed === built, `dist/${name} is stale: run npm run bundle and commit dist/`).toBe(true);
      }
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
