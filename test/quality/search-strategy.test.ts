import { describe, expect, it } from 'vitest';
import { QualityExporter } from '../../src/index';
import { collect, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ rateLimit: false });
const interval = '2026-05-18T00:00:00Z/2026-05-25T00:00:00Z';

describe('QualityExporter search strategy', () => {
  it('exports the same rows as the details strategy with far fewer requests', async () => {
    const fast = { rateLimit: { requestsPerMinute: 100_000, maxConcurrent: 10 } };
    const details = new QualityExporter(sim.client(fast), { concurrency: 10 });
    const a = sim.org.stats.totalRequests;
    const viaDetails = await collect(details.rows({ interval }));
    const detailsRequests = sim.org.stats.totalRequests - a;

    const search = new QualityExporter(sim.client(fast), { strategy: 'search' });
    const b = sim.org.stats.totalRequests;
    const viaSearch = await collect(search.rows({ interval }));
    const searchRequests = sim.org.stats.totalRequests - b;

    expect(viaSearch.map((r) => r.evaluation_id).sort()).toEqual(viaDetails.map((r) => r.evaluation_id).sort());
    expect(viaSearch.length).toBeGreaterThan(300);
    // Token + pages only, against token + pages + one GET per evaluation.
    expect(searchRequests).toBeLessThan(detailsRequests / 20);
    const byId = new Map(viaDetails.map((r) => [r.evaluation_id, r]));
    for (const r of viaSearch) expect(r.total_score).toBe(byId.get(r.evaluation_id)!.total_score);
  });

  it('splits ranges over 3 months into windows the endpoint accepts', async () => {
    const search = new QualityExporter(sim.client(), { strategy: 'search' });
    const rows = await collect(search.rows({ interval: '2026-01-01T00:00:00Z/2026-06-01T00:00:00Z' }));
    const expected = sim.org.truth.evaluations({ interval: '2026-01-01T00:00:00Z/2026-06-01T00:00:00Z', status: ['FINISHED'], calibrations: 'exclude' });
    expect(rows.length).toBe(expected.length);
    expect(sim.org.stats.byStatus['400'] ?? 0).toBe(0);
  });
});
