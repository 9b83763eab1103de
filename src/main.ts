/** The GitHub Action adapter. See issue #3: inputs, sticky comment, summary, outputs. */
import * as core from '@actions/core';
import { describeError } from './errors.js';

export async function run(): Promise<void> {
  try {
    throw new Error('the Action is not built yet: use the CLI');
  } catch (error) {
    core.setFailed(describeError(error));
  }
}
