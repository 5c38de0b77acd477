/**
 * A/B of two warehouse loaders, alternating in one process: this checkout's and another checkout's (e.g. the commit
 * before a change), 4 rounds each of 20,000 new evaluations (12 questions, batches of 5,000) through apply(), each on a
 * fresh schema. Reports wall-clock rows/s and CPU per evaluation (this process, and the server's processes from /proc
 * including its exited children), medians. The machine may be loaded: alternating makes both sides meet it alike.
 *
 *   DATABASE_URL=postgres://... PREVIOUS_WAREHOUSE=/path/to/other-checkout/src/postgres/index.ts \
 *     node --import tsx bench/warehouse/ab.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createPostgresWarehouse as newWh, type EvaluationChange } from '../../src/postgres/index';
const PREVIOUS = process.env.PREVIOUS_WAREHOUSE;
if (!PREVIOUS || !process.env.DATABASE_URL) {
  console.error('usage: DATABASE_URL=postgres://... PREVIOUS_WAREHOUSE=/path/to/other-checkout/src/postgres/index.ts node --import tsx bench/warehouse/ab.ts');
  process.exit(2);
}
const { createPostgresWarehouse: oldWh } = (await import(PREVIOUS)) as { createPostgresWarehouse: typeof newWh };
import { evaluationDoc } from './docs';
const URL_ = process.env.DATABASE_URL!;
const N = 20000, B = 5000;
const docs = Array.from({ length: N }, (_, n) => evaluationDoc(n, 12, '2024-05-20T00:00:00.000Z'));
const batches: EvaluationChange[][] = []; for (let b = 0; b < N; b += B) batches.push(docs.slice(b, b + B).map((row) => ({ op: 'upsert' as const, row })));
const admin = new pg.Pool({ connectionString: URL_, max: 1 });
const [{ pid }] = (await admin.query('SELECT pg_backend_pid() AS pid')).rows;
const postmaster = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
const serverCpu = () => { let t = 0; for (const d of readdirSync('/proc')) { if (!/^\d+$/.test(d)) continue; let st; try { st = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; } const f = st.slice(st.lastIndexOf(')') + 2).split(' '); if (Number(d) !== postmaster && Number(f[1]) !== postmaster) continue; t += Number(f[11]) + Number(f[12]); if (Number(d) === postmaster) t += Number(f[13]) + Number(f[14]); } return t * 10; };
const nodeCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const res: Record<string, { wall: number[]; cpu: number[]; node: number[]; server: number[] }> = { old: { wall: [], cpu: [], node: [], server: [] }, new: { wall: [], cpu: [], node: [], server: [] } };
let k = 0;
for (let round = 0; round < 4; round++) {
  for (const side of round % 2 ? ['new', 'old'] : ['old', 'new']) {
    const schema = `ab_${side}_${process.pid}_${k++}`;
    const w = (side === 'old' ? oldWh : newWh)({ connectionString: URL_, schema });
    await w.migrate();
    const s0 = serverCpu(), n0 = nodeCpu(), t0 = performance.now();
    for (const b of batches) await w.apply(b);
    const wall = performance.now() - t0, n1 = nodeCpu(), s1 = serverCpu();
    await w.close();
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    const r = res[side]!; r.wall.push(N / wall * 1000); r.cpu.push(N / ((n1 - n0 + s1 - s0) / 1000)); r.node.push((n1 - n0) / N * 1000); r.server.push((s1 - s0) / N * 1000);
    console.log(`${side}: ${Math.round(N / wall * 1000)} rows/s wall, ${Math.round(N / ((n1 - n0 + s1 - s0) / 1000))} rows/s of CPU (node ${((n1 - n0) / N * 1000).toFixed(1)} us + server ${((s1 - s0) / N * 1000).toFixed(1)} us per evaluation)`);
  }
}
const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return (s[1]! + s[2]!) / 2; };
for (const side of ['old', 'new']) { const r = res[side]!; console.log(`MEDIAN ${side}: wall ${Math.round(med(r.wall))}/s, CPU ${Math.round(med(r.cpu))}/s, node ${med(r.node).toFixed(1)} us, server ${med(r.server).toFixed(1)} us per evaluation`); }
await admin.end();
