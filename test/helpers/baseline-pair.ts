/** A head and a base copy of test/servers/service.mjs on free ports, as one config with a baseline. */
import { parseConfig } from '../../src/config/load-config.js';
import type { GateConfig } from '../../src/config/types.js';
import { freePort, SERVERS_DIR } from './servers.js';

export interface BaselinePair {
  baseDelayMs: number;
  headDelayMs: number;
  /** The `load:` value, e.g. "{ connections: 10 }". */
  load: string;
  /** More `baseline:` keys, one per line, indented by two spaces; none leaves the defaults. */
  baselineKeys?: string[];
  /** The config's name in messages. */
  source: string;
}

export async function baselinePairConfig(pair: BaselinePair): Promise<GateConfig> {
  const [head, base] = [await freePort(), await freePort()];
  const service = (port: number, delayMs: number) =>
    `{ command: "node ${SERVERS_DIR}/service.mjs", env: { PORT: "${port}", DELAY_MS: "${delayMs}" }, stop-timeout: 2s }`;
  const extra = (pair.baselineKeys ?? []).map((line) => `\n  ${line}`).join('');
  return parseConfig(
    `target: http://127.0.0.1:${head}
service: ${service(head, pair.headDelayMs)}
baseline:
  target: http://127.0.0.1:${base}
  service: ${service(base, pair.baseDelayMs)}${extra}
load: ${pair.load}
endpoints: [{ path: /work }]
`,
    pair.source,
    {},
  );
}
