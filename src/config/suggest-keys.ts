/** "Did you mean" for an unknown key: the known keys it most likely meant. */
import { distance } from 'fastest-levenshtein';

/** The message for an unknown key: the likeliest known keys, else all of them. */
export function unknownKeyText(key: string, known: readonly string[]): string {
  const suggestions = suggestKeys(key, known);
  if (suggestions.length > 0)
    return `unknown key; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
  return known.length > 0 ? `unknown key; expected one of ${known.join(', ')}` : 'unknown key';
}

/**
 * The keys a mistyped one most likely meant: one that differs only in case, "-" or "_" (`errorRate`); else
 * one with the same letters in another order (`p59` for p95: swapped keys are the commonest slip, and edit
 * distance would rank p50 first); else the nearest by edit distance, when near enough to be a typo.
 */
export function suggestKeys(key: string, known: readonly string[]): string[] {
  const loose = (text: string) => text.toLowerCase().replace(/[-_\s]/g, '');
  const sameLoose = known.filter((candidate) => loose(candidate) === loose(key));
  if (sameLoose.length > 0) return sameLoose;
  const letters = (text: string) => [...loose(text)].sort().join('');
  const anagrams = known.filter((candidate) => letters(candidate) === letters(key));
  if (anagrams.length > 0) return anagrams.slice(0, 3);
  const limit = Math.max(2, Math.floor(key.length / 3));
  const distances = known.map((candidate) => ({ candidate, edits: distance(key, candidate) }));
  const fewest = Math.min(...distances.map((d) => d.edits));
  if (fewest > limit) return [];
  return distances
    .filter((d) => d.edits === fewest)
    .map((d) => d.candidate)
    .slice(0, 3);
}
