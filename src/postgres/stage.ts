/**
 * The one loading pattern of the warehouse: COPY the batch into a temp staging table shaped like the target (dropped
 * at commit), then one `INSERT ... SELECT ... ON CONFLICT DO UPDATE` from it. COPY is the fast way in; the staging
 * table lets one statement decide, row by row, whether a change is newer than what the table holds.
 */
import type { Session } from './driver';

/**
 * Creates `gc_stage_<table>` like `<s>.<table>` (or with the column `definition` given) and COPYs `data` (text
 * format, or binary with its header and trailer) into it. Returns the stage's name.
 */
export async function stage(
  q: Session,
  s: string,
  table: string,
  columns: readonly string[],
  data: Iterable<Buffer | string>,
  format: 'text' | 'binary' = 'text',
  definition?: string,
): Promise<string> {
  const name = `gc_stage_${table}`;
  // INCLUDING COMPRESSION: a jsonb document is compressed once, in the stage (lz4 where the server has it), and the
  // INSERT ... SELECT below stores the compressed value as it is. LIKE holds a lock on the table until the commit;
  // a stage made while an earlier batch is still written takes its `definition` instead (see apply-evaluations.ts).
  await q.exec(`CREATE TEMP TABLE ${name} (${definition ?? `LIKE ${s}.${table} INCLUDING DEFAULTS INCLUDING COMPRESSION`}) ON COMMIT DROP`);
  await q.copyFrom(name, columns, data, format);
  return name;
}

/**
 * `INSERT INTO <s>.<table> (columns) SELECT columns FROM <stage> ON CONFLICT (key) DO UPDATE SET <every other column>,
 * loaded_at = now() [WHERE guard]`. Rows go in key order, so two writers of overlapping batches lock rows in the same
 * order (no deadlock).
 */
export function upsertSql(s: string, table: string, stageName: string, key: string, columns: readonly string[], opts: { guard?: string; filter?: string; returning?: boolean } = {}): string {
  const cols = columns.join(', ');
  const set = columns.filter((k) => k !== key).map((k) => `${k} = excluded.${k}`);
  return `INSERT INTO ${s}.${table} AS t (${cols})
    SELECT ${cols} FROM ${stageName}${opts.filter ? ` WHERE ${opts.filter}` : ''} ORDER BY ${key}
  ON CONFLICT (${key}) DO UPDATE SET ${set.join(', ')}, loaded_at = now()${opts.guard ? `
    WHERE ${opts.guard}` : ''}${opts.returning ? `
  RETURNING ${key}` : ''}`;
}
