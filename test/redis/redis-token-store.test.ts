import { afterEach, expect, it } from 'vitest';
import { GenesysClient } from '../../src/index';
import { RedisTokenStore } from '../../src/redis/index';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, startSimulatedServer } from '../../src/testing/index';
import { describeWithRedis, REDIS_URL, sleep, uniqueId, useRedis } from './helpers';

describeWithRedis('RedisTokenStore: one token per OAuth client for every worker', () => {
  const { redis, cleanup } = useRedis();
  const stores: RedisTokenStore[] = [];
  const prefixes: string[] = [];
  const store = (prefix = `${uniqueId('tok')}:`) => {
    const s = new RedisTokenStore({ url: REDIS_URL, keyPrefix: prefix });
    stores.push(s);
    prefixes.push(prefix);
    return { s, prefix };
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.disconnect()));
    await cleanup(...prefixes.splice(0));
  });

  it('stores a token for its remaining lifetime only, and reads it back', async () => {
    const { s, prefix } = store();
    const now = Date.now();
    const token = { accessToken: 'tok-1', issuedAt: now, expiresAt: now + 60_000 };
    await s.set('k', token);
    expect(await s.get('k')).toEqual(token);
    const ttl = await redis().pttl(`${prefix}k`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await s.set('old', { accessToken: 'tok-0', issuedAt: now - 10_000, expiresAt: now - 1 });
    expect(await s.get('old')).toBeUndefined();
    expect(await s.get('missing')).toBeUndefined();
  });

  it('deletes a token only if it is still the one the caller saw refused', async () => {
    const { s } = store();
    const now = Date.now();
    await s.set('k', { accessToken: 'new', issuedAt: now, expiresAt: now + 60_000 });
    await s.delete('k', 'old');
    expect((await s.get('k'))?.accessToken).toBe('new');
    await s.delete('k', 'new');
    expect(await s.get('k')).toBeUndefined();
  });

  it('lets one holder at a time take the refresh lock; a release never frees a lock taken over after expiry', async () => {
    const { s, prefix } = store();
    const other = new RedisTokenStore({ url: REDIS_URL, keyPrefix: prefix });
    stores.push(other);
    // Locks that outlast the test (a short TTL raced the round trips of a loaded machine); the expiry is made by
    // hand below, the way Redis ends a PX lock: the key goes away.
    const release = await s.lock('k', 600_000);
    expect(release).toBeTypeOf('function');
    expect(await other.lock('k', 600_000)).toBeUndefined();
    expect(await redis().pexpire(`${prefix}k:lock`, 1)).toBe(1);
    for (let i = 0; (await redis().exists(`${prefix}k:lock`)) === 1; i++) {
      if (i > 6000) throw new Error('the lock did not expire');
      await sleep(10);
    }
    // Expired: the other worker takes it; the first holder's late release must not free the new holder's lock.
    const second = await other.lock('k', 600_000);
    expect(second).toBeTypeOf('function');
    await release!();
    expect(await s.lock('k', 600_000)).toBeUndefined();
    await second!();
    const third = await s.lock('k', 600_000);
    expect(third).toBeTypeOf('function');
    await third!();
  });

  it('keeps only the token in Redis: no client secret, no credentials', async () => {
    const sim = await startSimulatedServer({ seed: 4 });
    const { s, prefix } = store();
    const client = new GenesysClient({ clientId: SIM_CLIENT_ID, clientSecret: SIM_CLIENT_SECRET, baseUrl: sim.url, authUrl: sim.url, tokenStore: s });
    try {
      await client.request({ path: '/api/v2/analytics/conversations/details/jobs/availability' });
      const keys = await redis().keys(`${prefix}*`);
      expect(keys).toEqual([`${prefix}gc-data:token:${sim.url}:${SIM_CLIENT_ID}`]);
      const raw = (await redis().get(keys[0]!))!;
      expect(Object.keys(JSON.parse(raw) as object).sort()).toEqual(['accessToken', 'expiresAt', 'issuedAt']);
      expect(raw).not.toContain(SIM_CLIENT_SECRET);
      expect(raw).not.toContain(Buffer.from(`${SIM_CLIENT_ID}:${SIM_CLIENT_SECRET}`).toString('base64'));
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('has ten clients (each with its own store and connection) mint exactly one token between them', async () => {
    const sim = await startSimulatedServer({ seed: 5 });
    const prefix = `${uniqueId('ten')}:`;
    const clients = Array.from({ length: 10 }, () => {
      const { s } = store(prefix);
      return new GenesysClient({ clientId: SIM_CLIENT_ID, clientSecret: SIM_CLIENT_SECRET, baseUrl: sim.url, authUrl: sim.url, tokenStore: s });
    });
    try {
      await Promise.all(clients.map((c) => c.request({ path: '/api/v2/analytics/conversations/details/jobs/availability' })));
      expect(sim.stats.tokensIssued).toBe(1);
      expect(clients.reduce((n, c) => n + c.stats().tokensIssued, 0)).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
    }
  });
});
