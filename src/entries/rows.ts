/**
 * `@org/gc-data/rows`: the row shapes the exports write, as pure functions: `flattenScorecard` (an evaluation to a
 * flat scorecard row), `projectConversation` (an analytics conversation to a flat row), and `dedupeBy` for streams
 * of rows. Pure: no client, no I/O.
 */
export { flattenScorecard, FIXED_SCORECARD_COLUMNS, ANSWERS_JSON_COLUMN, SCORE_COLUMN_PREFIX, QUESTION_COLUMN_PREFIX } from '../quality/scorecard';
export type { EvaluationLike, FlattenScorecardOptions, ScorecardRow, RawAnswersScorecardRow, ScorecardFixedRow, ScorecardPivotColumns, FixedScorecardColumn } from '../quality/scorecard';
export { projectConversation, CONVERSATION_ROW_COLUMNS } from '../analytics/projection';
export type { ConversationRow, ProjectionOptions } from '../analytics/projection';
export { dedupeBy, dedupeArrayBy, UuidKeySet } from '../helpers/dedupe';
export type { KeySet, DedupeOptions } from '../helpers/dedupe';
