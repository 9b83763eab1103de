/**
 * Reading a captured value out of a setup request's response (issue #10 part 2). Pure: the response is
 * already read.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CaptureSource } from '../config/types.js';

/** What a capture reads: the response's headers (as node:http gives them) and its body as text. */
export interface CapturedResponse {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The value, or why there is none, as the end of an error line ("… found nothing: <why>"). */
export type Extracted = { ok: true; value: string } | { ok: false; why: string };

export function extractCapture(source: CaptureSource, response: CapturedResponse): Extracted {
  return 'json' in source
    ? fromJson(source.json, response.body)
    : fromHeader(source.header, response.headers);
}

function fromJson(dotPath: string, body: string): Extracted {
  let node: unknown;
  try {
    node = JSON.parse(body);
  } catch {
    return { ok: false, why: `json ${dotPath}: the body is not JSON` };
  }
  const steps = dotPath.split('.');
  for (const [i, step] of steps.entries()) {
    const at = steps.slice(0, i + 1).join('.');
    if (Array.isArray(node)) {
      // An index into a list: items.0.id.
      if (!/^\d+$/.test(step) || Number(step) >= node.length)
        return { ok: false, why: `json ${dotPath}: ${at} is not in a list of ${node.length}` };
      node = node[Number(step)];
    } else if (typeof node === 'object' && node !== null && Object.hasOwn(node, step)) {
      node = (node as Record<string, unknown>)[step];
    } else return { ok: false, why: `json ${dotPath}: the body has no ${at}` };
  }
  if (node === null || node === undefined || node === '')
    return { ok: false, why: `json ${dotPath}: the value is ${node === '' ? 'empty' : 'null'}` };
  return { ok: true, value: typeof node === 'string' ? node : JSON.stringify(node) };
}

function fromHeader(name: string, headers: IncomingHttpHeaders): Extracted {
  const lower = name.toLowerCase();
  const value = headers[lower];
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    return { ok: false, why: `header ${lower}: the response has none` };
  // Set-Cookie carries attributes (Path, HttpOnly, …) the server wants back as a Cookie header without
  // them: keep each cookie's name=value, joined as a Cookie header joins them.
  if (lower === 'set-cookie') {
    const cookies = (Array.isArray(value) ? value : [value]).map((c) => c.split(';')[0]!.trim());
    return { ok: true, value: cookies.filter((c) => c !== '').join('; ') };
  }
  return { ok: true, value: Array.isArray(value) ? value.join(', ') : value };
}
