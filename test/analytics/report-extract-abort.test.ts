import { describe, expect, it } from 'vitest';
import { MemoryCheckpoint } from '../../src/sinks/checkpoint';
import type { ExtractCheckpointState } from '../../src/analytics/schemas';
import { collect, dayInterval, fastReports, fastClient, useSimulatedOrg } from './helpers';

const { sim } = useSimulatedOrg({ conversationsPerDay: 400 });

describe('extract: an abort stops it at once and loses nothing', () => {
  it('stops in the middle of a page that was already read, and a resumed run yields the rest exactly once', async () => {
    const interval = dayInterval(sim, 1, 2);
    const truth = sim.truth.conversations({ interval, activity: true });
    const checkpoint = new MemoryCheckpoint<ExtractCheckpointState>();
    const controller = new AbortController();
    const client = fastClient(sim);
    const first: string[] = [];
    const err = await (async () => {
      for await (const row of fastReports(client).extract({ interval, chunk: 'PT6H', concurrency: 2, pageSize: 50, checkpoint, signal: controller.signal })) {
        first.push(row.conversationId);
        if (first.length === 75) controller.abort(new Error('killed'));
      }
    })().catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    // Stopped at the abort, not at the end of the page it was reading (rows 51-100).
    expect(first).toHaveLength(75);

    const saved = await checkpoint.load();
    expect(saved?.rows).toBe(50);
    const rest = await collect(fastReports(client).extract({ interval, chunk: 'PT6H', concurrency: 2, pageSize: 50, checkpoint }));
    const ids = [...first.slice(0, saved!.rows), ...rest.map((r) => r.conversationId)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(truth));
    await client.close();
  });
});
