/**
 * Evaluation documents -> the `evaluations` row and its question-score rows, both as binary COPY tuples written
 * straight into the batch's CopyBuffers (the row's `answers` jsonb as its JSON text, nothing else for the server to
 * parse). Everything is checked while it is built; issues go to the Checker and the batch is refused whole (see
 * apply-evaluations.ts).
 */
import { Checker, quote, type DateInput } from './checker';
import { FIXED_SCORECARD_COLUMNS, type FixedScorecardColumn } from '../quality/scorecard-types';
import { binaryBool, binaryJsonb, binaryNull, binaryNumeric, binaryText, binaryTimestamp, binaryUuid, CopyBuffer, UuidBytes, type Segment } from './copy-format';

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

/**
 * The `evaluations` columns: the scorecard's fixed columns (src/quality/scorecard-types.ts), under the same names and
 * read from the same fields, except `is_calibration` (here `calibration_id`), then the warehouse's own.
 */
export const EVALUATION_COLUMNS = [
  ...FIXED_SCORECARD_COLUMNS.filter((c): c is Exclude<FixedScorecardColumn, 'is_calibration'> => c !== 'is_calibration'),
  'calibration_id',
  'queue_id',
  'any_failed_kill_questions',
  'conversation_date',
  'conversation_end_date',
  'created_date',
  'submitted_date',
  'never_release',
  'rescore',
  'answers',
  'changed_at',
  'deleted_at',
] as const;

export type EvaluationColumn = (typeof EVALUATION_COLUMNS)[number];

/** Each column's type in migrations.ts (binary COPY sends each value in its type's own format). */
const EVALUATION_COLUMN_TYPES: Record<EvaluationColumn, 'uuid' | 'text' | 'numeric' | 'bool' | 'timestamptz' | 'jsonb'> = {
  evaluation_id: 'uuid',
  conversation_id: 'uuid',
  calibration_id: 'uuid',
  agent_id: 'uuid',
  evaluator_id: 'uuid',
  queue_id: 'uuid',
  form_id: 'uuid',
  form_context_id: 'uuid',
  form_name: 'text',
  status: 'text',
  total_score: 'numeric',
  total_critical_score: 'numeric',
  total_non_critical_score: 'numeric',
  any_failed_kill_questions: 'bool',
  media_type: 'text',
  conversation_date: 'timestamptz',
  conversation_end_date: 'timestamptz',
  created_date: 'timestamptz',
  assigned_date: 'timestamptz',
  submitted_date: 'timestamptz',
  release_date: 'timestamptz',
  changed_date: 'timestamptz',
  never_release: 'bool',
  rescore: 'bool',
  answers: 'jsonb',
  changed_at: 'timestamptz',
  deleted_at: 'timestamptz',
};
const TYPES = EVALUATION_COLUMNS.map((k) => EVALUATION_COLUMN_TYPES[k]);

/**
 * The columns of an `evaluations` stage, written out (a temp table made `LIKE` the table would hold a lock on it
 * until its commit). `answersCompression`: the `answers` column's method in the warehouse (`lz4`, `pglz`), so the
 * stage compresses each document as the table stores it; undefined for the server's default.
 */
export function evaluationStageColumns(answersCompression: string | undefined): string {
  return EVALUATION_COLUMNS.map((k) => {
    const type = EVALUATION_COLUMN_TYPES[k];
    if (k === 'changed_at') return `${k} ${type} NOT NULL`;
    return k === 'answers' && answersCompression ? `${k} ${type} COMPRESSION ${answersCompression}` : `${k} ${type}`;
  }).join(', ');
}

/** A checked value of an `evaluations` column (`answers`: the object itself, written as JSON). */
type Value = string | number | boolean | object | null;

/** One `evaluations` row as a binary COPY tuple, `values` in EVALUATION_COLUMNS order. */
function writeEvaluationTuple(out: CopyBuffer, values: readonly Value[]): void {
  out.int16(TYPES.length);
  for (let i = 0; i < TYPES.length; i++) {
    const v = values[i] as Value;
    if (v === null) {
      binaryNull(out);
      continue;
    }
    switch (TYPES[i]) {
      case 'uuid':
        binaryUuid(out, v as string);
        break;
      case 'text':
        binaryText(out, v as string);
        break;
      case 'numeric':
        binaryNumeric(out, v as number);
        break;
      case 'bool':
        binaryBool(out, v as boolean);
        break;
      case 'timestamptz':
        binaryTimestamp(out, v as string);
        break;
      case 'jsonb':
        binaryJsonb(out, v);
        break;
    }
  }
}

/** In the order the binary rows are written (scoreRows below). */
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

export interface StagedEvaluation {
  id: string;
  changedAt: string;
  /** Its `evaluations` row in the batch's row buffer (a binary COPY tuple). */
  row: Segment;
  /** Its question-score rows in the batch's score buffer (binary COPY tuples). */
  scores: Segment;
  scoreCount: number;
  /** The calibration it belongs to (a `calibrations` row is upserted with it), or null. */
  calibrationId: string | null;
}

/**
 * One upsert: its `evaluations` row appended to `rows`, its question-score rows to `scores` (checked; issues go to
 * `c`). Score rows of a refused evaluation may stay in `scores`: a batch with any issue is refused whole.
 */
export function evaluationRow(
  e: WarehouseEvaluation,
  changedAtInput: DateInput | undefined,
  c: Checker,
  path: string,
  rows: CopyBuffer,
  scores: CopyBuffer,
): StagedEvaluation | undefined {
  if (!c.object(e, path, 'the evaluation document (EvaluationResponse)')) return undefined;
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
  if (answers !== undefined) c.object(answers, `${path}.answers`, 'an object');
  const a = answers !== undefined && typeof answers === 'object' && !Array.isArray(answers) ? answers : undefined;
  const calibrationId = c.refId(e.calibration, path, '.calibration');
  // In the order of the old positional list: the issues of a bad document keep their order.
  const row: Record<EvaluationColumn, Value> = {
    evaluation_id: id,
    conversation_id: c.refId(e.conversation, path, '.conversation'),
    calibration_id: calibrationId,
    agent_id: c.refId(e.agent, path, '.agent'),
    evaluator_id: c.refId(e.evaluator, path, '.evaluator'),
    queue_id: c.refId(e.queue, path, '.queue'),
    form_id: c.refId(form, path, '.evaluationForm'),
    form_context_id: c.uuid(form?.contextId, path, '.evaluationForm.contextId'),
    form_name: c.str(form?.name, path, '.evaluationForm.name'),
    status: c.str(e.status, path, '.status'),
    total_score: c.num(a?.totalScore, path, '.answers.totalScore'),
    total_critical_score: c.num(a?.totalCriticalScore, path, '.answers.totalCriticalScore'),
    total_non_critical_score: c.num(a?.totalNonCriticalScore, path, '.answers.totalNonCriticalScore'),
    any_failed_kill_questions: c.bool(a?.anyFailedKillQuestions, path, '.answers.anyFailedKillQuestions'),
    media_type: mediaTypeOf(e.mediaType, c, path),
    conversation_date: c.date(e.conversationDate, path, '.conversationDate'),
    conversation_end_date: c.date(e.conversationEndDate, path, '.conversationEndDate'),
    created_date: c.date(e.createdDate, path, '.createdDate'),
    assigned_date: c.date(e.assignedDate, path, '.assignedDate'),
    submitted_date: c.date(e.submittedDate, path, '.submittedDate'),
    release_date: c.date(e.releaseDate, path, '.releaseDate'),
    changed_date: c.date(e.changedDate, path, '.changedDate'),
    never_release: c.bool(e.neverRelease, path, '.neverRelease'),
    rescore: c.bool(e.rescore, path, '.rescore'),
    answers: a === undefined ? null : a,
    changed_at: changedAt,
    deleted_at: null,
  };
  const from = scores.mark();
  const scoreCount = id === null ? 0 : scoreRows(e, id, c, path, scores);
  const to = scores.mark();
  if (c.issues.length > before || id === null || changedAt === null) return undefined;
  const rowFrom = rows.mark();
  writeEvaluationTuple(rows, EVALUATION_COLUMNS.map((k) => row[k]));
  return { id, changedAt, row: [rowFrom, rows.mark()], scores: [from, to], scoreCount, calibrationId };
}

/** Question-group and question context ids (the same across form versions), from the form inside the evaluation. */
function formContexts(e: WarehouseEvaluation): { groups: Map<string, string | null>; questions: Map<string, string | null> } | undefined {
  const formGroups = e.evaluationForm?.questionGroups;
  if (!Array.isArray(formGroups)) return undefined;
  const groups = new Map<string, string | null>();
  const questions = new Map<string, string | null>();
  for (const g of formGroups) {
    if (g && typeof g.id === 'string') groups.set(g.id, typeof g.contextId === 'string' ? g.contextId : null);
    if (g && Array.isArray(g.questions)) {
      for (const q of g.questions) if (q && typeof q.id === 'string') questions.set(q.id, typeof q.contextId === 'string' ? q.contextId : null);
    }
  }
  return { groups, questions };
}

// Shared by every batch (a pure cache, bounded): the form's ids are the same from one batch to the next.
const repeatedIds = new UuidBytes();

/** Appends the evaluation's question-score rows (binary tuples, QUESTION_SCORE_COLUMNS order); returns how many. */
function scoreRows(e: WarehouseEvaluation, evaluationId: string, c: Checker, path: string, out: CopyBuffer): number {
  type Groups = NonNullable<NonNullable<WarehouseEvaluation['answers']>['questionGroupScores']>;
  const groups = (Array.isArray(e.answers?.questionGroupScores) ? e.answers?.questionGroupScores : []) as Groups;
  const context = formContexts(e);
  // One path object for the whole evaluation, its indexes moved along: the text is built only for an issue.
  const where = {
    gi: 0,
    qi: -1,
    path(): string {
      const g = `${path}.answers.questionGroupScores[${this.gi}]`;
      return this.qi < 0 ? g : `${g}.questionScores[${this.qi}]`;
    },
  };
  let count = 0;
  let seen: Set<string> | undefined;
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    if (!g || typeof g !== 'object' || !Array.isArray(g.questionScores)) continue;
    where.gi = gi;
    where.qi = -1;
    const groupId = c.uuid(g.questionGroupId, where, '.questionGroupId');
    const groupCtx = c.uuid(groupId && context ? context.groups.get(groupId) : null, where, '.questionGroupId (context)');
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
      const questionCtx = c.uuid(context ? context.questions.get(questionId) : null, where, '.questionId (context)');
      out.int16(QUESTION_SCORE_COLUMNS.length);
      binaryUuid(out, evaluationId);
      repeatedIds.write(out, groupId);
      repeatedIds.write(out, groupCtx);
      repeatedIds.write(out, questionId);
      repeatedIds.write(out, questionCtx);
      repeatedIds.write(out, c.uuid(q.answerId, where, '.answerId'));
      binaryNumeric(out, c.num(q.score, where, '.score'));
      binaryBool(out, c.bool(q.markedNA, where, '.markedNA'));
      binaryBool(out, c.bool(q.systemMarkedNA, where, '.systemMarkedNA'));
      binaryBool(out, c.bool(q.failedKillQuestion, where, '.failedKillQuestion'));
      binaryText(out, c.str(q.comments, where, '.comments'));
      count++;
    }
  }
  return count;
}

/**
 * A tombstone row appended to `rows`: only the id, the change time and `deleted_at` (the upsert keeps the others).
 * Returns its segment.
 */
export function deletionRow(rows: CopyBuffer, id: string, at: string): Segment {
  const values: Value[] = EVALUATION_COLUMNS.map(() => null);
  values[EVALUATION_COLUMNS.indexOf('evaluation_id')] = id;
  values[EVALUATION_COLUMNS.indexOf('changed_at')] = at;
  values[EVALUATION_COLUMNS.indexOf('deleted_at')] = at;
  const from = rows.mark();
  writeEvaluationTuple(rows, values);
  return [from, rows.mark()];
}
