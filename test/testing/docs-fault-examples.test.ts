/** The fault examples of docs/testing.md ("Testing a pipeline against a misbehaving platform"), run as written. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNdjsonSink, FileCheckpoint } from '@org/gc-data/sinks';
import { EntityMismatchError, IncompleteDataError, InteractionSearch, NotFoundError, QualityExporter, ReportQueries, type QualityExportState, type ScorecardRow } from '@org/gc-data';
import { startSimulatedServer } from '@org/gc-data/testing';
import { useSimulatedOrg } from '../support/sim';

const fixture = useSimulatedOrg({ rateLimit: false, tokenRateLimit: false, jobs: { queuedMs: 0, pendingMs: 0 } }, { allowHosts: ['127.0.0.1'] });
const org = fixture.org;
const client = () => fixture.client();
const interval = '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z';
const AVAIL = '/api/v2/analytics/conversations/details/jobs/availability';

describe('docs/testing.md fault examples', () => {
  it('emptyPageAt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-docs-'));
    const checkpoint = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });
    org.setFaults({ emptyPageAt: { page: 2 } });
    const first = createNdjsonSink(join(dir, 'evals.ndjson'));
    await expect(new QualityExporter(client(), { pageSize: 25 }).exportTo(first, { interval, checkpoint })).rejects.toBeInstanceOf(IncompleteDataError);
    await first.close();
    org.setFaults({ emptyPageAt: null });
    const second = createNdjsonSink(join(dir, 'evals.ndjson'), { append: true });
    const summary = await new QualityExporter(client(), { pageSize: 25 }).exportTo(second, { interval, checkpoint });
    await second.close();
    expect(summary.resumed).toBe(true);
  });

  it('shortPageAt', async () => {
    org.setFaults({ shortPageAt: { page: 2, times: 1 } });
    const all = await new InteractionSearch(client()).queryAll({ interval, pageSize: 50 });
    expect(all.map((c) => c.conversationId)).toEqual(org.truth.conversations({ interval }));
    org.setFaults({ shortPageAt: { page: 2, keep: 10 } });
    await expect(new InteractionSearch(client()).queryAll({ interval, pageSize: 50 })).rejects.toMatchObject({ name: 'IncompleteDataError', page: 2 });
  });

  it('wrongBodyRate', async () => {
    org.setFaults({ wrongBodyRate: 1, wrongBody: 'other' });
    const rows: ScorecardRow[] = [];
    const sink = { write: async (r: ScorecardRow) => void rows.push(r), close: async () => {}, get rowsWritten() { return rows.length; } };
    await expect(new QualityExporter(client()).exportTo(sink, { interval })).rejects.toBeInstanceOf(EntityMismatchError);
    expect(rows).toEqual([]);
  });

  it('cursorLoop', async () => {
    const job = await new ReportQueries(client()).submit({ interval });
    await job.wait({ immediate: true }); // the job is done at once: one status request, no wait
    org.setFaults({ cursorLoop: { fromPage: 2 } });
    const read = async () => {
      for await (const _ of job.results({ pageSize: 50 }));
    };
    await expect(read()).rejects.toBeInstanceOf(IncompleteDataError);
    org.setFaults({ cursorLoop: null });
    const rest: string[] = [];
    for await (const c of job.results({ pageSize: 50, cursor: job.resumeCursor as string })) rest.push(c.conversationId);
    expect(rest).toEqual(org.truth.jobConversations(job.id).slice(50));
  });

  it('dripBodyMs', async () => {
    const sim = await startSimulatedServer({ faults: { dripBodyMs: 60_000, dripChunks: 2 } });
    const stop = new AbortController();
    const res = await fetch(`${sim.url}${AVAIL}`, { headers: { authorization: `Bearer ${sim.org.issueToken()}` }, signal: stop.signal });
    expect(res.status).toBe(200);
    stop.abort();
    await sim.close();
  });

  it('echoAuthorization (the org side; the redaction is the client\'s)', async () => {
    org.setFaults({ echoAuthorization: true });
    const err = await new ReportQueries(client()).job('no-such-job').status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(org.stats.faults.echoAuthorization).toBe(1);
  });

  it('redirectTo', async () => {
    org.setFaults({ redirectTo: 'https://evil.example/steal' });
    const res = (await org.handle(new Request(`${org.apiBaseUrl}${AVAIL}`))) as Response;
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('https://evil.example/steal');
  });

  it('hugeBodyBytes', async () => {
    org.setFaults({ hugeBodyBytes: 50_000_000 });
    const res = (await org.handle(new Request(`${org.apiBaseUrl}${AVAIL}`, { headers: { authorization: `Bearer ${org.issueToken()}` } }))) as Response;
    expect(res.headers.get('content-length')).toBeNull();
    await res.body?.cancel();
  });
});
