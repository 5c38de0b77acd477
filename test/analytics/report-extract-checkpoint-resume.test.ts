import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTRACT_CHECKPOINT_KIND } from '../../src/analytics/extract-checkpoint';
import { ReportQueries } from '../../src/analytics/report-jobs';
import { ExtractCheckpointState } from '../../src/analytics/schemas';
import { ValidationError } from '../../src/index';
import { FileCheckpoint, MemoryCheckpoint } from '../../src/sinks/checkpoint';
import { NdjsonSink } from '../../src/sinks/ndjson';
import { JOBS, collect, dayInterval, fakeTime, fastReports, fastClient, useSimulatedOrg } from './helpers';

const TTL = 3_600_000;
const { sim, server } = useSimulatedOrg({ jobs: { ttlMs: TTL } });

/** Cursors of results requests per job id, as the org received them. */
function logResults(): Map<string, Array<string | null>> {
  const byJob = new Map<string, Array<string | null>>();
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    const m = /\/jobs\/([^/]+)\/results$/.exec(url.pathname);
    if (!m) return;
    const list = byJob.get(m[1]!) ?? [];
    list.push(url.searchParams.get('cursor'));
    byJob.set(m[1]!, list);
  });
  return byJob;
}

const options = (interval: string) => ({ interval, chunk: 'PT6H', concurrency: 2, pageSize: 20, project: (c: { conversationId: string }) => c.conversationId });

async function firstRun(interval: string, checkpoint: MemoryCheckpoint<ExtractCheckpointState>, stopAfter: number, reports: ReportQueries) {
  const rows: string[] = [];
  for await (const id of reports.extract({ ...options(interval), checkpoint })) {
    rows.push(id);
    if (rows.length === stopAfter) break;
  }
  return rows;
}

describe('a new process resumes from the checkpoint', () => {
  it('continues the in-progress jobs from their saved cursors: no gap, duplicates only from the page being read', async () => {
    const interval = dayInterval(sim, 1, 2);
    const truth = new Set(sim.truth.conversations({ interval, activity: true }));
    const checkpoint = new MemoryCheckpoint<ExtractCheckpointState>();

    const clientA = fastClient(sim);
    const a = await firstRun(interval, checkpoint, 130, fastReports(clientA));
    await clientA.close();
    const saved = (await checkpoint.load())!;
    expect(saved.rows).toBeLessThanOrEqual(130);
    expect(saved.rows).toBeGreaterThan(130 - 20);
    const inProgress = Object.values(saved.active).map((w) => w.job).filter((j) => j !== undefined);
    expect(inProgress.length).toBeGreaterThan(0);
    expect(sim.stats.count(`DELETE ${JOBS}/{jobId}`)).toBe(0);
    const postsBefore = sim.stats.count(`POST ${JOBS}`);

    // "Process B": a new client and a new ReportQueries; only the checkpoint is shared.
    const log = logResults();
    const clientB = fastClient(sim);
    const extraction = fastReports(clientB).extract({ ...options(interval), checkpoint });
    const b = await collect(extraction);
    await clientB.close();

    for (const job of inProgress) {
      expect(log.get(job.id)?.[0]).toBe(job.cursor ?? null);
      expect(log.get(job.id)).not.toContain(null);
    }
    const union = new Set([...a, ...b]);
    expect(union).toEqual(truth);
    expect(new Set(b).size).toBe(b.length);
    const repeated = b.filter((id) => a.includes(id)).length;
    expect(repeated).toBe(130 - saved.rows);
    expect(a.length + b.length - repeated).toBe(truth.size);
    // Windows finished by A are not submitted again; those A had not started are.
    let toSubmit = 0;
    for (let i = 0; i < saved.windowsTotal; i++) {
      if (saved.done.some(([x, y]) => i >= x && i <= y)) continue;
      const w = saved.active[i];
      toSubmit += w ? w.pending.length : 1;
    }
    expect(saved.windowsTotal).toBe(8);
    expect(sim.stats.count(`POST ${JOBS}`) - postsBefore).toBe(toSubmit);
    expect(extraction.summary.resumedFrom).toEqual({ rows: saved.rows, duplicates: saved.duplicates });
    expect(await checkpoint.load()).toBeUndefined();
  });

  it('resubmits a window whose job expired meanwhile and skips the rows already emitted', async () => {
    const clock = fakeTime();
    const interval = dayInterval(sim, 1, 2);
    const truth = new Set(sim.truth.conversations({ interval, activity: true }));
    const checkpoint = new MemoryCheckpoint<ExtractCheckpointState>();
    const clientA = fastClient(sim, { clock });
    const a = await firstRun(interval, checkpoint, 130, new ReportQueries(clientA));
    await clientA.close();
    const saved = (await checkpoint.load())!;

    // The jobs A left behind expire on the org's clock (the same fake clock).
    await clock.advance(TTL + 1);
    const clientB = fastClient(sim, { clock });
    const extraction = new ReportQueries(clientB).extract({ ...options(interval), checkpoint });
    const b = await collect(extraction);
    await clientB.close();

    expect(extraction.summary.resubmits.length).toBe(Object.values(saved.active).filter((w) => w.job).length);
    expect(extraction.summary.resubmits.every((r) => r.reason === 'EXPIRED')).toBe(true);
    expect(new Set([...a, ...b])).toEqual(truth);
    const repeated = b.filter((id) => a.includes(id)).length;
    expect(repeated).toBe(130 - saved.rows);
    expect(extraction.summary.duplicates).toBeGreaterThan(0);
  });

  it('with beforeCheckpoint flushing an NDJSON sink and rewindTo on restart, the file holds every row exactly once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gc-report-'));
    try {
      const file = join(dir, 'rows.ndjson');
      const checkpoint = new MemoryCheckpoint<ExtractCheckpointState>();
      const interval = dayInterval(sim, 1, 2);
      const run = async (stopAfter: number) => {
        const saved = await checkpoint.load();
        const sink = new NdjsonSink<{ conversationId: string }>(file, { append: true });
        if (saved) await sink.rewindTo(saved.rows);
        const client = fastClient(sim);
        let n = 0;
        for await (const row of fastReports(client).extract({ ...options(interval), project: (c) => ({ conversationId: c.conversationId }), checkpoint, beforeCheckpoint: () => sink.flush() })) {
          await sink.write(row);
          if (++n === stopAfter) break;
        }
        await sink.close();
        await client.close();
      };
      await run(77);
      await run(Number.POSITIVE_INFINITY);
      const ids = (await readFile(file, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { conversationId: string }).conversationId);
      expect(ids).toHaveLength(new Set(ids).size);
      expect(new Set(ids)).toEqual(new Set(sim.truth.conversations({ interval, activity: true })));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('works with a FileCheckpoint, and refuses the checkpoint of another extract', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gc-report-'));
    try {
      const path = join(dir, 'extract.json');
      const checkpoint = new FileCheckpoint<ExtractCheckpointState>(path, { kind: EXTRACT_CHECKPOINT_KIND, parse: (s) => ExtractCheckpointState.parse(s) });
      const interval = dayInterval(sim, 1, 2);
      const client = fastClient(sim);
      const a: string[] = [];
      for await (const id of fastReports(client).extract({ ...options(interval), checkpoint })) if (a.push(id) === 50) break;
      const other = fastReports(client).extract({ ...options(dayInterval(sim, 2, 2)), checkpoint });
      const err = await collect(other).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0]).toMatchObject({ path: 'checkpoint', code: 'checkpoint_mismatch' });
      const b = await collect(fastReports(client).extract({ ...options(interval), checkpoint }));
      expect(new Set([...a, ...b])).toEqual(new Set(sim.truth.conversations({ interval, activity: true })));
      expect(await checkpoint.load()).toBeUndefined();
      await client.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
