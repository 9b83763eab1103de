/** The files `slo-gate init` writes: pure functions of the stack guess. */
import type { StackGuess, WorkflowStep } from './stack-guess.js';

/** Where the action lives and the major version workflows pin. */
export const ACTION_REPOSITORY = 'slo-gate/slo-gate';
export const ACTION_VERSION = 'v1';
export const ACTION_REF = `${ACTION_REPOSITORY}@${ACTION_VERSION}`;
const SCHEMA_URL = `https://raw.githubusercontent.com/${ACTION_REPOSITORY}/${ACTION_VERSION}/slo-gate.schema.json`;

const yamlString = (text: string) => JSON.stringify(text);

/** `text` as YAML comment lines of at most ~100 characters, indented by `indent`. */
function commentLines(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + 2 + line.length + 1 + word.length > 100) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}# ${l}`);
}

export function starterConfig(guess: StackGuess): string {
  const env = Object.entries(guess.env)
    .map(([k, v]) => `${k}: ${yamlString(v)}`)
    .join(', ');
  const comments = [
    ...commentLines(`Guessed from ${guess.source}.`, '  '),
    ...guess.notes.flatMap((note) => commentLines(note, '  ')),
    ...guess.warnings.flatMap((warning) => commentLines(`CHECK: ${warning}`, '  ')),
  ];
  return `# yaml-language-server: $schema=${SCHEMA_URL}
# slo-gate: the SLOs this service must meet under load, checked on every pull request.
# Reference: https://github.com/${ACTION_REPOSITORY}#configuration
target: http://127.0.0.1:${guess.port}
service:
${comments.join('\n')}
  command: ${yamlString(guess.command)}
${env ? `  env: { ${env} }\n` : ''}  ready:
    url: /health          # 2xx means ready; {"status": "ok"|"degraded"} bodies are understood
    # No health route? A 404 here waits out the timeout: write ready: { tcp: ${guess.port} } instead.
    timeout: 60s
load:
  duration: 10s           # measured per endpoint, after the warmup
  warmup: 2s
  connections: 10
  # mode: mixed           # all endpoints at once, shared connections, by weight (default: isolated)
slo:                      # defaults for every endpoint
  p95: 250ms
  error-rate: 1%
# data:                   # rows for {{ }} templates, one per request: .csv (header row), .jsonl, .json
#   items: { file: data/items.csv, order: random }   # order: sequential (default), random, unique
# setup:                  # sent once before any load, e.g. a login; captured values are masked as secrets
#   - { name: log in, method: POST, path: /login, body: { password: '\${ADMIN_PASSWORD}' }, capture: { token: { json: access_token } } }
endpoints:
  - path: /health         # replace with the requests that matter to your users
    slo: { p95: 50ms }
  # - name: get item      # one cached URL flatters a service: take a different id on each request
  #   path: /items/{{ items.id }}   # also {{ seq }}, {{ uuid }}, {{ random-int 1 5 }}
  #   weight: 3           # with mode: mixed, its share of the requests (default 1)
`;
}

function stepLines(step: WorkflowStep): string {
  const lines = [`      - name: ${step.name}`];
  if (step.uses) lines.push(`        uses: ${step.uses}`);
  if (step.with) {
    lines.push('        with:');
    for (const [k, v] of Object.entries(step.with)) lines.push(`          ${k}: ${yamlString(v)}`);
  }
  if (step.run) lines.push(`        run: ${step.run}`);
  return lines.join('\n');
}

/** Where the Action writes its JSON report and the service's log: kept as an artifact, pass or fail. */
const UPLOAD_STEP = `      - name: Keep the report and the service log
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: slo-gate
          path: .slo-gate/
          include-hidden-files: true
`;

export function starterWorkflow(guess: StackGuess): string {
  const steps =
    guess.setupSteps.length > 0
      ? guess.setupSteps.map(stepLines).join('\n')
      : '      # Add the steps that install and build your service here, so that it starts quickly.';
  return `name: slo-gate
on:
  pull_request:
  workflow_dispatch:

permissions:
  contents: read
  pull-requests: write   # the sticky PR comment

concurrency:             # a new push cancels the gate still measuring the previous one
  group: slo-gate-\${{ github.event.pull_request.number || github.ref }}
  cancel-in-progress: true

jobs:
  slo-gate:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
${steps}
      - name: Check SLOs under load
        id: gate
        uses: ${ACTION_REF}
        with:
          config: slo-gate.yml
${UPLOAD_STEP}`;
}
