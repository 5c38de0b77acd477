/**
 * Issue 18, deep and cyclic structures: a filter 10,000 deep or cyclic overflowed the stack (RangeError) in
 * compileFilter, validateFilterDepth, createFilterMatcher, normalizeFilter, FilterBuilder.from(...).build() and
 * evaluateFilter; a 10 MB field name took seconds and was repeated in the message. Each is now a ValidationError
 * naming the path, in bounded time, quoting at most ~100 characters.
 */
import { describe, expect, it } from 'vitest';
import { compileFilter, createFilterMatcher, evaluateFilter, FilterBuilder, normalizeFilter, validateFilterDepth } from '@org/gc-data/filters';
import { type FilterNode } from '@org/gc-data';
import { expectIssueAt, validationIssues } from './expect-validation';

const c: FilterNode = { field: 'mediaType', op: 'equals', value: 'voice' };

/** `{ and: [ { or: [ ... c ] } ] }`, `levels` groups deep, built without recursion. */
function chain(levels: number): FilterNode {
  let node: FilterNode = c;
  for (let i = 0; i < levels; i++) node = i % 2 === 0 ? { and: [node] } : { or: [node] };
  return node;
}
/** Path of the node at `depth` (root = 1) on the chain's only branch. */
function chainPath(levels: number, depth: number): string {
  const keys: string[] = [];
  for (let d = 1; d < depth; d++) keys.push(`${(levels - d) % 2 === 0 ? 'and' : 'or'}[0]`);
  return keys.join('.');
}

const ENTRY_POINTS: Array<[string, (t: FilterNode) => unknown]> = [
  ['compileFilter', (t) => compileFilter(t)],
  ['createFilterMatcher', (t) => createFilterMatcher(t)],
  ['evaluateFilter', (t) => evaluateFilter(t, {})],
  ['normalizeFilter', (t) => normalizeFilter(t)],
  ['FilterBuilder.from', (t) => FilterBuilder.from(t).build()],
];

function timed<T>(fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    // generous: a loaded machine must not flake; the point is "not seconds, not a hang"
    expect(performance.now() - t0).toBeLessThan(2_000);
  }
}

describe('a filter 10,000 deep', () => {
  const deep = chain(10_000);

  it.each(ENTRY_POINTS)('%s: a ValidationError at the first node past the depth limit, not a stack overflow', (name, fn) => {
    const issues = timed(() => validationIssues(() => fn(deep)));
    const limit = name === 'compileFilter' || name === 'createFilterMatcher' || name === 'evaluateFilter' ? 4 : 64;
    expect(issues).toContainEqual(expect.objectContaining({ path: chainPath(10_000, limit + 1), code: 'max_depth' }));
  });

  it('validateFilterDepth measures it iteratively and reports the whole depth', () => {
    const r = timed(() => validateFilterDepth(deep));
    expect(r).toMatchObject({ ok: false, depth: 10_001, path: chainPath(10_000, 5) });
  });

  it('a filter within a raised maxDepth still compiles', () => {
    expect(() => compileFilter(chain(9), { maxDepth: 10 })).not.toThrow();
    expectIssueAt(() => compileFilter(chain(10), { maxDepth: 10 }), chainPath(10, 11), 'max_depth');
  });
});

describe('a cyclic filter', () => {
  function cyclic(): FilterNode {
    const inner: { or: FilterNode[] } = { or: [c] };
    const root: FilterNode = { and: [c, inner] };
    inner.or.push(root);
    return root;
  }

  it.each([...ENTRY_POINTS, ['validateFilterDepth', (t: FilterNode) => validateFilterDepth(t)] as [string, (t: FilterNode) => unknown]])(
    '%s: a ValidationError naming where the cycle closes',
    (_name, fn) => {
      const issue = timed(() => expectIssueAt(() => fn(cyclic()), 'and[1].or[1]', 'cycle'));
      expect(issue.message).toMatch(/cyclic/);
    },
  );

  it('a node that lists itself', () => {
    const self: { and: unknown[] } = { and: [] };
    self.and.push(self);
    expectIssueAt(() => compileFilter(self as FilterNode), 'and[0]', 'cycle');
  });

  it('a shared (not cyclic) subtree is fine; shared exponentially is bounded by the node limit', () => {
    const shared: FilterNode = { or: [c, { field: 'queueId', op: 'exists' }] };
    expect(() => compileFilter({ and: [shared, shared] })).not.toThrow();
    let dag: FilterNode = c;
    for (let i = 0; i < 60; i++) dag = { and: [dag, dag] }; // 2^61 paths
    for (const [, fn] of ENTRY_POINTS) {
      // past the depth limit (compile: 4) or past the node limit (normalize: 64 levels allowed), never 2^61 steps
      const issues = timed(() => validationIssues(() => fn(dag)));
      expect(issues.map((i) => i.code)).toEqual([expect.stringMatching(/^(max_depth|too_many_nodes)$/)]);
    }
    expect(timed(() => validationIssues(() => normalizeFilter(dag))).map((i) => i.code)).toEqual(['too_many_nodes']);
    expect(timed(() => validationIssues(() => validateFilterDepth(dag))).map((i) => i.code)).toEqual(['too_many_nodes']);
  });

  it('more than 1,000 nodes is refused at the first node past the limit', () => {
    const wide: FilterNode = { or: Array.from({ length: 1_500 }, () => c) };
    for (const [, fn] of ENTRY_POINTS) expectIssueAt(() => fn(wide), 'or[999]', 'too_many_nodes');
    expect(() => compileFilter({ or: Array.from({ length: 999 }, () => c) })).not.toThrow();
  });
});

describe('huge strings', () => {
  const huge = 'x'.repeat(10_000_000);

  it('a 10 MB field name: a short ValidationError at its path, fast', () => {
    const issue = timed(() => expectIssueAt(() => compileFilter({ field: huge, op: 'exists' }), 'field', 'too_long'));
    expect(issue.message.length).toBeLessThan(400);
    const msg = (() => {
      try {
        compileFilter({ field: huge, op: 'exists' });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(msg.length).toBeLessThan(600);
  });

  it('an unknown field just over the suggestion length still gets a fast answer', () => {
    const issues = timed(() => validationIssues(() => compileFilter({ and: Array.from({ length: 200 }, (_, i) => ({ field: `${'q'.repeat(200)}${i}`, op: 'exists' as const })) })));
    expect(issues[0]).toMatchObject({ path: 'and[0].field', code: 'unknown_field' });
    // the walk stops listing after 100 problems and says where it stopped
    expect(issues.at(-1)).toMatchObject({ code: 'too_many_issues', path: 'and[100]' });
  });

  it('a 10 MB value, op or enum value is refused with at most ~100 characters quoted', () => {
    for (const [tree, path] of [
      [{ field: 'wrapUpCode', op: 'equals', value: huge }, 'value'],
      [{ field: 'wrapUpNote', op: 'contains', value: huge }, 'value'],
      [{ field: 'mediaType', op: 'equals', value: huge }, 'value'],
      [{ field: 'mediaType', op: huge, value: 'voice' }, 'op'],
      [{ field: 'wrapUpCode', op: 'in', value: ['a', huge] }, 'value[1]'],
    ] as Array<[FilterNode, string]>) {
      const issue = timed(() => expectIssueAt(() => compileFilter(tree), path));
      expect(issue.message.length).toBeLessThan(400);
    }
  });

  it('an in list longer than 1,000 values is refused at its path', () => {
    expectIssueAt(() => compileFilter({ field: 'wrapUpCode', op: 'in', value: Array.from({ length: 1_001 }, (_, i) => `w${i}`) }), 'value', 'too_long');
    expect(() => compileFilter({ field: 'wrapUpCode', op: 'in', value: Array.from({ length: 1_000 }, (_, i) => `w${i}`) })).not.toThrow();
  });
});
