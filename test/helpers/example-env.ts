/**
 * The environment the shipped examples expect from their user (examples/node-api logs in with
 * ${API_PASSWORD}, as a real config takes a secret from CI's secrets), for the tests that load or run them.
 */
export const EXAMPLE_ENV: Record<string, string> = { API_PASSWORD: 'example-password-1' };
