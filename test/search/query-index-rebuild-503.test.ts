import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { InteractionSearch, ServerError, type WarningEvent } from '@org/gc-data';
import { useSimulatedOrg } from '../support/sim';

// Fast transport retries (limit 2): the index keeps answering 503 longer than they last, as a rebuild does.
// No retry budget: these tests are about the index wait, not the failure storm. With the budget, the 6th try of a
// 503 streak drains it below half, the transport takes the streak for a storm and retries that one request until
// `retry.giveUpAfterMs` (5 min) instead of handing the 503 back; whether a 50-ms index wait saw 5 or 6 tries before
// it ran out depended on the machine's load (the CI run of a9943f7 timed out here). test/transport covers storms.
const { org: sim, server, client } = useSimulatedOrg(
  { seed: 404, anchor: 'now', rateLimit: false },
  { client: { retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5, budget: false } } },
);

const DAY = 86_400_000;
const dayInterval = () => {
  const end = Math.floor(sim.data.end / DAY) * DAY;
  return `${new Date(end - DAY).toISOString()}/${new Date(end).toISOString()}`;
};
const DETAILS = `${sim.apiBaseUrl}/api/v2/analytics/conversations/details/query`;

/** Page `page` of the details query answers 503 for its first `times` requests, then the org answers. */
function rebuildingAt(page: number, times: number) {
  let left = times;
  server.use(
    http.post(DETAILS, async ({ request }) => {
      const body = (await request.clone().json()) as { paging?: { pageNumber?: number } };
      if ((body.paging?.pageNumber ?? 1) === page && left > 0) {
        left--;
        return HttpResponse.json({ message: 'index rebuilding', code: 'service.unavailable', status: 503 }, { status: 503 });
      }
      return undefined;
    }),
  );
  return () => times - left;
}

async function ids(it: AsyncIterable<{ conversationId: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(c.conversationId);
  return out;
}

describe('InteractionSearch.query waits out a rebuilding index (seed 004)', () => {
  it('a 503 streak on page 2 longer than the transport retries: waited out, resumed at page 2, every conversation once', async () => {
    const answered503 = rebuildingAt(2, 9);
    const c = client();
    const warnings: WarningEvent[] = [];
    c.on('warning', (w) => warnings.push(w));
    const interval = dayInterval();
    const got = await ids(new InteractionSearch(c).query({ interval }));
    expect(got).toEqual(sim.truth.conversations({ interval }));
    expect(answered503()).toBe(9);
    // 3 transport attempts per try: 9 answers of 503 are three tries the transport gave up on, each waited out.
    expect(warnings.filter((w) => w.code === 'search-index-rebuilding')).toHaveLength(3);
    expect(warnings[0]?.details).toMatchObject({ page: 2 });
  });

  it('indexWaitMs: 0 gives the ServerError as soon as the transport gives up', async () => {
    rebuildingAt(1, 100);
    const err = await ids(new InteractionSearch(client()).query({ interval: dayInterval(), indexWaitMs: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).status).toBe(503);
  });

  it('past indexWaitMs the 503 is thrown, not waited on forever', async () => {
    rebuildingAt(1, 10_000);
    const err = await ids(new InteractionSearch(client()).query({ interval: dayInterval(), indexWaitMs: 50 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
  });
});
