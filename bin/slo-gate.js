#!/usr/bin/env node
// The CLI, from the committed bundle: `npx slo-gate run` works after `npm ci`, with no build step.
import '../dist/cli.js';
