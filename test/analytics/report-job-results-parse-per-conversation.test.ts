import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { UnexpectedResponseError } from '../../src/index';
import { JOBS, collect, dayInterval, fastReports, fastClient, useSimulatedOrg } from './helpers';

const { sim, server } = useSimulatedOrg();

/** Answers every results request with `body` (as raw text, so malformed shapes reach the client). */
function resultsBody(body: string) {
  server.use(http.get(`${sim.apiBaseUrl}${JOBS}/:jobId/results`, () => new HttpResponse(body, { headers: { 'content-type': 'application/json' } })));
}

async function fulfilledJob() {
  const client = fastClient(sim);
  const job = await fastReports(client).submit({ interval: dayInterval(sim, 1) });
  await job.wait();
  return job;
}

describe('results pages are parsed one conversation at a time', () => {
  it('reads every conversation and the cursor of a page whatever the key order and spacing', async () => {
    const job = await fulfilledJob();
    const expected = sim.truth.jobConversations(job.id);
    // The real page, re-serialised with the cursor first and pretty-printed: the scan must not depend on layout.
    const original = await collect(job.pages({ pageSize: 1000 }));
    expect(original.flatMap((p) => p.items.map((c) => c.conversationId))).toEqual(expected);
    const conversations = original.flatMap((p) => p.items);
    resultsBody(JSON.stringify({ dataAvailabilityDate: '2026-01-01T00:00:00.000Z', conversations }, null, 2));
    const pages = await collect(job.pages());
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items).toEqual(conversations);
    expect(pages[0]?.dataAvailabilityDate).toBe('2026-01-01T00:00:00.000Z');
  });

  it('results() yields the conversations before a malformed one, then names it in an UnexpectedResponseError', async () => {
    const job = await fulfilledJob();
    resultsBody('{"conversations":[{"conversationId":"c-1"},{"conversationStart":"2026-01-01T00:00:00Z"},{"conversationId":"c-3"}]}');
    const seen: string[] = [];
    const err = await (async () => {
      for await (const c of job.results()) seen.push(c.conversationId);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['c-1']);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as UnexpectedResponseError).issues[0]?.path).toBe('conversations[1].conversationId');
  });

  it('pages() checks every conversation before it hands out the page', async () => {
    const job = await fulfilledJob();
    resultsBody('{"conversations":[{"conversationId":"c-1"},{"conversationId":"c-2"},{"conversationId":"c-3"'); // cut short
    await expect(collect(job.pages())).rejects.toThrow(/body is not valid JSON/);
    resultsBody('{"conversations":[{"conversationId":"c-1"},{"conversationId":"c-2",}]}');
    const err = await collect(job.pages()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as UnexpectedResponseError).issues[0]?.path).toBe('conversations[1]');
  });

  it('a body that is not the expected object gets the schema error, with the field path', async () => {
    const job = await fulfilledJob();
    resultsBody('{"conversations":{"conversationId":"c-1"},"cursor":7}');
    const err = await collect(job.pages()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as UnexpectedResponseError).issues.map((i) => i.path)).toEqual(expect.arrayContaining(['conversations', 'cursor']));
  });
});
