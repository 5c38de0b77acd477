/**
 * reports.sync(): conversations through one analytics job over the look-back, bounded by the data availability
 * date, keyed by conversationId; only new or changed conversations are handed out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSyncStateStore, ReportQueries, ValidationError, type ConversationSyncChange, type SyncBatch } from '@org/gc-data';
import { createFakeClock } from '@org/gc-data/testing';
import { useSimulatedOrg } from '../support/sim';

const ANCHOR_MS = Date.parse('2026-06-01T00:00:00Z');
const sim = useSimulatedOrg({ seed: 3, days: 10, conversationsPerDay: 30, now: () => ANCHOR_MS, rateLimit: false, jobs: { queuedMs: 0, pendingMs: 0 } });
const LOOKBACK = 'P14D';

const statePath = () => join(mkdtempSync(join(tmpdir(), 'gc-sync-conv-')), 'state.log');
// The org's time stands still at ANCHOR_MS; the client's waits end at once on a fake clock.
const reports = () => new ReportQueries(sim.client({ clock: createFakeClock({ autoAdvance: true }) }));

class Destination {
  readonly rows = new Map<string, ConversationSyncChange['row']>();
  readonly applied: ConversationSyncChange[] = [];
  apply = (batch: SyncBatch<ConversationSyncChange>) => {
    for (const c of batch.changes) {
      this.applied.push(c);
      this.rows.set(c.row.conversationId, c.row);
    }
  };
}

function windowTruth(endMs: number): string[] {
  const start = Math.floor((sim.org.now() - 14 * 86_400_000) / 86_400_000) * 86_400_000;
  return sim.org.truth.conversations({ interval: { start, end: endMs }, activity: true, endedBefore: endMs });
}

describe('ReportQueries.sync', () => {
  it('first run: every conversation of the window up to the availability date; 3 days later: only the changed ones; then none', async () => {
    const state = new FileSyncStateStore(statePath());
    const dest = new Destination();
    const first = await reports().sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now(), batchSize: 50 });
    const availability = sim.org.now() - 3_600_000;
    expect(first.dataAvailabilityDate).toBe(new Date(availability).toISOString());
    const ids0 = windowTruth(availability);
    expect([...dest.rows.keys()].sort()).toEqual([...ids0].sort());
    expect(first.new).toBe(ids0.length);
    expect((await state.load('analytics.conversations')).watermarks.get('jobs')?.watermark).toBe(first.dataAvailabilityDate);

    sim.org.advance('P3D');
    const before = new Map([...dest.rows].map(([id, c]) => [id, JSON.stringify(c.evaluations ?? [])]));
    const applied = dest.applied.length;
    const second = await reports().sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now(), batchSize: 50 });
    // The upserts are exactly the conversations whose evaluations changed, plus those the moved availability date
    // now lets in (the sim's conversations that ended in the hour before the anchor).
    const upserted = dest.applied.slice(applied).map((c) => c.row.conversationId).sort();
    const expectedChanged = [...before.keys()].filter((id) => JSON.stringify(sim.org.truth.conversation(id)?.evaluations ?? []) !== before.get(id)).sort();
    const newlyAvailable = windowTruth(sim.org.now() - 3_600_000).filter((id) => !before.has(id));
    expect(upserted).toEqual([...expectedChanged, ...newlyAvailable].sort());
    expect(second.changed).toBe(expectedChanged.length);
    expect(second.new).toBe(newlyAvailable.length);
    const changedIds = expectedChanged;
    expect(second.changed).toBeGreaterThan(0);
    for (const id of changedIds) expect(dest.rows.get(id)?.evaluations).toEqual(sim.org.truth.conversation(id)?.evaluations);

    const third = await reports().sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    expect(third).toMatchObject({ new: 0, changed: 0 });
    expect(third.unchanged).toBe(third.discovered);
  });

  it('aborted while applying batch 2 and rerun: every conversation applied exactly once', async () => {
    const path = statePath();
    const ref = new Destination();
    await reports().sync({ lookback: LOOKBACK, state: new FileSyncStateStore(`${path}.ref`), apply: ref.apply, now: () => sim.org.now(), batchSize: 20 });
    const dest = new Destination();
    const controller = new AbortController();
    let batches = 0;
    const err = await reports()
      .sync({
        lookback: LOOKBACK,
        state: new FileSyncStateStore(path),
        now: () => sim.org.now(),
        batchSize: 20,
        signal: controller.signal,
        apply: (batch) => {
          if (++batches === 2) {
            controller.abort(new Error('killed'));
            throw new Error('killed while applying');
          }
          dest.apply(batch);
        },
      })
      .catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/killed/);
    expect(dest.applied.length).toBe(20);
    await reports().sync({ lookback: LOOKBACK, state: new FileSyncStateStore(path), apply: dest.apply, now: () => sim.org.now(), batchSize: 20 });
    const ids = dest.applied.map((c) => c.row.conversationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(ref.applied.map((c) => c.row.conversationId).sort());
  });

  it('the window ends at the data availability date: later conversations wait for a later run', async () => {
    const pinned = ANCHOR_MS - 4 * 86_400_000;
    sim.org.setDataAvailabilityDate(pinned);
    const state = new FileSyncStateStore(statePath());
    const dest = new Destination();
    const run = await reports().sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    expect(run.window.endsWith(new Date(pinned).toISOString().replace('.000Z', 'Z')) || run.window.endsWith(new Date(pinned).toISOString())).toBe(true);
    expect([...dest.rows.keys()].sort()).toEqual(windowTruth(pinned).sort());
    expect((await state.load('analytics.conversations')).watermarks.get('jobs')?.watermark).toBe(new Date(pinned).toISOString());
    sim.org.setDataAvailabilityDate(undefined);
    const later = await reports().sync({ lookback: LOOKBACK, state, apply: dest.apply, now: () => sim.org.now() });
    expect(later.new).toBe(windowTruth(sim.org.now() - 3_600_000).length - windowTruth(pinned).length);
  });

  it('refuses bad options before any request, naming each (the shared sync options and its own: query, pageSize, maxWaitMs)', async () => {
    const before = sim.org.stats.snapshot().totalRequests;
    const err = await reports()
      .sync({ lookback: 'P1M', state: new FileSyncStateStore(statePath()), apply: () => {}, pageSize: 0, maxWaitMs: 'soon', query: 'all', colour: 1 } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(expect.arrayContaining(['lookback', 'pageSize', 'maxWaitMs', 'query', 'colour']));
    expect(sim.org.stats.snapshot().totalRequests).toBe(before);
  });
});
