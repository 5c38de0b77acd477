/**
 * A fluent builder for the filter tree (ast.ts: `{and|or: [...]}` of `{field, op, value}`), and `normalizeFilter`.
 * The builder is only a convenience: it builds the same plain tree, and `compileFilter` normalises both forms
 * the same way, so a fluent filter and its hand-written tree compile to identical output.
 */
import { ValidationError } from '../errors';
import { compileFilter, type CompileFilterOptions, type CompiledFilter } from './compile';
import { checkFilterStructure, groupOf } from './depth';
import { kindOf, quote } from '../helpers/input-guard';
import { isAndNode, isOrNode, type FilterCondition, type FilterNode, type FilterOp, type FilterValue } from './ast';

// The tree's shapes live in ast.ts (import-free); re-exported here, where users of the builder look for them.
export { FILTER_OPS, isAndNode, isOrNode, type AndNode, type FilterCondition, type FilterNode, type FilterOp, type FilterValue, type OrNode } from './ast';

/**
 * Flattens nested groups of the same type and unwraps one-child groups, in input order. Keeps the meaning
 * (and of and is and; a group of one is its child). Does not look into conditions, but refuses (ValidationError
 * with the path) what is no tree at all: a node that is not an object, a cycle, an empty group, more than 1,000
 * nodes or more than 64 levels. Used by the builder.
 */
export function normalizeFilter(node: FilterNode): FilterNode {
  checkFilterStructure(node);
  return normalizeChecked(node);
}

/** `normalizeFilter` on a tree `checkFilterStructure` accepted: recursion is at most 64 deep. */
function normalizeChecked(node: FilterNode): FilterNode {
  const group = groupOf(node);
  if (group) {
    const type = group.key;
    const children = group.children as FilterNode[];
    const flat: FilterNode[] = [];
    for (const child of children) {
      const n = normalizeChecked(child);
      if (type === 'and' && isAndNode(n)) flat.push(...n.and);
      else if (type === 'or' && isOrNode(n)) flat.push(...n.or);
      else flat.push(n);
    }
    if (flat.length === 1 && flat[0] !== undefined) return flat[0];
    return type === 'and' ? { and: flat } : { or: flat };
  }
  const c = node as FilterCondition;
  return c.value === undefined
    ? { field: c.field, op: c.op }
    : { field: c.field, op: c.op, value: Array.isArray(c.value) ? [...c.value] : c.value };
}

/**
 * Fluent form of a filter tree. Each builder is a group (`and` at the top); methods add to it and return the
 * same builder. Nothing is validated until `compile()`, which reports every problem at once.
 *
 * ```ts
 * FilterBuilder.interaction(['voice', 'callback'])
 *   .where('queueId', 'equals', queueId)
 *   .or((b) => b.where('wrapUpCode', 'equals', sale).where('oTotalScore', 'lt', 60))
 *   .compile();
 * ```
 */
export class FilterBuilder {
  readonly #type: 'and' | 'or';
  readonly #children: FilterNode[] = [];

  private constructor(type: 'and' | 'or') {
    this.#type = type;
  }

  /** A new filter; with `mediaType`, starts with the segment condition `mediaType equals|in ...`. */
  static interaction(mediaType?: string | string[]): FilterBuilder {
    const b = new FilterBuilder('and');
    if (Array.isArray(mediaType)) {
      if (mediaType.length === 1 && mediaType[0] !== undefined) b.where('mediaType', 'equals', mediaType[0]);
      else b.where('mediaType', 'in', [...mediaType]);
    } else if (mediaType !== undefined) {
      b.where('mediaType', 'equals', mediaType);
    }
    return b;
  }

  /**
   * A builder that starts from an existing tree (to add conditions to it, or to compile it). The tree's shape is
   * checked here (see `normalizeFilter`); its conditions are checked by `compile()`.
   */
  static from(tree: FilterNode): FilterBuilder {
    if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
      throw new ValidationError('FilterBuilder.from input', [
        { path: 'tree', code: 'invalid_type', message: `expected a filter tree ({ and: [...] }, { or: [...] } or { field, op, value }), got ${kindOf(tree)} ${quote(tree)}` },
      ]);
    }
    checkFilterStructure(tree, 'FilterBuilder.from input');
    const b = new FilterBuilder('and');
    b.#children.push(tree);
    return b;
  }

  where(field: string, op: FilterOp, value?: FilterValue): this {
    this.#children.push(value === undefined ? { field, op } : { field, op, value });
    return this;
  }

  /** Adds a nested group whose children (added by `fn`) must all hold. */
  and(fn: (b: FilterBuilder) => unknown): this {
    return this.#group('and', fn);
  }

  /** Adds a nested group of which at least one child (added by `fn`) must hold. */
  or(fn: (b: FilterBuilder) => unknown): this {
    return this.#group('or', fn);
  }

  /** The plain tree: a normalised copy (same-type groups flattened, one-child groups unwrapped). */
  build(): FilterNode {
    return normalizeFilter(this.#node());
  }

  compile(options?: CompileFilterOptions): CompiledFilter {
    return compileFilter(this.build(), options);
  }

  #group(type: 'and' | 'or', fn: (b: FilterBuilder) => unknown): this {
    if (typeof fn !== 'function') {
      throw new ValidationError(`FilterBuilder.${type} input`, [
        { path: 'fn', code: 'invalid_type', message: `expected a function that adds conditions, e.g. (b) => b.where(...), got ${kindOf(fn)} ${quote(fn)}` },
      ]);
    }
    const inner = new FilterBuilder(type);
    fn(inner);
    this.#children.push(inner.#node());
    return this;
  }

  #node(): FilterNode {
    return this.#type === 'and' ? { and: [...this.#children] } : { or: [...this.#children] };
  }
}

/**
 * A builder from another copy of the package (CJS next to ESM, two versions in one app) fails `instanceof`;
 * anything with the builder's `build()` is taken as one rather than misread as a malformed tree.
 */
export function isFilterBuilder(v: unknown): v is Pick<FilterBuilder, 'build'> {
  return v instanceof FilterBuilder || (typeof v === 'object' && v !== null && typeof (v as { build?: unknown }).build === 'function');
}
