import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import { AbortError } from '@org/gc-data';
import { backoffDelay, pollUntil, retryOperation, type Backoff } from '../../src/internal/waits';

const half = () => 0.5;

describe('backoffDelay', () => {
  const base = { initialDelayMs: 1000, factor: 2, maxDelayMs: 5000 };
  it('grows by factor to the cap, then jitters as named', () => {
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay({ ...base, jitter: { kind: 'none' } }, n, half))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay({ ...base, jitter: { kind: 'full' } }, 1, half)).toBe(1000);
    expect(backoffDelay({ ...base, jitter: { kind: 'equal' } }, 1, half)).toBe(1500);
    expect(backoffDelay({ ...base, jitter: { kind: 'add', ms: 400 } }, 1, half)).toBe(2200);
    expect(backoffDelay({ ...base, jitter: { kind: 'ratio', ratio: 0.1 } }, 1, half)).toBe(2100);
    expect(backoffDelay({ ...base, growth: 'linear', jitter: { kind: 'none' } }, 2, half)).toBe(3000);
  });
});

const POLL: Backoff = { initialDelayMs: 1000, factor: 2, maxDelayMs: 4000, jitter: { kind: 'none' } };

describe('pollUntil', () => {
  it('waits each step before each check, on the clock, and returns the value', async () => {
    const clock = createFakeClock({ now: 0 });
    const checks: Array<[number, number, number]> = [];
    const result = pollUntil(
      async ({ poll, nextDelayMs }) => {
        checks.push([poll, clock.now(), nextDelayMs]);
        return poll === 4 ? { done: true, value: 'ok' } : { done: false };
      },
      { clock, backoff: POLL, what: 'Test wait', onDeadline: () => new Error('deadline') },
    );
    await clock.runAll();
    await expect(result).resolves.toBe('ok');
    expect(checks).toEqual([[1, 1000, 2000], [2, 3000, 4000], [3, 7000, 4000], [4, 11000, 4000]]);
  });

  it('checks at once with immediate, honours a Retry-After, and stops at the deadline with the given error', async () => {
    const clock = createFakeClock({ now: 0 });
    const at: number[] = [];
    const result = pollUntil(
      async () => {
        at.push(clock.now());
        return { done: false, retryAfterMs: at.length === 1 ? 300 : undefined };
      },
      { clock, backoff: POLL, immediate: true, deadline: 5000, what: 'Test wait', onDeadline: ({ polls }) => new Error(`gave up after ${polls}`) },
    );
    result.catch(() => undefined);
    await clock.runAll();
    await expect(result).rejects.toThrow('gave up after 4');
    // 0 (immediate), +300 (Retry-After), +2000, then the last wait is cut to end at the deadline.
    expect(at).toEqual([0, 300, 2300, 5000]);
  });

  it('turns an abort into the SDK AbortError naming the wait, without another check', async () => {
    const clock = createFakeClock({ now: 0 });
    const ac = new AbortController();
    let checks = 0;
    const result = pollUntil(async () => (checks++, { done: false }), { clock, backoff: POLL, signal: ac.signal, what: 'Waiting for X', onDeadline: () => new Error('no') });
    await clock.untilSleeping();
    ac.abort(new Error('user'));
    await expect(result).rejects.toThrow(AbortError);
    await expect(result).rejects.toThrow(/Waiting for X was aborted/);
    expect(checks).toBe(0);
  });
});

describe('retryOperation', () => {
  const transient = (e: unknown) => (e as Error).message === 'transient';
  it('retries retryable errors with backoff and returns the first success', async () => {
    const clock = createFakeClock({ now: 0 });
    const seen: number[] = [];
    const result = retryOperation(
      async (attempt) => {
        seen.push(clock.now());
        if (attempt < 3) throw new Error('transient');
        return attempt;
      },
      { clock, backoff: POLL, retries: 5, retryable: transient, what: 'Op' },
    );
    await clock.runAll();
    await expect(result).resolves.toBe(3);
    expect(seen).toEqual([0, 1000, 3000]);
  });

  it('throws a non-retryable error at once and the last error when retries run out', async () => {
    const clock = createFakeClock({ now: 0 });
    await expect(retryOperation(async () => { throw new Error('fatal'); }, { clock, backoff: POLL, retries: 5, retryable: transient, what: 'Op' })).rejects.toThrow('fatal');
    let n = 0;
    const r = retryOperation(async () => { n++; throw new Error('transient'); }, { clock, backoff: POLL, retries: 2, retryable: transient, what: 'Op' });
    r.catch(() => undefined);
    await clock.runAll();
    await expect(r).rejects.toThrow('transient');
    expect(n).toBe(3);
  });

  it('honours Retry-After through computeDelay (exact plus up to 10%), capped', async () => {
    const clock = createFakeClock({ now: 0, random: () => 0 });
    const r = retryOperation(
      async (attempt) => {
        if (attempt === 1) throw Object.assign(new Error('transient'), { retryAfterMs: 7000 });
        if (attempt === 2) throw Object.assign(new Error('transient'), { retryAfterMs: 90_000 });
        return clock.now();
      },
      { clock, backoff: POLL, retries: 3, retryable: transient, retryAfterMs: (e) => (e as { retryAfterMs?: number }).retryAfterMs, maxRetryAfterMs: 60_000, what: 'Op' },
    );
    await clock.runAll();
    await expect(r).resolves.toBe(67_000);
  });

  it('takes the backoff step from backoffStep when given (the downloader counts attempts without progress)', async () => {
    const clock = createFakeClock({ now: 0 });
    const seen: number[] = [];
    const r = retryOperation(
      async (attempt) => {
        seen.push(clock.now());
        if (attempt < 4) throw new Error('transient');
        return attempt;
      },
      // Steps 0, 0, 2: 1000, 1000, 4000 ms (without the hook: 1000, 2000, 4000).
      { clock, backoff: POLL, retries: 5, retryable: transient, backoffStep: (_e, attempt) => (attempt === 3 ? 2 : 0), what: 'Op' },
    );
    await clock.runAll();
    await expect(r).resolves.toBe(4);
    expect(seen).toEqual([0, 1000, 2000, 6000]);
  });

  it('does not start a retry that would end past the deadline', async () => {
    const clock = createFakeClock({ now: 0 });
    let n = 0;
    const r = retryOperation(async () => { n++; throw new Error('transient'); }, { clock, backoff: POLL, retries: 10, retryable: transient, deadline: 2500, what: 'Op' });
    r.catch(() => undefined);
    await clock.runAll();
    await expect(r).rejects.toThrow('transient');
    expect(n).toBe(2);
  });
});
