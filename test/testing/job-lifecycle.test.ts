import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulatedOrg, JOB_FAILED_MESSAGE, type SimAsyncQueryStatus } from '../../src/testing/index';
import { JOBS, dayInterval, directApi, manualClock } from './helpers';

async function submit(a: ReturnType<typeof directApi>, body: unknown): Promise<string> {
  const r = await a.post(JOBS, body);
  expect(r.status).toBe(202);
  return ((await r.json()) as { jobId: string }).jobId;
}

async function status(a: ReturnType<typeof directApi>, id: string): Promise<SimAsyncQueryStatus> {
  const r = await a.get(`${JOBS}/${id}`);
  expect(r.status).toBe(200);
  return (await r.json()) as SimAsyncQueryStatus;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('async details jobs: lifecycle by clock', () => {
  it('goes QUEUED -> PENDING -> FULFILLED on the org clock, with dates', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: false, jobs: { queuedMs: 1000, pendingMs: 4000, ttlMs: 3_600_000 } });
    const a = directApi(sim);
    const submittedAt = clock.now();
    const id = await submit(a, { interval: dayInterval(sim, 1) });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const queued = await status(a, id);
    expect(queued).toEqual({
      state: 'QUEUED',
      submissionDate: new Date(submittedAt).toISOString(),
      expirationDate: new Date(submittedAt + 3_600_000).toISOString(),
    });
    expect((await a.get(`${JOBS}/${id}/results`)).status).toBe(400);
    clock.advance(1000);
    expect((await status(a, id)).state).toBe('PENDING');
    const early = await a.get(`${JOBS}/${id}/results`);
    expect(early.status).toBe(400);
    expect(((await early.json()) as { message: string }).message).toContain('PENDING');
    clock.advance(3999);
    expect((await status(a, id)).state).toBe('PENDING');
    clock.advance(1);
    const done = await status(a, id);
    expect(done).toMatchObject({ state: 'FULFILLED', completionDate: new Date(submittedAt + 5000).toISOString() });
    expect((await a.get(`${JOBS}/${id}/results`)).status).toBe(200);
    clock.advance(3_600_000);
    expect((await status(a, id)).state).toBe('EXPIRED');
    expect((await a.get(`${JOBS}/${id}/results`)).status).toBe(400);
  });

  it('is driven by vitest fake timers when no clock is injected', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const sim = createSimulatedOrg({ rateLimit: false });
    const a = directApi(sim);
    const id = await submit(a, { interval: dayInterval(sim, 1) });
    expect((await status(a, id)).state).toBe('QUEUED');
    vi.advanceTimersByTime(sim.options.jobs.queuedMs + sim.options.jobs.pendingMs);
    expect((await status(a, id)).state).toBe('FULFILLED');
  });

  it('cancels on DELETE (204, then CANCELLED, results refused)', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: false });
    const a = directApi(sim);
    const id = await submit(a, { interval: dayInterval(sim, 1) });
    const del = await a.del(`${JOBS}/${id}`);
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    clock.advance(60_000);
    expect((await status(a, id)).state).toBe('CANCELLED');
    expect((await a.get(`${JOBS}/${id}/results`)).status).toBe(400);
  });

  it('ends FAILED (with errorMessage) or EXPIRED by fault rates, decided per job and counted', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: false, faults: { jobFailureRate: 1 } });
    const a = directApi(sim);
    const failed = await submit(a, { interval: dayInterval(sim, 1) });
    sim.setFaults({ jobFailureRate: 0, jobExpiryRate: 1 });
    const expired = await submit(a, { interval: dayInterval(sim, 1) });
    sim.setFaults({ jobExpiryRate: 0 });
    const fine = await submit(a, { interval: dayInterval(sim, 1) });
    clock.advance(60_000);
    expect(await status(a, failed)).toMatchObject({ state: 'FAILED', errorMessage: JOB_FAILED_MESSAGE });
    expect((await status(a, expired)).state).toBe('EXPIRED');
    expect((await status(a, fine)).state).toBe('FULFILLED');
    expect(sim.stats.faults).toMatchObject({ jobFailed: 1, jobExpired: 1 });
    expect((await a.get(`${JOBS}/${failed}/results`)).status).toBe(400);
  });

  it('answers 404 for unknown jobs and 400 for bad submissions', async () => {
    const sim = createSimulatedOrg({ rateLimit: false });
    const a = directApi(sim);
    for (const p of [`${JOBS}/00000000-0000-4000-8000-000000000000`, `${JOBS}/nope/results`]) {
      const r = await a.get(p);
      expect(r.status).toBe(404);
      expect(await r.json()).toMatchObject({ code: 'not.found' });
    }
    expect((await a.del(`${JOBS}/nope`)).status).toBe(404);
    for (const body of [{}, { interval: 'x' }, { interval: dayInterval(sim, 1), limit: 0 }, { interval: dayInterval(sim, 1), evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationState', value: 'x' }] }] }]) {
      expect((await a.post(JOBS, body)).status).toBe(400);
    }
  });

  it('reports the data availability date: now - 1 h by default, or as configured', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: false });
    const a = directApi(sim);
    const get = async () => ((await (await a.get(`${JOBS}/availability`)).json()) as { dataAvailabilityDate: string }).dataAvailabilityDate;
    expect(await get()).toBe(new Date(clock.now() - 3_600_000).toISOString());
    sim.setDataAvailabilityDate('2026-11-01T00:00:00Z');
    expect(await get()).toBe('2026-11-01T00:00:00.000Z');
    const fixed = createSimulatedOrg({ now: clock.now, dataAvailabilityDate: '2026-10-01T00:00:00Z' });
    expect(await (await directApi(fixed).get(`${JOBS}/availability`)).json()).toEqual({ dataAvailabilityDate: '2026-10-01T00:00:00.000Z' });
  });
});
