import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimulatedOrgOptions } from '@org/gc-data/testing';
import { DETAILS, api, dayInterval, manualClock, viaHandle } from '../testing/helpers';

type RateLimit = Exclude<NonNullable<SimulatedOrgOptions['rateLimit']>, false>;

/** An org with one token on a manual clock; `send()` makes one request and returns its status and budget headers. */
function org(rateLimit: RateLimit, start = Date.parse('2026-11-20T12:00:00.250Z')) {
  const clock = manualClock(start);
  const sim = createSimulatedOrg({ now: clock.now, rateLimit, conversations: 10 });
  const a = api(viaHandle(sim), sim.apiBaseUrl, sim.issueToken());
  const body = { interval: dayInterval(sim, 1), paging: { pageSize: 1, pageNumber: 1 } };
  const send = async () => {
    const r = await a.post(DETAILS, body);
    return {
      status: r.status,
      remaining: Number(r.headers.get('x-ratelimit-remaining')),
      reset: r.headers.get('inin-ratelimit-reset'),
      xReset: r.headers.get('x-ratelimit-reset'),
      retryAfter: r.headers.get('retry-after'),
    };
  };
  const burst = async (n: number) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await send());
    return out;
  };
  return { clock, sim, send, burst };
}

describe('simulated org rate-limit models', () => {
  it('keeps the token bucket as the default (same headers as before)', async () => {
    const o = org({ requests: 4, windowMs: 4000 });
    const r = await o.burst(5);
    expect(r.map((x) => x.status)).toEqual([200, 200, 200, 200, 429]);
    expect(r.map((x) => x.reset)).toEqual(['1', '2', '3', '4', '4']);
    expect(r[4]!.retryAfter).toBe('1');
    o.clock.advance(1000);
    expect((await o.send()).status).toBe(200);
  });

  it('fixed windows aligned to the clock reset at a multiple of windowMs', async () => {
    // 12:00:00.250: the clock window [12:00:00, 12:00:01) has 750 ms left.
    const o = org({ requests: 3, windowMs: 1000, model: 'fixed' });
    const r = await o.burst(4);
    expect(r.map((x) => x.status)).toEqual([200, 200, 200, 429]);
    expect(r.map((x) => x.remaining)).toEqual([2, 1, 0, 0]);
    expect(r[3]!.retryAfter).toBe('1');
    o.clock.advance(749);
    expect((await o.send()).status).toBe(429);
    o.clock.advance(1);
    const next = await o.send();
    expect(next).toMatchObject({ status: 200, remaining: 2, reset: '1' });
    expect(o.sim.stats.rateLimited.limiter).toBe(2);
  });

  it('fixed windows opened by the first request last windowMs from it', async () => {
    const o = org({ requests: 2, windowMs: 10_000, model: 'fixed', anchor: 'first-request' });
    expect((await o.send()).reset).toBe('10');
    o.clock.advance(2500);
    expect(await o.send()).toMatchObject({ status: 200, remaining: 0, reset: '8' });
    expect(await o.send()).toMatchObject({ status: 429, retryAfter: '8' });
    o.clock.advance(7499);
    expect((await o.send()).status).toBe(429);
    o.clock.advance(1);
    // A new window opens with this request: 10 s from now.
    expect(await o.send()).toMatchObject({ status: 200, remaining: 1, reset: '10' });
  });

  it('a sliding log frees each request windowMs after it was allowed', async () => {
    const o = org({ requests: 2, windowMs: 10_000, model: 'sliding' });
    await o.send();
    o.clock.advance(4000);
    // window-end: when the oldest logged request leaves the window (6 s away).
    expect(await o.send()).toMatchObject({ status: 200, remaining: 0, reset: '6' });
    expect(await o.send()).toMatchObject({ status: 429, retryAfter: '6' });
    o.clock.advance(6000);
    expect(await o.send()).toMatchObject({ status: 200, remaining: 0, reset: '4' });
    expect((await o.send()).status).toBe(429);
  });

  it('bucket-full on a sliding log announces when the log is empty', async () => {
    const o = org({ requests: 2, windowMs: 10_000, model: 'sliding', reset: 'bucket-full' });
    await o.send();
    o.clock.advance(4000);
    expect(await o.send()).toMatchObject({ reset: '10' });
  });

  it('epoch resets carry the reset moment in epoch seconds (rounded up); none sends no reset header', async () => {
    const start = Date.parse('2026-11-20T12:00:00.250Z');
    const e = org({ requests: 3, windowMs: 10_000, model: 'fixed', anchor: 'first-request', reset: 'epoch' }, start);
    const r = await e.send();
    expect(r.reset).toBe(String(Math.ceil((start + 10_000) / 1000)));
    expect(r.xReset).toBe(r.reset);
    const b = org({ requests: 3, windowMs: 3000, reset: 'epoch' }, start);
    // One token used, refilled in 1 s: full again at start + 1000 ms.
    expect((await b.send()).reset).toBe(String(Math.ceil((start + 1000) / 1000)));
    const n = org({ requests: 1, windowMs: 1000, model: 'sliding', reset: 'none' });
    const first = await n.send();
    const second = await n.send();
    expect([first.reset, first.xReset, second.reset]).toEqual([null, null, null]);
    expect(first.remaining).toBe(0);
    expect(second).toMatchObject({ status: 429, retryAfter: '1' });
  });

  it('refuses unknown models and reset styles at rateLimit', () => {
    expect(() => createSimulatedOrg({ rateLimit: { requests: 1, windowMs: 1000, model: 'leaky' as 'fixed' } })).toThrow(/at rateLimit/);
    expect(() => createSimulatedOrg({ rateLimit: { requests: 1, windowMs: 1000, reset: 'later' as 'none' } })).toThrow(/at rateLimit/);
  });
});
