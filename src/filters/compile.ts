/**
 * Compiles a filter tree into the details query's real filter lists, plus a client-side residual for what the
 * platform cannot express. Invariant: for every conversation,
 *   platform-match(compiled) && applyResidual(compiled.residual) === evaluateFilter(tree)
 * so the platform returns a superset and the residual trims it; nothing is dropped silently.
 *
 * Model of the platform this relies on (docs/platform-notes.md section c): each level has its own filter list and the
 * lists (and the filters in one list) are ANDed; a filter is `type` over predicates and over clauses, two levels
 * at most; a conversation matches a segment/evaluation/survey filter when some item of that level satisfies the
 * whole filter. Our conditions are independent per item (evaluate.ts), so at those levels a filter must
 * never AND predicates (that would ask one segment to satisfy both): each level's part is put in conjunctive
 * normal form and every clause becomes its own `or` filter. The conversation level has one item, so its clauses
 * share one `and` filter.
 *
 * Split of the work: the root `and` is cut into parts. A part the platform can express (server ops only, and any
 * `or` within one level) goes server-side. Any other part goes to the residual whole, and the server still gets
 * what that part implies where it can be said (an `or` keeps a constraint only if every branch keeps one, on a
 * single level; a client-only condition implies nothing).
 */
import { ValidationError, type ValidationIssue } from '../errors';
import type { FilterNode } from './ast';
import type { FieldLevel } from './catalog';
import { DEFAULT_MAX_FILTER_DEPTH, MAX_FILTER_DEPTH_LIMIT } from './depth';
import { checkBooleanOption, checkEnumOption, checkIntegerOption, checkOptionsObject, throwIfIssues } from '../helpers/input-guard';
import {
  conditionsOf,
  opSupport,
  resolveFilter,
  toFilterNode,
  type ResolvedCondition,
  type ResolvedNode,
} from './validate';

export interface DetailQueryRange {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}
export interface DetailQueryPredicate {
  type?: 'dimension' | 'metric';
  dimension?: string;
  metric?: string;
  operator?: 'matches' | 'exists' | 'notExists';
  value?: string;
  range?: DetailQueryRange;
}
export interface DetailQueryClause {
  type: 'and' | 'or';
  predicates: DetailQueryPredicate[];
}
export interface DetailQueryFilter {
  type: 'and' | 'or';
  clauses?: DetailQueryClause[];
  predicates?: DetailQueryPredicate[];
}

export interface ResidualFilter {
  /** The parts of the input the platform cannot express, ANDed; `applyResidual` checks it on a conversation. */
  filter: FilterNode;
  /** Where those parts are in the input tree. */
  paths: string[];
}

export interface CompiledFilter {
  conversationFilters?: DetailQueryFilter[];
  segmentFilters?: DetailQueryFilter[];
  evaluationFilters?: DetailQueryFilter[];
  surveyFilters?: DetailQueryFilter[];
  residual?: ResidualFilter;
  /** One line per decision a reader should know about: what runs client-side and why. */
  notes: string[];
}

export interface CompileFilterOptions {
  /** What to do with what the platform cannot express: apply it client-side (default) or refuse the filter. */
  residual?: 'client' | 'error';
  /** Nesting limit on the input tree (see depth.ts). Default 4. */
  maxDepth?: number;
  /** Most clauses one part may distribute into before it is treated as inexpressible. Default 16. */
  maxClauses?: number;
  /** Refuse enum values outside the catalog (default true); `false` sends them as is, with a note. */
  strictEnums?: boolean;
}

const LEVEL_KEY = {
  conversation: 'conversationFilters',
  segment: 'segmentFilters',
  evaluation: 'evaluationFilters',
  survey: 'surveyFilters',
} as const satisfies Record<FieldLevel, keyof CompiledFilter>;

type Clause = ResolvedCondition[];
/** Conjunctive normal form: an and of clauses, each an or of conditions. `[]` is true. */
type Cnf = Clause[];

interface Blocker {
  path: string;
  message: string;
}

/** How the root's parts were split between the platform and the client. */
interface Plan {
  server: Record<FieldLevel, Cnf>;
  serverParts: ResolvedNode[];
  residualParts: ResolvedNode[];
  blockers: Blocker[];
  notes: string[];
}

/** Largest `maxClauses`: the CNF product is bounded by 16x this (see toCnf), and simplification is quadratic. */
export const MAX_CLAUSES_LIMIT = 256;

const COMPILE_OPTION_KEYS = ['residual', 'maxDepth', 'maxClauses', 'strictEnums'] as const;

/** Throws a ValidationError naming each bad option (unknown keys too) before anything is compiled. */
export function checkCompileOptions(options: unknown, where = 'compileFilter options'): CompileFilterOptions {
  const issues: ValidationIssue[] = [];
  const o = checkOptionsObject(options, COMPILE_OPTION_KEYS, issues);
  if (o) {
    checkEnumOption(o.residual, ['client', 'error'], 'residual', issues);
    checkIntegerOption(o.maxDepth, 1, MAX_FILTER_DEPTH_LIMIT, 'maxDepth', issues);
    checkIntegerOption(o.maxClauses, 1, MAX_CLAUSES_LIMIT, 'maxClauses', issues);
    checkBooleanOption(o.strictEnums, 'strictEnums', issues);
  }
  throwIfIssues(where, issues);
  return (o ?? {}) as CompileFilterOptions;
}

export function compileFilter(tree: FilterNode, options: CompileFilterOptions = {}): CompiledFilter {
  const opts = checkCompileOptions(options);
  const root = validate(tree, opts);
  const plan = split(root, opts.maxClauses ?? 16);
  if (plan.residualParts.length > 0) checkResidual(plan, opts);
  return emit(plan);
}

function validate(tree: FilterNode, options: CompileFilterOptions): { node: ResolvedNode; notes: string[] } {
  const resolved = resolveFilter(tree, { strictEnums: options.strictEnums ?? true, maxDepth: options.maxDepth ?? DEFAULT_MAX_FILTER_DEPTH });
  if (resolved.issues.length > 0 || !resolved.node) throw new ValidationError('filter', resolved.issues);
  return { node: resolved.node, notes: resolved.notes };
}

function split(root: { node: ResolvedNode; notes: string[] }, maxClauses: number): Plan {
  const plan: Plan = {
    server: { conversation: [], segment: [], evaluation: [], survey: [] },
    serverParts: [],
    residualParts: [],
    blockers: [],
    notes: [...root.notes],
  };
  const parts = root.node.t === 'and' ? root.node.children : [root.node];
  for (const part of parts) {
    const why = blockersOf(part);
    const cnf = why.length === 0 ? toCnf(part, maxClauses) : undefined;
    if (cnf) {
      const level = singleLevel(part);
      if (level) plan.server[level].push(...cnf);
      plan.serverParts.push(part);
      continue;
    }
    if (why.length === 0) {
      why.push({
        path: part.path,
        message: `this ${part.t} distributes into more than ${maxClauses} platform clauses (maxClauses); write it flatter`,
      });
    }
    plan.blockers.push(...why);
    plan.residualParts.push(part);
    const relaxed = relax(part);
    const relaxedCnf = relaxed && toCnf(relaxed, maxClauses);
    const relaxedLevel = relaxed && singleLevel(relaxed);
    const kept = relaxedCnf && relaxedLevel && relaxedCnf.length > 0;
    if (kept) plan.server[relaxedLevel].push(...relaxedCnf);
    for (const b of why) plan.notes.push(`${label(b.path)}: runs client-side on result conversations: ${b.message}.`);
    plan.notes.push(
      kept
        ? `${label(part.path)}: the server query keeps only what this part implies; the rest is checked client-side.`
        : `${label(part.path)}: the server query gets no constraint from this part; it is checked client-side.`,
    );
  }
  return plan;
}

function checkResidual(plan: Plan, options: CompileFilterOptions): void {
  if (options.residual === 'error') {
    throw new ValidationError(
      'filter',
      plan.blockers.map((b) => ({ path: b.path, code: 'not_expressible', message: `The platform cannot express this: ${b.message}` })),
      "Pass residual: 'client' to apply these parts to result conversations client-side.",
    );
  }
  const unreadable = plan.residualParts.flatMap(conditionsOf).filter((c) => !c.field.source);
  if (unreadable.length > 0) {
    throw new ValidationError(
      'filter',
      unreadable.map((c) => ({
        path: c.path,
        code: 'not_evaluable',
        message: `${c.field.name} would have to be checked client-side, but it is not on the analytics conversation record`,
      })),
    );
  }
}

function emit(plan: Plan): CompiledFilter {
  const out: Omit<CompiledFilter, 'notes'> = {};
  const notes = [...plan.notes];
  const sent = new Set<string>();
  for (const level of Object.keys(plan.server) as FieldLevel[]) {
    const cnf = simplify(plan.server[level]);
    for (const clause of cnf) for (const c of clause) sent.add(atomKey(c));
    if (cnf.length === 0) continue;
    out[LEVEL_KEY[level]] = level === 'conversation' ? [conversationFilter(cnf)] : cnf.map(itemFilter);
  }
  // absorption can make a condition vanish (x and (x or y) is x); say so rather than drop it quietly
  for (const c of plan.serverParts.flatMap(conditionsOf)) {
    if (!sent.has(atomKey(c))) notes.push(`${label(c.path)}: not sent: redundant given the rest of the filter.`);
  }
  if (plan.residualParts.length > 0) {
    const nodes = plan.residualParts.map(toFilterNode);
    out.residual = {
      filter: nodes.length === 1 && nodes[0] !== undefined ? nodes[0] : { and: nodes },
      paths: plan.residualParts.map((p) => p.path),
    };
  }
  return { ...out, notes };
}

const label = (path: string): string => path || '(root)';

function levelsOf(node: ResolvedNode): Set<FieldLevel> {
  return new Set(conditionsOf(node).map((c) => c.field.level));
}

function singleLevel(node: ResolvedNode): FieldLevel | undefined {
  const levels = [...levelsOf(node)];
  return levels.length === 1 ? levels[0] : undefined;
}

/** Why `node` cannot go to the platform as it is; empty when it can. */
function blockersOf(node: ResolvedNode): Blocker[] {
  if (node.t === 'cond') {
    const s = opSupport(node.field, node.op);
    return s.kind === 'server' ? [] : [{ path: node.path, message: `${node.op} on ${node.field.level} ${node.field.kind} ${node.field.name}: ${s.reason}` }];
  }
  const inner = node.children.flatMap(blockersOf);
  if (node.t === 'or') {
    const levels = [...levelsOf(node)];
    if (levels.length > 1) {
      inner.push({
        path: node.path,
        message: `an or across levels (${levels.join(', ')}) cannot be sent: the platform ANDs the filter lists of different levels`,
      });
    }
  }
  return inner;
}

/** The strongest platform-expressible condition `node` implies, or undefined for "none" (true). */
function relax(node: ResolvedNode): ResolvedNode | undefined {
  if (node.t === 'cond') return opSupport(node.field, node.op).kind === 'server' ? node : undefined;
  const kids = node.children.map(relax);
  if (node.t === 'and') {
    const kept = kids.filter((k): k is ResolvedNode => k !== undefined);
    if (kept.length === 0) return undefined;
    return kept.length === 1 ? kept[0] : { t: 'and', path: node.path, children: kept };
  }
  if (kids.some((k) => k === undefined)) return undefined;
  const or: ResolvedNode = { t: 'or', path: node.path, children: kids as ResolvedNode[] };
  return levelsOf(or).size === 1 ? or : undefined;
}

/** Distributes or over and; undefined once it would exceed `max` clauses (checked as it grows, not after). */
function toCnf(node: ResolvedNode, max: number): Cnf | undefined {
  if (node.t === 'cond') return [[node]];
  const parts: Cnf[] = [];
  for (const child of node.children) {
    const c = toCnf(child, max);
    if (!c) return undefined;
    parts.push(c);
  }
  if (node.t === 'and') {
    const all = simplify(parts.flat());
    return all.length > max ? undefined : all;
  }
  let acc: Cnf = [[]];
  for (const p of parts) {
    if (p.length === 0) return [];
    // the raw product may shrink a lot once absorbed, but bound the work it takes to find out
    if (acc.length * p.length > Math.max(256, max * 16)) return undefined;
    const next: Cnf = [];
    for (const a of acc) for (const b of p) next.push(dedupeAtoms([...a, ...b]));
    acc = simplify(next);
    if (acc.length > max) return undefined;
  }
  return acc;
}

const atomKey = (c: ResolvedCondition): string =>
  `${c.field.level}.${c.field.name}|${c.op}|${JSON.stringify(c.value ?? null)}`;

function dedupeAtoms(clause: Clause): Clause {
  const seen = new Set<string>();
  return clause.filter((c) => {
    const k = atomKey(c);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Drops repeated clauses and absorbed ones: a clause that contains every condition of another clause adds
 * nothing (x and (x or y) is x). Keeps first-appearance order.
 */
function simplify(cnf: Cnf): Cnf {
  const keyed = cnf.map((clause) => ({ clause, keys: new Set(clause.map(atomKey)) }));
  return keyed
    .filter(({ keys }, i) =>
      !keyed.some((other, j) => {
        if (j === i || other.keys.size > keys.size) return false;
        for (const k of other.keys) if (!keys.has(k)) return false;
        // equal clauses: keep the first
        return other.keys.size < keys.size || j < i;
      }),
    )
    .map(({ clause }) => clause);
}

function predicates(c: ResolvedCondition): DetailQueryPredicate[] {
  const { field, op, value } = c;
  if (field.kind === 'metric') {
    const metric = (range: DetailQueryRange): DetailQueryPredicate => ({ type: 'metric', metric: field.name, range });
    switch (op) {
      case 'exists':
      case 'notExists':
        return [{ type: 'metric', metric: field.name, operator: op }];
      case 'equals':
        return [metric({ gte: value as number, lte: value as number })];
      case 'in':
        return (value as number[]).map((v) => metric({ gte: v, lte: v }));
      case 'greaterThan':
        return [metric({ gt: value as number })];
      case 'lessThan':
        return [metric({ lt: value as number })];
      case 'gte':
        return [metric({ gte: value as number })];
      case 'lte':
        return [metric({ lte: value as number })];
      default:
        throw new Error(`unreachable: ${op} on metric ${field.name} reached the server side`);
    }
  }
  const dim = (v: string | number | boolean): DetailQueryPredicate => ({
    type: 'dimension',
    dimension: field.name,
    operator: 'matches',
    value: String(v),
  });
  switch (op) {
    case 'exists':
    case 'notExists':
      return [{ type: 'dimension', dimension: field.name, operator: op }];
    case 'equals':
      return [dim(value as string | number | boolean)];
    case 'in':
      return (value as Array<string | number>).map(dim);
    default:
      throw new Error(`unreachable: ${op} on dimension ${field.name} reached the server side`);
  }
}

/** One item-level clause = one filter: an `or` may be met by different items, an `and` never is. */
function itemFilter(clause: Clause): DetailQueryFilter {
  const preds = clause.flatMap(predicates);
  return { type: preds.length === 1 ? 'and' : 'or', predicates: preds };
}

function conversationFilter(cnf: Cnf): DetailQueryFilter {
  const units: DetailQueryPredicate[] = [];
  const clauses: DetailQueryClause[] = [];
  for (const clause of cnf) {
    const preds = clause.flatMap(predicates);
    const only = preds.length === 1 ? preds[0] : undefined;
    if (only) units.push(only);
    else clauses.push({ type: 'or', predicates: preds });
  }
  const firstClause = clauses[0];
  if (units.length === 0 && clauses.length === 1 && firstClause) return { type: 'or', predicates: firstClause.predicates };
  return { type: 'and', ...(units.length > 0 ? { predicates: units } : {}), ...(clauses.length > 0 ? { clauses } : {}) };
}
