/**
 * The `{{ ... }}` language of request templates, parsed once at config time into parts: literal text and
 * slots. Pure: no data, no clock. Rendering (per request) lives in load/requests.ts.
 *
 * A slot names a data set's field (`items.id`), a built-in (`seq`, `uuid`, `random-int A B`), or a bare
 * name: a value captured by a setup request (issue #10 part 2), which config/data-rules.ts checks.
 */

/** One `{{ ... }}` of a template. */
export type Slot =
  | { kind: 'field'; set: string; field: string }
  | { kind: 'seq' }
  | { kind: 'uuid' }
  | { kind: 'random-int'; min: number; max: number }
  /** A bare name: a captured value once setup requests exist; unknown until then. */
  | { kind: 'name'; name: string };

/** A template: literal text and slots, in order. A template with no slot is one string part. */
export type Template = (string | Slot)[];

/** Why a template cannot be parsed, as the config error's text. */
export class TemplateError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FIELD = /^[^\s{}.]+$/;
const INTEGER = /^-?\d+$/;

export const hasTemplate = (text: string): boolean => text.includes('{{');

/** Parses `text`; throws TemplateError naming what is wrong. */
export function parseTemplate(text: string): Template {
  const parts: Template = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`"{{" at character ${open + 1} is never closed with "}}"`);
    if (open > at) parts.push(text.slice(at, open));
    parts.push(parseSlot(text.slice(open + 2, close).trim()));
    at = close + 2;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

function parseSlot(expression: string): Slot {
  const words = expression.split(/\s+/);
  const [head, ...args] = words;
  if (!head) throw new TemplateError('"{{ }}" is empty; name a data field, seq, uuid or random-int A B');
  if (head === 'random-int') {
    const [min, max, extra] = args;
    if (
      min === undefined ||
      max === undefined ||
      extra !== undefined ||
      !INTEGER.test(min) ||
      !INTEGER.test(max)
    )
      throw new TemplateError(
        `"{{ ${expression} }}": random-int takes two whole numbers, such as random-int 1 5`,
      );
    const [low, high] = [Number(min), Number(max)];
    if (low > high)
      throw new TemplateError(`"{{ ${expression} }}": random-int's first number must not exceed its second`);
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high))
      throw new TemplateError(`"{{ ${expression} }}": random-int's bounds must be safe integers`);
    return { kind: 'random-int', min: low, max: high };
  }
  if (args.length > 0)
    throw new TemplateError(`"{{ ${expression} }}" is not a template; only random-int takes arguments`);
  if (head === 'seq' || head === 'uuid') return { kind: head };
  const dot = head.indexOf('.');
  if (dot < 0) {
    if (!NAME.test(head))
      throw new TemplateError(`"{{ ${expression} }}" is not a name, such as items.id or seq`);
    return { kind: 'name', name: head };
  }
  const set = head.slice(0, dot);
  const field = head.slice(dot + 1);
  if (!NAME.test(set) || !FIELD.test(field))
    throw new TemplateError(`"{{ ${expression} }}" is not a data field; write set.field, such as items.id`);
  return { kind: 'field', set, field };
}

/** The slots of a template. */
export const slotsOf = (template: Template): Slot[] =>
  template.filter((part): part is Slot => typeof part !== 'string');

/** The template is exactly one slot: its value keeps its JSON type in a JSON body. */
export const isWholeSlot = (template: Template): boolean =>
  template.length === 1 && typeof template[0] !== 'string';
