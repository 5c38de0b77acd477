/**
 * Issue 16, silent wrong data, quality search strategy: a search result that was not an evaluation was skipped
 * quietly (one row fewer, exit 0). Now the page is refused with an UnexpectedResponseError naming the result.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { QualityExporter, UnexpectedResponseError } from '@org/gc-data';
import { arraySink, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ rateLimit: false, tokenRateLimit: false });
const interval = '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z';

describe('quality search strategy: a result that is not an evaluation', () => {
  it('fails the export with an UnexpectedResponseError at results[i] instead of dropping the row', async () => {
    sim.server.use(
      http.post(`${sim.org.apiBaseUrl}/api/v2/quality/evaluations/search`, async ({ request }) => {
        const res = (await sim.org.handle(request)) as Response;
        const body = (await res.json()) as { results: Array<Record<string, unknown>> };
        if (body.results.length > 1) body.results[1] = { ...body.results[1], conversation: 'not-a-reference' };
        return HttpResponse.json(body, { status: res.status });
      }),
    );
    const sink = arraySink();
    const err = await new QualityExporter(sim.client(), { strategy: 'search' }).exportTo(sink, { interval }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as UnexpectedResponseError).issues[0]?.path).toMatch(/^results\[1\]\.conversation/);
    expect(sink.rows).toEqual([]);
  });
});
