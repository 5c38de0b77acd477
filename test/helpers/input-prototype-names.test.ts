/**
 * Issue 18, prototype names: lookup tables keyed by caller input must not find `constructor`, `__proto__`,
 * `toString`... on Object.prototype. Before the fix, `field: 'constructor'` threw
 * `TypeError: (ALIASES[needle] ?? []) is not iterable`, `resolveRegion('constructor')` returned a region whose host
 * was the Object function, and `mediaKindOf('constructor')` returned a function.
 */
import { describe, expect, it } from 'vitest';
import { compileFilter, createFilterMatcher, suggestFields } from '@org/gc-data/filters';
import { flattenScorecard } from '@org/gc-data/rows';
import { mediaKindOf, normalizeFormat } from '@org/gc-data/media-matrix';
import { resolveRegion } from '@org/gc-data';
import { parseRegion } from '../../src/regions';
import { expectIssueAt } from './expect-validation';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('prototype names as caller input', () => {
  it.each(NAMES)('filter field %s is an unknown field at its path', (name) => {
    const issue = expectIssueAt(() => compileFilter({ field: name, op: 'equals', value: 'x' }), 'field', 'unknown_field');
    expect(issue.message).toContain(name);
    expectIssueAt(() => createFilterMatcher({ and: [{ field: 'mediaType', op: 'exists' }, { field: name, op: 'exists' }] }), 'and[1].field', 'unknown_field');
  });

  it.each(NAMES)('op %s is an unknown op, with no function in its message', (name) => {
    const issue = expectIssueAt(() => compileFilter({ field: 'mediaType', op: name as never, value: 'voice' }), 'op', 'invalid_op');
    expect(issue.message).not.toMatch(/function|native code/);
  });

  it.each(NAMES)('suggestFields(%s) returns catalog names', (name) => {
    const out = suggestFields(name);
    expect(out).toHaveLength(3);
    for (const s of out) expect(typeof s).toBe('string');
  });

  it.each(NAMES)('region %s is unknown: resolveRegion gives undefined, parseRegion a ValidationError listing the regions', (name) => {
    expect(resolveRegion(name)).toBeUndefined();
    const issue = expectIssueAt(() => parseRegion(name), 'region', 'invalid_region');
    expect(issue.message).toContain('us_east_1');
    expect(issue.message).toContain('eu_west_1');
  });

  it.each(NAMES)('media kind and format %s: unknown kind, the format itself', (name) => {
    expect(mediaKindOf(name)).toBe('unknown');
    expect(normalizeFormat(name)).toBe(name.toLowerCase());
  });

  it('an extra column named __proto__ is refused instead of replacing the row prototype', () => {
    const extra = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expectIssueAt(() => flattenScorecard({ id: 'e1' }, { extra }), 'extra.__proto__');
  });
});
