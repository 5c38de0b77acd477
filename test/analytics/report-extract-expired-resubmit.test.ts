import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { JobFailedError } from '../../src/index';
import { JOBS, collect, dayInterval, expectEachConversationOnce, extractIds, fastReports, jobInfo, overrideJobStatus, fastClient, useSimulatedOrg, recordWarnings } from './helpers';

const { sim, server } = useSimulatedOrg();

describe('EXPIRED -> resubmit', () => {
  it('a job that ends EXPIRED before its results are read is resubmitted', async () => {
    overrideJobStatus(server, sim, (job) => (job.seq === 0 ? { state: 'EXPIRED' } : undefined));
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const interval = dayInterval(sim, 1);
    const { ids, extraction } = await extractIds(fastReports(client), { interval, chunk: 'P1D' });
    expectEachConversationOnce(sim, ids, interval);
    expect(extraction.summary.resubmits).toEqual([expect.objectContaining({ reason: 'EXPIRED', rowsBefore: 0 })]);
    expect(extraction.summary.jobsSubmitted).toBe(2);
    expect(warnings.filter((w) => w.code === 'job-resubmitted')).toHaveLength(1);
    await client.close();
  });

  it('a job that expires while its results are read is resubmitted; rows already emitted are skipped', async () => {
    const expired = new Set<string>();
    let firstJobPages = 0;
    overrideJobStatus(server, sim, (job) => (expired.has(job.id) ? { state: 'EXPIRED' } : undefined));
    server.use(
      http.get(`${sim.apiBaseUrl}${JOBS}/:jobId/results`, ({ params }) => {
        const info = jobInfo(sim, String(params.jobId));
        if (info?.seq !== 0) return undefined;
        if (++firstJobPages === 4) expired.add(info.id);
        if (expired.has(info.id)) {
          return HttpResponse.json({ message: 'Results are not available: the job is EXPIRED.', code: 'bad.request', status: 400 }, { status: 400 });
        }
        return undefined;
      }),
    );
    const client = fastClient(sim);
    const interval = dayInterval(sim, 1);
    const { ids, extraction } = await extractIds(fastReports(client), { interval, chunk: 'P1D', pageSize: 30 });
    expectEachConversationOnce(sim, ids, interval);
    expect(extraction.summary.resubmits).toEqual([expect.objectContaining({ reason: 'EXPIRED', rowsBefore: 90 })]);
    // The resubmitted job returned the first 90 again; they were skipped, not yielded.
    expect(extraction.summary.duplicates).toBe(90);
    await client.close();
  });

  it('stops after maxResubmits with JobFailedError EXPIRED', async () => {
    overrideJobStatus(server, sim, () => ({ state: 'EXPIRED' }));
    const client = fastClient(sim);
    const err = await collect(fastReports(client, { maxResubmits: 1 }).extract({ interval: dayInterval(sim, 1), chunk: 'P1D' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).state).toBe('EXPIRED');
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(2);
    await client.close();
  });
});
