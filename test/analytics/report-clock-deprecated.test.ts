/**
 * Issue 17 section 1: one clock, owned by the client. ReportQueries' own `now` / `sleep` / `random` options are
 * deprecated: without them every wait and reading of time is the client's clock; given, they still go over it in
 * 0.x and say so once with a `deprecated-option` warning.
 */
import { describe, expect, it } from 'vitest';
import { ReportQueries } from '@org/gc-data';
import { dayInterval, fakeTime, simClient, useSimulatedOrg, recordWarnings } from './helpers';

const { sim } = useSimulatedOrg({ jobs: { queuedMs: 15_000, pendingMs: 40_000 } });

describe('ReportQueries on the client clock; now/sleep/random deprecated', () => {
  it('without the options: the client clock governs the polls and their jitter, and nothing is announced', async () => {
    const clock = fakeTime({ random: () => 0.5 });
    const client = simClient(sim, { clock });
    const warnings = recordWarnings(client);
    const reports = new ReportQueries(client);
    expect(reports.options.clock).toBe(clock);
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    const started = clock.now();
    await job.wait();
    // 10 s, 20 s, 40 s, each plus random() * 5 s = 2.5 s; done at 55 s of the org's (same) clock.
    expect(clock.sleeps).toEqual([12_500, 22_500, 42_500]);
    expect(clock.now() - started).toBe(77_500);
    expect(warnings.filter((w) => w.code === 'deprecated-option')).toEqual([]);
  });

  it('given, they are still honoured over the client clock and a deprecated-option warning names them', async () => {
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    const warnings = recordWarnings(client);
    const asked: number[] = [];
    const reports = new ReportQueries(client, {
      random: () => 0.2,
      sleep: (ms, signal) => {
        asked.push(ms);
        return clock.sleep(ms, signal);
      },
    });
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    expect(asked).toEqual([11_000, 21_000, 41_000]);
    const deprecated = warnings.filter((w) => w.code === 'deprecated-option');
    expect(deprecated).toHaveLength(1);
    expect(deprecated[0]!.details).toMatchObject({ options: ['sleep', 'random'], replacement: 'GenesysClientOptions.clock' });
    expect(deprecated[0]!.message).toMatch(/new GenesysClient\(\{ clock \}\)/);
  });

  it('a deprecated now() alone still decides the maxWait deadline', async () => {
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    // now() runs 10 min ahead after the submission's reading: the job is past maxWaitMs before its first poll.
    let reads = 0;
    const reports = new ReportQueries(client, { maxWaitMs: 60_000, now: () => clock.now() + (reads++ === 0 ? 0 : 600_000) });
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    await expect(job.wait()).rejects.toMatchObject({ name: 'JobTimeoutError' });
    // By the client clock alone the job would be polled at 10, 30 and 60 s first (report-extract-timeout-split.test.ts).
    expect(clock.sleeps).toEqual([]);
  });
});
