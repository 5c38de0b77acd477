/**
 * The details-query page is checked by hand (src/analytics/details-query.ts DetailsPageCheck: it sits between the first
 * page and the first evaluation GET, issue 19 start-up) and must refuse exactly what the zod schema it replaced
 * refused: a page whose conversations are not objects with a string conversationId, a totalHits that is not a
 * number, aggregations that are not an array, a body that is not an object. Each is an UnexpectedResponseError
 * naming the path, before any evaluation is fetched or written.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { QualityExporter, UnexpectedResponseError } from '@org/gc-data';
import { arraySink, DETAILS_ROUTE, EVAL_ROUTE, routeCount, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ rateLimit: false, tokenRateLimit: false });
const interval = '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z';
const DETAILS = '/api/v2/analytics/conversations/details/query';

/** Serves the org's first details page rewritten by `spoil`. */
function spoilFirstPage(spoil: (body: Record<string, unknown>) => unknown): void {
  sim.server.use(
    http.post(
      `${sim.org.apiBaseUrl}${DETAILS}`,
      async ({ request }) => {
        const res = (await sim.org.handle(request)) as Response;
        const body = (await res.json()) as Record<string, unknown>;
        return HttpResponse.json(spoil(body) as never, { status: res.status });
      },
      { once: true },
    ),
  );
}

async function failure(): Promise<{ err: unknown; rows: number }> {
  const sink = arraySink();
  const err = await new QualityExporter(sim.client()).exportTo(sink, { interval }).catch((e: unknown) => e);
  return { err, rows: sink.rows.length };
}

const cases: Array<[string, (body: Record<string, unknown>) => unknown, string]> = [
  ['a conversation without conversationId', (b) => ({ ...b, conversations: (b.conversations as object[]).map((c, i) => (i === 3 ? { ...c, conversationId: undefined } : c)) }), 'conversations[3].conversationId'],
  ['a conversationId that is a number', (b) => ({ ...b, conversations: (b.conversations as object[]).map((c, i) => (i === 0 ? { ...c, conversationId: 7 } : c)) }), 'conversations[0].conversationId'],
  ['a conversation that is not an object', (b) => ({ ...b, conversations: [...(b.conversations as object[]).slice(0, 2), 'x'] }), 'conversations[2]'],
  ['conversations that are not an array', (b) => ({ ...b, conversations: { 0: 'x' } }), 'conversations'],
  ['totalHits that is not a number', (b) => ({ ...b, totalHits: '12' }), 'totalHits'],
  ['aggregations that are not an array', (b) => ({ ...b, aggregations: {} }), 'aggregations'],
  ['a body that is an array', (b) => [b], ''],
];

describe('details-query page: every check of the schema it replaced', () => {
  it.each(cases)('%s: UnexpectedResponseError naming the path, no evaluation fetched or written', async (_name, spoil, path) => {
    spoilFirstPage(spoil);
    const { err, rows } = await failure();
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as UnexpectedResponseError).issues.map((i) => i.path)).toContain(path);
    expect((err as UnexpectedResponseError).message).toContain(DETAILS);
    expect(rows).toBe(0);
    expect(routeCount(sim.org, EVAL_ROUTE)).toBe(0);
    expect(routeCount(sim.org, DETAILS_ROUTE)).toBe(1);
  });

  it('a well-formed page is handed on as parsed: the export completes', async () => {
    const sink = arraySink();
    const summary = await new QualityExporter(sim.client()).exportTo(sink, { interval });
    expect(summary.rows).toBeGreaterThan(0);
    expect(sink.rows).toHaveLength(summary.rows);
  });
});
