/**
 * Evaluates a filter tree against one analytics conversation, with the meaning the compiler assumes for the
 * platform. Used for the client-side residual of a compiled filter and as the reference in tests.
 *
 * Semantics, per condition:
 * - Each level has *items*: the conversation itself; every segment (participants[].sessions[].segments[]);
 *   every evaluation (evaluations[]); every survey (surveys[]). A condition holds when **some item of its level
 *   satisfies it**, independently of the other conditions (two segment conditions may be met by two segments).
 * - A segment item sees its own fields and those of its session and participant (the platform files all of
 *   them as segment dimensions): participant: purpose, userId, teamId, participantName, externalContactId...;
 *   session: mediaType, direction, ani, dnis, recording, requestedRoutings[]...; session flow: flowId,
 *   flowName, outcomes[]...; segment: segmentType, queueId, wrapUpCode, disconnectType, segmentEnd...
 *   (`FilterField.source` gives each path). A session without segments contributes no item.
 * - `tSegmentDuration` is segmentEnd - segmentStart in milliseconds (absent while a segment is open).
 * - Array-valued fields (divisionIds, callbackNumbers, requestedRoutingSkillIds, sipResponseCodes...) give one
 *   candidate value per element. `exists` = the item has at least one value; `notExists` = it has none; every
 *   other op needs a present value that satisfies it, so `notEquals` and `contains` are false on a missing value.
 * - uuids and enum values compare case-insensitively; `contains` is case-insensitive; datetimes compare as instants.
 */
import { ValidationError, type ValidationIssue } from '../errors';
import { DEFAULT_MAX_FILTER_DEPTH, MAX_FILTER_DEPTH_LIMIT } from './depth';
import { checkBooleanOption, checkIntegerOption, checkOptionsObject, isPlainObject, kindOf, quote, throwIfIssues } from '../helpers/input-guard';
import type { FilterNode } from './ast';
import type { FieldLevel, FilterField } from './catalog';
import type { ResidualFilter } from './compile';
import { conditionsOf, resolveFilter, type ResolvedCondition, type ResolvedNode } from './validate';

/** The parts of `AnalyticsConversation` the evaluator reads; the SDK's model and our schemas both fit it. */
export interface AnalyticsConversationLike {
  conversationId?: string;
  conversationStart?: string;
  conversationEnd?: string;
  conversationInitiator?: string;
  customerParticipation?: boolean;
  divisionIds?: readonly string[];
  accessAttributes?: readonly string[];
  externalTag?: string;
  mediaStatsMinConversationMos?: number;
  originatingDirection?: string;
  originatingSocialMediaPublic?: boolean;
  participants?: readonly AnalyticsParticipantLike[];
  evaluations?: readonly object[];
  surveys?: readonly object[];
}
export interface AnalyticsParticipantLike {
  purpose?: string;
  userId?: string;
  sessions?: readonly AnalyticsSessionLike[];
}
export interface AnalyticsSessionLike {
  mediaType?: string;
  direction?: string;
  segments?: readonly AnalyticsSegmentLike[];
}
export interface AnalyticsSegmentLike {
  segmentType?: string;
  segmentStart?: string;
  segmentEnd?: string;
  queueId?: string;
  wrapUpCode?: string;
}

export interface EvaluateOptions {
  /** Refuse enum values outside the catalog's list (default true). */
  strictEnums?: boolean;
  /** Nesting limit, as for `compileFilter` (default 4, at most 64). */
  maxDepth?: number;
}

function checkEvaluateOptions(options: unknown): EvaluateOptions {
  const issues: ValidationIssue[] = [];
  const o = checkOptionsObject(options, ['strictEnums', 'maxDepth'], issues);
  if (o) {
    checkBooleanOption(o.strictEnums, 'strictEnums', issues);
    checkIntegerOption(o.maxDepth, 1, MAX_FILTER_DEPTH_LIMIT, 'maxDepth', issues);
  }
  throwIfIssues('filter evaluation options', issues);
  return (o ?? {}) as EvaluateOptions;
}

function checkConversation(conversation: unknown): void {
  if (isPlainObject(conversation)) return;
  throw new ValidationError('filter evaluation input', [
    { path: 'conversation', code: 'invalid_type', message: `expected an analytics conversation object, got ${kindOf(conversation)} ${quote(conversation)}` },
  ]);
}

export type FilterMatcher = (conversation: AnalyticsConversationLike) => boolean;

/** Validates `tree` once and returns a fast predicate; throws `ValidationError` listing every problem. */
export function createFilterMatcher(tree: FilterNode, options: EvaluateOptions = {}): FilterMatcher {
  const opts = checkEvaluateOptions(options);
  const resolved = resolveFilter(tree, { strictEnums: opts.strictEnums ?? true, maxDepth: opts.maxDepth ?? DEFAULT_MAX_FILTER_DEPTH });
  if (!resolved.node) throw new ValidationError('filter', resolved.issues);
  const root = resolved.node;
  for (const c of conditionsOf(root)) {
    if (!c.field.source) {
      throw new ValidationError('filter', [
        { path: c.path, code: 'not_evaluable', message: `${c.field.name} is not on the analytics conversation record, so it cannot be checked client-side` },
      ]);
    }
  }
  return (conversation) => {
    checkConversation(conversation);
    return evalNode(root, itemsOf(conversation));
  };
}

export function evaluateFilter(tree: FilterNode, conversation: AnalyticsConversationLike, options?: EvaluateOptions): boolean {
  const matcher = createFilterMatcher(tree, options);
  return matcher(conversation);
}

const residualMatchers = new WeakMap<ResidualFilter, FilterMatcher>();

/** The client-side half of a compiled filter; `undefined` (nothing left over) matches everything. */
export function applyResidual(residual: ResidualFilter | undefined, conversation: AnalyticsConversationLike): boolean {
  if (residual === undefined) return true;
  if (!isPlainObject(residual) || !isPlainObject(residual.filter)) {
    throw new ValidationError('applyResidual input', [
      { path: 'residual', code: 'invalid_type', message: `expected the residual of a compiled filter ({ filter, paths }) or undefined, got ${kindOf(residual)} ${quote(residual)}` },
    ]);
  }
  let m = residualMatchers.get(residual);
  if (!m) {
    // the compiler already applied the caller's enum policy and depth limit
    m = createFilterMatcher(residual.filter, { strictEnums: false, maxDepth: MAX_FILTER_DEPTH_LIMIT });
    residualMatchers.set(residual, m);
  }
  return m(conversation);
}

type Obj = Record<string, unknown>;
interface SegmentItem {
  p: Obj;
  s: Obj;
  g: Obj;
}
interface Items {
  conversation: Obj;
  segments: SegmentItem[];
  evaluations: Obj[];
  surveys: Obj[];
}

const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => typeof x === 'object' && x !== null) : []);

function itemsOf(conv: AnalyticsConversationLike): Items {
  const c = conv as unknown as Obj;
  const segments: SegmentItem[] = [];
  for (const p of objects(c.participants))
    for (const s of objects(p.sessions)) for (const g of objects(s.segments)) segments.push({ p, s, g });
  return { conversation: c, segments, evaluations: objects(c.evaluations), surveys: objects(c.surveys) };
}

function evalNode(node: ResolvedNode, items: Items): boolean {
  if (node.t !== 'cond') {
    return node.t === 'and' ? node.children.every((c) => evalNode(c, items)) : node.children.some((c) => evalNode(c, items));
  }
  const read = reader(node.field);
  const test = (values: unknown[]): boolean => holds(node, values);
  switch (node.field.level) {
    case 'conversation':
      return test(read(items.conversation));
    case 'segment':
      return items.segments.some((it) => test(read(it)));
    case 'evaluation':
      return items.evaluations.some((it) => test(read(it)));
    case 'survey':
      return items.surveys.some((it) => test(read(it)));
  }
}

type Reader = (item: Obj | SegmentItem) => unknown[];
const readers = new Map<FilterField, Reader>();

const PREFIX: Record<FieldLevel, Array<[prefix: string, pick: (item: never) => unknown]>> = {
  conversation: [['', (c: Obj) => c]],
  segment: [
    ['participants[].sessions[].segments[].', (i: SegmentItem) => i.g],
    ['participants[].sessions[].', (i: SegmentItem) => i.s],
    ['participants[].', (i: SegmentItem) => i.p],
  ],
  evaluation: [['evaluations[].', (e: Obj) => e]],
  survey: [['surveys[].', (s: Obj) => s]],
};

/** Present values of `field` on one item (null/undefined dropped, arrays spread). */
function reader(field: FilterField): Reader {
  const cached = readers.get(field);
  if (cached) return cached;
  let r: Reader;
  if (field.level === 'segment' && field.name === 'tSegmentDuration') {
    r = (item) => {
      const g = (item as SegmentItem).g;
      const start = typeof g.segmentStart === 'string' ? Date.parse(g.segmentStart) : NaN;
      const end = typeof g.segmentEnd === 'string' ? Date.parse(g.segmentEnd) : NaN;
      return Number.isFinite(start) && Number.isFinite(end) ? [end - start] : [];
    };
  } else {
    const source = field.source ?? '';
    const [prefix, pick] = PREFIX[field.level].find(([p]) => source.startsWith(p)) ?? ['', (x: unknown) => x];
    const steps = source.slice(prefix.length).split('.').map((part) => ({ key: part.replace(/\[\]$/, ''), spread: part.endsWith('[]') }));
    r = (item) => {
      let values: unknown[] = [(pick as (i: unknown) => unknown)(item)];
      for (const { key, spread } of steps) {
        values = values.flatMap((v) => {
          if (typeof v !== 'object' || v === null) return [];
          const x = (v as Obj)[key];
          return spread ? (Array.isArray(x) ? x : []) : [x];
        });
      }
      return values.filter((v) => v !== undefined && v !== null);
    };
  }
  readers.set(field, r);
  return r;
}

function holds(c: ResolvedCondition, values: unknown[]): boolean {
  if (c.op === 'exists') return values.length > 0;
  if (c.op === 'notExists') return values.length === 0;
  return values.some((v) => holdsOne(c, v));
}

function holdsOne(c: ResolvedCondition, raw: unknown): boolean {
  const v = normalise(c.field, raw);
  if (v === undefined) return false;
  const want = c.value;
  switch (c.op) {
    case 'equals':
      return want !== undefined && !Array.isArray(want) && v === normalise(c.field, want);
    case 'notEquals':
      return want !== undefined && !Array.isArray(want) && v !== normalise(c.field, want);
    case 'in':
      return Array.isArray(want) && want.some((w) => v === normalise(c.field, w));
    case 'contains':
      return typeof v === 'string' && typeof want === 'string' && v.toLowerCase().includes(want.toLowerCase());
    default: {
      const bound = normalise(c.field, want);
      if (typeof v !== 'number' || typeof bound !== 'number') return false;
      if (c.op === 'greaterThan') return v > bound;
      if (c.op === 'lessThan') return v < bound;
      if (c.op === 'gte') return v >= bound;
      return v <= bound;
    }
  }
}

/** A comparable form, tolerant of the drift the platform's JSON shows (numbers as strings and the like). */
function normalise(field: FilterField, v: unknown): string | number | boolean | undefined {
  switch (field.type) {
    case 'number':
      if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return undefined;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      return v === 'true' ? true : v === 'false' ? false : undefined;
    case 'datetime': {
      const ms = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
      return Number.isFinite(ms) ? ms : undefined;
    }
    case 'uuid':
    case 'enum':
      // enum values are matched case-insensitively (the Quality API says FINISHED where analytics says Finished)
      return typeof v === 'string' ? v.toLowerCase() : undefined;
    default:
      return typeof v === 'string' ? v : undefined;
  }
}
