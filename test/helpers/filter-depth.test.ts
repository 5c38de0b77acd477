import { describe, expect, it } from 'vitest';
import type { FilterCondition, FilterNode } from '@org/gc-data/filters';
import { compileFilter } from '@org/gc-data/filters';
import { validateFilterDepth } from '@org/gc-data/filters';
import { ValidationError } from '../../src/errors';

const c: FilterCondition = { field: 'mediaType', op: 'equals', value: 'voice' };

/** and > or > and > or ... with the deep branch at the given child index of each group. */
function chain(groups: number): FilterNode {
  let node: FilterNode = c;
  for (let i = groups - 1; i >= 0; i--) node = i % 2 === 0 ? { and: [c, node] } : { or: [c, node] };
  return node;
}

describe('validateFilterDepth: the seed rule (root = depth 1, each group puts its children one deeper)', () => {
  it('counts a lone condition as depth 1 and a group of conditions as 2', () => {
    expect(validateFilterDepth(c)).toEqual({ ok: true, depth: 1 });
    expect(validateFilterDepth({ and: [c, c] })).toEqual({ ok: true, depth: 2 });
    expect(() => validateFilterDepth({ and: [] })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'and', code: 'empty_group' })] }));
  });

  it('passes depth 4 (and > or > and > condition)', () => {
    expect(validateFilterDepth(chain(3))).toEqual({ ok: true, depth: 4 });
  });

  it('fails depth 5 with the path of the first node past the limit', () => {
    const tree: FilterNode = { and: [c, { or: [{ and: [c, c, { or: [c] }] }] }] };
    const r = validateFilterDepth(tree);
    expect(r).toMatchObject({ ok: false, depth: 5, path: 'and[1].or[0].and[2].or[0]' });
    if (!r.ok) expect(r.message).toMatch(/depth 5 exceeds the maximum of 4.*and\[1\]\.or\[0\]\.and\[2\]\.or\[0\]/);
  });

  it('reports the whole depth, and the first too-deep node in document order', () => {
    const r = validateFilterDepth({ and: [chain(6), chain(5)] });
    expect(r).toMatchObject({ ok: false, depth: 8, path: 'and[0].and[1].or[1].and[0]' });
  });

  it('takes another maximum', () => {
    expect(validateFilterDepth(chain(3), 3)).toMatchObject({ ok: false, depth: 4, path: 'and[1].or[1].and[0]' });
    expect(validateFilterDepth(chain(5), 6)).toEqual({ ok: true, depth: 6 });
  });

  it('measures the tree as written, before flattening (and > and counts twice)', () => {
    expect(validateFilterDepth({ and: [{ and: [{ and: [{ and: [c] }] }] }] })).toMatchObject({ ok: false, depth: 5 });
  });

  it('treats malformed nodes as leaves instead of throwing', () => {
    expect(validateFilterDepth({ and: [null, 3, { or: 'x' }] } as unknown as FilterNode)).toEqual({ ok: true, depth: 2 });
  });
});

describe('compileFilter applies the depth rule', () => {
  it('compiles depth 4 and refuses depth 5, with the path, together with other issues', () => {
    expect(() => compileFilter(chain(3))).not.toThrow();
    const tree: FilterNode = { and: [{ field: 'nope', op: 'exists' }, { or: [{ and: [c, c, { or: [c] }] }] }] };
    try {
      compileFilter(tree);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const issues = (e as ValidationError).issues;
      expect(issues.map((i) => [i.code, i.path])).toEqual([
        ['unknown_field', 'and[0].field'],
        ['max_depth', 'and[1].or[0].and[2].or[0]'],
      ]);
    }
  });

  it('honours maxDepth', () => {
    expect(() => compileFilter(chain(4), { maxDepth: 5 })).not.toThrow();
    expect(() => compileFilter({ and: [c] }, { maxDepth: 1 })).toThrow(/depth 2 exceeds the maximum of 1/);
  });
});
