/**
 * Server-side evaluation of details-query filters. This is deliberately an independent implementation (it shares
 * nothing with the SDK's FilterBuilder): it is the ground truth the client compiler is tested against.
 *
 * Semantics (the platform documents the shapes, not all of the semantics; choices are marked):
 * - Filter arrays are ANDed; so are the arrays of different kinds (conversation, segment, evaluation).
 * - A filter is `type` and|or over its predicates and clauses; a clause is and|or over its predicates.
 * - Conversation filters test the conversation. Choice: a segment filter matches when ONE segment satisfies the whole
 *   filter (its dimensions read from the segment, then its session, then its participant); an evaluation filter
 *   matches when ONE evaluation satisfies the whole filter. Different filters may be met by different entities.
 * - `matches` compares as strings, case-sensitively (booleans as "true"/"false"; array fields match if any element
 *   does); with `range` (metrics, numeric dimensions) it compares numbers. `exists`/`notExists` test presence.
 * - Conversation metrics: `tConversationDuration` is end - start; any other is the sum of that metric over sessions.
 *   Segment metric `tSegmentDuration` is segmentEnd - segmentStart.
 */
import {
  CONVERSATION_DIMENSIONS,
  CONVERSATION_METRICS,
  EVALUATION_DIMENSIONS,
  EVALUATION_METRICS,
  SEGMENT_DIMENSIONS,
  SEGMENT_METRICS,
} from './dimensions';
import { badRequest, isRecord } from '../engine/http';
import type { SimAnalyticsConversation, SimAnalyticsEvaluation, SimParticipant, SimSegment, SimSession } from '../data/types';

type Kind = 'conversation' | 'segment' | 'evaluation';
/** Reads a dimension (or metric, when `metric` is true) from one entity. */
type Lookup = (name: string, metric: boolean) => unknown;
type Test = (lookup: Lookup) => boolean;

export interface CompiledFilters {
  readonly empty: boolean;
  matches(c: SimAnalyticsConversation): boolean;
}

const FIELD_OF: Record<string, string> = { divisionId: 'divisionIds', accessAttribute: 'accessAttributes' };
const VOCAB: Record<Kind, { dims: Set<string>; metrics: Set<string>; key: string }> = {
  conversation: { dims: CONVERSATION_DIMENSIONS, metrics: CONVERSATION_METRICS, key: 'conversationFilters' },
  segment: { dims: SEGMENT_DIMENSIONS, metrics: SEGMENT_METRICS, key: 'segmentFilters' },
  evaluation: { dims: EVALUATION_DIMENSIONS, metrics: EVALUATION_METRICS, key: 'evaluationFilters' },
};

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function equalsValue(v: unknown, want: string): boolean {
  if (Array.isArray(v)) return v.some((x) => equalsValue(x, want));
  if (typeof v === 'boolean') return String(v) === want.toLowerCase();
  if (typeof v === 'number') return asNumber(want) === v;
  return typeof v === 'string' && v === want;
}

interface Range { gt?: number; gte?: number; lt?: number; lte?: number }

function inRange(v: unknown, r: Range): boolean {
  const values = Array.isArray(v) ? v : [v];
  return values.some((x) => {
    const n = asNumber(x);
    if (n === undefined) return false;
    return (r.gt === undefined || n > r.gt) && (r.gte === undefined || n >= r.gte) && (r.lt === undefined || n < r.lt) && (r.lte === undefined || n <= r.lte);
  });
}

function compileRange(raw: unknown, at: string): Range {
  if (!isRecord(raw)) throw badRequest(`${at}.range must be an object with gt, gte, lt or lte.`, `${at}.range`);
  const r: Range = {};
  for (const k of ['gt', 'gte', 'lt', 'lte'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw badRequest(`${at}.range.${k} must be a number.`, `${at}.range.${k}`);
    r[k] = v;
  }
  if (Object.keys(r).length === 0) throw badRequest(`${at}.range needs at least one of gt, gte, lt, lte.`, `${at}.range`);
  return r;
}

function compilePredicate(kind: Kind, raw: unknown, at: string): Test {
  if (!isRecord(raw)) throw badRequest(`${at} must be an object.`, at);
  const { dims, metrics, key } = VOCAB[kind];
  const operator = raw.operator ?? 'matches';
  if (operator !== 'matches' && operator !== 'exists' && operator !== 'notExists') {
    throw badRequest(`${at}.operator '${String(operator)}' is not one of matches, exists, notExists.`, `${at}.operator`);
  }
  const type = raw.type;
  if (type !== undefined && type !== 'dimension' && type !== 'metric' && type !== 'property') {
    throw badRequest(`${at}.type '${String(type)}' is not one of dimension, metric, property.`, `${at}.type`);
  }
  const dimension = raw.dimension;
  const metric = raw.metric;
  const property = kind === 'segment' ? raw.property : undefined;
  const named = [dimension, metric, property].filter((x) => x !== undefined);
  if (named.length !== 1) throw badRequest(`${at} needs exactly one of dimension, metric${kind === 'segment' ? ', property' : ''}.`, at);
  let name: string;
  let isMetric = false;
  if (dimension !== undefined) {
    if (typeof dimension !== 'string' || !dims.has(dimension)) {
      throw badRequest(`'${String(dimension)}' is not a valid dimension for ${key}.`, `${at}.dimension`);
    }
    if (type === 'metric' || type === 'property') throw badRequest(`${at} has type '${type}' but names a dimension.`, `${at}.type`);
    name = dimension;
  } else if (metric !== undefined) {
    if (typeof metric !== 'string' || !metrics.has(metric)) throw badRequest(`'${String(metric)}' is not a valid metric for ${key}.`, `${at}.metric`);
    if (type === 'dimension' || type === 'property') throw badRequest(`${at} has type '${type}' but names a metric.`, `${at}.type`);
    name = metric;
    isMetric = true;
  } else {
    if (typeof property !== 'string' || property === '') throw badRequest(`${at}.property must be a non-empty string.`, `${at}.property`);
    // Segment custom properties are not generated: a property predicate never finds a value.
    name = `property:${property}`;
  }

  if (operator === 'exists') return (get) => present(get(name, isMetric));
  if (operator === 'notExists') return (get) => !present(get(name, isMetric));
  if (raw.range !== undefined) {
    const range = compileRange(raw.range, at);
    return (get) => inRange(get(name, isMetric), range);
  }
  if (typeof raw.value !== 'string') throw badRequest(`${at}.value is required (a string) for operator matches without range.`, `${at}.value`);
  const want = raw.value;
  return (get) => equalsValue(get(name, isMetric), want);
}

function combine(type: unknown, tests: Test[], at: string): Test {
  if (type !== 'and' && type !== 'or') throw badRequest(`${at}.type must be 'and' or 'or'.`, `${at}.type`);
  return type === 'and' ? (get) => tests.every((t) => t(get)) : (get) => tests.some((t) => t(get));
}

function compileFilter(kind: Kind, raw: unknown, at: string): Test {
  if (!isRecord(raw)) throw badRequest(`${at} must be an object.`, at);
  const tests: Test[] = [];
  if (raw.clauses !== undefined) {
    if (!Array.isArray(raw.clauses)) throw badRequest(`${at}.clauses must be an array.`, `${at}.clauses`);
    raw.clauses.forEach((c: unknown, i) => {
      const cat = `${at}.clauses[${i}]`;
      if (!isRecord(c)) throw badRequest(`${cat} must be an object.`, cat);
      if (!Array.isArray(c.predicates) || c.predicates.length === 0) throw badRequest(`${cat}.predicates must be a non-empty array.`, `${cat}.predicates`);
      const preds = c.predicates.map((p: unknown, j) => compilePredicate(kind, p, `${cat}.predicates[${j}]`));
      tests.push(combine(c.type, preds, cat));
    });
  }
  if (raw.predicates !== undefined) {
    if (!Array.isArray(raw.predicates)) throw badRequest(`${at}.predicates must be an array.`, `${at}.predicates`);
    raw.predicates.forEach((p: unknown, j) => tests.push(compilePredicate(kind, p, `${at}.predicates[${j}]`)));
  }
  if (tests.length === 0) throw badRequest(`${at} needs at least one predicate or clause.`, at);
  return combine(raw.type, tests, at);
}

function sumMetric(c: SimAnalyticsConversation, name: string): number | undefined {
  let total: number | undefined;
  for (const p of c.participants) for (const s of p.sessions) for (const m of s.metrics ?? []) if (m.name === name) total = (total ?? 0) + m.value;
  return total;
}

function conversationLookup(c: SimAnalyticsConversation): Lookup {
  const rec = c as unknown as Record<string, unknown>;
  return (name, metric) => {
    if (metric) return name === 'tConversationDuration' ? Date.parse(c.conversationEnd) - Date.parse(c.conversationStart) : sumMetric(c, name);
    return rec[FIELD_OF[name] ?? name];
  };
}

function segmentLookup(p: SimParticipant, s: SimSession, seg: SimSegment): Lookup {
  const layers = [seg, s, p] as unknown as Record<string, unknown>[];
  return (name, metric) => {
    if (metric) return name === 'tSegmentDuration' ? Date.parse(seg.segmentEnd) - Date.parse(seg.segmentStart) : undefined;
    for (const layer of layers) {
      // Array-valued fields are named in the plural (wrapUpTag -> wrapUpTags, sipResponseCode -> sipResponseCodes).
      const v = layer[name] ?? layer[`${name}s`];
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

function evaluationLookup(e: SimAnalyticsEvaluation): Lookup {
  const rec = e as unknown as Record<string, unknown>;
  return (name) => rec[name];
}

function* segments(c: SimAnalyticsConversation): Generator<Lookup> {
  for (const p of c.participants) for (const s of p.sessions) for (const seg of s.segments) yield segmentLookup(p, s, seg);
}

/** Validates and compiles the filters of a ConversationQuery / AsyncConversationQuery body (400 on any problem). */
export function compileFilters(body: Record<string, unknown>): CompiledFilters {
  const byKind: Record<Kind, Test[]> = { conversation: [], segment: [], evaluation: [] };
  for (const kind of ['conversation', 'segment', 'evaluation'] as const) {
    const key = VOCAB[kind].key;
    const raw = body[key];
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) throw badRequest(`${key} must be an array.`, key);
    raw.forEach((f: unknown, i) => byKind[kind].push(compileFilter(kind, f, `${key}[${i}]`)));
  }
  for (const key of ['surveyFilters', 'resolutionFilters']) {
    // Accepted by the platform; the simulator has no surveys or resolutions, so any such filter matches nothing.
    if (Array.isArray(body[key]) && (body[key] as unknown[]).length > 0) byKind.conversation.push(() => false);
  }
  const empty = byKind.conversation.length + byKind.segment.length + byKind.evaluation.length === 0;
  return {
    empty,
    matches(c) {
      if (empty) return true;
      const conv = conversationLookup(c);
      if (!byKind.conversation.every((t) => t(conv))) return false;
      for (const t of byKind.segment) {
        let hit = false;
        for (const seg of segments(c)) if (t(seg)) { hit = true; break; }
        if (!hit) return false;
      }
      for (const t of byKind.evaluation) if (!(c.evaluations ?? []).some((e) => t(evaluationLookup(e)))) return false;
      return true;
    },
  };
}
