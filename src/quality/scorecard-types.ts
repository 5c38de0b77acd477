/**
 * What flattenScorecard (scorecard.ts) reads and writes: the evaluation fields it looks at (structural, so any
 * evaluation-shaped object fits), the fixed columns and row types, and its options. Imports nothing.
 */

/** A reference such as `agent`, `evaluator`, `conversation`, `calibration`: only `id` is read. */
export interface EntityRefLike {
  id?: string | null;
}

export interface QuestionLike {
  id?: string | null;
  contextId?: string | null;
}

export interface QuestionGroupLike {
  id?: string | null;
  contextId?: string | null;
  name?: string | null;
  questions?: ReadonlyArray<QuestionLike> | null;
}

/** The evaluation's form *version*; `contextId` is the same across versions. */
export interface EvaluationFormLike {
  id?: string | null;
  name?: string | null;
  contextId?: string | null;
  questionGroups?: ReadonlyArray<QuestionGroupLike> | null;
}

export interface QuestionScoreLike {
  questionId?: string | null;
  answerId?: string | null;
  score?: number | null;
  markedNA?: boolean | null;
}

export interface QuestionGroupScoreLike {
  questionGroupId?: string | null;
  totalScore?: number | null;
  markedNA?: boolean | null;
  questionScores?: ReadonlyArray<QuestionScoreLike> | null;
}

/** `EvaluationScoringSet`: only the fields read here are listed; the rest goes to `answers_json` untouched. */
export interface EvaluationAnswersLike {
  totalScore?: number | null;
  totalCriticalScore?: number | null;
  totalNonCriticalScore?: number | null;
  questionGroupScores?: ReadonlyArray<QuestionGroupScoreLike> | null;
}

/** Date fields: ISO strings on the wire; Dates and epoch ms are accepted too. */
export type DateLike = string | number | Date | null;

/**
 * The fields of the platform's `EvaluationResponse` that a scorecard row needs. Structural, so the official SDK's
 * `EvaluationResponse`, our zod-parsed type, or a plain JSON object all fit.
 */
export interface EvaluationLike {
  id?: string | null;
  conversation?: EntityRefLike | null;
  agent?: EntityRefLike | null;
  evaluator?: EntityRefLike | null;
  evaluationForm?: EvaluationFormLike | null;
  /** Present (with an id) only on calibration evaluations; the platform has no `isCalibration` field. */
  calibration?: EntityRefLike | null;
  status?: string | null;
  answers?: EvaluationAnswersLike | null;
  releaseDate?: DateLike;
  assignedDate?: DateLike;
  changedDate?: DateLike;
  conversationDate?: DateLike;
  /** An array on the platform (`["EMAIL"]`); a single string is tolerated. */
  mediaType?: ReadonlyArray<string> | string | null;
}

/** Fixed columns of every scorecard row, in output order. */
export const FIXED_SCORECARD_COLUMNS = [
  'evaluation_id',
  'conversation_id',
  'agent_id',
  'evaluator_id',
  'form_id',
  'form_context_id',
  'form_name',
  'status',
  'total_score',
  'total_critical_score',
  'total_non_critical_score',
  'release_date',
  'assigned_date',
  'changed_date',
  'media_type',
  'is_calibration',
] as const;

export type FixedScorecardColumn = (typeof FIXED_SCORECARD_COLUMNS)[number];

/** The last column: the raw `answers` object as a JSON string (null when the evaluation has no answers). */
export const ANSWERS_JSON_COLUMN = 'answers_json';
export const SCORE_COLUMN_PREFIX = 'score_';
export const QUESTION_COLUMN_PREFIX = 'q_';

export interface ScorecardFixedRow {
  evaluation_id: string | null;
  conversation_id: string | null;
  agent_id: string | null;
  evaluator_id: string | null;
  form_id: string | null;
  form_context_id: string | null;
  form_name: string | null;
  status: string | null;
  total_score: number | null;
  total_critical_score: number | null;
  total_non_critical_score: number | null;
  /** ISO UTC (`2024-05-13T10:00:00.000Z`) or epoch ms, per the `dates` option. */
  release_date: string | number | null;
  assigned_date: string | number | null;
  changed_date: string | number | null;
  /** The `mediaType` array joined with `,` (e.g. `EMAIL` or `CALL,CALLBACK`). */
  media_type: string | null;
  is_calibration: boolean;
}

/** Pivot and extra columns: `score_*`, `q_*` (opt-in) and whatever `extra` adds. */
export interface ScorecardPivotColumns {
  [scoreColumn: `score_${string}`]: number | null;
  [questionColumn: `q_${string}`]: number | null;
  [extraColumn: string]: unknown;
}

/** One flattened evaluation: fixed columns, then `score_*`, then `q_*` (opt-in), then `answers_json`, then `extra`. */
export type ScorecardRow = ScorecardFixedRow & ScorecardPivotColumns & { answers_json: string | null };

/** A row built with `answersJson: 'raw'`: `answers_json` is the answers object, not its JSON text. */
export type RawAnswersScorecardRow = ScorecardFixedRow & ScorecardPivotColumns & { answers_json: unknown };

export interface FlattenScorecardOptions {
  /**
   * Which id names the pivot columns. `'id'` (default): the version-specific `questionGroupId`/`questionId`.
   * `'contextId'`: the id that stays the same across form versions, read from `evaluationForm.questionGroups`
   * (fetch with `expand=evaluationForm`); a group or question not found there falls back to its own id.
   */
  keyBy?: 'id' | 'contextId';
  /** Add a `q_<question>` column per question with its unweighted score. Default false. */
  perQuestion?: boolean;
  /** `'iso'` (default): `2024-05-13T10:00:00.000Z`; `'epochMs'`: UTC epoch milliseconds. */
  dates?: 'iso' | 'epochMs';
  /**
   * Replace every character outside `[A-Za-z0-9_]` in pivot column names with `_`, for warehouses that want
   * unquoted identifiers (BigQuery, Snowflake). Default false: names keep the platform's ids verbatim.
   */
  safeColumnNames?: boolean;
  /**
   * What `answers_json` holds. `'string'` (default): `JSON.stringify(answers)`. `'raw'`: the answers object itself,
   * serialized once by the sink (CSV writes it as JSON text, NDJSON nests it), which is much faster for large
   * forms since stringifying dominates the cost. `'omit'`: null, for exports that do not need it.
   */
  answersJson?: 'string' | 'raw' | 'omit';
  /** Constant columns added after `answers_json` (e.g. an export run id). May not shadow a computed column. */
  extra?: Record<string, unknown>;
  /** Hears about fields that were present but unusable (wrong type, unparseable date); they become null. */
  onInvalid?: (column: string, value: unknown) => void;
}
