import { describe, expect, it } from 'vitest';
import { collect } from '../support/sim';
import { QualityExporter, ValidationError } from '../../src/index';
import { useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg();

async function rejection(fn: () => Promise<unknown>): Promise<ValidationError> {
  const e = await fn().then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ValidationError);
  return e as ValidationError;
}

describe('QualityExporter input validation', () => {
  it.each([
    ['an inverted interval', { interval: '2026-05-21T00:00:00Z/2026-05-20T00:00:00Z' }, 'interval'],
    ['a malformed interval', { interval: 'yesterday' }, 'interval'],
    ['an unknown media type', { interval: '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z', mediaTypes: ['webrtc'] }, 'mediaTypes[0]'],
    ['an unknown option', { interval: '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z', channel: 'voice' }, ''],
    ['an unknown filter field', { interval: '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z', filters: { field: 'interactionType', op: 'equals', value: 'digital' } }, 'filters'],
  ])('%s is a ValidationError naming the field, with 0 requests sent', async (_name, request, path) => {
    const before = sim.org.stats.totalRequests;
    const err = await rejection(() => collect(new QualityExporter(sim.client()).rows(request as never)));
    expect(err.issues.some((i) => i.path.startsWith(path))).toBe(true);
    expect(sim.org.stats.totalRequests).toBe(before);
  });

  it('an unknown evaluation status is refused at construction; any casing of a known one is the same status', async () => {
    let err: unknown;
    try {
      new QualityExporter(sim.client(), { evaluationStatus: ['Finished', 'Done'] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]).toMatchObject({ path: 'evaluationStatus[1]' });
    expect((err as ValidationError).message).toMatch(/unknown evaluation status "Done": use one of Finished, InProgress/);

    const interval = '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z';
    const lower = await collect(new QualityExporter(sim.client(), { evaluationStatus: ['finished'] }).rows({ interval }));
    const expected = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' });
    expect(lower.length).toBeGreaterThan(0);
    expect(lower.map((r) => r.evaluation_id).sort()).toEqual(expected.map((e) => e.evaluationId).sort());
  });

  it('bad flatten options, a missing request or sink are ValidationErrors before any request', async () => {
    const interval = '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z';
    const exporter = new QualityExporter(sim.client());
    const before = sim.org.stats.totalRequests;
    const keyBy = await rejection(() => collect(exporter.rows({ interval, flatten: { keyBy: 'name' as never } })));
    expect(keyBy.issues[0]?.path).toBe('flatten.keyBy');
    const unknown = await rejection(() => collect(exporter.rows({ interval, flatten: { keyby: 'id' } as never })));
    expect(unknown.issues[0]).toMatchObject({ path: 'flatten.keyby' });
    expect(unknown.message).toMatch(/unknown option "keyby"/);
    await rejection(() => collect(exporter.rows(undefined as never)));
    const sink = await rejection(() => exporter.exportTo(undefined as never, { interval }));
    expect(sink.issues[0]?.path).toBe('sink');
    expect(sim.org.stats.totalRequests).toBe(before);
  });

  it('bad exporter options are refused at construction', () => {
    expect(() => new QualityExporter(sim.client(), { calibrations: 'drop' as never, concurrency: 0 })).toThrow(/calibrations[\s\S]*concurrency/);
  });
});
