/** Replaces every secret (a value expanded from ${VAR}) with *** in text bound for a report or a log. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  // Longest first, so a secret containing another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) redacted = redacted.split(secret).join('***');
  }
  return redacted;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The same, applied to every string inside a plain-data value, but for the values of `keepKeys`: data made
 * of numbers only (an encoded histogram), where a secret's characters can only occur by chance and
 * replacing them would corrupt it.
 */
export function redactDeep<T>(value: T, secrets: readonly string[], keepKeys: ReadonlySet<string> = NONE): T {
  if (secrets.length === 0) return value;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return redactSecrets(node, secrets);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [redactSecrets(k, secrets), keepKeys.has(k) ? v : walk(v)]),
      );
    }
    return node;
  };
  return walk(value) as T;
}
