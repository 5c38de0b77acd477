/**
 * After the build: each module format of dist/ runs a real export against the simulated org over HTTP, through the
 * bundled code (zod, ky, bottleneck) rather than the sources vitest runs. The org's limit is low enough that the
 * export only finishes without a 429 if the client's own limiter paces it. With REDIS_URL set (CI), each format
 * runs it once more through the Redis-backed limiter (rateLimit.redis: bottleneck's full build and ioredis).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const formats = {
  esm: async () => [await import('../dist/index.js'), await import('../dist/testing/index.js')],
  cjs: async () => [require('../dist/index.cjs'), require('../dist/testing/index.cjs')],
};
const anchor = '2026-06-01T00:00:00Z';
const interval = '2026-05-30T00:00:00Z/2026-06-01T00:00:00Z';

const limiters = { local: () => ({}), ...(process.env.REDIS_URL ? { redis: (id) => ({ redis: { url: process.env.REDIS_URL, id } }) } : {}) };
const runs = Object.keys(formats).flatMap((format) => Object.keys(limiters).map((limiter) => [format, limiter]));

for (const [format, limiter] of runs) {
  const [sdk, testing] = await formats[format]();
  const { client, server, close } = await testing.connectSimulated({
    server: { seed: 7, anchor, rateLimit: { requests: 40, windowMs: 1000 } },
    client: { rateLimit: { requestsPerMinute: 2400, ...limiters[limiter](`smoke-dist-${format}-${process.pid}`) } },
  });
  try {
    const ids = [];
    for await (const row of new sdk.QualityExporter(client).rows({ interval })) ids.push(row.evaluation_id);
    const expected = testing
      .createSimulatedOrg({ seed: 7, anchor })
      .truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' })
      .map((e) => e.evaluationId);
    const stats = server.stats.snapshot();
    const problems = [];
    if (ids.length === 0) problems.push('no rows');
    if (new Set(ids).size !== ids.length) problems.push('duplicate rows');
    if ([...ids].sort().join() !== [...expected].sort().join()) problems.push(`${ids.length} rows, expected ${expected.length}`);
    // Paced, not merely retried: at most one request per run may find the bucket empty (the pacer's rule since issue
    // 19: a 429 is honoured and teaches it, at most one per run on any model; a real-time run on a busy machine can
    // meet that one).
    if (stats.bucketEmptyArrivals > 1) problems.push(`${stats.bucketEmptyArrivals} requests found the bucket empty`);
    if (problems.length > 0) throw new Error(`dist ${format} (${limiter} limiter): ${problems.join('; ')}`);
    console.log(`dist ${format} (${limiter} limiter): ${ids.length} evaluations exported exactly once, ${stats.bucketEmptyArrivals} x bucket empty`);
  } finally {
    await close();
  }
}
