/**
 * bench/pacing/floor.ts: the floor of a first clock window a few ms long. Issue 19: a real-time run of the export
 * that started 86 ms before a 1-s clock window ended read 1.236 x a floor of 5,086 ms, which counted 45 requests in
 * that first window; the export sends nothing but its first query page until the org has answered it (100-250 ms
 * on real time), so no client puts more than that one request in such a window.
 */
import { describe, expect, it } from 'vitest';
import { floorMs } from '../../bench/pacing/floor';

const clock1s = { requests: 50, windowMs: 1000, model: 'fixed' as const, anchor: 'clock' as const };
const start = (msBeforeEnd: number) => 100_000 * 1000 - msBeforeEnd;

describe('floorMs: the first clock window', () => {
  it('holds what 5 connections at 10 ms can send into it', () => {
    expect(floorMs(clock1s, 328, start(86), { maxConcurrent: 5, latencyMs: 10 })).toBe(86 + 5 * 1000);
  });

  it('holds only the first request until its answer when the others depend on it', () => {
    expect(floorMs(clock1s, 328, start(86), { maxConcurrent: 5, latencyMs: 10, firstAnswerMs: 200 })).toBe(86 + 6 * 1000);
    // 100 ms after the answer: 1 + 5 x 10 round trips, capped at the window's 50.
    expect(floorMs(clock1s, 328, start(300), { maxConcurrent: 5, latencyMs: 10, firstAnswerMs: 200 })).toBe(300 + 5 * 1000);
    // 40 ms after it: 1 + 5 x 4 = 21 in the first window, 307 in six more.
    expect(floorMs(clock1s, 328, start(240), { maxConcurrent: 5, latencyMs: 10, firstAnswerMs: 200 })).toBe(240 + 6 * 1000);
  });

  it('is the same as without it for windows not aligned to the clock', () => {
    const first = { ...clock1s, anchor: 'first-request' as const };
    expect(floorMs(first, 328, start(86), { maxConcurrent: 5, latencyMs: 10, firstAnswerMs: 200 })).toBe(6 * 1000);
  });
});
