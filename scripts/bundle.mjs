// Builds dist/: the Action (dist/index.js) and the CLI (dist/cli.js), as ESM for Node 20+.
// autocannon is CommonJS; it is reached through lib/httpClient.js only, never its CLI entry file
// (which reads require.main), and CommonJS `require` of Node built-ins gets a real require via the banner.
// test/dist-fresh.test.ts builds with the same function into a temporary folder and compares.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export async function bundle(outdir) {
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { index: 'src/index.ts', cli: 'src/cli-entry.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'linked',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __sloGateCreateRequire } from 'node:module'; const require = __sloGateCreateRequire(import.meta.url);",
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle('dist');
