/**
 * How an endpoint's body goes on the wire, decided from its form and its content-type header: a string as
 * written, a map or list as JSON, a map as a form when the header asks for one. The checks here reject
 * what would be sent wrong without a sound (a map labelled text/plain, a nested map in a form) and warn
 * about what is likely so (a string with no content-type, which json-server stores as an empty record).
 */
import type { KeyPath, Problem } from './problem.js';
import type { RawConfig } from './schema.js';
import { describeValue } from './schema-values.js';

type RawEndpoint = RawConfig['endpoints'][number];

const FORM = 'application/x-www-form-urlencoded';

/** The header named `name` in any case, as written: its key and value. */
function findHeader(
  headers: Record<string, string> | undefined,
  name: string,
): { key: string; value: string } | undefined {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : { key, value: headers![key]! };
}

/** "application/json; charset=utf-8" → "application/json". */
function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** application/json, or a structured type with the +json suffix (RFC 6839), e.g. application/merge-patch+json. */
function isJsonType(type: string): boolean {
  return type === 'application/json' || /^[a-z0-9!#$&^_.-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(type);
}

/** The body as sent, and the headers with a JSON content-type added for a map or list that has none. */
export function encodeBody(endpoint: RawEndpoint): { body?: string; headers: Record<string, string> } {
  const headers = { ...(endpoint.headers ?? {}) };
  const { body } = endpoint;
  if (body === undefined || typeof body === 'string') return { body, headers };
  const contentType = findHeader(headers, 'content-type');
  if (contentType && mediaType(contentType.value) === FORM && !Array.isArray(body)) {
    return { body: formOf(body), headers };
  }
  if (!contentType) headers['content-type'] = 'application/json';
  return { body: JSON.stringify(body), headers };
}

/** A list value is one field repeated (tags=a&tags=b), as HTML forms and most clients send it. */
function formOf(body: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
  }
  return form.toString();
}

/**
 * A map or list body that cannot be sent as its content-type says. A map with a type that is neither
 * JSON nor a form is an error, not a warning: slo-gate would send JSON under another label, the service
 * would likely answer 4xx or store nothing, and the gate would measure that. A string body sends anything.
 */
export function bodyProblem(endpoint: RawEndpoint, index: number): Problem | undefined {
  const { body } = endpoint;
  const contentType = findHeader(endpoint.headers, 'content-type');
  if (body === undefined || typeof body === 'string' || !contentType) return undefined;
  const at: KeyPath = ['endpoints', index, 'body'];
  const type = mediaType(contentType.value);
  if (isJsonType(type)) return undefined;
  if (type !== FORM) {
    return {
      path: at,
      text:
        `a map or list is sent as JSON or as a form, but headers.${contentType.key} is ${JSON.stringify(contentType.value)}; ` +
        `set it to application/json (or a +json type) or ${FORM}, or write the body as a string to send it as is`,
      pointAt: 'value',
    };
  }
  if (Array.isArray(body)) {
    return {
      path: at,
      text: `a form is a map of field names to values, got a list (headers.${contentType.key} is ${FORM})`,
      pointAt: 'value',
    };
  }
  return nestedFormField(body, at);
}

const isFormScalar = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);

function nestedFormField(body: Record<string, unknown>, at: KeyPath): Problem | undefined {
  for (const [key, value] of Object.entries(body)) {
    const items = Array.isArray(value)
      ? value.map((item, i) => ({ item, path: [...at, key, i] }))
      : [{ item: value, path: [...at, key] }];
    const bad = items.find(({ item }) => !isFormScalar(item));
    if (bad) {
      return {
        path: bad.path,
        text: `a form field is a string, number, true/false or a list of them, got ${describeValue(bad.item)} (send nested data as JSON)`,
        pointAt: 'value',
      };
    }
  }
  return undefined;
}

/** A string body with no content-type: valid, but servers commonly ignore or misread it. */
export function bodyWarning(endpoint: RawEndpoint, index: number, name: string): Problem | undefined {
  if (typeof endpoint.body !== 'string' || endpoint.body === '') return undefined;
  if (findHeader(endpoint.headers, 'content-type')) return undefined;
  return {
    path: ['endpoints', index, 'body'],
    text: `${JSON.stringify(name)} sends this string with no content-type header, which servers may ignore or misread; set one in headers, such as content-type: application/json`,
    pointAt: 'value',
  };
}
