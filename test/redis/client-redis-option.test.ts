import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenesysClient, ValidationError, type GenesysClientOptions } from '../../src/index';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, startSimulatedServer, type SimulatedServer } from '../../src/testing/index';
import { describeWithRedis, REDIS_URL, uniqueId, useRedis } from './helpers';

const PATH = '/api/v2/analytics/conversations/details/jobs/availability';
const base = { clientId: 'id', clientSecret: 'secret', baseUrl: 'http://127.0.0.1:1', authUrl: 'http://127.0.0.1:1' };

describe('rateLimit.redis option validation (no Redis needed)', () => {
  const issues = (rateLimit: unknown) => {
    try {
      new GenesysClient({ ...base, rateLimit } as GenesysClientOptions);
      return [];
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
    }
  };

  it('needs an id and exactly one of url or client', () => {
    expect(issues({ redis: { url: 'redis://127.0.0.1:6390' } })).toEqual([expect.stringMatching(/^rateLimit\.redis\.id: .*names the budget/)]);
    expect(issues({ redis: { id: 'x' } })).toEqual([expect.stringMatching(/exactly one of url or client/)]);
    expect(issues({ redis: { id: 'x', url: 'http://127.0.0.1:6390' } })).toEqual([expect.stringMatching(/redis:\/\/ or rediss:\/\//)]);
    expect(issues({ redis: { id: 'x', url: 'redis://h', fallback: 'ignore' } })).toHaveLength(1);
    expect(issues({ redis: { id: 'x', url: 'redis://h', limiter: 1 } })).toHaveLength(1);
  });

  it('refuses rateLimit.limiter and rateLimit.redis together', () => {
    const limiter = { schedule: async () => undefined };
    expect(issues({ limiter, redis: { id: 'x', url: 'redis://h' } })).toEqual(['rateLimit.redis: give either rateLimit.limiter or rateLimit.redis, not both']);
  });

  it('opens no connection until the first request, and keeps the URL (it may hold a password) out of options and inspect()', async () => {
    const client = new GenesysClient({ ...base, rateLimit: { redis: { id: 'x', url: 'redis://gc:hunter2@127.0.0.1:1' } } });
    expect(JSON.stringify(client.options)).not.toContain('hunter2');
    expect(inspect(client, { depth: 5 })).not.toContain('hunter2');
    expect(client.stats().limiter).toEqual({ queued: 0, running: 0, serverAvailable: undefined, pausedUntil: 0 });
    await client.close();
  });
});

describeWithRedis('rateLimit.redis on GenesysClient', () => {
  const { cleanup } = useRedis();
  let sim: SimulatedServer;
  beforeAll(async () => {
    sim = await startSimulatedServer({ seed: 6, rateLimit: { requests: 20, windowMs: 1000 } });
  });
  afterAll(async () => {
    await sim.close();
    await cleanup(sim.url);
  });

  const make = (id: string, extra: Partial<NonNullable<GenesysClientOptions['rateLimit']>> = {}) =>
    new GenesysClient({
      clientId: SIM_CLIENT_ID,
      clientSecret: SIM_CLIENT_SECRET,
      baseUrl: sim.url,
      authUrl: sim.url,
      // Below the org's 20 at once + 20/s, as a deployment sets its budget under the platform's: the budget is spent
      // when Redis grants it (Redis' clock, real time), the org counts a request when it arrives, and on a loaded
      // machine the time between the two varies by tens or hundreds of ms. With no margin, two grants 67 ms apart can
      // arrive together and one meets a 429 (a budget equal to the org's tolerates no delay at all).
      rateLimit: { requestsPerMinute: 900, burst: 10, maxConcurrent: 4, redis: { url: REDIS_URL, id }, ...extra },
    });

  it('shares one budget and one token between clients of the same id, with no 429', async () => {
    const id = uniqueId('client');
    const clients = [make(id), make(id), make(id)];
    try {
      sim.org.reset();
      const t0 = Date.now();
      await Promise.all(clients.flatMap((c) => Array.from({ length: 20 }, () => c.request({ path: PATH }))));
      const elapsed = Date.now() - t0;
      expect(sim.stats.tokensIssued).toBe(1);
      expect(sim.stats.rateLimited.total).toBe(0);
      // 60 requests against one budget of 10 at once + 15/s: at least 50 refills of 67 ms. Three budgets (30 at once
      // + 45/s) would take under a second and meet 429s from the org's 20.
      expect(elapsed).toBeGreaterThanOrEqual(3000);
      expect(clients.reduce((n, c) => n + c.stats().rateLimited, 0)).toBe(0);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await cleanup(id);
    }
  });

  it('keeps tokens per client when shareToken is false', async () => {
    const id = uniqueId('no-share');
    sim.org.reset();
    const clients = [0, 1].map(() =>
      new GenesysClient({
        clientId: SIM_CLIENT_ID,
        clientSecret: SIM_CLIENT_SECRET,
        baseUrl: sim.url,
        authUrl: sim.url,
        rateLimit: { redis: { url: REDIS_URL, id, shareToken: false } },
      }),
    );
    try {
      await Promise.all(clients.map((c) => c.request({ path: PATH })));
      expect(sim.stats.tokensIssued).toBe(2);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await cleanup(id);
    }
  });
});
