/**
 * Turns an input tree into a resolved form (fields looked up, values normalised, groups flattened) or lists
 * every problem at once. Shared by the compiler and the evaluator so both read a condition the same way; the
 * op table here is the single place that says what the platform can express.
 */
import type { ValidationIssue } from '../errors';
import { FILTER_OPS, type FilterCondition, type FilterNode, type FilterOp, type FilterValue } from './ast';
import { canonicalEnumValue, editDistance, lookupField, suggestFields, type FilterField } from './catalog';
import { DEFAULT_MAX_FILTER_DEPTH, depthMessage, emptyGroupIssue, fatalShapeIssues, inspectFilterTree } from './depth';
import { quote } from '../helpers/input-guard';

export interface ResolvedCondition {
  t: 'cond';
  /** Path of the condition in the input tree (`and[1].or[0]`; empty for a lone root condition). */
  path: string;
  field: FilterField;
  op: FilterOp;
  /** Normalised: uuids lower-cased, `in` lists copied. */
  value?: FilterValue;
}
export interface ResolvedGroup {
  t: 'and' | 'or';
  path: string;
  children: ResolvedNode[];
}
export type ResolvedNode = ResolvedCondition | ResolvedGroup;

export type OpSupport = { kind: 'server' } | { kind: 'client'; reason: string } | { kind: 'invalid'; reason: string };

const COMPARISONS: ReadonlySet<FilterOp> = new Set(['greaterThan', 'lessThan', 'gte', 'lte']);
export function isComparison(op: FilterOp): boolean {
  return COMPARISONS.has(op);
}

const NO_NEGATION = 'the platform has no negation operator (only matches, exists, notExists)';

/** Whether the platform can take `op` on `field`, must leave it to the client, or it makes no sense. */
export function opSupport(field: FilterField, op: FilterOp): OpSupport {
  const what = `${field.name} is a ${field.type} ${field.kind}`;
  if (op === 'exists' || op === 'notExists') return { kind: 'server' };
  if (op === 'notEquals') return { kind: 'client', reason: NO_NEGATION };
  if (field.kind === 'metric') {
    if (op === 'contains') return { kind: 'invalid', reason: `contains applies to text dimensions; ${what}` };
    return { kind: 'server' };
  }
  switch (field.type) {
    case 'string':
      if (isComparison(op)) return { kind: 'invalid', reason: `${op} needs an ordered field (a metric, number or datetime); ${what}` };
      if (op === 'contains') return { kind: 'client', reason: "the platform's matches compares whole values; substring matching runs client-side" };
      return { kind: 'server' };
    case 'uuid':
    case 'enum':
    case 'boolean':
      if (isComparison(op)) return { kind: 'invalid', reason: `${op} needs an ordered field (a metric, number or datetime); ${what}` };
      if (op === 'contains') return { kind: 'invalid', reason: `contains applies to free-text string dimensions; ${what}` };
      if (op === 'in' && field.type === 'boolean') return { kind: 'invalid', reason: `in is not useful on a boolean; use equals` };
      return { kind: 'server' };
    case 'number':
      if (op === 'contains') return { kind: 'invalid', reason: `contains applies to free-text string dimensions; ${what}` };
      if (isComparison(op)) return { kind: 'client', reason: 'the platform is only known to take a range on metrics, not on dimensions' };
      return { kind: 'server' };
    case 'datetime':
      if (op === 'contains' || op === 'in') return { kind: 'invalid', reason: `${op} is not valid on a timestamp; use greaterThan/lessThan/gte/lte` };
      if (isComparison(op)) return { kind: 'client', reason: 'the platform is only known to take a range on metrics, not on timestamp dimensions' };
      return { kind: 'client', reason: "the platform's matches on a timestamp is not an exact-instant comparison" };
  }
}

export interface ResolveOptions {
  /** Refuse enum values the catalog does not list (default true). */
  strictEnums?: boolean;
  /** Nesting limit (depth.ts); nodes past it are reported, not resolved. Default 4. */
  maxDepth?: number;
}

/**
 * The longest field name looked up. No catalog name (qualified or not) is longer than 50 characters, so a longer
 * one is unknown anyway; refusing it first keeps the lookup and the "did you mean" edit distances cheap.
 */
export const MAX_FIELD_NAME_LENGTH = 256;
/**
 * The longest string value taken. The platform refuses request bodies over 512,000 bytes (`request.bytes.max`,
 * docs/platform-notes.md section b) and real dimension values (ids, names, addresses, wrap-up notes) are far shorter.
 */
export const MAX_FILTER_VALUE_LENGTH = 10_000;
/** Most values one `in` takes: each becomes its own platform predicate. */
export const MAX_IN_VALUES = 1_000;
/** Issues listed before the walk stops (a tree of a thousand bad conditions needs no thousand-line message). */
const MAX_ISSUES = 100;
/** "Did you mean" is computed for this many unknown fields per filter, and only for names this short. */
const MAX_SUGGESTED = 10;
const MAX_SUGGEST_LENGTH = 64;

export interface Resolved {
  node: ResolvedNode | undefined;
  issues: ValidationIssue[];
  /** Things accepted but worth saying (e.g. an enum value outside the known list). */
  notes: string[];
}

/**
 * Resolves `tree`, listing every problem with its path. Walks the tree once iteratively first (depth.ts):
 * a cycle or too many nodes is reported alone; nodes deeper than `maxDepth` are reported and not descended into,
 * so the recursive resolution below never goes deeper than the limit.
 */
export function resolveFilter(tree: unknown, options: ResolveOptions = {}): Resolved {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_FILTER_DEPTH;
  const shape = inspectFilterTree(tree, maxDepth);
  const fatal = fatalShapeIssues(shape);
  if (fatal.length > 0) return { node: undefined, issues: fatal, notes: [] };
  const ctx: Ctx = { issues: [], notes: [], strictEnums: options.strictEnums ?? true, maxDepth, suggested: 0, cut: undefined };
  const node = resolve(tree, '', ctx, 1);
  if (ctx.cut !== undefined) {
    ctx.issues.push({ path: ctx.cut, code: 'too_many_issues', message: `more than ${MAX_ISSUES} problems: the rest of the filter, from here on, was not checked` });
  }
  if (shape.overPath !== undefined) {
    ctx.issues.push({ path: shape.overPath, code: 'max_depth', message: depthMessage(shape.depth, maxDepth, shape.overPath) });
  }
  return { node: ctx.issues.length === 0 ? node : undefined, issues: ctx.issues, notes: ctx.notes };
}

interface Ctx {
  issues: ValidationIssue[];
  notes: string[];
  strictEnums: boolean;
  maxDepth: number;
  /** Unknown fields given suggestions so far. */
  suggested: number;
  /** Path of the first node left unchecked once MAX_ISSUES was reached. */
  cut: string | undefined;
}

const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function resolve(node: unknown, path: string, ctx: Ctx, depth: number): ResolvedNode | undefined {
  // too deep: already reported by resolveFilter; not descended into
  if (depth > ctx.maxDepth) return undefined;
  if (ctx.issues.length >= MAX_ISSUES) {
    ctx.cut ??= path;
    return undefined;
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    ctx.issues.push({
      path,
      code: 'invalid_node',
      message: 'Expected a group ({ and: [...] } or { or: [...] }) or a condition ({ field, op, value })',
    });
    return undefined;
  }
  const n = node as Record<string, unknown>;
  const keys = ['and', 'or', 'field'].filter((k) => Object.hasOwn(n, k));
  if (keys.length > 1) {
    ctx.issues.push({ path, code: 'invalid_node', message: `A node is one group or one condition; this one has ${keys.join(' and ')}` });
    return undefined;
  }
  if (keys[0] === 'and' || keys[0] === 'or') {
    const type = keys[0];
    const list = n[type];
    if (!Array.isArray(list)) {
      ctx.issues.push({ path: at(path, type), code: 'invalid_node', message: `${type} must be an array of nodes` });
      return undefined;
    }
    if (list.length === 0) {
      ctx.issues.push(emptyGroupIssue(at(path, type)));
      return undefined;
    }
    const children = list.map((child, i) => resolve(child, at(path, `${type}[${i}]`), ctx, depth + 1));
    return flatten(type, path, children.filter((c): c is ResolvedNode => c !== undefined));
  }
  return resolveCondition(n, path, ctx);
}

/** Same-type nesting adds nothing and a one-child group is its child: both go, so every form reads the same. */
function flatten(type: 'and' | 'or', path: string, children: ResolvedNode[]): ResolvedNode {
  const flat: ResolvedNode[] = [];
  for (const c of children) {
    if (c.t === type) flat.push(...(c as ResolvedGroup).children);
    else flat.push(c);
  }
  if (flat.length === 1 && flat[0] !== undefined) return flat[0];
  return { t: type, path, children: flat };
}

/** Keyed by caller input, so a Map: `constructor` or `__proto__` must find nothing. */
const OP_ALIASES: ReadonlyMap<string, FilterOp> = new Map(Object.entries({
  eq: 'equals', equal: 'equals', ne: 'notEquals', neq: 'notEquals', notequal: 'notEquals',
  gt: 'greaterThan', lt: 'lessThan', ge: 'gte', le: 'lte', greaterthanorequal: 'gte', lessthanorequal: 'lte',
  matches: 'equals', notexist: 'notExists', exist: 'exists',
} satisfies Record<string, FilterOp>));

/** Genesys metric names: t (time), n (count), o (observation) followed by a capital (`tTalk`, `nTransferred`). */
const METRIC_NAME = /^[tno][A-Z]/;

function resolveCondition(n: Record<string, unknown>, path: string, ctx: Ctx): ResolvedCondition | undefined {
  const before = ctx.issues.length;
  const rawField = n.field;
  const rawOp = n.op;
  let field: FilterField | undefined;
  if (typeof rawField !== 'string' || rawField.length === 0) {
    ctx.issues.push({ path: at(path, 'field'), code: 'invalid_field', message: `field must be a non-empty string, got ${quote(rawField)}` });
  } else if (rawField.length > MAX_FIELD_NAME_LENGTH) {
    ctx.issues.push({
      path: at(path, 'field'),
      code: 'too_long',
      message: `field ${quote(rawField)} is longer than ${MAX_FIELD_NAME_LENGTH} characters: no filter field is; see docs/filters.md for the catalog`,
    });
  } else {
    field = lookupField(rawField);
    if (!field) {
      const suggest = rawField.length <= MAX_SUGGEST_LENGTH && ctx.suggested < MAX_SUGGESTED;
      if (suggest) ctx.suggested++;
      const near = suggest ? suggestFields(rawField, 3) : [];
      ctx.issues.push({
        path: at(path, 'field'),
        code: 'unknown_field',
        // tTalk, nTransferred...: spelling suggestions would not help; say why metrics are not filterable instead.
        message: METRIC_NAME.test(rawField)
          ? `Unknown filter field ${quote(rawField)}: conversation metrics (tTalk, tHandle, nTransferred, ...) cannot be filtered ` +
            'on, since the detail record carries them only per session (docs/filters.md). For the length of a segment, ' +
            'use tSegmentDuration.'
          : `Unknown filter field ${quote(rawField)}.${near.length > 0 ? ` Did you mean ${near.map((s) => `"${s}"`).join(', ')}?` : ' See docs/filters.md for the catalog.'}`,
      });
    }
  }
  let op: FilterOp | undefined;
  if (typeof rawOp === 'string' && (FILTER_OPS as readonly string[]).includes(rawOp)) {
    op = rawOp as FilterOp;
  } else {
    const text = rawOp === undefined ? '(missing)' : quote(rawOp);
    // ops are at most 11 characters: a long string is no typo of one
    const guess = typeof rawOp === 'string' && rawOp.length <= 32 ? nearestOp(rawOp) : undefined;
    ctx.issues.push({
      path: at(path, 'op'),
      code: 'invalid_op',
      message: `Unknown op ${text}${guess ? ` (did you mean "${guess}"?)` : ''}; use one of ${FILTER_OPS.join(', ')}`,
    });
  }
  if (!field || !op) return undefined;

  const support = opSupport(field, op);
  if (support.kind === 'invalid') {
    ctx.issues.push({ path: at(path, 'op'), code: 'invalid_op', message: `${op} is not valid on ${field.name}: ${support.reason}` });
    return undefined;
  }
  const value = checkValue(field, op, n.value, at(path, 'value'), ctx);
  if (ctx.issues.length > before) return undefined;
  return value === undefined ? { t: 'cond', path, field, op } : { t: 'cond', path, field, op, value };
}

function nearestOp(raw: string): FilterOp | undefined {
  const lower = raw.toLowerCase().replace(/[_\s-]/g, '');
  const alias = OP_ALIASES.get(lower);
  if (alias) return alias;
  let best: FilterOp | undefined;
  let bestD = Infinity;
  for (const op of FILTER_OPS) {
    const d = editDistance(lower, op.toLowerCase());
    if (d < bestD) [best, bestD] = [op, d];
  }
  return bestD <= 3 ? best : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function isIsoDateTime(v: unknown): v is string {
  return typeof v === 'string' && ISO_DATETIME.test(v) && Number.isFinite(Date.parse(v));
}

const show = (v: unknown): string => quote(v);

function checkValue(field: FilterField, op: FilterOp, value: unknown, path: string, ctx: Ctx): FilterValue | undefined {
  if (op === 'exists' || op === 'notExists') {
    if (value !== undefined) ctx.issues.push({ path, code: 'invalid_value', message: `${op} takes no value; got ${show(value)}` });
    return undefined;
  }
  if (value === undefined) {
    ctx.issues.push({ path, code: 'invalid_value', message: `${op} on ${field.name} needs a value` });
    return undefined;
  }
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) {
      ctx.issues.push({ path, code: 'invalid_value', message: `in needs a non-empty array of values for ${field.name}; got ${show(value)}` });
      return undefined;
    }
    if (value.length > MAX_IN_VALUES) {
      ctx.issues.push({ path, code: 'too_long', message: `in takes at most ${MAX_IN_VALUES} values (each is a platform predicate); got ${value.length}: split the query` });
      return undefined;
    }
    const out: Array<string | number> = [];
    for (let i = 0; i < value.length && ctx.issues.length < MAX_ISSUES; i++) {
      const ok = checkScalar(field, value[i], `${path}[${i}]`, ctx);
      if (typeof ok === 'string' || typeof ok === 'number') out.push(ok);
    }
    return out;
  }
  if (Array.isArray(value)) {
    ctx.issues.push({ path, code: 'invalid_value', message: `${op} takes one value; use op "in" for a list` });
    return undefined;
  }
  if (op === 'contains') {
    if (typeof value !== 'string' || value.length === 0) {
      ctx.issues.push({ path, code: 'invalid_value', message: `contains needs a non-empty string; got ${show(value)}` });
      return undefined;
    }
    return tooLong(value, path, ctx) ? undefined : value;
  }
  return checkScalar(field, value, path, ctx);
}

function tooLong(v: string, path: string, ctx: Ctx): boolean {
  if (v.length <= MAX_FILTER_VALUE_LENGTH) return false;
  ctx.issues.push({ path, code: 'too_long', message: `value ${quote(v)} is longer than ${MAX_FILTER_VALUE_LENGTH} characters` });
  return true;
}

function checkScalar(field: FilterField, v: unknown, path: string, ctx: Ctx): string | number | boolean | undefined {
  if (typeof v === 'string' && tooLong(v, path, ctx)) return undefined;
  const fail = (expected: string): undefined => {
    ctx.issues.push({ path, code: 'invalid_value', message: `${field.name} expects ${expected}; got ${typeof v} ${show(v)}` });
    return undefined;
  };
  switch (field.type) {
    case 'number':
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      return fail(field.name === 'tSegmentDuration' ? 'a number (milliseconds)' : 'a finite number');
    case 'boolean':
      return typeof v === 'boolean' ? v : fail('a boolean');
    case 'uuid':
      return typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : fail('a uuid (e.g. 4fbd3bd2-6a3c-4c3e-9d8e-2f0a1b2c3d4e)');
    case 'datetime':
      return isIsoDateTime(v) ? v : fail('an ISO-8601 date-time with a zone (e.g. 2024-05-01T00:00:00Z)');
    case 'string':
      return typeof v === 'string' && v.length > 0 ? v : fail('a non-empty string');
    case 'enum': {
      if (typeof v !== 'string' || v.length === 0) return fail(`one of ${(field.values ?? []).join(', ')}`);
      // one rule for every enum: matched case-insensitively, sent as the platform spells it (FINISHED -> Finished)
      const canonical = canonicalEnumValue(field, v);
      if (canonical !== undefined) return canonical;
      if (!ctx.strictEnums) {
        ctx.notes.push(`${path}: ${quote(v)} is not among the known values of ${field.name}; sent as is`);
        return v;
      }
      ctx.issues.push({
        path,
        code: 'invalid_value',
        message: `${quote(v)} is not a ${field.name} value; use one of ${(field.values ?? []).join(', ')} (any casing)`,
      });
      return undefined;
    }
  }
}

export function conditionsOf(node: ResolvedNode): ResolvedCondition[] {
  return node.t === 'cond' ? [node] : node.children.flatMap(conditionsOf);
}

/** Back to the plain tree (normalised values), e.g. for the residual part of a compiled filter. */
export function toFilterNode(node: ResolvedNode): FilterNode {
  if (node.t === 'cond') {
    const c: FilterCondition = { field: qualifiedName(node.field), op: node.op };
    if (node.value !== undefined) c.value = Array.isArray(node.value) ? [...node.value] : node.value;
    return c;
  }
  const children = node.children.map(toFilterNode);
  return node.t === 'and' ? { and: children } : { or: children };
}

/** The name that resolves back to this exact field: bare when it is the default for that name. */
export function qualifiedName(field: FilterField): string {
  return lookupField(field.name) === field ? field.name : `${field.level}.${field.name}`;
}
