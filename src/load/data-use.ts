/**
 * Request data in the gate's pipeline (issue #10): a templated endpoint's load plan, and what its result
 * records of the data it used.
 */
import type { EndpointConfig } from '../config/types.js';
import type { EndpointResult } from '../report/model.js';
import { RequestSource, type DataCursors } from './requests.js';
import type { LoadMeasurement, LoadPlan } from './run-load.js';

/** A templated endpoint's plan builds each request from its data (load/requests.ts). */
export function withTemplates(
  plan: LoadPlan,
  endpoint: EndpointConfig,
  target: string,
  cursors: DataCursors,
  captured: readonly ReadonlyMap<string, string>[] = [new Map()],
): LoadPlan {
  const { templates } = endpoint;
  if (!templates) return plan;
  // One source per connection when setup captured values per connection; they share the data cursors.
  const sources = captured.map(
    (values) => new RequestSource({ ...endpoint, target, templates }, cursors, values),
  );
  if (sources.length === 1) return { ...plan, nextRequest: () => sources[0]!.next() };
  return { ...plan, nextRequest: (connection) => sources[connection % sources.length]!.next() };
}

/** The data sets an endpoint used, and where a unique one ran out (issue #10). */
export function addDataUse(
  result: EndpointResult,
  endpoint: EndpointConfig,
  measurement: LoadMeasurement,
  cursors: DataCursors,
): void {
  const sets = endpoint.templates?.dataSets ?? [];
  if (sets.length > 0) result.data = sets.map((set) => cursors.describe(set));
  const ranOut = sets.find((set) => cursors.exhausted.has(set));
  // Rounds against a baseline are merged, and the merge keeps no single moment: then the data ran out
  // after the head's measured windows so far.
  if (ranOut) result.dataRanOut = { set: ranOut, atMs: measurement.dataRanOutAtMs ?? measurement.windowMs };
}

/** One warning per endpoint whose unique data ran out, for the report's warnings. */
export function dataWarnings(result: EndpointResult): string[] {
  const ranOut = result.dataRanOut;
  if (!ranOut) return [];
  const rows = result.data?.find((d) => d.set === ranOut.set)?.rows;
  const when =
    ranOut.atMs < 0 ? 'during the warmup' : `${(ranOut.atMs / 1000).toFixed(1)} s into the measured window`;
  return [
    `${result.name}: data set ${ranOut.set} (order: unique, ${rows} rows) ran out ${when}; its load stopped there, ${result.requests} requests measured`,
  ];
}
