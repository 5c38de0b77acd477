/**
 * Issue 19, traced on real time (bench/pacing/trace.ts, sliding log, reset = seconds until the oldest request leaves):
 * the limiter's own log freed one request at the very moment the newest answer's reset came due, and the probe for
 * that reset left 1 ms later for the same single slot: a 429 a correct sliding-window server gives any client. A
 * request sent after the newest answer and still out already spends what the reset brings back; its answer is the
 * probe. LocalRateLimiter on a fake clock, answers given by hand (a sliding log of 3 per second).
 */
import { expect, it } from 'vitest';
import { LocalRateLimiter, type RateLimitSnapshot } from '@org/gc-data';
import { createFakeClock } from '@org/gc-data/testing';

const turns = async (n = 10) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

it('no probe for a reset while a request the log freed at that moment is still out', async () => {
  const t0 = 1_000_000_500;
  const clock = createFakeClock({ now: t0 });
  const limiter = new LocalRateLimiter({ requestsPerMinute: 6000, maxConcurrent: 5, serverGoverns: true, clock });
  const sent: number[] = [];
  const reply = new Map<number, (s: RateLimitSnapshot) => void>();
  const request = () =>
    limiter.schedule(async () => {
      const n = sent.push(clock.now() - t0);
      const snapshot = await new Promise<RateLimitSnapshot>((r) => reply.set(n, r));
      limiter.observe(snapshot, limiter.running - 1);
    });
  const answer = async (n: number, remaining: number, resetMs: number) => {
    reply.get(n)!({ remaining, limit: 3, resetMs });
    await turns();
  };
  // Nothing announced yet: five go at once (the cap); their answers spend the window (3 per 1000 ms).
  for (let i = 0; i < 8; i++) void request();
  await turns();
  expect(sent).toEqual([0, 0, 0, 0, 0]);
  await clock.advance(10);
  await answer(1, 2, 1000);
  await answer(2, 1, 1000);
  await answer(3, 0, 1000);
  await answer(4, 0, 1000);
  await answer(5, 0, 1000);
  expect(sent).toHaveLength(5);
  // At 1010 the log frees the first answers' slots, one request at a time until one is granted (a log probe).
  await clock.advance(1000);
  await turns();
  expect(sent).toEqual([0, 0, 0, 0, 0, 1010]);
  await clock.advance(10);
  await answer(6, 2, 1000);
  // Granted: the log is trusted, and the answer says 2 are left.
  expect(sent).toEqual([0, 0, 0, 0, 0, 1010, 1020, 1020]);
  await clock.advance(10);
  // The newest answer: nothing left, back in 990 ms (at 2020, when request 6, answered at 1020, leaves the log).
  await answer(7, 1, 990);
  await answer(8, 0, 990);
  for (let i = 0; i < 2; i++) void request();
  await clock.advance(990);
  await turns();
  // At 2020 the log frees request 6: one slot, all the reset announces. One request goes, not that one and a probe.
  expect(sent.slice(8)).toEqual([2020]);
  await limiter.disconnect();
});
