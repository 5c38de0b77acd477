/**
 * Flattens a quality evaluation (`GET /api/v2/quality/conversations/{cid}/evaluations/{eid}`) into one warehouse
 * row: fixed columns, one `score_<group>` column per question group, optionally one `q_<question>` column per
 * question, and the raw `answers` as JSON for a JSONB/VARIANT column.
 *
 * Never throws on partial or odd input: a missing or mistyped field becomes `null` (and `onInvalid` hears about
 * mistyped ones). It is called once per evaluation in large exports, so it avoids per-row maps and closures.
 */
import { ValidationError, type ValidationIssue } from '../errors';
import { checkBooleanOption, checkEnumOption, checkFunctionOption, checkOptionsObject, isPlainObject, kindOf, quote } from '../helpers/input-guard';

import {
  ANSWERS_JSON_COLUMN,
  FIXED_SCORECARD_COLUMNS,
  QUESTION_COLUMN_PREFIX,
  SCORE_COLUMN_PREFIX,
  type EntityRefLike,
  type EvaluationAnswersLike,
  type EvaluationFormLike,
  type EvaluationLike,
  type FlattenScorecardOptions,
  type QuestionGroupLike,
  type QuestionGroupScoreLike,
  type QuestionLike,
  type QuestionScoreLike,
  type RawAnswersScorecardRow,
  type ScorecardRow,
} from './scorecard-types';

// The input and row shapes live in scorecard-types.ts; re-exported so importers of the flattener find them here.
export * from './scorecard-types';

interface Resolved {
  byContext: boolean;
  perQuestion: boolean;
  epochMs: boolean;
  safe: boolean;
  answers: 'string' | 'raw' | 'omit';
  extraKeys: string[];
  extra: Record<string, unknown> | undefined;
  onInvalid: ((column: string, value: unknown) => void) | undefined;
}

const FIXED_SET: ReadonlySet<string> = new Set<string>([...FIXED_SCORECARD_COLUMNS, ANSWERS_JSON_COLUMN]);
const DEFAULTS: Resolved = {
  byContext: false,
  perQuestion: false,
  epochMs: false,
  safe: false,
  answers: 'string',
  extraKeys: [],
  extra: undefined,
  onInvalid: undefined,
};

const OPTION_KEYS = ['keyBy', 'perQuestion', 'dates', 'safeColumnNames', 'answersJson', 'extra', 'onInvalid'] as const;

/**
 * Checks `flattenScorecard` options without flattening anything, so a caller (QualityExporter) can refuse bad ones
 * before it sends a request. Throws the same ValidationError `flattenScorecard` would.
 */
export function checkFlattenOptions(options: FlattenScorecardOptions | undefined): void {
  resolveOptions(options);
}

/** Most `extra` columns: they are copied into every row. */
const MAX_EXTRA_COLUMNS = 1_000;

function resolveOptions(raw: FlattenScorecardOptions | undefined): Resolved {
  if (raw === undefined) return DEFAULTS;
  const issues: ValidationIssue[] = [];
  const o = checkOptionsObject(raw, OPTION_KEYS, issues);
  if (o === undefined) throw new ValidationError('flattenScorecard options', issues);
  const options = o as FlattenScorecardOptions;
  checkEnumOption(o.keyBy, ['id', 'contextId'], 'keyBy', issues);
  checkEnumOption(o.dates, ['iso', 'epochMs'], 'dates', issues);
  checkEnumOption(o.answersJson, ['string', 'raw', 'omit'], 'answersJson', issues);
  checkBooleanOption(o.perQuestion, 'perQuestion', issues);
  checkBooleanOption(o.safeColumnNames, 'safeColumnNames', issues);
  checkFunctionOption(o.onInvalid, 'onInvalid', issues);
  let extraKeys: string[] = [];
  if (o.extra !== undefined) {
    if (!isPlainObject(o.extra)) {
      issues.push({ path: 'extra', code: 'invalid_type', message: `must be an object of constant columns, got ${kindOf(o.extra)} ${quote(o.extra)}` });
    } else {
      extraKeys = Object.keys(o.extra);
      if (extraKeys.length > MAX_EXTRA_COLUMNS) {
        issues.push({ path: 'extra', code: 'too_big', message: `has ${extraKeys.length} columns, more than ${MAX_EXTRA_COLUMNS}` });
        extraKeys = [];
      }
    }
  }
  for (const k of extraKeys) {
    if (issues.length >= 50) break;
    if (k === '__proto__') {
      issues.push({ path: `extra.${k}`, code: 'invalid_key', message: '"__proto__" cannot be a column name: rename it' });
    } else if (FIXED_SET.has(k) || k.startsWith(SCORE_COLUMN_PREFIX) || k.startsWith(QUESTION_COLUMN_PREFIX)) {
      issues.push({ path: `extra.${k.length > 100 ? `${k.slice(0, 100)}…` : k}`, code: 'invalid_key', message: `${quote(k)} would shadow a computed scorecard column: rename it` });
    }
  }
  if (issues.length) throw new ValidationError('flattenScorecard options', issues);
  return {
    byContext: options.keyBy === 'contextId',
    perQuestion: options.perQuestion === true,
    epochMs: options.dates === 'epochMs',
    safe: options.safeColumnNames === true,
    answers: options.answersJson ?? 'string',
    extraKeys,
    extra: options.extra,
    onInvalid: options.onInvalid,
  };
}

// Column names repeat across millions of rows; reusing one string per id avoids a concat per cell.
const NAME_CACHE_LIMIT = 50_000;
const nameCaches = new Map<string, Map<string, string>>();

function columnName(prefix: string, key: string, safe: boolean): string {
  const cacheId = safe ? `${prefix}!` : prefix;
  let cache = nameCaches.get(cacheId);
  if (cache === undefined) {
    cache = new Map();
    nameCaches.set(cacheId, cache);
  }
  let name = cache.get(key);
  if (name === undefined) {
    name = prefix + (safe ? key.replace(/[^A-Za-z0-9_]/g, '_') : key);
    if (cache.size >= NAME_CACHE_LIMIT) cache.clear();
    cache.set(key, name);
  }
  return name;
}

function idOf(ref: EntityRefLike | null | undefined): string | null {
  if (ref === null || ref === undefined || typeof ref !== 'object') return null;
  const id = ref.id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

function str(value: unknown, column: string, r: Resolved): string | null {
  if (typeof value === 'string') return value;
  if (value !== null && value !== undefined) r.onInvalid?.(column, value);
  return null;
}

function numOrNull(value: unknown, column: string, r: Resolved): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value !== null && value !== undefined) r.onInvalid?.(column, value);
  return null;
}

// The platform's own form (`2024-05-13T10:00:00.000Z`); such strings are returned as they are, saving a Date and
// a string per date cell. Days 29-31 still take the slow path so 2023-02-30 cannot slip through.
const CANONICAL_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

// Date.parse reads a date-time without offset as *local* time; the platform means UTC, and so do we.
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

function dateOf(value: unknown, column: string, r: Resolved): string | number | null {
  if (value === null || value === undefined) return null;
  if (!r.epochMs && typeof value === 'string' && value.length === 24 && CANONICAL_ISO.test(value)) return value;
  let ms: number;
  if (typeof value === 'string') ms = Date.parse(LOCAL_DATE_TIME.test(value) ? `${value}Z` : value);
  else if (typeof value === 'number') ms = value;
  else if (value instanceof Date) ms = value.getTime();
  else ms = Number.NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    r.onInvalid?.(column, value);
    return null;
  }
  return r.epochMs ? ms : new Date(ms).toISOString();
}

/**
 * The one `media_type` vocabulary of every row: the analytics segment media types (`voice`, `callback`, `chat`,
 * `email`, `message`, `cobrowse`, `screenshare`, `video`), which the `mediaTypes` option, the filters and the
 * channel split use too. The Quality API spells its own (`CALL`, `CHAT`, ...): mapped here; anything else is
 * lower-cased as it is.
 */
const QUALITY_TO_SEGMENT_MEDIA_TYPE = new Map([
  ['call', 'voice'],
  ['voice', 'voice'],
  ['callback', 'callback'],
  ['chat', 'chat'],
  ['email', 'email'],
  ['message', 'message'],
  ['cobrowse', 'cobrowse'],
  ['screenshare', 'screenshare'],
  ['video', 'video'],
]);

export function normalizeMediaType(value: string): string {
  const lower = value.toLowerCase();
  return QUALITY_TO_SEGMENT_MEDIA_TYPE.get(lower) ?? lower;
}

function mediaTypeOf(value: unknown, r: Resolved): string | null {
  if (typeof value === 'string') return value.length > 0 ? normalizeMediaType(value) : null;
  if (Array.isArray(value)) {
    let out = '';
    for (const v of value) {
      if (typeof v !== 'string' || v.length === 0) continue;
      const m = normalizeMediaType(v);
      out = out.length === 0 ? m : `${out},${m}`;
    }
    return out.length > 0 ? out : null;
  }
  if (value !== null && value !== undefined) r.onInvalid?.('media_type', value);
  return null;
}

function findGroup(form: EvaluationFormLike | null | undefined, groupId: string): QuestionGroupLike | undefined {
  const groups = form?.questionGroups;
  if (!Array.isArray(groups)) return undefined;
  for (const g of groups as QuestionGroupLike[]) if (g !== null && typeof g === 'object' && g.id === groupId) return g;
  return undefined;
}

function questionContextId(
  form: EvaluationFormLike | null | undefined,
  group: QuestionGroupLike | undefined,
  questionId: string,
): string | undefined {
  const inGroup = group?.questions;
  if (Array.isArray(inGroup)) {
    for (const q of inGroup as QuestionLike[]) {
      if (q !== null && typeof q === 'object' && q.id === questionId) return nonEmpty(q.contextId);
    }
  }
  // The score may sit in a different group than the form lists it in (hand-built input); search them all.
  const groups = form?.questionGroups;
  if (!Array.isArray(groups)) return undefined;
  for (const g of groups as QuestionGroupLike[]) {
    const qs = g?.questions;
    if (!Array.isArray(qs) || g === group) continue;
    for (const q of qs as QuestionLike[]) {
      if (q !== null && typeof q === 'object' && q.id === questionId) return nonEmpty(q.contextId);
    }
  }
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function groupScores(answers: EvaluationAnswersLike | null | undefined): ReadonlyArray<QuestionGroupScoreLike> {
  const groups = answers?.questionGroupScores;
  return Array.isArray(groups) ? groups : [];
}

function answersJson(answers: unknown, r: Resolved): unknown {
  if (answers === null || answers === undefined || r.answers === 'omit') return null;
  if (r.answers === 'raw') return answers;
  try {
    return JSON.stringify(answers) ?? null;
  } catch {
    // BigInt or a cycle: not something the platform sends, but a row must still come out.
    r.onInvalid?.(ANSWERS_JSON_COLUMN, answers);
    return null;
  }
}

function addQuestionColumns(
  row: Record<string, unknown>,
  form: EvaluationFormLike | null | undefined,
  groups: ReadonlyArray<QuestionGroupScoreLike>,
  r: Resolved,
): void {
  for (const g of groups) {
    if (g === null || typeof g !== 'object' || !Array.isArray(g.questionScores)) continue;
    const formGroup = r.byContext && typeof g.questionGroupId === 'string' ? findGroup(form, g.questionGroupId) : undefined;
    for (const q of g.questionScores as QuestionScoreLike[]) {
      if (q === null || typeof q !== 'object') continue;
      const qid = nonEmpty(q.questionId);
      if (qid === undefined) {
        r.onInvalid?.(QUESTION_COLUMN_PREFIX, q);
        continue;
      }
      const key = r.byContext ? (questionContextId(form, formGroup, qid) ?? qid) : qid;
      const name = columnName(QUESTION_COLUMN_PREFIX, key, r.safe);
      if (name in row) continue;
      row[name] = q.markedNA === true ? null : numOrNull(q.score, name, r);
    }
  }
}

/**
 * One evaluation to one row. Pivot columns: `score_<key>` is the group's `totalScore` (null when the group is
 * marked N/A, so it does not drag averages to 0); `q_<key>` is the question's unweighted `score` (null when N/A).
 * The first group or question to claim a column name wins. Option errors throw `ValidationError`.
 */
export function flattenScorecard(
  evaluation: EvaluationLike,
  options?: FlattenScorecardOptions & { answersJson?: 'string' | 'omit' },
): ScorecardRow;
export function flattenScorecard(
  evaluation: EvaluationLike,
  options: FlattenScorecardOptions & { answersJson: 'raw' },
): RawAnswersScorecardRow;
export function flattenScorecard(evaluation: EvaluationLike, options?: FlattenScorecardOptions): ScorecardRow | RawAnswersScorecardRow;
export function flattenScorecard(evaluation: EvaluationLike, options?: FlattenScorecardOptions): ScorecardRow | RawAnswersScorecardRow {
  // Fields inside an evaluation are read defensively (drift becomes null); the evaluation itself must be an object,
  // or every column of the row would be null.
  if (!isPlainObject(evaluation)) throw new ValidationError('flattenScorecard input', [{ path: 'evaluation', code: 'invalid_type', message: `expected an evaluation object, got ${kindOf(evaluation)} ${quote(evaluation)}` }]);
  const r = resolveOptions(options);
  const e: EvaluationLike = evaluation;
  const form = e.evaluationForm !== null && typeof e.evaluationForm === 'object' ? e.evaluationForm : undefined;
  const answers = e.answers !== null && typeof e.answers === 'object' ? e.answers : undefined;
  // Built in column order (fixed, pivots, answers_json, extra) so every row of one form has the same shape.
  const row: Record<string, unknown> = {
    evaluation_id: str(e.id, 'evaluation_id', r),
    conversation_id: idOf(e.conversation),
    agent_id: idOf(e.agent),
    evaluator_id: idOf(e.evaluator),
    form_id: idOf(form),
    form_context_id: str(form?.contextId, 'form_context_id', r),
    form_name: str(form?.name, 'form_name', r),
    status: str(e.status, 'status', r),
    total_score: numOrNull(answers?.totalScore, 'total_score', r),
    total_critical_score: numOrNull(answers?.totalCriticalScore, 'total_critical_score', r),
    total_non_critical_score: numOrNull(answers?.totalNonCriticalScore, 'total_non_critical_score', r),
    release_date: dateOf(e.releaseDate, 'release_date', r),
    assigned_date: dateOf(e.assignedDate, 'assigned_date', r),
    changed_date: dateOf(e.changedDate, 'changed_date', r),
    media_type: mediaTypeOf(e.mediaType, r),
    is_calibration: idOf(e.calibration) !== null,
  };
  const groups = groupScores(answers);
  for (const g of groups) {
    if (g === null || typeof g !== 'object') continue;
    const gid = nonEmpty(g.questionGroupId);
    if (gid === undefined) {
      r.onInvalid?.(SCORE_COLUMN_PREFIX, g);
      continue;
    }
    const key = r.byContext ? (nonEmpty(findGroup(form, gid)?.contextId) ?? gid) : gid;
    const name = columnName(SCORE_COLUMN_PREFIX, key, r.safe);
    if (name in row) continue;
    row[name] = g.markedNA === true ? null : numOrNull(g.totalScore, name, r);
  }
  if (r.perQuestion) addQuestionColumns(row, form, groups, r);
  if (answers === undefined && e.answers !== null && e.answers !== undefined) r.onInvalid?.(ANSWERS_JSON_COLUMN, e.answers);
  row[ANSWERS_JSON_COLUMN] = answersJson(answers, r);
  if (r.extra !== undefined) for (const k of r.extraKeys) row[k] = r.extra[k];
  return row as ScorecardRow;
}
