/**
 * Issue 18, empty groups: `compileFilter({ and: [] })` compiled to "match everything" (no filters), so an export
 * with an empty group exported everything. An empty `and` is now refused like an empty `or`, at its path, by every
 * filter function.
 */
import { describe, expect, it } from 'vitest';
import { compileFilter, createFilterMatcher, evaluateFilter, FilterBuilder, normalizeFilter, validateFilterDepth } from '@org/gc-data/filters';
import { type FilterNode } from '@org/gc-data';
import { expectIssueAt } from './expect-validation';

const c: FilterNode = { field: 'mediaType', op: 'equals', value: 'voice' };

const FNS: Array<[string, (t: FilterNode) => unknown]> = [
  ['compileFilter', (t) => compileFilter(t)],
  ['createFilterMatcher', (t) => createFilterMatcher(t)],
  ['evaluateFilter', (t) => evaluateFilter(t, {})],
  ['validateFilterDepth', (t) => validateFilterDepth(t)],
  ['normalizeFilter', (t) => normalizeFilter(t)],
  ['FilterBuilder.from().build()', (t) => FilterBuilder.from(t).build()],
];

describe('an empty and/or group is a ValidationError naming it', () => {
  it.each(FNS)('%s', (_name, fn) => {
    expectIssueAt(() => fn({ and: [] }), 'and', 'empty_group');
    expectIssueAt(() => fn({ or: [] }), 'or', 'empty_group');
    expectIssueAt(() => fn({ and: [c, { or: [c, { and: [] }] }] }), 'and[1].or[1].and', 'empty_group');
    expect(() => fn({ and: [c, { or: [c, { and: [c] }] }] })).not.toThrow();
  });

  it('the empty and says it would match everything', () => {
    expect(expectIssueAt(() => compileFilter({ and: [] }), 'and', 'empty_group').message).toMatch(/match everything/);
  });

  it('FilterBuilder: an empty builder, or an empty nested group, is refused by build() and compile()', () => {
    expectIssueAt(() => FilterBuilder.interaction().build(), 'and', 'empty_group');
    expectIssueAt(() => FilterBuilder.interaction('voice').and(() => undefined).build(), 'and[1].and', 'empty_group');
    expectIssueAt(() => FilterBuilder.interaction('voice').or(() => undefined).compile(), 'and[1].or', 'empty_group');
    expect(FilterBuilder.interaction('voice').or((b) => b.where('queueId', 'exists')).build()).toEqual({
      and: [c, { field: 'queueId', op: 'exists' }],
    });
  });
});
