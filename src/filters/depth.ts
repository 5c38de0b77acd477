/**
 * The seed's nesting limit, measured on the tree as written (before any flattening), exactly as the seed's
 * `validate_depth(node, current_depth=1)` does: the root is at depth 1 and each `and`/`or` puts its children one
 * deeper. The depth of a tree is the number of nodes on its longest root-to-leaf path, so a lone condition is
 * depth 1, `{and: [cond]}` is 2, and `and > or > and > cond` is 4, the most the default allows.
 *
 * Also the one walk that every filter function runs before it recurses: it is iterative (a tree 10,000 deep
 * cannot overflow the stack), bounded (it stops after `MAX_FILTER_NODES` visits, so a shared subtree repeated in
 * a chain cannot make it exponential) and it detects cycles (a node that contains itself).
 */
import { ValidationError, type ValidationIssue } from '../errors';
import type { FilterNode } from './ast';
import { checkIntegerOption, throwIfIssues } from '../helpers/input-guard';

export type FilterDepthResult =
  | { ok: true; depth: number }
  | { ok: false; depth: number; path: string; message: string };

export const DEFAULT_MAX_FILTER_DEPTH = 4;

/**
 * The largest `maxDepth` a filter function accepts, and the depth past which every one of them refuses a tree.
 * The platform's own limit is far lower (the seed's 4); this only keeps the recursive passes of the compiler and
 * the evaluator a few dozen frames deep whatever they are given.
 */
export const MAX_FILTER_DEPTH_LIMIT = 64;

/**
 * Most nodes (groups and conditions, a shared subtree counted each time it appears) a filter may have. Every
 * condition becomes at least one platform predicate, and a details query with a thousand predicates is far past
 * anything useful; the cap keeps compiling (whose clause simplification is quadratic) within milliseconds.
 */
export const MAX_FILTER_NODES = 1_000;

/** `validateFilterDepth` only measures, so it may walk more: still linear, still bounded. */
const MAX_DEPTH_WALK_NODES = 100_000;

/** What one walk over a tree found. Paths are those of the input tree (`and[1].or[0]`, `''` for the root). */
export interface FilterShape {
  /** Deepest node seen (the whole depth, unless the walk stopped early). */
  depth: number;
  /** First node, in document order, deeper than the limit. */
  overPath?: string;
  /** Where a node turns out to contain itself: the path of the child that closes the cycle. The walk stops. */
  cyclePath?: string;
  /** Path of the first node past the node limit. The walk stops. */
  tooManyPath?: string;
  /** `and` / `or` keys holding an empty array, e.g. `and[0].or`. */
  emptyGroups: string[];
  /** Nodes that are neither a group nor an object (null, numbers, arrays). */
  badNodes: string[];
}

const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** An `and`/`or` group of `node` (own keys only), or undefined for a condition or a malformed node. */
export function groupOf(node: unknown): { key: 'and' | 'or'; children: unknown[] } | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as { and?: unknown; or?: unknown };
  if (Object.hasOwn(n, 'and') && Array.isArray(n.and)) return { key: 'and', children: n.and };
  if (Object.hasOwn(n, 'or') && Array.isArray(n.or)) return { key: 'or', children: n.or };
  return undefined;
}

interface Frame {
  node: unknown;
  /** The group this node sits in, and its key there (`and[2]`): paths are built only when one is reported. */
  parent: Frame | undefined;
  seg: string;
  depth: number;
  group?: { key: 'and' | 'or'; children: unknown[] };
  next: number;
}

function pathOf(f: Frame | undefined): string {
  const segs: string[] = [];
  for (let x = f; x !== undefined && x.parent !== undefined; x = x.parent) segs.push(x.seg);
  return segs.reverse().join('.');
}

/**
 * One iterative, bounded, cycle-aware pass over `tree` (see the module comment). With `measure` false it does not
 * descend below the first node past `max` (nothing below matters once that is reported), so a 10,000-deep tree
 * costs `max` steps; with `measure` true it walks everything (up to `nodeLimit`) to report the whole depth.
 */
export function inspectFilterTree(tree: unknown, max: number, nodeLimit = MAX_FILTER_NODES, measure = false): FilterShape {
  const shape: FilterShape = { depth: 0, emptyGroups: [], badNodes: [] };
  const onPath = new Set<unknown>();
  const stack: Frame[] = [{ node: tree, parent: undefined, seg: '', depth: 1, next: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.group === undefined) {
      if (++visited > nodeLimit) {
        shape.tooManyPath = pathOf(f);
        return shape;
      }
      if (f.depth > shape.depth) shape.depth = f.depth;
      const tooDeep = f.depth > max;
      if (tooDeep && shape.overPath === undefined) shape.overPath = pathOf(f);
      const group = groupOf(f.node);
      if (group === undefined || (tooDeep && !measure)) {
        if (group === undefined && (typeof f.node !== 'object' || f.node === null || Array.isArray(f.node))) shape.badNodes.push(pathOf(f));
        // `{ or: 5 }` is no condition either: a group key whose value is not a list (normalizeFilter made it `{}`).
        else if (group === undefined) {
          const n = f.node as Record<string, unknown>;
          for (const key of ['and', 'or'] as const) if (Object.hasOwn(n, key) && !Array.isArray(n[key])) shape.badNodes.push(at(pathOf(f), key));
        }
        stack.pop();
        continue;
      }
      if (group.children.length === 0) shape.emptyGroups.push(at(pathOf(f), group.key));
      f.group = group;
      onPath.add(f.node);
    }
    const group = f.group;
    if (f.next >= group.children.length) {
      onPath.delete(f.node);
      stack.pop();
      continue;
    }
    const i = f.next++;
    const child = group.children[i];
    const frame: Frame = { node: child, parent: f, seg: `${group.key}[${i}]`, depth: f.depth + 1, next: 0 };
    if (typeof child === 'object' && child !== null && onPath.has(child)) {
      shape.cyclePath = pathOf(frame);
      return shape;
    }
    stack.push(frame);
  }
  return shape;
}

export function depthMessage(depth: number, max: number, path: string): string {
  return `Filter nesting depth ${depth} exceeds the maximum of ${max} (counting the root as depth 1); first too-deep node at ${path || '(root)'}. Flatten it or split the query.`;
}

/** The issues that make `shape` no tree at all: a cycle or too many nodes. */
export function fatalShapeIssues(shape: FilterShape, nodeLimit = MAX_FILTER_NODES): ValidationIssue[] {
  if (shape.cyclePath !== undefined) {
    return [{
      path: shape.cyclePath,
      code: 'cycle',
      message: 'this node is one of its own ancestors (the tree is cyclic): a filter must be a tree; build a new node instead of reusing an ancestor',
    }];
  }
  if (shape.tooManyPath !== undefined) {
    return [{
      path: shape.tooManyPath,
      code: 'too_many_nodes',
      message: `the filter has more than ${nodeLimit} nodes (groups and conditions, a shared subtree counted each time it appears): use op "in" for lists of values or split the query`,
    }];
  }
  return [];
}

export function emptyGroupIssue(path: string): ValidationIssue {
  const or = path.endsWith('or');
  return {
    path,
    code: 'empty_group',
    message: or
      ? 'An empty or matches nothing; remove it or give it conditions'
      : 'An empty and would match everything (and so export everything); remove it or give it conditions',
  };
}

/**
 * Throws a ValidationError unless `tree` is a well-formed tree of objects: no cycle, at most `MAX_FILTER_NODES`
 * nodes, no deeper than `maxDepth`, no empty group, every node an object. Conditions are not looked into (the
 * compiler does that). Used by `normalizeFilter` and `FilterBuilder` before they recurse.
 */
export function checkFilterStructure(tree: unknown, where = 'filter', maxDepth = MAX_FILTER_DEPTH_LIMIT): void {
  const shape = inspectFilterTree(tree, maxDepth);
  const fatal = fatalShapeIssues(shape);
  throwIfIssues(where, fatal);
  const issues: ValidationIssue[] = [
    ...shape.badNodes.map((path) => ({
      path,
      code: 'invalid_node',
      message: 'Expected a group ({ and: [...] } or { or: [...] }) or a condition ({ field, op, value })',
    })),
    ...shape.emptyGroups.map(emptyGroupIssue),
  ];
  if (shape.overPath !== undefined) {
    issues.push({ path: shape.overPath, code: 'max_depth', message: depthMessage(shape.depth, maxDepth, shape.overPath) });
  }
  throwIfIssues(where, issues);
}

/**
 * `path` names the first node past the limit, e.g. `and[1].or[0].and[2].or[0]`: `and[1]` is the second child of
 * the root's `and`. Malformed nodes count as leaves here; `compileFilter` reports them separately. A cyclic tree,
 * one with more than 100,000 nodes, an empty group or a `max` that is not a positive whole number is a
 * ValidationError naming the path.
 */
export function validateFilterDepth(tree: FilterNode, max = DEFAULT_MAX_FILTER_DEPTH): FilterDepthResult {
  const optionIssues: ValidationIssue[] = [];
  checkIntegerOption(max, 1, Number.MAX_SAFE_INTEGER, 'max', optionIssues);
  throwIfIssues('validateFilterDepth arguments', optionIssues);
  const shape = inspectFilterTree(tree, max, MAX_DEPTH_WALK_NODES, true);
  const fatal = fatalShapeIssues(shape, MAX_DEPTH_WALK_NODES);
  if (fatal.length > 0) throw new ValidationError('filter', fatal);
  if (shape.emptyGroups.length > 0) throw new ValidationError('filter', shape.emptyGroups.map(emptyGroupIssue));
  // Malformed nodes inside the tree count as leaves (compileFilter reports them); a root that is no tree is refused.
  const broken = shape.badNodes.filter((p) => p === '' || p === 'and' || p === 'or');
  if (broken.length > 0) throw new ValidationError('filter', broken.map((path) => ({ path, code: 'invalid_node', message: path === '' ? 'a filter is an object: a group ({ and: [...] } or { or: [...] }) or a condition ({ field, op, value })' : 'a group holds an array of nodes' })));
  if (shape.overPath === undefined) return { ok: true, depth: shape.depth };
  return { ok: false, depth: shape.depth, path: shape.overPath, message: depthMessage(shape.depth, max, shape.overPath) };
}
