/**
 * `slo-gate validate` prints the config's warnings on stderr and still passes: the config is valid. Run
 * in-process on the source (test/e2e/cli.test.ts runs the committed bundle).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';

afterEach(() => {
  vi.restoreAllMocks();
});

async function validate(yaml: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-validate-'));
  const file = path.join(dir, 'slo-gate.yml');
  await writeFile(file, yaml);
  const out = { stdout: '', stderr: '' };
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out.stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((out.stderr += String(chunk)), true));
  const code = await main(['validate', '--config', file]);
  vi.restoreAllMocks();
  return {
    code,
    stdout: out.stdout.replaceAll(dir + path.sep, ''),
    stderr: out.stderr.replaceAll(dir + path.sep, ''),
  };
}

describe('validate', () => {
  it('warns about a string body sent with no content-type, naming the endpoint and its line', async () => {
    const result = await validate(
      'target: http://127.0.0.1:3000\nendpoints:\n  - name: add todo\n    method: POST\n    path: /todos\n    body: \'{"title":"x"}\'\n',
    );
    expect(result).toEqual({
      code: 0,
      stdout: 'slo-gate.yml: valid, 1 endpoint(s)\n',
      stderr:
        'warning: slo-gate.yml:6:11: endpoints[0].body: "add todo" sends this string with no content-type header, which servers may ignore or misread; set one in headers, such as content-type: application/json\n',
    });
  });

  it('prints nothing on stderr for a config without warnings', async () => {
    const result = await validate('target: http://127.0.0.1:3000\nendpoints:\n  - path: /todos\n');
    expect(result).toEqual({ code: 0, stdout: 'slo-gate.yml: valid, 1 endpoint(s)\n', stderr: '' });
  });
});
