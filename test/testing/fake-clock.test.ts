import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import { GenesysClient, ValidationError } from '@org/gc-data';

describe('createFakeClock', () => {
  it('starts where told and moves only when advanced', async () => {
    const clock = createFakeClock({ now: '2026-03-01T00:00:00Z' });
    expect(clock.now()).toBe(Date.UTC(2026, 2, 1));
    await clock.advance(1500);
    expect(clock.now()).toBe(Date.UTC(2026, 2, 1) + 1500);
  });

  it('resolves sleeps in due order, ties in the order asked, and moves now() to each due time', async () => {
    const clock = createFakeClock({ now: 0 });
    const seen: Array<[string, number]> = [];
    const sleep = (name: string, ms: number) => clock.sleep(ms).then(() => seen.push([name, clock.now()]));
    const all = Promise.all([sleep('c', 300), sleep('a', 100), sleep('b', 100), sleep('d', 301)]);
    expect(clock.pending).toBe(4);
    await clock.advance(300);
    expect(seen).toEqual([['a', 100], ['b', 100], ['c', 300]]);
    expect(clock.pending).toBe(1);
    await clock.advance(1);
    await all;
    expect(seen.at(-1)).toEqual(['d', 301]);
  });

  it('fires a sleep started by resumed code when it falls inside the advanced window', async () => {
    const clock = createFakeClock({ now: 0 });
    const at: number[] = [];
    const chain = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        at.push(clock.now());
      }
    })();
    await clock.advance(250);
    expect(at).toEqual([100, 200]);
    expect(clock.now()).toBe(250);
    await clock.advance(50);
    await chain;
    expect(at).toEqual([100, 200, 300]);
  });

  it('rejects a sleep with the signal reason on abort, and at once when already aborted', async () => {
    const clock = createFakeClock({ now: 0 });
    const ac = new AbortController();
    const p = clock.sleep(1000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    await expect(clock.sleep(10, ac.signal)).rejects.toThrow('stop');
  });

  it('sleep(0) and negative sleeps resolve without waiting for advance', async () => {
    const clock = createFakeClock({ now: 0 });
    await clock.sleep(0);
    await clock.sleep(-5);
    expect(clock.sleeps).toEqual([0, -5]);
  });

  it('is deterministic per seed', () => {
    const a = createFakeClock({ random: 7 });
    const b = createFakeClock({ random: 7 });
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(createFakeClock({ random: () => 0.25 }).random()).toBe(0.25);
  });

  it('untilSleeping resolves once the code under test parks on the clock', async () => {
    const clock = createFakeClock({ now: 0 });
    const waiting = clock.untilSleeping(2);
    void clock.sleep(5);
    void clock.sleep(6);
    await waiting;
    expect(clock.pendingDueTimes()).toEqual([5, 6]);
    expect(await clock.runAll()).toBe(2);
    expect(clock.now()).toBe(6);
  });

  it('autoAdvance resolves sleeps on its own, earliest first, moving now()', async () => {
    const clock = createFakeClock({ now: 0, autoAdvance: true });
    const order: number[] = [];
    await Promise.all([clock.sleep(50_000).then(() => order.push(clock.now())), clock.sleep(10_000).then(() => order.push(clock.now()))]);
    expect(order).toEqual([10_000, 50_000]);
  });

  it('refuses bad options with a ValidationError naming the field', () => {
    expect(() => createFakeClock({ now: 'yesterday' })).toThrow(ValidationError);
    try {
      createFakeClock({ random: 'x' as never });
    } catch (e) {
      expect((e as ValidationError).issues[0]?.path).toBe('random');
    }
    expect.assertions(2);
  });

  it('is the clock a client and its modules run on', () => {
    const clock = createFakeClock();
    const client = new GenesysClient({ clientId: 'id', clientSecret: 'secret', clock });
    expect(client.clock).toBe(clock);
    expect(Object.keys(client.options)).not.toContain('clock');
    expect(() => new GenesysClient({ clientId: 'id', clientSecret: 'secret', clock: { now: () => 0 } as never })).toThrow(/clock/);
  });
});
