/** The files `slo-gate init` writes: pure functions of the stack guess. */
import type { StackGuess } from './detect-stack.js';

/** Where the action lives and the major version workflows pin. */
export const ACTION_REPOSITORY = 'slo-gate/slo-gate';
export const ACTION_VERSION = 'v1';
export const ACTION_REF = `${ACTION_REPOSITORY}@${ACTION_VERSION}`;
const SCHEMA_URL = `https://raw.githubusercontent.com/${ACTION_REPOSITORY}/${ACTION_VERSION}/slo-gate.schema.json`;

const yamlString = (text: string) => JSON.stringify(text);

export function starterConfig(guess: StackGuess): string {
  const env = Object.entries(guess.env)
    .map(([k, v]) => `${k}: ${yamlString(v)}`)
    .join(', ');
  return `# yaml-language-server: $schema=${SCHEMA_URL}
# slo-gate: the SLOs this service must meet under load, checked on every pull request.
# Reference: https://github.com/${ACTION_REPOSITORY}#configuration
target: http://127.0.0.1:${guess.port}
service:
  # Guessed from ${guess.source}.
  command: ${yamlString(guess.command)}
  env: { ${env} }
  ready:
    url: /health          # 2xx means ready; {"status": "ok"|"degraded"} bodies are understood
    timeout: 60s
load:
  duration: 10s           # measured per endpoint, after the warmup
  warmup: 2s
  connections: 10
slo:                      # defaults for every endpoint
  p95: 250ms
  error-rate: 1%
endpoints:
  - path: /health         # replace with the requests that matter to your users
    slo: { p95: 50ms }
`;
}

export function starterWorkflow(guess: StackGuess): string {
  const steps = guess.setupSteps
    .map((step) => {
      const lines = [`      - name: ${step.name}`];
      if (step.uses) lines.push(`        uses: ${step.uses}`);
      if (step.with) {
        lines.push('        with:');
        for (const [k, v] of Object.entries(step.with)) lines.push(`          ${k}: ${yamlString(v)}`);
      }
      if (step.run) lines.push(`        run: ${step.run}`);
      return lines.join('\n');
    })
    .join('\n');
  return `name: slo-gate
on:
  pull_request:
  workflow_dispatch:

permissions:
  contents: read
  pull-requests: write   # the sticky PR comment

jobs:
  slo-gate:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
${steps ? `${steps}\n` : ''}      - name: Check SLOs under load
        uses: ${ACTION_REF}
        with:
          config: slo-gate.yml
`;
}
