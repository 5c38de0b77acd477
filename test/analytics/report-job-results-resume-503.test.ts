import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../../src/index';
import { JOBS, collect, dayInterval, fastReports, fastClient, useSimulatedOrg, recordWarnings } from './helpers';

const { sim, server } = useSimulatedOrg();

/** Logs the cursor of every results request and answers 503 `failures` times for the cursor of page `page`. */
function flakyResults(page: number, failures: number) {
  const cursors: Array<string | null> = [];
  const distinct: Array<string | null> = [];
  let left = failures;
  server.use(
    http.get(`${sim.apiBaseUrl}${JOBS}/:jobId/results`, ({ request }) => {
      const cursor = new URL(request.url).searchParams.get('cursor');
      cursors.push(cursor);
      if (!distinct.includes(cursor)) distinct.push(cursor);
      if (distinct.indexOf(cursor) === page - 1 && left > 0) {
        left--;
        return HttpResponse.json(
          { message: 'The service is temporarily unavailable.', code: 'service.unavailable', status: 503 },
          { status: 503 },
        );
      }
      return undefined;
    }),
  );
  return { cursors };
}

describe('results: a 429/503 mid-way resumes from the same cursor, never from the start', () => {
  it('a 503 the transport retries: the same cursor is asked again, no duplicate, no gap', async () => {
    const log = flakyResults(3, 1);
    const client = fastClient(sim);
    const job = await fastReports(client).submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    const ids = (await collect(job.results({ pageSize: 40 }))).map((c) => c.conversationId);
    expect(ids).toEqual(sim.truth.jobConversations(job.id));
    expect(log.cursors[0]).toBeNull();
    expect(log.cursors[2]).toBe(log.cursors[3]);
    expect(log.cursors.slice(1).every((c) => c !== null)).toBe(true);
    expect(client.stats().retries).toBe(1);
    await client.close();
  });

  it('a 503 that outlasts the transport retries: the iterator fetches the same cursor again itself', async () => {
    const log = flakyResults(3, 3);
    // Two attempts per request in the transport: the first request fails twice, the iterator's re-fetch fails once then succeeds.
    const client = fastClient(sim, { retry: { limit: 1 } });
    const warnings = recordWarnings(client);
    const job = await fastReports(client).submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    const ids = (await collect(job.results({ pageSize: 40 }))).map((c) => c.conversationId);
    expect(ids).toEqual(sim.truth.jobConversations(job.id));
    expect(new Set(ids).size).toBe(ids.length);
    const third = log.cursors[2];
    expect(third).not.toBeNull();
    expect(log.cursors.slice(2, 6)).toEqual([third, third, third, third]);
    expect(log.cursors.filter((c) => c === null)).toHaveLength(1);
    expect(warnings.filter((w) => w.code === 'results-retry')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ jobId: job.id, attempt: 1, firstPage: false }) }),
    ]);
    await client.close();
  });

  it('results({ cursor }) resumes where a previous reader stopped (resumeCursor)', async () => {
    const client = fastClient(sim);
    const reports = fastReports(client);
    const job = await reports.submit({ interval: dayInterval(sim, 2) });
    await job.wait();
    const first: string[] = [];
    for await (const c of job.results({ pageSize: 25 })) {
      first.push(c.conversationId);
      if (first.length === 60) break;
    }
    // Mid-page stop: resumeCursor is the cursor of the page being read, so its rows come again (at least once).
    const resume = job.resumeCursor;
    expect(typeof resume).toBe('string');
    const again = reports.job(job.id);
    const rest = (await collect(again.results({ pageSize: 25, cursor: resume as string }))).map((c) => c.conversationId);
    const all = sim.truth.jobConversations(job.id);
    expect(rest).toEqual(all.slice(50));
    await client.close();
  });

  it('gives up after resultRetries re-fetches with the ServerError', async () => {
    flakyResults(2, 1_000);
    const client = fastClient(sim, { retry: { limit: 0 } });
    const job = await fastReports(client, { resultRetries: 2 }).submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    const err = await collect(job.results({ pageSize: 40 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).status).toBe(503);
    await client.close();
  });
});
