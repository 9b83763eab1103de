/** A growable Float64Array: cheap to push millions of latency samples into, no boxing. */
export class SampleBuffer {
  private data = new Float64Array(4096);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get size(): number {
    return this.length;
  }

  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
