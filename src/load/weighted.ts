/**
 * Which endpoint of a mixed load sends next: smooth weighted round-robin, nginx's algorithm
 * (ngx_http_upstream_get_peer). Each pick adds every weight to its running score, takes the highest score
 * (the first on a tie) and takes the total off it. Over every cycle of sum(weights) picks each endpoint is
 * picked exactly its weight, and the picks interleave (6:3:1 gives a b a a b a c a b a, never six a's in a
 * row), so even a short window holds the mix as configured. Pure: no clock, no randomness.
 */
export class WeightedRoundRobin {
  private readonly scores: number[];
  private readonly total: number;

  /** `weights`: positive whole numbers, one per endpoint, in config order. */
  constructor(private readonly weights: readonly number[]) {
    if (weights.length === 0 || weights.some((w) => !Number.isInteger(w) || w < 1)) {
      throw new Error(`weights must be positive whole numbers, got [${weights.join(', ')}]`);
    }
    this.scores = weights.map(() => 0);
    this.total = weights.reduce((sum, w) => sum + w, 0);
  }

  /** The index of the endpoint that sends next. */
  next(): number {
    let best = 0;
    for (let i = 0; i < this.weights.length; i++) {
      this.scores[i]! += this.weights[i]!;
      if (this.scores[i]! > this.scores[best]!) best = i;
    }
    this.scores[best]! -= this.total;
    return best;
  }
}

/** One cycle of smooth weighted round-robin picks: sum(weights) indices, each i exactly weights[i] times. */
export function weightedOrder(weights: readonly number[]): number[] {
  const picker = new WeightedRoundRobin(weights);
  const total = weights.reduce((sum, w) => sum + w, 0);
  return Array.from({ length: total }, () => picker.next());
}
