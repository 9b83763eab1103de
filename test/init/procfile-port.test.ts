/**
 * A Procfile's `$PORT` works in the config init writes (issue #14 item 12): the command keeps `$PORT` for
 * the shell, and service.env sets PORT to the target's port. Boots a real service and runs the gate on it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initRepository } from '../../src/init/init.js';
import { MemoryLogger } from '../../src/log.js';
import { runFromConfigFile } from '../../src/run.js';
import { freePort } from '../helpers/servers.js';
import { repo } from './temp-repo.js';

/** Listens where `--port` says, and only there: a literal port in the command would miss the target. */
const SERVER = `import http from 'node:http';
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
http.createServer((req, res) => res.end('{"status": "ok"}')).listen(port, '127.0.0.1');
`;

describe('init from a Procfile', () => {
  it('writes a config whose service gets $PORT from service.env, and the gate passes on it', async () => {
    const dir = repo({ Procfile: 'web: node server.mjs --port $PORT\n', 'server.mjs': SERVER });
    const outcome = await initRepository(dir);
    expect(outcome.guess).toMatchObject({ command: 'node server.mjs --port $PORT', env: { PORT: '8000' } });

    // Another port than the default, in the two places that name it (not the command), and a short run.
    const port = await freePort();
    const configPath = path.join(dir, 'slo-gate.yml');
    const written = readFileSync(configPath, 'utf8');
    const edited = written
      .replace('target: http://127.0.0.1:8000\n', `target: http://127.0.0.1:${port}\n`)
      .replace('env: { PORT: "8000" }', `env: { PORT: "${port}" }`)
      .replace('duration: 10s', 'duration: 1s')
      .replace('warmup: 2s', 'warmup: 0s')
      .replace('timeout: 60s', 'timeout: 5s');
    expect(edited.match(new RegExp(String(port), 'g'))).toHaveLength(2);
    writeFileSync(configPath, edited);

    const run = await runFromConfigFile({ configPath, env: process.env, log: new MemoryLogger() });
    expect(run.result.verdict).toBe('passed');
    expect(run.exitCode).toBe(0);
    expect(run.result.endpoints[0]!.requests).toBeGreaterThan(10);
  });
});
