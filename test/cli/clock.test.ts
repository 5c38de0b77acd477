/**
 * The CLI's durations are the client's clock (src/cli/run.ts `RunOptions.clock`): a run on a fake clock reports as
 * `durationMs` exactly the fake time that passed (the job polls and transcoding waits it slept), not the real
 * milliseconds the machine took. The simulated org runs on the same clock, so its jobs advance with the polls.
 * The default `--interval` (the last full UTC day) is read on the same clock.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import { DAY, jsonSummary, runInProcess, startOrg, type Org } from './helpers';

// Sleeps resolve at once, while `now()` moves by the time slept: the run's fake duration is what it waited.
const clock = createFakeClock({ now: '2026-01-10T06:00:00Z', autoAdvance: true });
let org: Org;

beforeAll(async () => {
  org = await startOrg({ conversationsPerDay: 20, now: () => clock.now(), rateLimit: false });
});
afterAll(() => org.close());

/** Runs one command on the fake clock; returns its JSON summary and the fake time that passed. */
async function timed(args: string[]) {
  const before = clock.now();
  const sleepsBefore = clock.sleeps.length;
  const r = await runInProcess([...args, '--json', '--progress', 'off', '--requests-per-minute', '100000'], { org, clock });
  expect(r.code, r.stderr).toBe(0);
  return { summary: jsonSummary<{ durationMs: number }>(r.stdout), elapsed: clock.now() - before, slept: clock.sleeps.length - sleepsBefore };
}

describe('CLI summaries on the client clock', () => {
  it('extract-conversations: durationMs is the fake time of its job polls', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gc-cli-clock-')), 'conversations.ndjson');
    const { summary, elapsed, slept } = await timed(['extract-conversations', '--interval', DAY, '--out', out, '--poll-interval', '1']);
    // The job is QUEUED then PENDING for 2 s of the org's (fake) time: at least that much was waited.
    expect(slept).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(summary.durationMs).toBe(elapsed);
  });

  it('media fetch: durationMs is the fake time of the transcoding waits', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gc-cli-clock-')), 'media.ndjson');
    const { summary, elapsed, slept } = await timed(['media', 'fetch', '--interval', DAY, '--limit', '2', '--with-media-uris', '--out', out]);
    expect(slept).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThan(0);
    expect(summary.durationMs).toBe(elapsed);
  });

  it('search: a run that waits for nothing lasts 0 ms of fake time', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gc-cli-clock-')), 'search.csv');
    const { summary, elapsed } = await timed(['search', '--interval', DAY, '--limit', '5', '--out', out]);
    expect(elapsed).toBe(0);
    expect(summary.durationMs).toBe(0);
  });

  it("with no --interval, each command reads the last full UTC day of the client's clock, not of the machine's", async () => {
    // The fake clock is 2026-01-10T06:00Z (years from the real date): "yesterday" is 2026-01-09 by the run's clock.
    const yesterday = '2026-01-09T00:00:00Z/2026-01-10T00:00:00Z';
    const r = await runInProcess(['search', '--explain', '--json', '--progress', 'off'], { org, clock });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonSummary<{ explain: { interval: string } }>(r.stdout).explain.interval).toBe(yesterday);
    // Another clock, another day: the default follows the clock it is given.
    const later = createFakeClock({ now: '2026-03-01T23:59:00Z' });
    const r2 = await runInProcess(['search', '--explain', '--json', '--progress', 'off'], { org, clock: later });
    expect(r2.code, r2.stderr).toBe(0);
    expect(jsonSummary<{ explain: { interval: string } }>(r2.stdout).explain.interval).toBe('2026-02-28T00:00:00Z/2026-03-01T00:00:00Z');
  });

  it('sync evaluations: durationMs is the fake time that passed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gc-cli-clock-')), 'wh');
    const { summary, elapsed } = await timed(['sync', 'evaluations', '--pglite', dir, '--lookback', 'P3D', '--now', new Date(clock.now()).toISOString()]);
    expect(summary.durationMs).toBe(elapsed);
  });
});
