/**
 * What a shard report records so that `slo-gate merge` joins only reports of one run (issue #12): a hash
 * of the config and the commit measured.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { GateConfig } from '../config/types.js';
import { redactDeep } from '../report/redact.js';

/**
 * Where the config was read from and what it warned of say nothing of what is measured; the shard spec is
 * what differs between the reports to merge. Everything else (targets, load, endpoints and their SLOs,
 * service, baseline, data rows, setup) is the measurement and is hashed.
 */
const NOT_HASHED = new Set(['source', 'warnings', 'secrets', 'tooShortToMask', 'shard']);

/** JSON with keys sorted at every level: the same config gives the same text whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * sha256 (hex) of the normalized config. Secrets (values expanded from ${VAR}) are masked before hashing,
 * so the hash cannot be used to guess them; two shards of one config agree whatever their shard number.
 */
export function configHash(config: GateConfig): string {
  const kept = Object.fromEntries(Object.entries(config).filter(([key]) => !NOT_HASHED.has(key)));
  const masked = redactDeep(kept, config.secrets);
  return createHash('sha256').update(canonicalJson(masked)).digest('hex');
}

/** The commit measured: GITHUB_SHA in Actions, else the checkout the config is in, else null. */
export async function commitOf(env: NodeJS.ProcessEnv, configFile: string): Promise<string | null> {
  const fromCi = env.GITHUB_SHA?.trim();
  if (fromCi) return fromCi;
  return new Promise((resolve) => {
    execFile(
      'git',
      ['rev-parse', 'HEAD'],
      { cwd: path.dirname(path.resolve(configFile)), timeout: 5000 },
      (error, stdout) => resolve(error ? null : stdout.trim() || null),
    );
  });
}
