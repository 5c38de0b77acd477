/**
 * The seed's nesting limit, measured on the tree as written (before any flattening), exactly as the seed's
 * `validate_depth(node, current_depth=1)` does: the root is at depth 1 and each `and`/`or` puts its children one
 * deeper. The depth of a tree is the number of nodes on its longest root-to-leaf path, so a lone condition is
 * depth 1, `{and: [cond]}` is 2, and `and > or > and > cond` is 4, the most the default allows.
 */
import type { FilterNode } from './filter-builder';

export type FilterDepthResult =
  | { ok: true; depth: number }
  | { ok: false; depth: number; path: string; message: string };

export const DEFAULT_MAX_FILTER_DEPTH = 4;

interface Deepest {
  depth: number;
  /** Path of the first node (in document order) that sits deeper than the limit. */
  overPath?: string;
}

/**
 * `path` names the first node past the limit, e.g. `and[1].or[0].and[2].or[0]`: `and[1]` is the second child of
 * the root's `and`. Malformed nodes count as leaves here; `compileFilter` reports them separately.
 */
export function validateFilterDepth(tree: FilterNode, max = DEFAULT_MAX_FILTER_DEPTH): FilterDepthResult {
  const found = walk(tree, 1, '', max);
  if (found.overPath === undefined) return { ok: true, depth: found.depth };
  return {
    ok: false,
    depth: found.depth,
    path: found.overPath,
    message: `Filter nesting depth ${found.depth} exceeds the maximum of ${max} (counting the root as depth 1); first too-deep node at ${found.overPath}. Flatten it or split the query.`,
  };
}

function walk(node: unknown, depth: number, path: string, max: number): Deepest {
  let result: Deepest = depth > max ? { depth, overPath: path } : { depth };
  const group = groupOf(node);
  if (!group) return result;
  group.children.forEach((child, i) => {
    const childPath = `${path ? `${path}.` : ''}${group.key}[${i}]`;
    const sub = walk(child, depth + 1, childPath, max);
    result = {
      depth: Math.max(result.depth, sub.depth),
      ...(result.overPath !== undefined ? { overPath: result.overPath } : sub.overPath !== undefined ? { overPath: sub.overPath } : {}),
    };
  });
  return result;
}

function groupOf(node: unknown): { key: 'and' | 'or'; children: unknown[] } | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as { and?: unknown; or?: unknown };
  if (Array.isArray(n.and)) return { key: 'and', children: n.and };
  if (Array.isArray(n.or)) return { key: 'or', children: n.or };
  return undefined;
}
