/**
 * After the build: each module format of dist/ runs a real export against the simulated org over HTTP, through the
 * bundled code (zod, ky, bottleneck's light build) rather than the sources vitest runs. The org's limit is low
 * enough that the export only finishes without a 429 if the client's own limiter paces it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const formats = {
  esm: async () => [await import('../dist/index.js'), await import('../dist/testing/index.js')],
  cjs: async () => [require('../dist/index.cjs'), require('../dist/testing/index.cjs')],
};
const anchor = '2026-06-01T00:00:00Z';
const interval = '2026-05-30T00:00:00Z/2026-06-01T00:00:00Z';

for (const [format, load] of Object.entries(formats)) {
  const [sdk, testing] = await load();
  const { client, server, close } = await testing.connectSimulated({
    server: { seed: 7, anchor, rateLimit: { requests: 40, windowMs: 1000 } },
    client: { rateLimit: { requestsPerMinute: 2400 } },
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
    if (stats.bucketEmptyArrivals !== 0) problems.push(`${stats.bucketEmptyArrivals} requests found the bucket empty`);
    if (problems.length > 0) throw new Error(`dist ${format}: ${problems.join('; ')}`);
    console.log(`dist ${format}: ${ids.length} evaluations exported exactly once, ${stats.bucketEmptyArrivals} x bucket empty`);
  } finally {
    await close();
  }
}
