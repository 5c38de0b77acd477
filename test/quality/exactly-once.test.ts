import { describe, expect, it } from 'vitest';
import { QualityExporter } from '../../src/index';
import { arraySink, collect, EVAL_ROUTE, routeCount, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg();
const interval = '2026-05-20T00:00:00Z/2026-05-22T00:00:00Z';

function expected() {
  return sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
}

describe('QualityExporter: exactly once against ground truth', () => {
  it('yields every finished, non-calibration evaluation once, in discovery order', async () => {
    const exporter = new QualityExporter(sim.client());
    const rows = await collect(exporter.rows({ interval }));
    const ids = rows.map((r) => r.evaluation_id);
    expect(ids.length).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected()].sort());
    // One GET per evaluation, none for excluded calibrations, none repeated.
    expect(routeCount(sim.org, EVAL_ROUTE)).toBe(ids.length);
  });

  it('stays exactly-once under 5% 5xx, connection resets, a 429 storm and token expiry mid-run', async () => {
    sim.org.setFaults({ serverErrorRate: 0.05, connectionResetRate: 0.05, storm: { forRequests: 3, retryAfterSeconds: 1 } });
    const client = sim.client();
    const exporter = new QualityExporter(client);
    const sink = arraySink<{ evaluation_id: string | null }>();
    let expired = false;
    const summary = await exporter.exportTo(sink, {
      interval,
      checkpointEvery: 10,
      onProgress: (p) => {
        if (!expired && p.written >= 20) {
          expired = true;
          sim.org.expireTokens();
        }
      },
    });
    const ids = sink.rows.map((r) => r.evaluation_id);
    expect(expired).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected()].sort());
    expect(summary.rows).toBe(ids.length);
    expect(sim.org.stats.faults.serverError + sim.org.stats.faults.connectionReset).toBeGreaterThan(0);
    expect(sim.org.stats.rateLimited.storm).toBe(3);
    expect(sim.org.stats.tokensIssued).toBe(2);
  });

  it('evaluations() yields typed EvaluationResponse objects', async () => {
    const exporter = new QualityExporter(sim.client());
    const evaluations = await collect(exporter.evaluations({ interval: '2026-05-20T00:00:00Z/2026-05-20T06:00:00Z' }));
    expect(evaluations.length).toBeGreaterThan(0);
    for (const e of evaluations) {
      expect(e.status).toBe('FINISHED');
      expect(e.calibration).toBeUndefined();
      expect(e.answers?.questionGroupScores?.length).toBeGreaterThan(0);
    }
  });
});
