/**
 * Benchmark driver: the same export the way seed 001's users write it on the official SDK
 * (purecloud-platform-client-v2): details query pages, then one GET per evaluation with a pool of 5, retrying a
 * 429 by sleeping its Retry-After; calibrations are dropped after fetching (`calibration` set), as the seed does
 * with `isCalibration`. Other errors are logged and the evaluation skipped, as a plain loop does.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const platformClient = require('purecloud-platform-client-v2');

const input = JSON.parse(process.argv[2] ?? '{}') as { url: string; interval: string; clientId: string; clientSecret: string };
const url = new URL(input.url);
const api = platformClient.ApiClient.instance;
api.setGateway({ host: url.hostname, protocol: 'http', port: Number(url.port) });
api.setReturnExtendedResponses(true);
let requests = 0;
let rateLimited = 0;
let errors = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call<T>(fn: () => Promise<{ body: T }>): Promise<T | undefined> {
  for (;;) {
    requests++;
    try {
      return (await fn()).body;
    } catch (e) {
      const err = e as { status?: number; headers?: Record<string, string> };
      if (err.status === 429) {
        rateLimited++;
        await sleep(Number(err.headers?.['retry-after'] ?? '1') * 1000);
        continue;
      }
      errors++;
      return undefined;
    }
  }
}

const started = performance.now();
const ids: string[] = [];
let error: string | undefined;
try {
  await api.loginClientCredentialsGrant(input.clientId, input.clientSecret);
  const analytics = new platformClient.AnalyticsApi();
  const quality = new platformClient.QualityApi();
  const pending: Array<{ cid: string; eid: string }> = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await call<{ conversations?: Array<{ conversationId: string; evaluations?: Array<{ evaluationId: string }> }> }>(() =>
      analytics.postAnalyticsConversationsDetailsQuery({
        interval: input.interval,
        order: 'asc',
        orderBy: 'conversationStart',
        evaluationFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'evaluationStatus', value: 'Finished' }] }],
        paging: { pageSize: 100, pageNumber },
      }),
    );
    const conversations = page?.conversations ?? [];
    if (conversations.length === 0) break;
    for (const c of conversations) for (const e of c.evaluations ?? []) pending.push({ cid: c.conversationId, eid: e.evaluationId });
  }
  // asyncio.Semaphore(5): five workers draining the list.
  let next = 0;
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      while (next < pending.length) {
        const { cid, eid } = pending[next++]!;
        const ev = await call<{ id: string; status?: string; calibration?: { id: string } }>(() => quality.getQualityConversationEvaluation(cid, eid));
        if (ev && !ev.calibration && ev.status === 'FINISHED') ids.push(ev.id);
      }
    }),
  );
} catch (e) {
  error = String((e as Error)?.message ?? e);
}
const wallMs = performance.now() - started;
process.stdout.write(JSON.stringify({ side: 'official', ids, wallMs, requests, rateLimited, retries: rateLimited, errors, error }) + '\n');
process.exit(0);
