import { describe, expect, it } from 'vitest';
import { DataAvailabilityError } from '../../src/analytics/availability';
import { ReportQueries } from '../../src/analytics/report-jobs';
import { formatInterval } from '@org/gc-data/intervals';
import { DETAILS, HOUR, JOBS, collect, fakeTime, fastReports, fastClient, useSimulatedOrg, recordWarnings } from './helpers';

// The platform's lag (the org's default), which the helper's org leaves out.
const { sim } = useSimulatedOrg({ dataAvailabilityLagMs: 3_600_000 });

/** The org's last 24 whole hours, and an availability date 5 h before their end. */
function setup() {
  const end = Math.floor(sim.data.end / HOUR) * HOUR;
  const start = end - 24 * HOUR;
  const avail = end - 5 * HOUR;
  return { start, end, avail, interval: formatInterval(start, end) };
}

describe('data availability (the seed\'s partial): clip, fill, wait, error', () => {
  it('clip: exports up to the availability date and says which range is complete', async () => {
    const { start, avail, interval } = setup();
    sim.setDataAvailabilityDate(avail);
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const extraction = fastReports(client).extract({ interval, project: (c) => c.conversationId });
    const ids = await collect(extraction);
    const expected = sim.truth.conversations({ interval: { start, end: avail }, activity: true, endedBefore: avail });
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(ids).toHaveLength(expected.length);
    expect(extraction.summary).toMatchObject({
      availability: 'clip',
      complete: formatInterval(start, avail),
      clipped: formatInterval(avail, start + 24 * HOUR),
      dataAvailabilityDate: new Date(avail).toISOString().replace('.000Z', 'Z'),
    });
    expect(warnings.filter((w) => w.code === 'availability-clipped')).toHaveLength(1);
    // 19 h in PT6H windows: 4 jobs, none reaching past the availability date.
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(4);
    expect(sim.stats.count(`GET ${JOBS}/availability`)).toBe(1);
    await client.close();
  });

  it('clip: an interval entirely after the availability date yields nothing and complete is null', async () => {
    const { end, interval } = setup();
    sim.setDataAvailabilityDate(end - 30 * HOUR);
    const client = fastClient(sim);
    const extraction = fastReports(client).extract({ interval });
    expect(await collect(extraction)).toEqual([]);
    expect(extraction.summary.complete).toBeNull();
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(0);
    await client.close();
  });

  it('fill: jobs up to the availability date, the tail through the sync details query; every conversation once', async () => {
    const { start, end, avail, interval } = setup();
    sim.setDataAvailabilityDate(avail);
    const client = fastClient(sim);
    const extraction = fastReports(client).extract({ interval, availability: 'fill', project: (c) => c.conversationId });
    const ids = await collect(extraction);
    // Everything with activity in the interval, whether or not it had reached the datalake.
    const expected = sim.truth.conversations({ interval, activity: true, endedBefore: end + 24 * HOUR });
    expect(ids).toHaveLength(new Set(ids).size);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(extraction.summary).toMatchObject({ complete: interval, filled: formatInterval(avail, end), clipped: undefined });
    expect(sim.stats.count(`POST ${DETAILS}`)).toBeGreaterThan(0);
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(4);
    expect(start).toBeLessThan(avail);
    await client.close();
  });

  it('wait: polls the availability date until it passes the end, then exports everything', async () => {
    const clock = fakeTime();
    const end = Math.floor((clock.now() - 30 * 60_000) / 1000) * 1000;
    const interval = formatInterval(end - 6 * HOUR, end);
    // Unpinned, the org's availability trails its clock by an hour.
    const client = fastClient(sim, { clock });
    const reports = new ReportQueries(client);
    const extraction = reports.extract({ interval, availability: 'wait', project: (c) => c.conversationId });
    const ids = await collect(extraction);
    expect(new Set(ids)).toEqual(new Set(sim.truth.conversations({ interval, activity: true })));
    expect(extraction.summary.complete).toBe(interval);
    expect(sim.stats.count(`GET ${JOBS}/availability`)).toBeGreaterThan(1);
    expect(sim.org.now() - HOUR).toBeGreaterThanOrEqual(end);
    // 30 min had to pass on the org's clock before the availability date reached the end.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30 * 60_000);
    await client.close();
  });

  it('error: refuses with DataAvailabilityError after one availability request, submitting nothing', async () => {
    const { avail, interval } = setup();
    sim.setDataAvailabilityDate(avail);
    const client = fastClient(sim);
    const err = await collect(fastReports(client).extract({ interval, availability: 'error' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataAvailabilityError);
    expect(sim.stats.count(`GET ${JOBS}/availability`)).toBe(1);
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(0);
    expect(client.stats().requests).toBe(2); // token + availability
    await client.close();
  });

  it('reports.availability() reads the date', async () => {
    const { avail } = setup();
    sim.setDataAvailabilityDate(avail);
    const client = fastClient(sim);
    expect((await new ReportQueries(client).availability())?.getTime()).toBe(avail);
    await client.close();
  });
});
