import { describe, expect, it } from 'vitest';
import { classify, computeDelay, parseRetryAfter, RetryBudget } from '../../src/transport/retry';
import { DEFAULT_RETRY } from '@org/gc-data/schemas';

const opts = { baseDelayMs: 500, maxDelayMs: 30_000, serviceUnavailableFactor: 4 };

describe('retry policy (pure)', () => {
  it('computes full-jitter exponential delays exactly', () => {
    expect(computeDelay({ attempt: 1, retryAfterMs: undefined, status: 500, options: opts, random: () => 0.5 })).toBe(250);
    expect(computeDelay({ attempt: 3, retryAfterMs: undefined, status: 500, options: opts, random: () => 0.5 })).toBe(1000);
    expect(computeDelay({ attempt: 20, retryAfterMs: undefined, status: 500, options: opts, random: () => 0.999999 })).toBe(29_999);
  });
  it('isolated 503s (no storm, at most two in a row) are retried on the plain step; a third in a row backs off longer', () => {
    expect(computeDelay({ attempt: 1, retryAfterMs: undefined, status: 503, options: opts, random: () => 0.5, isolated: true })).toBe(250);
    // Issue 19's faults run: a second 503 by chance waited up to 4 s (factor 4) and held up the export (was 2000).
    expect(computeDelay({ attempt: 2, retryAfterMs: undefined, status: 503, options: opts, random: () => 0.5, isolated: true })).toBe(500);
    expect(computeDelay({ attempt: 3, retryAfterMs: undefined, status: 503, options: opts, random: () => 0.5, isolated: true })).toBe(4000);
    // A 503 after a dropped connection is the first 503 in a row, whatever the attempt.
    expect(computeDelay({ attempt: 3, retryAfterMs: undefined, status: 503, options: opts, random: () => 0.5, isolated: true, consecutive503: 1 })).toBe(1000);
    expect(computeDelay({ attempt: 1, retryAfterMs: undefined, status: 503, options: opts, random: () => 0.5, isolated: false })).toBe(1000);
  });

  it('backs off 503 longer', () => {
    expect(computeDelay({ attempt: 1, retryAfterMs: undefined, status: 503, options: opts, random: () => 0.5 })).toBe(1000);
  });
  it('never waits less than Retry-After; adds at most 10% positive jitter', () => {
    expect(computeDelay({ attempt: 1, retryAfterMs: 2000, status: 429, options: opts, random: () => 0 })).toBe(2000);
    expect(computeDelay({ attempt: 1, retryAfterMs: 2000, status: 429, options: opts, random: () => 1 })).toBe(2200);
  });
  it('parses Retry-After seconds, HTTP-date and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': '42' }), now)).toBe(42_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now)).toBe(150);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
  it('classifies: 429 always, 5xx/network/timeout only when idempotent, 4xx never', () => {
    const ctx = { idempotent: false, attempt: 1, rateLimitedAttempts: 1 };
    expect(classify({ kind: 'status', status: 429 }, ctx, DEFAULT_RETRY).retry).toBe(true);
    expect(classify({ kind: 'status', status: 503 }, { ...ctx, rateLimitedAttempts: 0 }, DEFAULT_RETRY)).toEqual({ retry: false, reason: 'not-idempotent' });
    expect(classify({ kind: 'network' }, { ...ctx, idempotent: true, rateLimitedAttempts: 0 }, DEFAULT_RETRY)).toEqual({ retry: true, cost: 10, rateLimited: false });
    expect(classify({ kind: 'status', status: 404 }, { ...ctx, idempotent: true }, DEFAULT_RETRY)).toEqual({ retry: false, reason: 'not-retryable' });
    expect(classify({ kind: 'status', status: 500 }, { idempotent: true, attempt: 5, rateLimitedAttempts: 0 }, DEFAULT_RETRY)).toEqual({ retry: false, reason: 'limit' });
  });
  it('budget: spends on retries, refunds on success, refuses when empty', () => {
    const b = new RetryBudget({ capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(b.tryAcquire(5)).toBe(true);
    expect(b.tryAcquire(10)).toBe(false);
    b.recordSuccess();
    expect(b.available).toBe(6);
    expect(b.tryAcquire(5)).toBe(true);
    expect(b.tryAcquire(5)).toBe(false);
  });
});
