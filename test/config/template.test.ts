import { describe, expect, it } from 'vitest';
import { isWholeSlot, parseTemplate, TemplateError } from '../../src/config/template.js';

describe('parseTemplate', () => {
  it.each([
    { text: '/items', parts: ['/items'] },
    { text: '/items/{{ items.id }}', parts: ['/items/', { kind: 'field', set: 'items', field: 'id' }] },
    { text: '{{items.id}}', parts: [{ kind: 'field', set: 'items', field: 'id' }] },
    {
      text: 'a{{ seq }}b{{ uuid }}c',
      parts: ['a', { kind: 'seq' }, 'b', { kind: 'uuid' }, 'c'],
    },
    { text: '{{ random-int 1 5 }}', parts: [{ kind: 'random-int', min: 1, max: 5 }] },
    { text: '{{ random-int -3 -3 }}', parts: [{ kind: 'random-int', min: -3, max: -3 }] },
    { text: 'Bearer {{ token }}', parts: ['Bearer ', { kind: 'name', name: 'token' }] },
    { text: '{{ users.first-name }}', parts: [{ kind: 'field', set: 'users', field: 'first-name' }] },
    // A lone "}}" is text: only "{{" opens a template.
    { text: 'a}}b', parts: ['a}}b'] },
  ])('$text', ({ text, parts }) => {
    expect(parseTemplate(text)).toEqual(parts);
  });

  it.each([
    { text: '/items/{{ items.id', error: '"{{" at character 8 is never closed with "}}"' },
    { text: '{{ }}', error: '"{{ }}" is empty; name a data field, seq, uuid or random-int A B' },
    { text: '{{ random-int 1 }}', error: 'random-int takes two whole numbers, such as random-int 1 5' },
    { text: '{{ random-int 1 x }}', error: 'random-int takes two whole numbers' },
    { text: '{{ random-int 5 1 }}', error: "random-int's first number must not exceed its second" },
    { text: '{{ random-int 1 99999999999999999999 }}', error: "random-int's bounds must be safe integers" },
    { text: '{{ uuid 4 }}', error: 'only random-int takes arguments' },
    { text: '{{ items. }}', error: 'is not a data field; write set.field, such as items.id' },
    { text: '{{ 9lives }}', error: 'is not a name, such as items.id or seq' },
  ])('rejects $text', ({ text, error }) => {
    expect(() => parseTemplate(text)).toThrow(TemplateError);
    expect(() => parseTemplate(text)).toThrow(error);
  });

  it.each([
    { text: '{{ seq }}', whole: true },
    { text: ' {{ seq }}', whole: false },
    { text: '{{ seq }}{{ seq }}', whole: false },
    { text: 'seq', whole: false },
  ])('isWholeSlot($text) is $whole', ({ text, whole }) => {
    expect(isWholeSlot(parseTemplate(text))).toBe(whole);
  });
});
