/**
 * Issue 16: job results that loop on empty pages make ReportQueries.extract() fail with an IncompleteDataError
 * (instead of requesting forever); run again with the same checkpoint once the platform behaves, it completes with
 * every conversation of the interval and no page read twice except the one being read.
 */
import { describe, expect, it } from 'vitest';
import { IncompleteDataError } from '@org/gc-data';
import { MemoryCheckpoint } from '@org/gc-data/sinks';
import { type ExtractCheckpointState } from '@org/gc-data/schemas';
import { dayInterval, fastReports, fastClient, useSimulatedOrg } from '../analytics/helpers';

const { sim } = useSimulatedOrg();
const RESULTS = 'GET /api/v2/analytics/conversations/details/jobs/{jobId}/results';

describe('extract() against job results whose cursor loops', () => {
  it('fails with an IncompleteDataError, and a resume from its checkpoint after the fault is cleared has every conversation', async () => {
    const interval = dayInterval(sim, 1, 1);
    const truth = new Set(sim.truth.conversations({ interval, activity: true }));
    expect(truth.size).toBeGreaterThan(100);
    const checkpoint = new MemoryCheckpoint<ExtractCheckpointState>();
    const options = { interval, chunk: 'PT12H', concurrency: 1, pageSize: 30, checkpoint, project: (c: { conversationId: string }) => c.conversationId };

    sim.setFaults({ cursorLoop: { fromPage: 3 } });
    const first: string[] = [];
    const stop = new AbortController();
    const watch = setInterval(() => sim.stats.count(RESULTS) > 100 && stop.abort(new Error('looping')), 5);
    const err = await (async () => {
      for await (const id of fastReports(fastClient(sim)).extract({ ...options, signal: stop.signal })) first.push(id);
    })()
      .catch((e: unknown) => e)
      .finally(() => clearInterval(watch));
    expect(err).toBeInstanceOf(IncompleteDataError);
    expect(sim.stats.count(RESULTS)).toBeLessThan(20);
    expect(first.length).toBeGreaterThan(0);

    sim.setFaults({ cursorLoop: null });
    const second: string[] = [];
    for await (const id of fastReports(fastClient(sim)).extract(options)) second.push(id);
    const all = [...first, ...second];
    expect(new Set(all)).toEqual(truth);
    expect(all.length - truth.size).toBeLessThanOrEqual(30); // at most the page being read is read again
  });
});
