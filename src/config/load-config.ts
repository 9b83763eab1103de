/**
 * Reads slo-gate.yml (or JSON) and returns a typed GateConfig, or throws one config error naming the file,
 * line and column, the key path and what was expected. Nothing boots before this succeeds.
 *
 * The steps live in their own modules: yaml-positions (where a key is in the file), zod-issues (which
 * schema issue to show), cross-field-rules (checks across keys) and to-gate-config (the typed mapping).
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { configError } from '../errors.js';
import { redactSecrets } from '../report/redact.js';
import { crossFieldProblem, crossFieldWarnings } from './cross-field-rules.js';
import { checkTemplates, readDataSets } from './data-rules.js';
import { checkSetup } from './setup-rules.js';
import { expandEnv, formatPath } from './expand-env.js';
import type { KeyPath, Problem } from './problem.js';
import { configSchema } from './schema.js';
import { toGateConfig } from './to-gate-config.js';
import type { GateConfig } from './types.js';
import { describeYamlError, offsetOf } from './yaml-positions.js';
import { firstProblem } from './zod-issues.js';

/**
 * Reads and validates the config at `file`. `env` is what ${VAR} expands from: the entry points pass
 * process.env, tests pass their own.
 */
export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv): Promise<GateConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? error);
    throw configError(`${file}: cannot read the config: ${reason}`);
  }
  return parseConfig(text, file, env);
}

/** `source` names the file in messages; relative paths in the config are taken from its folder. */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv): GateConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // JSON is read as YAML (it nearly is), but a JSON user should not be told their file is bad YAML.
  const language = /\.json$/i.test(source) ? 'JSON' : 'YAML';

  /** Values expanded from ${VAR}: a message that quotes the bad value must not show them. */
  let secrets: string[] = [];
  function placed(offset: number | undefined, at: KeyPath, what: string): string {
    let where = source;
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      where += `:${line}:${col}`;
    }
    return redactSecrets(`${where}: ${at.length > 0 ? `${formatPath(at)}: ` : ''}${what}`, secrets);
  }
  function fail(offset: number | undefined, at: KeyPath, what: string): never {
    throw configError(placed(offset, at, what));
  }
  const placedProblem = (problem: Problem) => placed(offsetOf(doc, problem), problem.path, problem.text);
  function failWith(problem: Problem): never {
    throw configError(placedProblem(problem));
  }

  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const problem = describeYamlError(doc, syntaxError, lineCounter, language);
    fail(syntaxError.pos[0], problem.path, problem.text);
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // An alias to an unknown anchor, or too many aliases (yaml's guard against alias bombs): still one line.
    fail(undefined, [], `invalid ${language}: ${(error as Error).message}`);
  }
  if (raw === null || raw === undefined)
    fail(undefined, [], 'the config is empty; expected a map with target and endpoints');

  const expansion = expandEnv(raw, env);
  if (!expansion.ok) failWith({ path: expansion.path, text: expansion.problem, pointAt: 'value' });
  secrets = expansion.secrets;

  const parsed = configSchema.safeParse(expansion.value);
  if (!parsed.success) failWith(firstProblem(parsed.error.issues, expansion.value, doc));
  const crossField = crossFieldProblem(parsed.data);
  if (crossField) failWith(crossField);
  const setup = checkSetup(parsed.data);
  if (!setup.ok) failWith(setup.problem);
  const templates = checkTemplates(parsed.data, setup.captured);
  if (!templates.ok) failWith(templates.problem);
  // Data files are read only once the config itself is sound; their errors name the data file and line.
  const data = readDataSets(parsed.data, templates.templates, source, setup.templates);
  const warnings = crossFieldWarnings(parsed.data).map(placedProblem);
  const { tooShortToMask } = expansion;
  return toGateConfig(
    parsed.data,
    source,
    { secrets, tooShortToMask, warnings },
    { templates: templates.templates, data, setupTemplates: setup.templates },
  );
}
