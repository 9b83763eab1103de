/**
 * The GitHub Action adapter: read the inputs, run the same gate as the CLI, then report everywhere
 * (outputs, annotations, job summary, pull request comment) and only then fail the step if the verdict
 * says so. The logic lives in src/action/ (inputs, outcome, comment) and src/github/ (the API).
 */
import path from 'node:path';
import * as core from '@actions/core';
import { ActionsLogger } from './action/actions-logger.js';
import { readSettings, type ActionSettings } from './action/inputs.js';
import { annotationsFor, failureMessage, outputsFor, type GateReport } from './action/outcome.js';
import { publishPullRequestComment } from './action/pr-comment.js';
import { describeError, GateError } from './errors.js';
import type { Logger } from './log.js';
import { renderErrorMarkdown } from './report/markdown-error.js';
import { renderMarkdown } from './report/markdown.js';
import { redactSecrets } from './report/redact.js';
import { runFromConfigFile } from './run.js';
import { mergeReportFiles } from './shard/merge.js';
import { killServicesNow } from './service/service-process.js';

/** The job summary allows 1 MiB per step; in characters, with room for 3-byte UTF-8. */
const SUMMARY_LIMIT = 300_000;

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = new ActionsLogger();
  const cancel = watchForCancellation(log);
  /** Everything masked, so that error messages are redacted too. */
  const secrets: string[] = [];
  try {
    const settings = readSettings(env, process.cwd());
    maskSecret(settings.githubToken, secrets);
    core.debug(
      `settings: ${JSON.stringify({ ...settings, githubToken: settings.githubToken ? '***' : '' })}`,
    );

    const report = await measure(settings, env, log, cancel.signal, secrets);
    // A shard's breach is not the gate's: the merge job decides (a failed service still fails the step).
    const failOnBreach = settings.failOnBreach && !settings.shard;
    const failure = failureMessage(report, failOnBreach);
    await log.group('Report', () => publish(settings, report, log, cancel.signal.aborted));
    if (cancel.signal.aborted) core.setFailed('slo-gate: cancelled; the service was stopped');
    else if (failure) core.setFailed(redactSecrets(failure, secrets));
  } catch (error) {
    const message = redactSecrets(describeError(error), secrets);
    await writeJobSummary(renderErrorMarkdown({ headline: 'could not run', message }), log);
    core.setFailed(message);
  } finally {
    cancel.dispose();
  }
}

/**
 * Runs the gate, or merges shard reports (`merge`); a bad config is a report too (the PR should hear of
 * it), anything else throws.
 */
async function measure(
  settings: ActionSettings,
  env: NodeJS.ProcessEnv,
  log: Logger,
  signal: AbortSignal,
  secrets: string[],
): Promise<GateReport> {
  try {
    const outcome = settings.merge
      ? await mergeReportFiles({
          inputs: [settings.merge],
          log,
          reportPath: settings.reportPath,
          markdownPath: settings.markdownPath,
        })
      : await runFromConfigFile({
          configPath: settings.configPath,
          env,
          log,
          signal,
          reportPath: settings.reportPath,
          markdownPath: settings.markdownPath,
          shard: settings.shard,
          // Before anything boots or logs: values expanded from ${VAR} never reach the log unmasked.
          onConfig: (config) => config.secrets.forEach((secret) => maskSecret(secret, secrets)),
        });
    return {
      kind: 'result',
      result: outcome.result,
      reportPath: settings.reportPath,
      markdownPath: settings.markdownPath,
    };
  } catch (error) {
    if (!(error instanceof GateError) || error.kind !== 'config') throw error;
    return { kind: 'error', headline: 'the config is invalid', message: describeError(error) };
  }
}

/** Outputs, annotations, the job summary and the comment; each one's failure is a warning, not the end. */
async function publish(
  settings: ActionSettings,
  report: GateReport,
  log: Logger,
  cancelled: boolean,
): Promise<void> {
  const label = settings.gateId || undefined;
  const render = (limit?: number) =>
    report.kind === 'result'
      ? renderMarkdown(report.result, { label, limit })
      : renderErrorMarkdown(report, { label, limit });

  for (const [name, value] of Object.entries(outputsFor(report))) core.setOutput(name, value);
  if (report.kind === 'result') log.info(`JSON report: ${report.reportPath}`);
  // A cancelled run measured part of an endpoint at best: its numbers are no breach.
  if (report.kind === 'result' && !cancelled) {
    const file = path.isAbsolute(settings.configPath) ? undefined : settings.configPath;
    for (const a of annotationsFor(report.result, settings.failOnBreach && !settings.shard)) {
      (a.level === 'error' ? core.error : core.warning)(a.message, { title: a.title, file });
    }
  }
  await writeJobSummary(render(SUMMARY_LIMIT), log);

  let comment: { url?: string; id?: number } = {};
  if (cancelled) log.info('Cancelled: the pull request comment is left as it was');
  else {
    const passed = report.kind === 'result' && report.result.passed;
    comment = await publishPullRequestComment(settings, render(), passed, log);
  }
  core.setOutput('comment-url', comment.url ?? '');
  core.setOutput('comment-id', comment.id === undefined ? '' : String(comment.id));
}

async function writeJobSummary(markdown: string, log: Logger): Promise<void> {
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (error) {
    log.warn(`Could not write the job summary: ${(error as Error).message}`);
  }
}

/** Masks a value in the runner's log, line by line too, since the runner masks multi-line values badly. */
function maskSecret(value: string, secrets: string[]): void {
  if (!value) return;
  secrets.push(value);
  core.setSecret(value);
  for (const line of value.split(/\r?\n/)) {
    if (line.trim() && line !== value) core.setSecret(line.trim());
  }
}

/**
 * A cancelled workflow sends SIGINT, then SIGTERM: stop the load and the service, report, and fail. A
 * second signal kills the services and exits at once.
 */
function watchForCancellation(log: Logger): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // Forced: no graceful stop, but nothing left behind either.
      killServicesNow();
      process.exit(1);
    }
    log.warn(`${signal}: stopping the load and the service`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
