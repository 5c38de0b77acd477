/**
 * Platform documents -> typed warehouse rows, and the COPY text format. Keys and the change time are checked
 * strictly (a bad one is a ValidationError naming the change and field, before anything is sent); so is every typed
 * column: a value that is present but unusable (an id that is not a UUID, a date that does not parse) would
 * otherwise be lost without a trace.
 */
import { projectConversation } from '../analytics/projection';
import type { AnalyticsConversation } from '../analytics/schemas';
import type { ValidationIssue } from '../errors';

/** A date as the platform sends it (ISO string), or epoch ms, or a Date. */
export type DateInput = string | number | Date;

interface Ref {
  id?: string | null;
  name?: string | null;
}

/**
 * The evaluation document as `GET /api/v2/quality/conversations/{cid}/evaluations/{eid}` returns it (the
 * official SDK's `EvaluationResponse`, the SDK's zod-parsed type, or plain JSON all fit). Fields not listed are
 * ignored, except `answers`, which is kept whole as jsonb.
 */
export interface WarehouseEvaluation {
  id: string;
  conversation?: Ref | null;
  calibration?: Ref | null;
  agent?: Ref | null;
  evaluator?: Ref | null;
  queue?: Ref | null;
  evaluationForm?: {
    id?: string | null;
    name?: string | null;
    contextId?: string | null;
    questionGroups?: ReadonlyArray<{
      id?: string | null;
      contextId?: string | null;
      questions?: ReadonlyArray<{ id?: string | null; contextId?: string | null }> | null;
    }> | null;
  } | null;
  status?: string | null;
  answers?: {
    totalScore?: number | null;
    totalCriticalScore?: number | null;
    totalNonCriticalScore?: number | null;
    anyFailedKillQuestions?: boolean | null;
    questionGroupScores?: ReadonlyArray<{
      questionGroupId?: string | null;
      questionScores?: ReadonlyArray<{
        questionId?: string | null;
        answerId?: string | null;
        score?: number | null;
        markedNA?: boolean | null;
        systemMarkedNA?: boolean | null;
        failedKillQuestion?: boolean | null;
        comments?: string | null;
      }> | null;
    }> | null;
  } | null;
  mediaType?: ReadonlyArray<string> | string | null;
  conversationDate?: DateInput | null;
  conversationEndDate?: DateInput | null;
  createdDate?: DateInput | null;
  assignedDate?: DateInput | null;
  submittedDate?: DateInput | null;
  releaseDate?: DateInput | null;
  changedDate?: DateInput | null;
  neverRelease?: boolean | null;
  rescore?: boolean | null;
}

type Cell = string | number | boolean | null | readonly string[] | { json: unknown };

export const EVALUATION_COLUMNS = [
  'evaluation_id',
  'conversation_id',
  'calibration_id',
  'agent_id',
  'evaluator_id',
  'queue_id',
  'form_id',
  'form_context_id',
  'form_name',
  'status',
  'total_score',
  'total_critical_score',
  'total_non_critical_score',
  'any_failed_kill_questions',
  'media_type',
  'conversation_date',
  'conversation_end_date',
  'created_date',
  'assigned_date',
  'submitted_date',
  'release_date',
  'changed_date',
  'never_release',
  'rescore',
  'answers',
  'changed_at',
  'deleted_at',
] as const;

export const QUESTION_SCORE_COLUMNS = [
  'evaluation_id',
  'question_group_id',
  'question_group_context_id',
  'question_id',
  'question_context_id',
  'answer_id',
  'score',
  'marked_na',
  'system_marked_na',
  'failed_kill_question',
  'comments',
] as const;

export const CONVERSATION_COLUMNS = [
  'conversation_id',
  'conversation_start',
  'conversation_end',
  'duration_ms',
  'originating_direction',
  'media_type',
  'media_types',
  'division_ids',
  'queue_ids',
  'user_ids',
  'wrap_up_codes',
  'participant_count',
  'session_count',
  'evaluation_count',
  'survey_count',
  'external_tag',
  'min_mos',
  't_acd_ms',
  't_talk_ms',
  't_held_ms',
  't_acw_ms',
  't_handle_ms',
  'raw',
  'changed_at',
] as const;

// ---- checked field readers ----------------------------------------------------------------------------------

/**
 * The id in lower case (as PostgreSQL prints uuids, so ids sent and ids returned compare equal), or undefined when
 * it is not a UUID (8-4-4-4-12 hex digits).
 */
function canonicalUuid(s: string): string | undefined {
  if (s.length !== 36) return undefined;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const ch = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (ch !== 45) return undefined; // -
    } else if (ch >= 65 && ch <= 70) upper = true; // A-F
    else if (!((ch >= 48 && ch <= 57) || (ch >= 97 && ch <= 102))) return undefined; // 0-9 a-f
  }
  return upper ? s.toLowerCase() : s;
}
// Date.parse reads a date-time without offset as local time; the platform means UTC.
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** At most ~100 characters of a bad value, for error text. */
export function quote(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}

/** Where a value sits: built only when there is something to report (paths cost a string per field otherwise). */
export type PathBase = string | { path(): string };

const at = (base: PathBase, suffix: string) => (typeof base === 'string' ? base : base.path()) + suffix;

// The platform's own form: returned as is, saving a Date and a string per date cell. Days 29-31 take the slow path
// so that 2023-02-30 cannot slip through.
const CANONICAL_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

export class Checker {
  readonly issues: ValidationIssue[] = [];
  add(path: string, message: string): void {
    if (this.issues.length < 20) this.issues.push({ path, message });
  }

  uuid(value: unknown, base: PathBase, suffix = '', required = false): string | null {
    if (value === null || value === undefined) {
      if (required) this.add(at(base, suffix), 'is required (the platform id, a UUID)');
      return null;
    }
    if (typeof value === 'string') {
      const id = canonicalUuid(value);
      if (id !== undefined) return id;
    }
    this.add(at(base, suffix), `must be a UUID as the platform's ids are, got ${quote(value)}`);
    return null;
  }

  /** `id` of a reference object such as `agent`. */
  refId(ref: unknown, base: PathBase, suffix = ''): string | null {
    if (ref === null || ref === undefined) return null;
    if (typeof ref !== 'object') {
      this.add(at(base, suffix), `must be an object with an id, got ${quote(ref)}`);
      return null;
    }
    return this.uuid((ref as Ref).id, base, `${suffix}.id`);
  }

  /** ISO UTC string, or null. */
  date(value: unknown, base: PathBase, suffix = '', required = false): string | null {
    if (value === null || value === undefined) {
      if (required) this.add(at(base, suffix), 'is required: an ISO-8601 date-time, epoch ms or a Date');
      return null;
    }
    if (typeof value === 'string' && value.length === 24 && CANONICAL_ISO.test(value)) return value;
    let ms = Number.NaN;
    if (typeof value === 'string') ms = Date.parse(LOCAL_DATE_TIME.test(value) ? `${value}Z` : value);
    else if (typeof value === 'number') ms = value;
    else if (value instanceof Date) ms = value.getTime();
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
      this.add(at(base, suffix), `must be an ISO-8601 date-time, epoch ms or a Date, got ${quote(value)}`);
      return null;
    }
    return new Date(ms).toISOString();
  }

  num(value: unknown, base: PathBase, suffix = ''): number | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.add(at(base, suffix), `must be a finite number, got ${quote(value)}`);
    return null;
  }

  int(value: unknown, base: PathBase, suffix = ''): number | null {
    const n = this.num(value, base, suffix);
    return n === null ? null : Math.round(n);
  }

  bool(value: unknown, base: PathBase, suffix = ''): boolean | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'boolean') return value;
    this.add(at(base, suffix), `must be true or false, got ${quote(value)}`);
    return null;
  }

  str(value: unknown, base: PathBase, suffix = ''): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    this.add(at(base, suffix), `must be a string, got ${quote(value)}`);
    return null;
  }
}

function mediaTypeOf(value: unknown, c: Checker, path: string): string | null {
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' && value[0].length > 0) return value[0];
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (Array.isArray(value)) {
    const parts = value.filter((v): v is string => typeof v === 'string' && v.length > 0);
    return parts.length > 0 ? parts.join(',') : null;
  }
  c.add(`${path}.mediaType`, `must be an array of strings, got ${quote(value)}`);
  return null;
}

// ---- evaluations ------------------------------------------------------------------------------------------------

export interface StagedEvaluation {
  id: string;
  changedAt: string;
  /** The `evaluations` row as one COPY text line. */
  line: string;
  /** Its question-score rows as COPY text lines ('' when none). */
  scores: string;
  scoreCount: number;
  calibration: { id: string; conversationId: string | null; formId: string | null; formContextId: string | null } | null;
}

/** One upsert to its `evaluations` row and its question-score rows (checked; issues go to `c`). */
export function evaluationRow(e: WarehouseEvaluation, changedAtInput: DateInput | undefined, c: Checker, path: string): StagedEvaluation | undefined {
  if (e === null || typeof e !== 'object') {
    c.add(path, `must be the evaluation document (EvaluationResponse), got ${quote(e)}`);
    return undefined;
  }
  const before = c.issues.length;
  const id = c.uuid(e.id, path, '.id', true);
  const changedAt =
    changedAtInput !== undefined
      ? c.date(changedAtInput, path.replace(/\.row$/, '.changedAt'), '', true)
      : e.changedDate === undefined || e.changedDate === null
        ? (c.add(`${path}.changedDate`, 'is needed as the change time (or give the change a changedAt)'), null)
        : c.date(e.changedDate, path, '.changedDate', true);
  const form = e.evaluationForm ?? undefined;
  const answers = e.answers ?? undefined;
  if (answers !== undefined && (typeof answers !== 'object' || Array.isArray(answers))) c.add(`${path}.answers`, `must be an object, got ${quote(answers)}`);
  const a = answers !== undefined && typeof answers === 'object' ? answers : undefined;
  const conversationId = c.refId(e.conversation, path, '.conversation');
  const calibrationId = c.refId(e.calibration, path, '.calibration');
  const formId = c.refId(form, path, '.evaluationForm');
  const formContextId = c.uuid(form?.contextId, path, '.evaluationForm.contextId');
  const cells: Cell[] = [
    id,
    conversationId,
    calibrationId,
    c.refId(e.agent, path, '.agent'),
    c.refId(e.evaluator, path, '.evaluator'),
    c.refId(e.queue, path, '.queue'),
    formId,
    formContextId,
    c.str(form?.name, path, '.evaluationForm.name'),
    c.str(e.status, path, '.status'),
    c.num(a?.totalScore, path, '.answers.totalScore'),
    c.num(a?.totalCriticalScore, path, '.answers.totalCriticalScore'),
    c.num(a?.totalNonCriticalScore, path, '.answers.totalNonCriticalScore'),
    c.bool(a?.anyFailedKillQuestions, path, '.answers.anyFailedKillQuestions'),
    mediaTypeOf(e.mediaType, c, path),
    c.date(e.conversationDate, path, '.conversationDate'),
    c.date(e.conversationEndDate, path, '.conversationEndDate'),
    c.date(e.createdDate, path, '.createdDate'),
    c.date(e.assignedDate, path, '.assignedDate'),
    c.date(e.submittedDate, path, '.submittedDate'),
    c.date(e.releaseDate, path, '.releaseDate'),
    c.date(e.changedDate, path, '.changedDate'),
    c.bool(e.neverRelease, path, '.neverRelease'),
    c.bool(e.rescore, path, '.rescore'),
    a === undefined ? null : { json: a },
    changedAt,
    null,
  ];
  const scores = questionScores(e, id, c, path);
  if (c.issues.length > before || id === null || changedAt === null) return undefined;
  return {
    id,
    changedAt,
    line: copyLine(cells),
    scores: scores.text,
    scoreCount: scores.count,
    calibration: calibrationId ? { id: calibrationId, conversationId, formId, formContextId } : null,
  };
}

function questionScores(e: WarehouseEvaluation, evaluationId: string | null, c: Checker, path: string): { text: string; count: number } {
  type Groups = NonNullable<NonNullable<WarehouseEvaluation['answers']>['questionGroupScores']>;
  const groups = (Array.isArray(e.answers?.questionGroupScores) ? e.answers?.questionGroupScores : []) as Groups;
  // Context ids (the same across form versions) come from the form inside the evaluation, when it was expanded.
  let groupContext: Map<string, string | null> | undefined;
  let questionContext: Map<string, string | null> | undefined;
  const formGroups = e.evaluationForm?.questionGroups;
  if (Array.isArray(formGroups)) {
    groupContext = new Map();
    questionContext = new Map();
    for (const g of formGroups) {
      if (g && typeof g.id === 'string') groupContext.set(g.id, typeof g.contextId === 'string' ? g.contextId : null);
      if (g && Array.isArray(g.questions)) {
        for (const q of g.questions) if (q && typeof q.id === 'string') questionContext.set(q.id, typeof q.contextId === 'string' ? q.contextId : null);
      }
    }
  }
  // One path object for the whole evaluation, its indexes moved along: the text is built only for an issue.
  const where = {
    gi: 0,
    qi: -1,
    path(): string {
      const g = `${path}.answers.questionGroupScores[${this.gi}]`;
      return this.qi < 0 ? g : `${g}.questionScores[${this.qi}]`;
    },
  };
  const evaluation = evaluationId === null ? '\\N' : evaluationId;
  let text = '';
  let count = 0;
  let seen: Set<string> | undefined;
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    if (!g || typeof g !== 'object' || !Array.isArray(g.questionScores)) continue;
    where.gi = gi;
    where.qi = -1;
    const groupId = c.uuid(g.questionGroupId, where, '.questionGroupId');
    const groupCtx = c.uuid(groupId && groupContext ? groupContext.get(groupId) : null, where, '.questionGroupId (context)');
    const prefix = `${evaluation}\t${groupId ?? '\\N'}\t${groupCtx ?? '\\N'}\t`;
    const scores = g.questionScores as NonNullable<(typeof g)['questionScores']>;
    for (let qi = 0; qi < scores.length; qi++) {
      const q = scores[qi];
      if (!q || typeof q !== 'object') continue;
      where.qi = qi;
      const questionId = c.uuid(q.questionId, where, '.questionId', true);
      // The first score of a question wins, as in flattenScorecard (a question is listed once by the platform).
      if (questionId === null) continue;
      seen ??= new Set();
      if (seen.has(questionId)) continue;
      seen.add(questionId);
      const questionCtx = c.uuid(questionContext ? questionContext.get(questionId) : null, where, '.questionId (context)');
      text +=
        prefix +
        questionId +
        '\t' +
        (questionCtx ?? '\\N') +
        '\t' +
        cellText(c.uuid(q.answerId, where, '.answerId')) +
        '\t' +
        cellText(c.num(q.score, where, '.score')) +
        '\t' +
        cellText(c.bool(q.markedNA, where, '.markedNA')) +
        '\t' +
        cellText(c.bool(q.systemMarkedNA, where, '.systemMarkedNA')) +
        '\t' +
        cellText(c.bool(q.failedKillQuestion, where, '.failedKillQuestion')) +
        '\t' +
        cellText(c.str(q.comments, where, '.comments')) +
        '\n';
      count++;
    }
  }
  return { text, count };
}

/** A tombstone row (COPY text line): only the id, the change time and `deleted_at` (the upsert keeps the others). */
export function deletionLine(id: string, at: string): string {
  const cells: Cell[] = EVALUATION_COLUMNS.map(() => null);
  cells[0] = id;
  cells[EVALUATION_COLUMNS.indexOf('changed_at')] = at;
  cells[EVALUATION_COLUMNS.indexOf('deleted_at')] = at;
  return copyLine(cells);
}

// ---- conversations ----------------------------------------------------------------------------------------------

export function conversationRow(conv: AnalyticsConversation, changedAtInput: DateInput | undefined, c: Checker, path: string): { id: string; cells: Cell[] } | undefined {
  if (conv === null || typeof conv !== 'object') {
    c.add(path, `must be the analytics conversation document, got ${quote(conv)}`);
    return undefined;
  }
  const before = c.issues.length;
  const id = c.uuid(conv.conversationId, path, '.conversationId', true);
  const changedAt = c.date(changedAtInput, path.replace(/\.row$/, '.changedAt'), '', true);
  const p = projectConversation(conv);
  const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
  const cells: Cell[] = [
    id,
    iso(p.conversationStart),
    iso(p.conversationEnd),
    c.int(p.durationMs, path, '.conversationEnd'),
    p.originatingDirection ?? null,
    p.mediaType,
    p.mediaTypes,
    p.divisionIds ?? null,
    p.queueIds,
    p.userIds,
    p.wrapUpCodes,
    p.participantCount ?? null,
    p.sessionCount,
    p.evaluationCount,
    p.surveyCount,
    p.externalTag,
    p.minMos,
    c.int(p.tAcdMs, path, '.metrics.tAcd'),
    c.int(p.tTalkMs, path, '.metrics.tTalk'),
    c.int(p.tHeldMs, path, '.metrics.tHeld'),
    c.int(p.tAcwMs, path, '.metrics.tAcw'),
    c.int(p.tHandleMs, path, '.metrics.tHandle'),
    { json: conv },
    changedAt,
  ];
  if (c.issues.length > before || id === null || changedAt === null) return undefined;
  return { id, cells };
}

// ---- COPY text format -----------------------------------------------------------------------------------------

const SPECIAL = /[\\\t\n\r\0]/;

function escapeText(s: string): string {
  if (!SPECIAL.test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\0') continue; // PostgreSQL text cannot hold NUL
    else out += ch;
  }
  return out;
}

function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\0/g, '').replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

function jsonText(value: unknown): string {
  // jsonb refuses \u0000; the platform never sends it, but one bad comment must not fail a whole batch.
  const s = JSON.stringify(value) ?? 'null';
  return s.includes('\\u0000') ? s.replace(/\\u0000/g, '') : s;
}

function cellText(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return escapeText(arrayLiteral(v as readonly string[]));
  return escapeText(jsonText((v as { json: unknown }).json));
}

/** One row as a COPY text-format line (with its newline). */
export function copyLine(row: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + cellText(row[i] as Cell);
  return `${line}\n`;
}

/** Text blocks (whole lines each) joined into chunks of about `chunkChars` characters. */
export function* textChunks(blocks: Iterable<string>, chunkChars = 1 << 20): Generator<string> {
  let buf = '';
  for (const b of blocks) {
    buf += b;
    if (buf.length >= chunkChars) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

/** COPY text-format lines of `rows`, joined into chunks of about `chunkChars` characters. */
export function* copyChunks(rows: Iterable<readonly Cell[]>, chunkChars = 1 << 20): Generator<string> {
  function* lines() {
    for (const row of rows) yield copyLine(row);
  }
  yield* textChunks(lines(), chunkChars);
}

export type { Cell };
