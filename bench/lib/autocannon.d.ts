// Types for the parts of autocannon 9.0.0's public API the benches use (it ships none).
declare module 'autocannon' {
  namespace autocannon {
    export interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Per-request timeout, seconds. */
      timeout?: number;
      /** Requests per second over all connections. */
      overallRate?: number;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
    }

    /** Percentiles of autocannon's HdrHistogram: whole milliseconds for latency; no p95. */
    export interface Histogram {
      average: number;
      mean: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
    }

    export interface Result {
      /** Seconds the run actually lasted. */
      duration: number;
      latency: Histogram & { totalCount: number };
      requests: Histogram & { sent: number };
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
    }
  }

  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export = autocannon;
}
