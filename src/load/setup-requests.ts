/**
 * Setup requests (issue #10 part 2): sent once, in order, after the service is ready and before any load,
 * each with node:http (they are few; this is not load). A step's captured values fill `{{ name }}`
 * templates in later steps and in the endpoints, and become secrets at once, so logs and reports mask them.
 * A failed step (an unexpected status, a capture that finds nothing, a timeout) ends the run: a GateError
 * of kind 'service', so the gate reports "failed" with exit 3.
 */
import http from 'node:http';
import https from 'node:https';
import { MIN_SECRET_LENGTH } from '../config/expand-env.js';
import type { GateConfig, SetupStepConfig } from '../config/types.js';
import { GateError } from '../errors.js';
import type { Logger } from '../log.js';
import type { GateResult, SetupStepResult } from '../report/model.js';
import { redactSecrets } from '../report/redact.js';
import { extractCapture } from './capture.js';
import { asText, renderBody, renderText, type DataCursors, type Fill } from './requests.js';

/** How much of a failed step's body its error line shows. */
const BODY_SHOWN_CHARS = 200;

export interface SetupRun {
  steps: readonly SetupStepConfig[];
  /** The base URL the steps' paths are relative to: the head's target or the baseline's. */
  target: string;
  side?: 'head' | 'base';
  requestTimeoutMs: number;
  /** How many connections the load opens: a per-connection step is sent this many times. */
  connections: number;
  cursors: DataCursors;
  /** Captured values are pushed here as they are captured: the run's secrets (GateConfig.secrets). */
  secrets: string[];
  log: Logger;
  /** Each step's outcome, appended as it finishes (a failed one too): the JSON report's `setup`. */
  results: SetupStepResult[];
}

/**
 * Runs the steps in order; returns the captured values by name, one map for every connection, or one map
 * for all when no step is per-connection. Throws a GateError naming the step that failed.
 */
export async function runSetupRequests(run: SetupRun): Promise<Map<string, string>[]> {
  let maps = [new Map<string, string>()];
  for (const step of run.steps) {
    if (step.perConnection) {
      // From the first per-connection step on, each connection has its own values (and the shared ones).
      if (maps.length === 1) maps = Array.from({ length: run.connections }, () => new Map(maps[0]));
      for (const [connection, map] of maps.entries()) await sendStep(run, step, map, connection);
    } else {
      // Config checks that a step sent once uses no per-connection value: connection 0's map serves.
      const got = await sendStep(run, step, maps[0]!);
      for (const map of maps.slice(1)) for (const [name, value] of got) map.set(name, value);
    }
  }
  return maps;
}

/** Sends one step with the values captured so far; adds what it captures to `captured` and returns that. */
async function sendStep(
  run: SetupRun,
  step: SetupStepConfig,
  captured: Map<string, string>,
  connection?: number,
): Promise<Map<string, string>> {
  const got = new Map<string, string>();
  const request = renderStep(step, run.target, run.cursors, captured);
  const startedAt = performance.now();
  const response = await send(request, run.requestTimeoutMs).catch((error: Error) => error);
  const latencyMs = performance.now() - startedAt;
  const result: SetupStepResult = {
    name: step.name,
    ...(run.side ? { side: run.side } : {}),
    ...(connection === undefined ? {} : { connection }),
    status: response instanceof Error ? 0 : response.status,
    latencyMs,
    captured: [],
  };
  run.results.push(result);
  const ofConnection = connection === undefined ? '' : ` (connection ${connection})`;
  const failed = (what: string) => {
    const body = response instanceof Error ? '' : response.body.slice(0, BODY_SHOWN_CHARS);
    const where = run.side ? ` against the ${run.side}` : '';
    return new GateError(
      'service',
      redactSecrets(
        `setup "${step.name}"${ofConnection}${where} failed: ${what}${body ? `; body: ${oneLine(body)}` : ''}`,
        run.secrets,
      ),
    );
  };
  if (response instanceof Error) throw failed(response.message);
  const expected = step.expectStatus;
  const ok = expected ? expected.includes(response.status) : response.status >= 200 && response.status < 300;
  if (!ok) throw failed(`status ${response.status}, expected ${expected ? expected.join(' or ') : 'a 2xx'}`);
  for (const [name, source] of Object.entries(step.capture)) {
    const extracted = extractCapture(source, response);
    if (!extracted.ok)
      throw failed(`status ${response.status}, capture ${name} found nothing (${extracted.why})`);
    // A line break would split a request whose header carries the value.
    if (/[\r\n]/.test(extracted.value))
      throw failed(
        `status ${response.status}, capture ${name} has a line break, which cannot go in a request`,
      );
    got.set(name, extracted.value);
    captured.set(name, extracted.value);
    // Too short to mask is too short to be a credential; masking it would garble every report.
    if (extracted.value.length >= MIN_SECRET_LENGTH) run.secrets.push(extracted.value);
    result.captured.push(name);
  }
  run.log.info(
    `setup ${step.name}${ofConnection}: ${response.status} in ${latencyMs.toFixed(0)} ms` +
      (result.captured.length > 0 ? `, captured ${result.captured.join(', ')}` : ''),
  );
  return got;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

interface SetupRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

function renderStep(
  step: SetupStepConfig,
  target: string,
  cursors: DataCursors,
  captured: ReadonlyMap<string, string>,
): SetupRequest {
  const { templates } = step;
  if (!templates)
    return { method: step.method, url: new URL(target + step.path), headers: step.headers, body: step.body };
  const rows = new Map<string, Readonly<Record<string, unknown>>>();
  for (const set of templates.dataSets) {
    const row = cursors.take(set);
    if (!row) throw new GateError('service', `setup "${step.name}": data set ${set} has no row left`);
    rows.set(set, row);
  }
  const fill: Fill = { rows, seq: cursors.nextSeq(`setup ${step.name}`), random: cursors.random, captured };
  const path = templates.path ? renderText(templates.path, fill, encodeURIComponent) : step.path;
  const headers = { ...step.headers };
  for (const [name, template] of Object.entries(templates.headers))
    headers[name] = renderText(template, fill, asText);
  const body = templates.body ? renderBody(templates.body, fill) : step.body;
  return { method: step.method, url: new URL(target + path), headers, body };
}

interface SetupResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with a deadline over the whole exchange (connect, answer, body), as the load's timeout. */
function send(request: SetupRequest, timeoutMs: number): Promise<SetupResponse> {
  const client = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    const req = client.request(request.url, { method: request.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${timeoutMs} ms (request-timeout)`)),
      timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(request.body);
  });
}

/** The values each side captured: the base copy issues its own (a head's token may mean nothing to it). */
export interface CapturedValues {
  /** One map per connection, or one for all when no step is per-connection. */
  head: readonly ReadonlyMap<string, string>[];
  base: readonly ReadonlyMap<string, string>[];
}

const NOTHING: CapturedValues = { head: [new Map()], base: [new Map()] };

/**
 * The gate's setup step: the config's setup requests against the head, then (with a baseline) against the
 * base, each outcome recorded in `result.setup`. Without a `setup` key it does nothing.
 */
export async function runGateSetup(
  config: GateConfig,
  result: GateResult,
  cursors: DataCursors,
  log: Logger,
): Promise<CapturedValues> {
  const steps = config.setup;
  if (!steps || steps.length === 0) return NOTHING;
  const results: SetupStepResult[] = [];
  result.setup = results;
  const common = {
    steps,
    requestTimeoutMs: config.load.requestTimeoutMs,
    connections: config.load.connections,
    cursors,
    secrets: config.secrets,
    log,
    results,
  };
  if (!config.baseline)
    return { head: await runSetupRequests({ ...common, target: config.target }), base: [new Map()] };
  const head = await runSetupRequests({ ...common, target: config.target, side: 'head' });
  const base = await runSetupRequests({ ...common, target: config.baseline.target, side: 'base' });
  return { head, base };
}
