import { describe, expect, it } from 'vitest';
import { splitInterval } from '@org/gc-data/intervals';
import { MemoryCheckpoint } from '../../src/sinks/checkpoint';
import type { ExtractCheckpointState } from '../../src/analytics/schemas';
import { collect, dayInterval, fastReports, fastClient, useSimulatedOrg, recordWarnings } from './helpers';

const { sim } = useSimulatedOrg({ conversationsPerDay: 400 });

describe('extract: half-open windows, deduped by conversationId across chunk boundaries', () => {
  it('yields each conversation active in the interval exactly once (vs the simulator\'s ground truth)', async () => {
    const interval = dayInterval(sim, 1, 2);
    const windows = splitInterval(interval, 'PT6H');
    const perWindow = windows.map((w) => sim.truth.conversations({ interval: w, activity: true }));
    const truth = sim.truth.conversations({ interval, activity: true });
    const boundaryCrossers = perWindow.reduce((n, ids) => n + ids.length, 0) - truth.length;
    expect(boundaryCrossers).toBeGreaterThan(5);

    const client = fastClient(sim);
    const extraction = fastReports(client).extract({ interval, chunk: 'PT6H', concurrency: 3, pageSize: 30 });
    const rows = await collect(extraction);
    const ids = rows.map((r) => r.conversationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(truth));
    expect(extraction.summary).toMatchObject({ windowsTotal: 8, windowsDone: 8, duplicates: boundaryCrossers, rows: truth.length, finished: true });
    await client.close();
  });

  it('remembers only boundary-crossing ids, and forgets them once no unfinished window can return them', async () => {
    const interval = dayInterval(sim, 1, 3);
    const saves: number[] = [];
    const checkpoint = new MemoryCheckpoint<ExtractCheckpointState>();
    const save = checkpoint.save.bind(checkpoint);
    checkpoint.save = async (state) => {
      saves.push(state.spanners.length);
      await save(state);
    };
    const client = fastClient(sim);
    const rows = await collect(fastReports(client).extract({ interval, chunk: 'PT6H', concurrency: 2, pageSize: 50, checkpoint }));
    expect(rows.length).toBe(sim.truth.conversations({ interval, activity: true }).length);
    // ~1,200 rows; the dedupe set never holds more than a few windows' boundary crossers.
    expect(Math.max(...saves)).toBeLessThan(rows.length / 10);
    await client.close();
  });
});

describe('rows outside the requested interval (seed 003)', () => {
  it('are counted in summary.outsideInterval and announced by rows-outside-interval warnings', async () => {
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const interval = dayInterval(sim, 1);
    const extraction = fastReports(client).extract({ interval, project: (c) => c.conversationId });
    const ids = await collect(extraction);
    const started = new Set(sim.truth.conversations({ interval }));
    const outside = ids.filter((id) => !started.has(id)).length;
    expect(outside).toBeGreaterThan(0);
    expect(extraction.summary.outsideInterval).toBe(outside);
    const announced = warnings.filter((w) => w.code === 'rows-outside-interval').reduce((n, w) => n + (w.details?.count as number), 0);
    expect(announced).toBe(outside);
    await client.close();
  });
});
