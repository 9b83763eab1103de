import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/run-load.js';
import { probeHealth } from '../../src/service/readiness.js';

/** A self-signed certificate made for this test: load traffic does not verify certificates (documented). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
}

describe('HTTPS targets', () => {
  let server: https.Server;
  let url: string;
  beforeAll(async () => {
    server = https.createServer(selfSignedCertificate(), (req, res) => {
      if (req.url === '/health') return res.end('{"status":"ok","version":"tls-1"}');
      setTimeout(() => res.end('ok'), 2);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('loads an HTTPS endpoint with a self-signed certificate', async () => {
    const m = await runLoad({
      url: `${url}/x`,
      method: 'GET',
      headers: {},
      connections: 2,
      warmupMs: 100,
      durationMs: 800,
      requestTimeoutMs: 1000,
    });
    expect(m.requests).toBeGreaterThan(50);
    expect(m.successes).toBe(m.requests);
  });

  it('probes an HTTPS health check', async () => {
    const probe = await probeHealth(`${url}/health`, 1000);
    expect(probe).toMatchObject({ ready: true, health: { status: 'ok', version: 'tls-1' } });
  });
});
