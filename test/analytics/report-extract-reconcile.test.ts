import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { DETAILS, collect, dayInterval, fastReports, fastClient, useSimulatedOrg, viaOrg, recordWarnings } from './helpers';

const { sim, server } = useSimulatedOrg();

describe('reconcile: job count vs the sync query\'s totalHits, warning past 5%', () => {
  it('agrees with the sync query on a consistent org: one count per window, no warning', async () => {
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const extraction = fastReports(client).extract({ interval: dayInterval(sim, 2), chunk: 'PT12H', reconcile: true });
    await collect(extraction);
    expect(extraction.summary.reconcile).toHaveLength(2);
    for (const r of extraction.summary.reconcile) {
      expect(r.ok).toBe(true);
      expect(r.jobCount).toBe(r.syncCount);
      expect(r.jobCount).toBeGreaterThan(50);
    }
    expect(sim.stats.count(`POST ${DETAILS}`)).toBe(2);
    expect(warnings.filter((w) => w.code === 'reconcile-delta')).toEqual([]);
    await client.close();
  });

  it('warns (reconcile-delta event) when the counts are more than 5% apart', async () => {
    server.use(
      http.post(`${sim.apiBaseUrl}${DETAILS}`, ({ request }) =>
        viaOrg(sim, request, (body) => {
          body.totalHits = Math.round((body.totalHits as number) * 1.08);
        }),
      ),
    );
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const extraction = fastReports(client).extract({ interval: dayInterval(sim, 2), chunk: 'PT12H', reconcile: true });
    await collect(extraction);
    const deltas = warnings.filter((w) => w.code === 'reconcile-delta');
    expect(deltas).toHaveLength(2);
    expect(deltas[0]!.details).toMatchObject({ ok: false, threshold: 0.05, delta: expect.any(Number) });
    expect(extraction.summary.reconcile.every((r) => !r.ok && r.delta > 0.05 && r.delta < 0.1)).toBe(true);
    // A looser threshold accepts the same counts.
    const relaxed = fastReports(client).extract({ interval: dayInterval(sim, 2), chunk: 'PT12H', reconcile: { threshold: 0.1 } });
    await collect(relaxed);
    expect(relaxed.summary.reconcile.every((r) => r.ok)).toBe(true);
    await client.close();
  });
});
