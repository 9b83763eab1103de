/**
 * The shared function under both adapters (src/cli.ts and src/main.ts): read the config, run the gate,
 * write the reports, and map the outcome to an exit code. Reports never contain expanded secrets.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfigFile } from './config/load-config.js';
import type { GateConfig } from './config/types.js';
import { prepareBaseline } from './baseline/worktree.js';
import { ExitCode, GateError } from './errors.js';
import { emptyResult, runGate } from './gate.js';
import type { Logger } from './log.js';
import { withCharts } from './report/chart-data.js';
import { renderMarkdown } from './report/markdown.js';
import type { GateResult } from './report/model.js';
import { redactDeep, redactSecrets } from './report/redact.js';
import { describeShard } from './shard/describe.js';
import { planShard } from './shard/plan.js';
import { commitOf, configHash } from './shard/provenance.js';
import type { ShardSpec } from './shard/spec.js';

export interface RunOptions {
  configPath: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  signal?: AbortSignal;
  /** Write the JSON report here. */
  reportPath?: string;
  /** Write the markdown report here. */
  markdownPath?: string;
  /** Called once the config is valid, before anything boots (the Action masks secrets here). */
  onConfig?: (config: GateConfig) => void;
  /** Run one shard of a sharded run (issue #12): its part of the config (src/shard/plan.ts). */
  shard?: ShardSpec;
}

export interface RunOutcome {
  result: GateResult;
  exitCode: number;
  /** The markdown report, redacted. */
  markdown: string;
  /** The JSON report, redacted. */
  json: string;
  secrets: string[];
}

/**
 * A shard exits 0 whatever its own checks say, and 3 when its service or target failed: its numbers are one
 * part of the gate's, and `slo-gate merge` gives the verdict (a shard's min-rps alone, say, means nothing).
 */
export function exitCodeForResult(result: GateResult): number {
  if (result.shard && result.verdict !== 'failed') return ExitCode.passed;
  if (result.verdict === 'passed') return ExitCode.passed;
  if (result.verdict === 'breached') return ExitCode.breached;
  return ExitCode.serviceFailed;
}

/** Throws a GateError for bad config; every other outcome is a result. */
export async function runFromConfigFile(options: RunOptions): Promise<RunOutcome> {
  const whole = await loadConfigFile(options.configPath, options.env);
  options.onConfig?.(whole);
  // Hashed as written and whole, before a shard takes its part, a run adds captured values to its secrets or
  // a base checkout to its baseline: every shard of one config and commit carries the same hash.
  const hash = configHash(whole);
  const plan = options.shard ? planShard(whole, options.shard) : undefined;
  const config = plan?.config ?? whole;
  const log = redactingLogger(options.log, config.secrets, config.setup !== undefined);
  if (plan) log.info(describeShard(plan.record, config.load));
  const result = plan?.idle ? idleShardResult(config, plan.idle) : await runConfig(config, options, log);
  if (plan) result.shard = plan.record;
  const provenance = { configHash: hash, commit: await commitOf(options.env, config.source) };
  // Histograms are base64 of numbers: a short secret could match a run of their characters by chance.
  const redacted = withCharts(
    redactDeep({ ...result, ...provenance }, config.secrets, new Set(['histogram'])),
  );
  const json = JSON.stringify(redacted, null, 2) + '\n';
  const markdown = renderMarkdown(redacted);
  if (options.reportPath) await writeText(options.reportPath, json);
  if (options.markdownPath) await writeText(options.markdownPath, markdown);
  return { result: redacted, exitCode: exitCodeForResult(redacted), markdown, json, secrets: config.secrets };
}

/** Checks out and sets up the base when there is one, and runs the gate; a failure to start is a result. */
async function runConfig(config: GateConfig, options: RunOptions, log: Logger): Promise<GateResult> {
  const prepared = await prepareBaseline(config, options.env, log).catch((error: unknown) => {
    // A base that cannot be checked out or set up is a failed gate with a report, like a service failure.
    if (error instanceof GateError && error.kind === 'service') return error;
    throw error;
  });
  if (prepared instanceof GateError) return failedBeforeStart(config, prepared);
  try {
    return await runGate(prepared.config, { log, signal: options.signal });
  } finally {
    await prepared.worktree?.remove();
  }
}

/** A shard with no endpoint to run boots nothing: it passes, and says why it is empty. */
function idleShardResult(config: GateConfig, why: string): GateResult {
  const result = emptyResult(config, new Date());
  result.warnings.push(why);
  return { ...result, verdict: 'passed', passed: true };
}

export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}

/** `secrets` is read at each line: values captured by setup requests join it during the run. */
function redactingLogger(log: Logger, secrets: readonly string[], setup: boolean): Logger {
  if (secrets.length === 0 && !setup) return log;
  const clean = (text: string) => redactSecrets(text, secrets);
  return {
    info: (message) => log.info(clean(message)),
    warn: (message) => log.warn(clean(message)),
    debug: (message) => log.debug(clean(message)),
    group: (title, body) => log.group(clean(title), body),
    output: (title, lines) => log.output(clean(title), lines.map(clean)),
  };
}

/** The result of a gate that could not start (the base would not check out or set up). */
function failedBeforeStart(config: GateConfig, error: GateError): GateResult {
  const result = emptyResult(config, new Date());
  if (error.details.length > 0) result.warnings.push(`last lines: ${error.details.slice(-5).join(' | ')}`);
  return { ...result, reason: error.message };
}
