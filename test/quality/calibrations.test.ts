import { describe, expect, it } from 'vitest';
import { QualityExporter, ValidationError } from '../../src/index';
import { arraySink, collect, EVAL_ROUTE, routeCount, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ calibrationShare: 0.3 });
const interval = '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z';
const truth = (calibrations: 'include' | 'exclude' | 'only') =>
  sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations }).map((e) => e.evaluationId).sort();

describe('QualityExporter calibrations', () => {
  it('exclude: calibrations never reach agent rows and are never fetched', async () => {
    const rows = await collect(new QualityExporter(sim.client(), { calibrations: 'exclude' }).rows({ interval }));
    expect(truth('only').length).toBeGreaterThan(3);
    expect(rows.map((r) => r.evaluation_id).sort()).toEqual(truth('exclude'));
    expect(rows.every((r) => r.is_calibration === false)).toBe(true);
    expect(routeCount(sim.org, EVAL_ROUTE)).toBe(rows.length);
  });

  it('include: every evaluation, calibrations flagged is_calibration', async () => {
    const rows = await collect(new QualityExporter(sim.client(), { calibrations: 'include' }).rows({ interval }));
    expect(rows.map((r) => r.evaluation_id).sort()).toEqual(truth('include'));
    expect(rows.filter((r) => r.is_calibration).map((r) => r.evaluation_id).sort()).toEqual(truth('only'));
  });

  it('separate: calibration rows go to the calibration sink', async () => {
    const agentSink = arraySink<{ evaluation_id: string | null; is_calibration: boolean }>();
    const calSink = arraySink<{ evaluation_id: string | null; is_calibration: boolean }>();
    const summary = await new QualityExporter(sim.client(), { calibrations: 'separate' }).exportTo(agentSink, {
      interval,
      calibrationSink: calSink,
    });
    expect(agentSink.rows.map((r) => r.evaluation_id).sort()).toEqual(truth('exclude'));
    expect(calSink.rows.map((r) => r.evaluation_id).sort()).toEqual(truth('only'));
    expect(calSink.rows.every((r) => r.is_calibration)).toBe(true);
    expect(summary.calibrationRows).toBe(calSink.rows.length);
  });

  it('a calibration sink without calibrations: separate is refused before any request', async () => {
    const before = sim.org.stats.totalRequests;
    await expect(
      new QualityExporter(sim.client()).exportTo(arraySink(), { interval, calibrationSink: arraySink() }),
    ).rejects.toThrow(ValidationError);
    expect(sim.org.stats.totalRequests).toBe(before);
  });
});
