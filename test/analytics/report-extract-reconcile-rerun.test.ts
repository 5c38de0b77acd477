/**
 * Seed 003: "If the delta exceeds 5%, trigger an alert and retry with narrowed boundaries." The simulated org's
 * `jobMissShare` fault makes it a platform whose wide jobs leave out some conversations while narrower jobs and the
 * sync details query see them all: the extract warns and re-runs the window as four narrower jobs, yielding what the
 * first pass missed, so every conversation that started in the interval arrives exactly once.
 */
import { describe, expect, it } from 'vitest';
import { collect, dayInterval, fastReports, HOUR, JOBS, routeCount, fastClient, useSimulatedOrg, recordWarnings } from './helpers';

const { sim } = useSimulatedOrg();

describe('reconcile past the threshold: the window is re-run narrower', () => {
  it('recovers what wide jobs missed: every conversation that started in the interval, once', async () => {
    // Jobs over more than 6 h leave out 10% of conversations; the re-run's 3 h jobs are complete.
    sim.setFaults({ jobMissShare: 0.1, jobMissAboveMs: 6 * HOUR });
    const interval = dayInterval(sim, 1, 2);
    const started = sim.truth.conversations({ interval });
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const extraction = fastReports(client).extract({ interval, chunk: 'PT12H', concurrency: 2, reconcile: true, project: (c) => c.conversationId });
    const ids = await collect(extraction);

    expect(new Set(ids).size).toBe(ids.length);
    const got = new Set(ids);
    expect(started.filter((id) => !got.has(id))).toEqual([]);
    const records = extraction.summary.reconcile;
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r.delta).toBeGreaterThan(0.05);
      expect(r.rerun).toBeDefined();
      expect(r.rerun!.intervals).toHaveLength(4);
      expect(r.rerun!.recovered).toBeGreaterThan(0);
      expect(r.rerun!.jobCount).toBe(r.syncCount);
      expect(r.rerun!.delta).toBe(0);
      expect(r.ok).toBe(true);
    }
    // The alert is kept: one typed warning per window, saying what the re-run found.
    const deltas = warnings.filter((w) => w.code === 'reconcile-delta');
    expect(deltas).toHaveLength(4);
    expect(deltas[0]!.message).toMatch(/Re-run as 4 narrower jobs: \d+ started in it, \d+ of them missing from the first pass/);
    expect(deltas[0]!.details).toMatchObject({ ok: true, threshold: 0.05, rerun: { recovered: expect.any(Number) } });
    // 4 windows, then 4 narrower jobs for each.
    expect(routeCount(sim, `POST ${JOBS}`)).toBe(4 + 16);
    expect(extraction.summary.rows).toBe(ids.length);
    await client.close();
  });

  it('keeps warning when narrower jobs do not help either, and says so', async () => {
    // Every job misses the same conversations, however narrow: the re-run finds nothing new.
    sim.setFaults({ jobMissShare: 0.1, jobMissAboveMs: 0 });
    const interval = dayInterval(sim, 1, 1);
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const extraction = fastReports(client).extract({ interval, chunk: 'PT12H', reconcile: true });
    await collect(extraction);
    expect(extraction.summary.reconcile).toHaveLength(2);
    for (const r of extraction.summary.reconcile) {
      expect(r.rerun!.recovered).toBe(0);
      expect(r.ok).toBe(false);
      expect(r.rerun!.delta).toBe(r.delta);
    }
    const deltas = warnings.filter((w) => w.code === 'reconcile-delta');
    expect(deltas).toHaveLength(2);
    expect(deltas[0]!.message).toMatch(/still [\d.]+% apart/);
    await client.close();
  });

  it('does not re-run a window that agrees with the sync query', async () => {
    const interval = dayInterval(sim, 1, 1);
    const client = fastClient(sim);
    const extraction = fastReports(client).extract({ interval, chunk: 'PT12H', reconcile: true });
    await collect(extraction);
    expect(extraction.summary.reconcile.every((r) => r.ok && r.rerun === undefined)).toBe(true);
    expect(routeCount(sim, `POST ${JOBS}`)).toBe(2);
    await client.close();
  });
});
