/**
 * slo-gate's version, from package.json. Imported rather than read at run time so that the bundle
 * (dist/cli.js) carries it: esbuild inlines the JSON, and the source (tsx, vitest) reads the same file.
 */
import packageJson from '../package.json' with { type: 'json' };

export const SLO_GATE_VERSION: string = packageJson.version;
