/**
 * `warehouse.apply()`: a batch of evaluation changes, checked and encoded (prepareEvaluations: before anything is
 * sent), then written in one transaction: its rows binary-COPYed into a staging table (stageEvaluations), then
 * (mergeEvaluations) one guarded upsert for the new/changed rows and one for the tombstones, the question scores of
 * every row written replaced (binary COPY), calibrations, and the sync state. A kill at any point leaves the batch
 * either wholly applied or not at all, and applying it again changes nothing (the guard lets an equal change time
 * through, with the same values).
 */
import { ValidationError } from '../errors';
import { Checker, quote } from './checker';
import { binaryHeader, binaryTrailer, CopyBuffer, segmentSlices, type Segment } from './copy-format';
import type { Session } from './driver';
import { deletionRow, EVALUATION_COLUMNS, evaluationRow, evaluationStageColumns, QUESTION_SCORE_COLUMNS, type StagedEvaluation } from './evaluation-rows';
import { lockKey } from './batch-order';
import { stage, upsertSql } from './stage';
import { stateLockKeys, stateRows, writeStateIn, type StateRows } from './state-write';
import type { ApplyOptions, EvaluationChange } from './types';

interface Entry {
  at: string;
  /** Its `evaluations` row (upsert or tombstone) in the batch's row buffer. */
  row: Segment;
  upsert?: StagedEvaluation;
}

export interface PreparedEvaluations {
  changes: number;
  /** The winning change per evaluation id (the latest; at the same time, the later one in the batch). */
  latest: Map<string, Entry>;
  /** `evaluations` tuples of every change (binary COPY, without header and trailer). */
  rows: Buffer[];
  /** Question-score tuples of the staged upserts (binary COPY, without header and trailer). */
  scores: Buffer[];
  state: StateRows;
}

const BINARY_HEADER = (() => {
  const b = new CopyBuffer(32);
  binaryHeader(b);
  return Buffer.concat(b.finish());
})();
const BINARY_TRAILER = (() => {
  const b = new CopyBuffer(8);
  binaryTrailer(b);
  return Buffer.concat(b.finish());
})();

/** How many changes are encoded between two yields to the event loop (about 5 ms of work). */
const SLICE = 256;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Checks and encodes a batch; a ValidationError names every bad change and field (at most 20), nothing is sent.
 * It yields to the event loop every SLICE changes: while a caller that hands over the next batch early has it
 * encoded, the previous batch's COPY keeps streaming to the server (encoding in one piece held the event loop, and
 * the server waited for it).
 */
export async function prepareEvaluations(changes: unknown, options: ApplyOptions | undefined): Promise<PreparedEvaluations> {
  const where = 'warehouse.apply() input';
  if (!Array.isArray(changes)) throw new ValidationError(where, [{ path: 'changes', message: `must be an array of changes, got ${quote(changes)}` }]);
  const list = (changes as EvaluationChange[]).slice();
  const c = new Checker();
  const rows = new CopyBuffer();
  const scores = new CopyBuffer();
  // ON CONFLICT cannot touch one row twice in a statement, so the batch is reduced to one change per id here.
  const latest = new Map<string, Entry>();
  for (let i = 0; i < list.length; i++) {
    if (i % SLICE === SLICE - 1) await nextTurn();
    const entry = prepareOne(list[i], `changes[${i}]`, c, rows, scores);
    if (entry === undefined) continue;
    const prev = latest.get(entry.id);
    if (prev === undefined || Date.parse(entry.at) >= Date.parse(prev.at)) latest.set(entry.id, entry);
  }
  const state = stateRows(options?.state, c, 'options.state');
  checkAfter(options, c);
  if (c.issues.length) throw new ValidationError(where, c.issues, 'Nothing was written.');
  return { changes: list.length, latest, rows: rows.finish(), scores: scores.finish(), state };
}

/** `options.after`: a promise (a thenable) when given (ApplyOptions). */
export function checkAfter(options: ApplyOptions | undefined, c: Checker): void {
  const v = (options as { after?: unknown } | undefined)?.after;
  if (v !== undefined && typeof (v as { then?: unknown } | null)?.then !== 'function') c.add('options.after', `must be a promise (the apply() of the batch before), got ${quote(v)}`);
}

/**
 * The rows a prepared batch locks when it is merged (src/postgres/batch-order.ts): its evaluations (and so their
 * question scores), the calibrations its upserts write, and its sync state rows.
 */
export function evaluationLockKeys(p: PreparedEvaluations): Set<string> {
  const keys = stateLockKeys(p.state);
  for (const [id, e] of p.latest) {
    keys.add(lockKey('evaluations', id));
    if (e.upsert?.calibrationId) keys.add(lockKey('calibrations', e.upsert.calibrationId));
  }
  return keys;
}

/** One change, checked and encoded (its score tuples appended to `scores`); undefined when it has an issue. */
function prepareOne(ch: EvaluationChange | undefined, p: string, c: Checker, rows: CopyBuffer, scores: CopyBuffer): (Entry & { id: string }) | undefined {
  if (ch === null || typeof ch !== 'object') {
    c.add(p, `must be { op: 'upsert', row } or { op: 'delete', evaluationId, at }, got ${quote(ch)}`);
    return undefined;
  }
  if (ch.op === 'upsert') {
    const staged = evaluationRow(ch.row, ch.changedAt, c, `${p}.row`, rows, scores);
    return staged ? { id: staged.id, at: staged.changedAt, row: staged.row, upsert: staged } : undefined;
  }
  if (ch.op === 'delete') {
    const id = c.uuid(ch.evaluationId, p, '.evaluationId', true);
    const at = c.date(ch.at, p, '.at', true);
    return id !== null && at !== null ? { id, at, row: deletionRow(rows, id, at) } : undefined;
  }
  c.add(`${p}.op`, `must be 'upsert' or 'delete', got ${quote((ch as { op?: unknown }).op)}`);
  return undefined;
}

/**
 * Stages a prepared batch in the caller's transaction (`s`: the quoted schema): its `evaluations` rows COPYed into a
 * temp table, with the `answers` compression the table has (`answersCompression`, see readAnswersCompression). It
 * touches no row of the warehouse and locks none of its tables, so it may run while an earlier batch is written on
 * another connection (the server parses one batch's jsonb while it merges the other): a DDL statement queued between
 * the two could otherwise wait for this stage's lock while the earlier batch waits for the DDL. Returns the stage's name.
 */
export function stageEvaluations(q: Session, s: string, p: PreparedEvaluations, answersCompression: string | undefined): Promise<string> {
  // Every change of the batch is its id's winner (the usual case): the tuples as encoded; else the winners' only.
  const rows = p.latest.size === p.changes ? p.rows : segmentSlices(p.rows, [...p.latest.values()].map((e) => e.row));
  return stage(q, s, 'evaluations', EVALUATION_COLUMNS, [BINARY_HEADER, ...rows, BINARY_TRAILER], 'binary', evaluationStageColumns(answersCompression));
}

/**
 * The compression method of `evaluations.answers` (`lz4`, `pglz`), or undefined for the server's default (and on
 * servers before PostgreSQL 14, which have no per-column method: to_jsonb reads the column only where it exists).
 */
export async function readAnswersCompression(q: Pick<Session, 'query'>, schema: string): Promise<string | undefined> {
  const r = await q.query<{ c: string | null }>(
    `SELECT to_jsonb(a) ->> 'attcompression' AS c FROM pg_attribute a
      WHERE a.attrelid = (quote_ident($1) || '.evaluations')::regclass AND a.attname = 'answers'`,
    [schema],
  );
  const c = r.rows[0]?.c;
  return c === 'l' ? 'lz4' : c === 'p' ? 'pglz' : undefined;
}

/** Writes a staged batch (stageEvaluations, same transaction) into the warehouse, with its sync state. */
export async function mergeEvaluations(q: Session, s: string, p: PreparedEvaluations, staged: string): Promise<{ upserted: number; deleted: number; questionScores: number }> {
  // Upserts: applied when newer than the row, or as new as it and the row is not a tombstone (a deletion wins a tie;
  // the same batch applied again rewrites the same values).
  const up = await q.query<{ evaluation_id: string }>(
    upsertSql(s, 'evaluations', staged, 'evaluation_id', EVALUATION_COLUMNS, {
      filter: 'deleted_at IS NULL',
      guard: 'excluded.changed_at > t.changed_at OR (excluded.changed_at = t.changed_at AND t.deleted_at IS NULL)',
      returning: true,
    }),
  );
  // Deletions: a tombstone; the other columns keep what was last loaded.
  const del = await q.query<{ evaluation_id: string }>(`INSERT INTO ${s}.evaluations AS t (evaluation_id, changed_at, deleted_at)
    SELECT evaluation_id, changed_at, deleted_at FROM ${staged} WHERE deleted_at IS NOT NULL ORDER BY evaluation_id
  ON CONFLICT (evaluation_id) DO UPDATE SET changed_at = excluded.changed_at, deleted_at = excluded.deleted_at, loaded_at = now()
    WHERE excluded.changed_at >= t.changed_at
  RETURNING evaluation_id`);
  // Question scores of every evaluation written are replaced: removed, then (upserts) COPYed straight in.
  const upserted = up.rows.map((r) => r.evaluation_id);
  const touched = upserted.concat(del.rows.map((r) => r.evaluation_id));
  if (touched.length > 0) await q.query(`DELETE FROM ${s}.evaluation_question_scores WHERE evaluation_id = ANY ($1::uuid[])`, [touched]);
  let questionScores = 0;
  let calibrations = false;
  let stagedUpserts = 0;
  for (const e of p.latest.values()) if (e.upsert) stagedUpserts++;
  const segments: Array<StagedEvaluation['scores']> = [];
  for (const id of upserted) {
    const e = p.latest.get(id)?.upsert;
    if (!e) throw new Error(`internal: the server returned evaluation ${id}, which this batch did not stage`);
    segments.push(e.scores);
    questionScores += e.scoreCount;
    if (e.calibrationId !== null) calibrations = true;
  }
  if (questionScores > 0) {
    // Every staged upsert written and no change of the batch superseded (the usual case): the tuples as encoded.
    const whole = upserted.length === stagedUpserts && p.latest.size === p.changes;
    const tuples = whole ? p.scores : segmentSlices(p.scores, segments);
    await q.copyFrom(`${s}.evaluation_question_scores`, QUESTION_SCORE_COLUMNS, [BINARY_HEADER, ...tuples, BINARY_TRAILER], 'binary');
  }
  if (calibrations) {
    await q.query(
      `INSERT INTO ${s}.calibrations AS t (calibration_id, conversation_id, form_id, form_context_id, changed_at)
  SELECT DISTINCT ON (e.calibration_id) e.calibration_id, e.conversation_id, e.form_id, e.form_context_id, e.changed_at
    FROM ${staged} e
    WHERE e.calibration_id IS NOT NULL AND e.deleted_at IS NULL AND e.evaluation_id = ANY ($1::uuid[])
    ORDER BY e.calibration_id, e.changed_at DESC
  ON CONFLICT (calibration_id) DO UPDATE SET conversation_id = excluded.conversation_id, form_id = excluded.form_id,
    form_context_id = excluded.form_context_id, changed_at = excluded.changed_at
    WHERE excluded.changed_at >= t.changed_at`,
      [upserted],
    );
  }
  await writeStateIn(q, s, p.state);
  return { upserted: up.rows.length, deleted: del.rows.length, questionScores };
}
