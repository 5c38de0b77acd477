import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createPostgresWarehouse, type PostgresWarehouse } from '@org/gc-data/postgres';
import { batchState, STREAM, type CrashWorkerConfig } from './crash-worker';
import { changeBatches } from './fixtures';
import { DATABASE_URL, describePostgres } from './helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));
const worker = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));

/** Runs the worker; with `killAt`, SIGKILLs it once it announces that batch (a little later, anywhere inside it). */
function runWorker(config: CrashWorkerConfig, killAt?: { batch: number; delayMs: number }): Promise<{ killed: boolean; started: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, JSON.stringify(config)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const started: number[] = [];
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^start (\d+)$/.exec(line);
      if (!m) return;
      started.push(Number(m[1]));
      if (killAt && Number(m[1]) === killAt.batch) {
        setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, killAt.delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ killed: killed && signal === 'SIGKILL', started });
      else reject(new Error(`crash worker exited with ${code}: ${stderr.slice(0, 2000)}`));
    });
  });
}

async function snapshot(w: PostgresWarehouse) {
  const s = `"${w.schema}"`;
  return {
    evaluations: await w.query(`SELECT evaluation_id, total_score::text, status, changed_at, deleted_at, answers FROM ${s}.evaluations ORDER BY evaluation_id`),
    scores: await w.query(`SELECT evaluation_id, question_id, score::text FROM ${s}.evaluation_question_scores ORDER BY evaluation_id, question_id`),
    fingerprints: await w.query(`SELECT key, fingerprint FROM ${s}.sync_fingerprints ORDER BY key`),
    watermarks: await w.query(`SELECT window_key, state FROM ${s}.sync_watermarks ORDER BY window_key`),
  };
}

describePostgres('kill -9 during loading, then a rerun: the warehouse equals an uninterrupted load [postgres]', () => {
  it('four kills at different points of a 24-batch load, each followed by a rerun that resumes from the committed state', async () => {
    const config = { connectionString: DATABASE_URL, seed: 7, batches: 24, perBatch: 400, universe: 1500 };
    const suffix = `${process.pid}_${Date.now().toString(36)}`;
    const truth = createPostgresWarehouse({ connectionString: DATABASE_URL, schema: `crash_truth_${suffix}` });
    const crashed = createPostgresWarehouse({ connectionString: DATABASE_URL, schema: `crash_${suffix}` });
    try {
      // The truth: every batch applied once, in one process, without interruption.
      const batches = changeBatches(config.seed, config.batches, config.perBatch, config.universe);
      for (const [b, batch] of batches.entries()) await truth.apply(batch, { state: batchState(b, batch) });

      await crashed.migrate();
      const kills = [
        { batch: 2, delayMs: 0 },
        { batch: 6, delayMs: 15 },
        { batch: 6, delayMs: 40 },
        { batch: 15, delayMs: 5 },
      ];
      let killed = 0;
      for (const killAt of kills) {
        const r = await runWorker({ ...config, schema: crashed.schema }, killAt);
        if (r.killed) killed++;
      }
      expect(killed).toBe(kills.length);
      const rerun = await runWorker({ ...config, schema: crashed.schema });
      expect(rerun.started.length).toBeGreaterThan(0);
      expect(rerun.started.at(-1)).toBe(config.batches - 1);

      const [a, b] = [await snapshot(crashed), await snapshot(truth)];
      expect(a.evaluations.length).toBe(b.evaluations.length);
      expect(a.scores.length).toBe(b.scores.length);
      expect(a).toEqual(b);
      const dup = await crashed.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT evaluation_id FROM "${crashed.schema}".evaluations GROUP BY 1 HAVING count(*) > 1) d`);
      expect(dup[0]?.n).toBe(0);
      expect((await crashed.readWatermarks(STREAM)).get('batches')?.state).toEqual({ next: config.batches });
    } finally {
      for (const w of [truth, crashed]) {
        await w.query(`DROP SCHEMA IF EXISTS "${w.schema}" CASCADE`).catch(() => {});
        await w.close();
      }
    }
  });
});
