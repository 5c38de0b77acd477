/**
 * The filter tree: `{and: [...]}` / `{or: [...]}` groups of `{field, op, value}` conditions. Only types, the op
 * list and two type guards, and it imports nothing: every other file in src/filters/ depends on these shapes, so
 * keeping them here (rather than in builder.ts, which needs the compiler) leaves the folder without an import cycle
 * (test/architecture/import-cycles.test.ts).
 */

/**
 * `in` is an addition to the original op list: "one of these values" is the common case for media types, queues
 * and wrap-up codes, and the platform expresses it natively (an `or` of `matches`), whereas spelling it as an `or`
 * of `equals` costs a nesting level against the depth limit. What each op compiles to is validate.ts's `opSupport`.
 */
export const FILTER_OPS = [
  'equals',
  'notEquals',
  'in',
  'greaterThan',
  'lessThan',
  'gte',
  'lte',
  'contains',
  'exists',
  'notExists',
] as const;

export type FilterOp = (typeof FILTER_OPS)[number];

export type FilterValue = string | number | boolean | Array<string | number>;

export interface FilterCondition {
  field: string;
  op: FilterOp;
  value?: FilterValue;
}
export interface AndNode {
  and: FilterNode[];
}
export interface OrNode {
  or: FilterNode[];
}
export type FilterNode = AndNode | OrNode | FilterCondition;

export function isAndNode(node: FilterNode): node is AndNode {
  return typeof node === 'object' && node !== null && Array.isArray((node as AndNode).and);
}
export function isOrNode(node: FilterNode): node is OrNode {
  return typeof node === 'object' && node !== null && Array.isArray((node as OrNode).or);
}
