/**
 * Evaluation search (`POST /api/v2/quality/evaluations/search`, body `EvaluationSearchRequestDTO`).
 * Criteria `{type, field, value|values|startValue|endValue, operator}` are ANDed; operator NOT negates one.
 * Supported: DATE_RANGE on conversationDate/createdDate/submittedDate/releaseDate (half-open [start, end): choice),
 * EXACT on id/status/media fields, RANGE, GREATER_THAN(_EQUAL_TO) and LESS_THAN(_EQUAL_TO) on totalScore/totalCriticalScore, REQUIRED_FIELDS.
 * At least one non-negated DATE_RANGE is required and none may span more than 3 calendar months (400), as documented.
 * Field names outside the platform's list are a 400; platform fields the simulator does not model are a 400 that
 * says so, never a silent mismatch.
 */
import { EVALUATION_SLOTS, MAX_CONVERSATION_MS, MAX_EVALUATION_LAG_MS, QUALITY_STATUS, mediaTypesOf, type ConversationCore, type Dataset, type EvaluationCore } from '../data/dataset';
import { badRequest, isRecord } from '../engine/http';
import { parseDateTime } from './interval';
import { QUALITY_MEDIA_TYPE } from '../data/quality';

export const SEARCH_DEFAULT_PAGE_SIZE = 25;
export const SEARCH_MAX_PAGE_SIZE = 100;

const TYPES = new Set(['EXACT', 'DATE_RANGE', 'GREATER_THAN', 'GREATER_THAN_EQUAL_TO', 'LESS_THAN', 'LESS_THAN_EQUAL_TO', 'RANGE', 'REQUIRED_FIELDS']);
const FIELDS = new Set([
  'evaluationId', 'conversationId', 'contextId', 'formId', 'evaluationStatus', 'queueId', 'agentTeamId', 'divisionId', 'agentId',
  'evaluatorId', 'assigneeId', 'totalScore', 'totalCriticalScore', 'conversationDate', 'createdDate', 'submittedDate', 'releaseDate',
  'released', 'mediaType', 'questionGroupId', 'questionGroupMarkedNA', 'questionGroupScore', 'criticalQuestionGroupScore',
  'questionGroupScorePercentage', 'criticalQuestionGroupScorePercentage', 'questionId', 'questionAnswerId', 'questionScore',
  'questionMarkedNA', 'failedKillQuestion',
]);
const DATE_FIELDS = new Set(['conversationDate', 'createdDate', 'submittedDate', 'releaseDate']);
const NUMBER_FIELDS = new Set(['totalScore', 'totalCriticalScore']);
const CASE_INSENSITIVE = new Set(['evaluationStatus', 'mediaType']);

export interface EvalDoc {
  c: ConversationCore;
  e: EvaluationCore;
}

type Value = string | number | boolean | undefined | (string | undefined)[];

/** A field's value(s) on one evaluation. */
function fieldOf(ds: Dataset, { c, e }: EvalDoc, field: string): Value {
  switch (field) {
    case 'evaluationId': return e.id;
    case 'conversationId': return c.id;
    case 'contextId': return ds.forms[e.formIndex]?.contextId;
    case 'formId': return ds.formOf(e).id;
    case 'evaluationStatus': return QUALITY_STATUS[e.status];
    case 'queueId': return ds.pools.queues[c.queueIndex]?.id;
    case 'divisionId': return ds.pools.division.id;
    case 'agentId': return ds.pools.agents[c.agentIndex]?.id;
    case 'evaluatorId': return ds.pools.evaluators[e.evaluatorIndex]?.id;
    case 'mediaType': return mediaTypesOf(c).map((m) => QUALITY_MEDIA_TYPE[m]);
    case 'released': return e.released !== undefined;
    case 'conversationDate': return c.start;
    case 'createdDate': return e.created;
    case 'submittedDate': return e.submitted;
    case 'releaseDate': return e.released;
    case 'totalScore': return ds.scores(e)?.totalScore;
    case 'totalCriticalScore': return ds.scores(e)?.totalCriticalScore;
    case 'failedKillQuestion': return ds.scores(e)?.anyFailedKillQuestions;
    case 'questionGroupId': return ds.scores(e)?.questionGroupScores.map((g) => g.questionGroupId);
    case 'questionId': return ds.scores(e)?.questionGroupScores.flatMap((g) => g.questionScores.map((q) => q.questionId));
    case 'questionAnswerId': return ds.scores(e)?.questionGroupScores.flatMap((g) => g.questionScores.map((q) => q.answerId));
    default: return undefined;
  }
}

const MODELLED = new Set(['evaluationId', 'conversationId', 'contextId', 'formId', 'evaluationStatus', 'queueId', 'divisionId', 'agentId', 'evaluatorId', 'mediaType', 'released', 'conversationDate', 'createdDate', 'submittedDate', 'releaseDate', 'totalScore', 'totalCriticalScore', 'failedKillQuestion', 'questionGroupId', 'questionId', 'questionAnswerId', 'assigneeId', 'agentTeamId']);

type Test = (doc: EvalDoc) => boolean;

export interface CompiledSearch {
  /** Candidate conversation starts: [from, to). */
  from: number;
  to: number;
  test: Test;
  key: string;
  sortBy: string | undefined;
  descending: boolean;
  pageSize: number;
  pageNumber: number;
}

function addMonthsUtc(t: number, months: number): number {
  const d = new Date(t);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

function exactTest(ds: Dataset, field: string, wanted: string[]): Test {
  const norm = (s: string) => (CASE_INSENSITIVE.has(field) ? s.toUpperCase() : s.toLowerCase());
  const want = new Set(wanted.map(norm));
  return (doc) => {
    const v = fieldOf(ds, doc, field);
    const values = Array.isArray(v) ? v : [v];
    return values.some((x) => x !== undefined && want.has(norm(String(x))));
  };
}

function numberArg(v: unknown, what: string, at: string): number {
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw badRequest(`${at}.${what} must be a number (as a string).`, `${at}.${what}`);
  return n;
}

/** Validates the request and compiles its criteria (400 on anything the platform or the simulator refuses). */
export function compileSearch(ds: Dataset, body: unknown): CompiledSearch {
  if (!isRecord(body)) throw badRequest('The body must be an EvaluationSearchRequestDTO object.');
  const { query, pageNumber, pageSize = SEARCH_DEFAULT_PAGE_SIZE, sortBy, sortOrder, systemSubmitted } = body;
  if (!Array.isArray(query) || query.length === 0) throw badRequest('query must be a non-empty array of criteria.', 'query');
  if (typeof pageNumber !== 'number' || !Number.isInteger(pageNumber) || pageNumber < 1) throw badRequest('pageNumber is required: an integer >= 1.', 'pageNumber');
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 0) throw badRequest('pageSize must be a non-negative integer.', 'pageSize');
  if (pageSize > SEARCH_MAX_PAGE_SIZE) throw badRequest(`pageSize must be at most ${SEARCH_MAX_PAGE_SIZE}.`, 'pageSize');
  if (sortBy !== undefined && (typeof sortBy !== 'string' || !(DATE_FIELDS.has(sortBy) || NUMBER_FIELDS.has(sortBy)))) {
    throw badRequest(`sortBy '${String(sortBy)}' is not supported; use a date field or totalScore.`, 'sortBy');
  }
  if (sortOrder !== undefined && (typeof sortOrder !== 'string' || !/^(asc|desc)$/i.test(sortOrder))) throw badRequest(`sortOrder must be ASC or DESC.`, 'sortOrder');

  const tests: Test[] = [];
  let from = -Infinity;
  let to = Infinity;
  let hasRange = false;
  query.forEach((raw: unknown, i) => {
    const at = `query[${i}]`;
    if (!isRecord(raw)) throw badRequest(`${at} must be a criteria object.`, at);
    const { type, field, value, values, startValue, endValue, operator = 'AND' } = raw;
    if (typeof type !== 'string' || !TYPES.has(type)) throw badRequest(`${at}.type '${String(type)}' is not a valid criteria type.`, `${at}.type`);
    if (typeof field !== 'string' || !FIELDS.has(field)) throw badRequest(`${at}.field '${String(field)}' is not a searchable field.`, `${at}.field`);
    if (operator !== 'AND' && operator !== 'NOT') throw badRequest(`${at}.operator must be AND or NOT.`, `${at}.operator`);
    if (!MODELLED.has(field)) throw badRequest(`${at}.field '${field}' is valid on the platform but not modelled by the simulator.`, `${at}.field`);
    let t: Test;
    if (type === 'DATE_RANGE') {
      if (!DATE_FIELDS.has(field)) throw badRequest(`${at}: DATE_RANGE needs a date field.`, `${at}.field`);
      const s = typeof startValue === 'string' ? parseDateTime(startValue) : undefined;
      const e = typeof endValue === 'string' ? parseDateTime(endValue) : undefined;
      if (s === undefined || e === undefined) throw badRequest(`${at} needs startValue and endValue as yyyy-MM-ddTHH:mm:ss.SSSZ.`, `${at}.startValue`);
      if (e <= s) throw badRequest(`${at}: endValue must be after startValue.`, `${at}.endValue`);
      if (e > addMonthsUtc(s, 3)) throw badRequest(`${at}: the date range must not exceed 3 months.`, `${at}.endValue`);
      t = (doc) => {
        const v = fieldOf(ds, doc, field);
        return typeof v === 'number' && v >= s && v < e;
      };
      if (operator === 'AND') {
        hasRange = true;
        const lookBack = field === 'conversationDate' ? 0 : MAX_EVALUATION_LAG_MS + MAX_CONVERSATION_MS;
        from = Math.max(from, s - lookBack);
        to = Math.min(to, e);
      }
    } else if (type === 'EXACT') {
      const wanted = Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
      if (wanted.length === 0) throw badRequest(`${at}: EXACT needs value or values.`, `${at}.value`);
      t = exactTest(ds, field, wanted);
    } else if (type === 'REQUIRED_FIELDS') {
      t = (doc) => {
        const v = fieldOf(ds, doc, field);
        return v !== undefined && !(Array.isArray(v) && v.length === 0);
      };
    } else {
      if (!NUMBER_FIELDS.has(field)) throw badRequest(`${at}: ${type} is supported on totalScore and totalCriticalScore only.`, `${at}.field`);
      const lo = type === 'RANGE' ? numberArg(startValue, 'startValue', at) : undefined;
      const hi = type === 'RANGE' ? numberArg(endValue, 'endValue', at) : undefined;
      const v = type === 'RANGE' ? 0 : numberArg(value, 'value', at);
      const cmp: (n: number) => boolean =
        type === 'RANGE' ? (n) => n >= (lo ?? 0) && n <= (hi ?? 0)
        : type === 'GREATER_THAN' ? (n) => n > v
        : type === 'GREATER_THAN_EQUAL_TO' ? (n) => n >= v
        : type === 'LESS_THAN' ? (n) => n < v
        : (n) => n <= v;
      t = (doc) => {
        const n = fieldOf(ds, doc, field);
        return typeof n === 'number' && cmp(n);
      };
    }
    tests.push(operator === 'NOT' ? (doc) => !t(doc) : t);
  });
  if (!hasRange) throw badRequest('A DATE_RANGE criterion (at most 3 months) is required.', 'query');
  if (systemSubmitted === true) tests.push(() => false); // no simulated evaluation is system-submitted
  return {
    from,
    to,
    test: (doc) => tests.every((t) => t(doc)),
    key: JSON.stringify([query, systemSubmitted === true]),
    sortBy: sortBy as string | undefined,
    descending: typeof sortOrder === 'string' && sortOrder.toLowerCase() === 'desc',
    pageSize,
    pageNumber,
  };
}

/** Matching evaluations as `index * EVALUATION_SLOTS + slot`, in the request's sort order. */
export function searchMatches(ds: Dataset, s: CompiledSearch): number[] {
  const { lo, hi } = ds.indexRange(s.from, s.to);
  const out: number[] = [];
  for (let i = lo; i < hi; i++) {
    const c = ds.core(i);
    for (const e of c.evaluations) if (e.deleted === undefined && s.test({ c, e })) out.push(i * EVALUATION_SLOTS + e.slot);
  }
  if (s.sortBy) {
    const key = new Map(out.map((p) => {
      const c = ds.core(Math.floor(p / EVALUATION_SLOTS));
      const e = c.evaluations[p % EVALUATION_SLOTS];
      const v = e ? fieldOf(ds, { c, e }, s.sortBy ?? '') : undefined;
      return [p, typeof v === 'number' ? v : -Infinity];
    }));
    out.sort((a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0) || a - b);
  }
  if (s.descending) out.reverse();
  return out;
}
