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
import { commitOf, configHash } from './shard/provenance.js';

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

export function exitCodeForResult(result: GateResult): number {
  if (result.verdict === 'passed') return ExitCode.passed;
  if (result.verdict === 'breached') return ExitCode.breached;
  return ExitCode.serviceFailed;
}

/** Throws a GateError for bad config; every other outcome is a result. */
export async function runFromConfigFile(options: RunOptions): Promise<RunOutcome> {
  const config = await loadConfigFile(options.configPath, options.env);
  options.onConfig?.(config);
  // Hashed as written, before a run adds captured values to its secrets or a base checkout to its baseline.
  const hash = configHash(config);
  const log = redactingLogger(options.log, config.secrets, config.setup !== undefined);
  const prepared = await prepareBaseline(config, options.env, log).catch((error: unknown) => {
    // A base that cannot be checked out or set up is a failed gate with a report, like a service failure.
    if (error instanceof GateError && error.kind === 'service') return error;
    throw error;
  });
  let result: GateResult;
  if (prepared instanceof GateError) {
    result = failedBeforeStart(config, prepared);
  } else {
    try {
      result = await runGate(prepared.config, { log, signal: options.signal });
    } finally {
      await prepared.worktree?.remove();
    }
  }
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
