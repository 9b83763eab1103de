/**
 * The CLI adapter: parses flags, prints progress to stderr and the table to stdout, exits with the code
 * the shared run decided. `slo-gate run|validate|calibrate|init [options]`, `slo-gate --help|--version`.
 */
import { parseArgs } from 'node:util';
import { adviseFromSelfComparison, renderAdvice, selfComparisonConfig } from './baseline/calibrate.js';
import { loadConfigFile } from './config/load-config.js';
import { runGate } from './gate.js';
import { initRepository, nextStep } from './init/init.js';
import { describeError, exitCodeFor, ExitCode, usageError } from './errors.js';
import type { Logger } from './log.js';
import { renderTerminal } from './report/terminal.js';
import { runFromConfigFile } from './run.js';
import { describeShard } from './shard/describe.js';
import { mergeReportFiles } from './shard/merge.js';
import { parseShard, shardReportPath, type ShardSpec } from './shard/spec.js';
import { killServicesNow } from './service/service-process.js';
import { SLO_GATE_VERSION } from './version.js';

/** The shell's convention: 128 + the signal's number (SIGINT 2, SIGTERM 15). */
const signalExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);

const USAGE = `Usage: slo-gate <command> [options]

Commands:
  run        boot the service, load each endpoint, check the SLOs (exit 0 met, 1 breached)
  validate   check the config without booting anything
  calibrate  measure the service against itself to find this machine's noise floor, and suggest
             baseline.max-regression and baseline.rounds
  init       write a starter slo-gate.yml and .github/workflows/slo-gate.yml (never overwrites)
  merge DIR_OR_FILE…
             merge shard reports (run --shard I/N) into one report and verdict (exit 3 when a
             shard is missing or failed)

Options:
  -c, --config FILE      the config (default: slo-gate.yml)
      --report FILE      write the JSON report here
      --markdown FILE    write the markdown report here
      --shard I/N|auto   run shard I of N (1-based) and write its report for slo-gate merge
                         (default .slo-gate/report-shard-I-of-N.json); auto reads CI_NODE_INDEX/
                         CI_NODE_TOTAL, BUILDKITE_PARALLEL_JOB/_COUNT or JOB_COMPLETION_INDEX/
                         SLO_GATE_SHARD_TOTAL. A shard exits 0 unless its service or target failed.
  -q, --quiet            no progress lines
  -h, --help             this help
  -V, --version          print slo-gate's version

Exit codes: 0 all SLOs met, 1 an SLO breached, 2 bad config or usage, 3 the service or target failed.`;

class TerminalLogger implements Logger {
  constructor(private readonly quiet: boolean) {}
  info(message: string): void {
    if (!this.quiet) process.stderr.write(`${message}\n`);
  }
  warn(message: string): void {
    process.stderr.write(`warning: ${message}\n`);
  }
  debug(message: string): void {
    if (process.env.SLO_GATE_DEBUG) process.stderr.write(`debug: ${message}\n`);
  }
  output(title: string, lines: readonly string[]): void {
    this.debug(`${title}:\n${lines.join('\n')}`);
  }
  async group<T>(title: string, body: () => Promise<T>): Promise<T> {
    this.info(`== ${title}`);
    return body();
  }
}

const COMMANDS = ['run', 'validate', 'calibrate', 'init', 'merge', 'help'] as const;

interface CliArgs {
  /** A command, or what a flag asks for instead: `version` (-V), `missing` (no command given). */
  command: (typeof COMMANDS)[number] | 'version' | 'missing';
  configPath: string;
  reportPath?: string;
  markdownPath?: string;
  /** `--shard`: this process runs one shard of a sharded run (issue #12). */
  shard?: ShardSpec;
  quiet: boolean;
  /** `merge`'s report files and directories. */
  inputs: string[];
}

/** `env` is read only for `--shard auto`. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = {}): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c', default: 'slo-gate.yml' },
        report: { type: 'string' },
        markdown: { type: 'string' },
        shard: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'V', default: false },
      },
    });
  } catch (error) {
    throw usageError(`${(error as Error).message}; see slo-gate --help`);
  }
  const { values, positionals } = parsed;
  // A flag asks for help or the version whatever else is given; a command word must be a known one.
  const command = values.help ? 'help' : values.version ? 'version' : (positionals[0] ?? 'missing');
  if (command === positionals[0] && !(COMMANDS as readonly string[]).includes(command)) {
    throw usageError(
      `unknown command "${command}"; expected run, validate, calibrate, init or merge (see slo-gate --help)`,
    );
  }
  // Only merge takes arguments: the reports to merge.
  const inputs = command === 'merge' ? positionals.slice(1) : [];
  if (command === 'merge' && inputs.length === 0)
    throw usageError('merge needs the shard reports: slo-gate merge DIR_OR_FILE…');
  if (command !== 'merge' && positionals.length > 1)
    throw usageError(`unexpected argument "${positionals[1]}"; see slo-gate --help`);
  if (values.shard !== undefined && command !== 'run')
    throw usageError(`--shard is for slo-gate run, not ${command}`);
  return {
    command: command as CliArgs['command'],
    configPath: values.config!,
    reportPath: values.report,
    markdownPath: values.markdown,
    ...(values.shard !== undefined ? { shard: parseShard(values.shard, env) } : {}),
    quiet: values.quiet!,
    inputs,
  };
}

/** What a command needs besides its arguments: the abort signal and the first signal received, if any. */
interface CommandContext {
  signal: AbortSignal;
  interruptedBy: () => NodeJS.Signals | undefined;
}

async function validateCommand(args: CliArgs): Promise<number> {
  const config = await loadConfigFile(args.configPath, process.env);
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`${args.configPath}: valid, ${config.endpoints.length} endpoint(s)\n`);
  return ExitCode.passed;
}

async function initCommand(): Promise<number> {
  const outcome = await initRepository(process.cwd());
  for (const file of outcome.written) process.stdout.write(`wrote ${file}\n`);
  for (const file of outcome.kept)
    process.stdout.write(`kept ${file}: it exists, and init never overwrites\n`);
  for (const warning of outcome.guess.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`${nextStep(outcome.guess)}\n`);
  return ExitCode.passed;
}

async function calibrateCommand(args: CliArgs, context: CommandContext): Promise<number> {
  const config = selfComparisonConfig(await loadConfigFile(args.configPath, process.env));
  const result = await runGate(config, { log: new TerminalLogger(args.quiet), signal: context.signal });
  if (result.verdict === 'failed') {
    process.stdout.write(`\n${renderTerminal(result)}\n`);
    return ExitCode.serviceFailed;
  }
  const { rounds, roundDurationMs } = config.baseline!;
  process.stdout.write(
    `\n${renderAdvice(adviseFromSelfComparison(result, rounds), rounds, roundDurationMs)}\n`,
  );
  return ExitCode.passed;
}

async function runCommand(args: CliArgs, context: CommandContext): Promise<number> {
  // A shard's report is its whole output: it is written even when --report is not given.
  const reportPath =
    args.reportPath ?? (args.shard ? shardReportPath(args.configPath, args.shard) : undefined);
  const outcome = await runFromConfigFile({
    configPath: args.configPath,
    env: process.env,
    log: new TerminalLogger(args.quiet),
    signal: context.signal,
    reportPath,
    markdownPath: args.markdownPath,
    shard: args.shard,
  });
  process.stdout.write(`\n${renderTerminal(outcome.result)}\n`);
  const { shard } = outcome.result;
  if (shard) {
    process.stdout.write(
      `${describeShard(shard, outcome.result.load)}; its report: ${reportPath}\n` +
        `The gate's verdict is the merge of all ${shard.total} shards' reports (slo-gate merge).\n`,
    );
  }
  const interrupted = context.interruptedBy();
  if (interrupted) return signalExitCode(interrupted);
  return outcome.exitCode;
}

async function mergeCommand(args: CliArgs): Promise<number> {
  const outcome = await mergeReportFiles({
    inputs: args.inputs,
    log: new TerminalLogger(args.quiet),
    reportPath: args.reportPath,
    markdownPath: args.markdownPath,
  });
  process.stdout.write(`\n${renderTerminal(outcome.result)}\n`);
  return outcome.exitCode;
}

const HANDLERS: Record<
  Exclude<CliArgs['command'], 'help' | 'version' | 'missing'>,
  (args: CliArgs, context: CommandContext) => Promise<number>
> = {
  validate: validateCommand,
  init: initCommand,
  calibrate: calibrateCommand,
  run: runCommand,
  merge: mergeCommand,
};

/**
 * Runs `body` with SIGINT and SIGTERM turned into an abort of its signal; a second signal kills the
 * service's process group and exits at once. The listeners are removed however `body` ends.
 */
async function withInterrupts(body: (context: CommandContext) => Promise<number>): Promise<number> {
  const abort = new AbortController();
  let firstSignal: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignal) {
      // Forced: no graceful stop, but nothing left behind either.
      killServicesNow();
      process.exit(signalExitCode(signal));
    }
    firstSignal = signal;
    process.stderr.write(`slo-gate: ${signal}: stopping the load and the service (again to force)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body({ signal: abort.signal, interruptedBy: () => firstSignal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The CLI: parses `argv`, runs the command, and returns the exit code; errors become one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseCliArgs(argv, process.env);
    if (args.command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return ExitCode.passed;
    }
    if (args.command === 'version') {
      process.stdout.write(`${SLO_GATE_VERSION}\n`);
      return ExitCode.passed;
    }
    if (args.command === 'missing') {
      // Asked for nothing: usage on stderr and a usage exit code, so that a script calling a bare
      // `slo-gate` by mistake does not pass.
      process.stderr.write(`slo-gate: no command given\n\n${USAGE}\n`);
      return ExitCode.badInput;
    }
    const handler = HANDLERS[args.command];
    return await withInterrupts((context) => handler(args, context));
  } catch (error) {
    process.stderr.write(`slo-gate: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}
