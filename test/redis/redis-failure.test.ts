import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { GenesysClient, type WarningEvent } from '../../src/index';
import { RedisRateLimiter, RedisTokenStore, RedisUnavailableError } from '../../src/redis/index';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, startSimulatedServer, type SimulatedServer } from '../../src/testing/index';
import { describeWithRedisServer, freePort, sleep, startPrivateRedis, uniqueId, waitUntil, type PrivateRedis } from './helpers';

const PATH = '/api/v2/analytics/conversations/details/jobs/availability';

describeWithRedisServer('Redis unreachable at start, or lost mid-run: a clear error, or a warned, conservative local limiter', () => {
  let sim: SimulatedServer;
  let privateRedis: PrivateRedis;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    // No server rate limit: what is measured here is what the client lets out, not what a server would refuse.
    sim = await startSimulatedServer({ seed: 8, rateLimit: false });
    privateRedis = await startPrivateRedis();
  });
  afterAll(async () => {
    await sim.close();
    await privateRedis.stop();
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
    // Every test starts with a fresh, running Redis.
    await privateRedis.kill();
    await privateRedis.restart();
  });

  const client = (id: string, fallback: 'error' | 'local', extra: { url?: string; rpm?: number; burst?: number; maxConcurrent?: number } = {}) => {
    const warnings: WarningEvent[] = [];
    const c = new GenesysClient({
      clientId: SIM_CLIENT_ID,
      clientSecret: SIM_CLIENT_SECRET,
      baseUrl: sim.url,
      authUrl: sim.url,
      rateLimit: {
        requestsPerMinute: extra.rpm ?? 60_000,
        burst: extra.burst,
        maxConcurrent: extra.maxConcurrent ?? 5,
        redis: { url: extra.url ?? privateRedis.url, id, fallback, connectTimeoutMs: 400 },
      },
      retry: { limit: 0 },
    });
    c.on('warning', (w) => warnings.push(w));
    closers.push(() => c.close());
    return { c, warnings };
  };

  it('fails every request with RedisUnavailableError when Redis is down at start (fallback: error), naming no password', async () => {
    const port = await freePort();
    const { c, warnings } = client(uniqueId('down'), 'error', { url: `redis://gc:hunter2@127.0.0.1:${port}` });
    const before = sim.stats.totalRequests;
    const e = await c.request({ path: PATH }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RedisUnavailableError);
    expect((e as RedisUnavailableError).reason).toBe('connect-timeout');
    expect((e as Error).message).toMatch(/unreachable.*fallback: 'local'/s);
    expect(JSON.stringify(e) + (e as Error).message + JSON.stringify(warnings)).not.toContain('hunter2');
    expect(warnings.map((w) => w.code)).toEqual(['redis-unavailable']);
    expect(sim.stats.totalRequests).toBe(before);
    // A standalone limiter says so from ready() already.
    const limiter = new RedisRateLimiter({ url: `redis://127.0.0.1:${port}`, id: 'x', requestsPerMinute: 60, maxConcurrent: 1, connectTimeoutMs: 200 });
    closers.push(() => limiter.disconnect());
    await expect(limiter.ready()).rejects.toBeInstanceOf(RedisUnavailableError);
  });

  it("warns and runs on a local limiter when Redis is down at start (fallback: 'local')", async () => {
    const port = await freePort();
    const { c, warnings } = client(uniqueId('down-local'), 'local', { url: `redis://127.0.0.1:${port}` });
    await c.request({ path: PATH });
    expect(warnings.map((w) => w.code).sort()).toEqual(['redis-fallback', 'redis-fallback']);
    expect(warnings.find((w) => w.details?.reason === 'connect-timeout')?.message).toMatch(/local limiter/);
    expect(c.stats().tokensIssued).toBe(1);
  });

  it('stops sending when Redis is lost mid-run (fallback: error), and resumes when it is back', async () => {
    const { c, warnings } = client(uniqueId('lost'), 'error', { maxConcurrent: 2 });
    let stop = false;
    const outcomes: string[] = [];
    const loop = async () => {
      while (!stop) {
        outcomes.push(await c.request({ path: PATH }).then(() => 'ok', (e: unknown) => (e as Error).name));
        await sleep(5);
      }
    };
    const loops = [loop(), loop()];
    await waitUntil('requests through the shared limiter', () => outcomes.filter((o) => o === 'ok').length >= 3);
    await privateRedis.kill();
    const killedAt = sim.stats.totalRequests;
    await waitUntil('a RedisUnavailableError', () => outcomes.includes('RedisUnavailableError'));
    await sleep(400);
    // Requests already past the limiter (at most maxConcurrent: 2) may finish; nothing new is sent while the shared
    // limit is unknown.
    expect(sim.stats.totalRequests - killedAt).toBeLessThanOrEqual(2);
    expect(warnings.map((w) => w.code)).toContain('redis-unavailable');
    await privateRedis.restart();
    await waitUntil('the redis-reconnected warning', () => warnings.some((w) => w.code === 'redis-reconnected'));
    const resumedAt = outcomes.length;
    await waitUntil('six requests after the reconnection', () => outcomes.slice(resumedAt).filter((o) => o === 'ok').length > 5);
    stop = true;
    await Promise.all(loops);
  });

  it("falls back to a local limiter with this worker's share, starting empty, when Redis is lost mid-run (fallback: 'local')", async () => {
    const id = uniqueId('lost-local');
    // Two workers share 600 requests/min (10/s), with a whole minute's budget allowed at once.
    const a = client(id, 'local', { rpm: 600, burst: 600 });
    const b = client(id, 'local', { rpm: 600, burst: 600 });
    await Promise.all([a.c.request({ path: PATH }), b.c.request({ path: PATH })]);
    // Both limiters have seen each other: each counts its peers every 2 s of real time (by design: it counts
    // bottleneck's real-time heartbeats), so two counts fall in this wait unless its timer is late by over 2 s
    // (one 2.2-s wait left a single count that a late timer on a loaded machine could miss).
    await sleep(4500);
    let stop = false;
    const sent: number[] = [];
    for (const w of [a, b]) w.c.on('request', () => sent.push(Date.now()));
    const errors: unknown[] = [];
    const loops = [a, b].flatMap(({ c }) =>
      Array.from({ length: 3 }, async () => {
        while (!stop) await c.request({ path: PATH }).catch((e: unknown) => errors.push(e));
      }),
    );
    await waitUntil('requests through the shared limiter', () => sent.length >= 3);
    await privateRedis.kill();
    const fellBack = (w: { warnings: WarningEvent[] }) => w.warnings.some((x) => x.code === 'redis-fallback' && x.details?.reason === 'connection-lost');
    await waitUntil('both workers on their local limiter', () => fellBack(a) && fellBack(b));
    // The second measured is the one from the first request sent on the local limiters, not from the kill: on a
    // loaded machine noticing the lost connection can itself take over a second.
    const fellBackAt = Date.now();
    await waitUntil('a request on the local limiters', () => sent.some((t) => t > fellBackAt));
    const firstLocal = sent.find((t) => t > fellBackAt)!;
    await waitUntil('1.1 s after it', () => Date.now() > firstLocal + 1100);
    stop = true;
    await Promise.all(loops);
    expect(errors).toEqual([]);
    for (const w of [a, b]) expect(w.warnings.map((x) => x.code)).toContain('redis-fallback');
    const fallback = a.warnings.find((x) => x.code === 'redis-fallback' && x.details?.reason === 'connection-lost');
    expect(fallback?.details).toMatchObject({ peers: 2, requestsPerMinute: 300 });
    // A full local bucket each would let 2 x 600 go at once; each worker starts empty at 5/s instead.
    const after = sent.filter((t) => t >= firstLocal && t <= firstLocal + 1000).length;
    expect(after).toBeLessThanOrEqual(16);
    expect(after).toBeGreaterThan(0);
  });

  it('the token store fails clearly, or falls back to memory, the same way', async () => {
    const port = await freePort();
    const strict = new RedisTokenStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 });
    const lenient = new RedisTokenStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200, fallback: 'local', onWarning: (w) => codes.push(w.code) });
    const codes: string[] = [];
    closers.push(() => strict.disconnect(), () => lenient.disconnect());
    await expect(strict.get('k')).rejects.toBeInstanceOf(RedisUnavailableError);
    await lenient.set('k', { accessToken: 't', issuedAt: Date.now(), expiresAt: Date.now() + 60_000 });
    expect((await lenient.get('k'))?.accessToken).toBe('t');
    expect(lenient.inMemory).toBe(true);
    expect(codes).toEqual(['redis-fallback']);
  });
});
