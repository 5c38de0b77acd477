/**
 * Schema experiments for the server's CPU per evaluation (issue 20): the same evaluations loaded through apply() into
 * the warehouse's schema as migrated, and into variants of it made by a statement run after the migration, alternating,
 * on fresh schemas. Reports server CPU (the postmaster's processes, from /proc, its exited children included) per
 * evaluation for new rows and for every row updated, medians of the rounds.
 *
 *   DATABASE_URL=postgres://... node --import tsx bench/warehouse/schema-ab.ts [--rows 20000] [--rounds 3]
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createPostgresWarehouse, type EvaluationChange } from '../../src/postgres/index';
import { median } from '../lib';
import { evaluationDoc } from './docs';
import { databaseUrl, numberArg } from './setup';

const ROWS = numberArg('rows', 20_000);
const ROUNDS = numberArg('rounds', 3);
const BATCH = 5_000;
const URL_ = databaseUrl('bench/warehouse/schema-ab.ts');

/** Each variant: SQL run on the migrated schema `s` (quoted) before loading. */
const VARIANTS: Record<string, (s: string) => string> = {
  'as migrated (version 2)': () => '',
  'evaluations fillfactor 90': (s) => `ALTER TABLE ${s}.evaluations SET (fillfactor = 90)`,
  'evaluations without its 3 secondary indexes': (s) =>
    `DROP INDEX ${s}.evaluations_conversation_idx; DROP INDEX ${s}.evaluations_agent_date_idx; DROP INDEX ${s}.evaluations_calibration_idx`,
};

const texts: string[] = [];
for (let b = 0; b < ROWS; b += BATCH) texts.push(JSON.stringify(Array.from({ length: Math.min(BATCH, ROWS - b) }, (_, i) => evaluationDoc(b + i, 12, '2024-05-20T00:00:00.000Z'))));
const batch = (b: number, changedAt?: string): EvaluationChange[] =>
  (JSON.parse(texts[b] as string) as Array<ReturnType<typeof evaluationDoc>>).map((row) => (changedAt ? { op: 'upsert' as const, row, changedAt } : { op: 'upsert' as const, row }));

const admin = new pg.Pool({ connectionString: URL_, max: 1 });
const [{ pid }] = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
const stat = (p: number | string) => {
  try {
    const st = readFileSync(`/proc/${p}/stat`, 'utf8');
    return st.slice(st.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
};
const postmaster = Number(stat(pid)?.[1]);
const serverMs = () => {
  let t = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === postmaster) continue;
    const f = stat(d);
    if (f && Number(f[1]) === postmaster) t += Number(f[11]) + Number(f[12]);
  }
  const p = stat(postmaster) as string[];
  return (t + Number(p[11]) + Number(p[12]) + Number(p[13]) + Number(p[14])) * 10;
};

const res = new Map<string, { insert: number[]; update: number[] }>();
let k = 0;
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(VARIANTS);
  for (let r = 0; r < round; r++) names.push(names.shift() as string);
  for (const name of names) {
    const schema = `schema_ab_${process.pid}_${k++}`;
    const w = createPostgresWarehouse({ connectionString: URL_, schema });
    await w.migrate();
    const sql = VARIANTS[name]?.(`"${schema}"`);
    if (sql) await admin.query(sql);
    const s0 = serverMs();
    for (let b = 0; b < texts.length; b++) await w.apply(batch(b));
    const s1 = serverMs();
    for (let b = 0; b < texts.length; b++) await w.apply(batch(b, '2024-05-21T00:00:00.000Z'));
    const s2 = serverMs();
    await w.close();
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    const r = res.get(name) ?? { insert: [], update: [] };
    r.insert.push(((s1 - s0) * 1000) / ROWS);
    r.update.push(((s2 - s1) * 1000) / ROWS);
    res.set(name, r);
    console.log(`round ${round + 1} ${name}: server ${r.insert.at(-1)?.toFixed(1)} µs/evaluation new, ${r.update.at(-1)?.toFixed(1)} µs updated`);
  }
}
for (const [name, r] of res) console.log(`MEDIAN ${name}: ${median(r.insert).toFixed(1)} µs new, ${median(r.update).toFixed(1)} µs updated (server CPU per evaluation)`);
await admin.end();
