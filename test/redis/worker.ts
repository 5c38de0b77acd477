/**
 * One export worker in its own process, for the multi-worker tests and bench/multi-worker.ts:
 *   node --import tsx test/redis/worker.ts '<WorkerConfig JSON>'
 * Builds a GenesysClient against the simulated org, prints `{"ready":true}`, waits for a `go` line on stdin (so
 * every worker starts at the same moment whatever its startup time), runs `requests` requests with `concurrency`
 * callers, then prints one JSON line (WorkerReport) and exits.
 */
import { createInterface } from 'node:readline';
import { GenesysClient, type GenesysClientOptions } from '../../src/index';
import { RedisTokenStore } from '../../src/redis/index';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../../src/testing/index';

export interface WorkerConfig {
  simUrl: string;
  /** `shared`: rateLimit.redis (shared limiter + token). `local`: local limiter, token still shared through Redis. */
  mode: 'shared' | 'local';
  redisUrl: string;
  id: string;
  requests: number;
  concurrency: number;
  requestsPerMinute: number;
  burst: number;
  maxConcurrent: number;
  fallback?: 'error' | 'local';
  path?: string;
  /**
   * One request before `ready` (JIT warm-up, token fetched or reused), so the measured run is the steady state of
   * a worker rather than its startup. Off by default.
   */
  warmup?: boolean;
}

export interface WorkerReport {
  pid: number;
  ok: number;
  failed: Record<string, number>;
  /** Every attempt: [sent epoch ms, answered epoch ms, status]. */
  attempts: Array<[number, number, number]>;
  tokensIssued: number;
  tokensReused: number;
  warnings: string[];
  startedAt: number;
  finishedAt: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const path = config.path ?? '/api/v2/analytics/conversations/details/jobs/availability';

const options: GenesysClientOptions = {
  clientId: SIM_CLIENT_ID,
  clientSecret: SIM_CLIENT_SECRET,
  baseUrl: config.simUrl,
  authUrl: config.simUrl,
  rateLimit: {
    requestsPerMinute: config.requestsPerMinute,
    burst: config.burst,
    maxConcurrent: config.maxConcurrent,
    ...(config.mode === 'shared' ? { redis: { url: config.redisUrl, id: config.id, fallback: config.fallback ?? 'error' } } : {}),
  },
  // Retries are part of what is measured: a worker that earns 429s waits them out like a real export.
  retry: { rateLimitLimit: 50, maxRetryAfterMs: 60_000 },
};
let tokenStore: RedisTokenStore | undefined;
if (config.mode === 'local') {
  // The platform limits per token: without a shared token each worker would get a budget of its own, which is not
  // the situation being measured (N workers, one OAuth client, one budget).
  tokenStore = new RedisTokenStore({ url: config.redisUrl });
  options.tokenStore = tokenStore;
}
const client = new GenesysClient(options);

const report: WorkerReport = { pid: process.pid, ok: 0, failed: {}, attempts: [], tokensIssued: 0, tokensReused: 0, warnings: [], startedAt: 0, finishedAt: 0 };
const sent = new Map<string, number>();
client.on('request', (e) => sent.set(`${e.requestId}#${e.attempt}`, Date.now()));
client.on('response', (e) => {
  const key = `${e.requestId}#${e.attempt}`;
  report.attempts.push([sent.get(key) ?? Date.now() - e.latencyMs, Date.now(), e.status]);
  sent.delete(key);
});
client.on('token', (e) => {
  if (e.kind === 'issued') report.tokensIssued++;
  if (e.kind === 'reused') report.tokensReused++;
});
client.on('warning', (w) => report.warnings.push(w.code));

if (config.warmup) await client.request({ path });
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));

report.attempts.length = 0;
report.startedAt = Date.now();
let left = config.requests;
await Promise.all(
  Array.from({ length: config.concurrency }, async () => {
    while (left-- > 0) {
      try {
        await client.request({ path });
        report.ok++;
      } catch (e) {
        const name = (e as Error).name ?? 'Error';
        report.failed[name] = (report.failed[name] ?? 0) + 1;
      }
    }
  }),
);
report.finishedAt = Date.now();
await client.close();
await tokenStore?.disconnect();
process.stdout.write(`${JSON.stringify(report)}\n`);
lines.close();
process.exit(0);
