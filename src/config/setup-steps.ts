/** Setup steps as written (`RawConfig['setup']`) mapped to the `SetupStepConfig`s the gate runs. */
import { encodeBody } from './request-body.js';
import type { RawConfig } from './schema.js';
import { defaultStepName } from './setup-rules.js';
import type { EndpointTemplates, SetupStepConfig } from './types.js';

export function toSetupSteps(
  steps: NonNullable<RawConfig['setup']>,
  templates: readonly (EndpointTemplates | undefined)[],
): SetupStepConfig[] {
  return steps.map((step, i) => {
    // The body is encoded as an endpoint's is: a map as JSON (or a form), a string as written.
    const { body, headers } = encodeBody(step);
    const config: SetupStepConfig = {
      name: step.name ?? defaultStepName(step),
      method: step.method,
      path: step.path,
      headers,
      body,
      expectStatus: step['expect-status'],
      capture: step.capture ?? {},
      perConnection: step['per-connection'] ?? false,
    };
    const compiled = templates[i];
    return compiled ? { ...config, templates: compiled } : config;
  });
}
