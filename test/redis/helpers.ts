/**
 * Redis tests run against a real Redis: `REDIS_URL` (.ci/run starts one). Without it they are skipped with a
 * visible message, except in CI (`CI=true`), where a missing Redis is a failure. Tests that kill Redis start a
 * private redis-server of their own (never the shared one).
 */
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, describe, it } from 'vitest';
import { REDIS_SERVER } from './private-redis';

export const REDIS_URL = process.env.REDIS_URL ?? '';
const IN_CI = process.env.CI === 'true';

/** `describe` that needs REDIS_URL: skipped with a message locally, failing in CI. */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_URL) {
    describe(name, body);
    return;
  }
  if (IN_CI) {
    describe(name, () => {
      it('has a Redis to run against', () => {
        throw new Error('REDIS_URL is not set, and CI=true: the Redis tests must run in CI (.ci/run starts redis-server and exports REDIS_URL)');
      });
    });
    return;
  }
  console.warn(
    `[gc-data] SKIPPED "${name}": REDIS_URL is not set. To run the Redis tests: ` +
      `redis-server --port 6390 --save '' --appendonly no --daemonize yes && REDIS_URL=redis://127.0.0.1:6390 npm test`,
  );
  describe.skip(name, body);
}

/** `describe` that also needs the redis-server binary (to start and kill a private instance). */
export function describeWithRedisServer(name: string, body: () => void): void {
  const found = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;
  if (found || IN_CI || !REDIS_URL) {
    describeWithRedis(name, body);
    return;
  }
  console.warn(`[gc-data] SKIPPED "${name}": ${REDIS_SERVER} is not on PATH (set REDIS_SERVER to its path)`);
  describe.skip(name, body);
}

let counter = 0;
/** A limiter id no other test (or earlier run) uses. */
export function uniqueId(label: string): string {
  return `test-${label}-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

/** A client for assertions and cleanup; closed after the file. */
export function useRedis(url = REDIS_URL): { redis: () => Redis; cleanup: (...fragments: string[]) => Promise<void> } {
  let client: Redis | undefined;
  const redis = () => (client ??= new Redis(url, { maxRetriesPerRequest: 1 }));
  afterAll(async () => {
    await client?.quit();
  });
  return {
    redis,
    /** Deletes every key containing one of the fragments (a limiter id, a token key's origin). */
    async cleanup(...fragments: string[]) {
      const r = redis();
      for (const pattern of fragments.map((f) => `*${f}*`)) {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          keys.push(...batch);
        } while (cursor !== '0');
        if (keys.length) await r.del(...keys);
      }
    },
  };
}

export { freePort, startPrivateRedis, type PrivateRedis } from './private-redis';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits until `cond` holds, checking every 20 ms. These tests drive a real Redis server (killed and restarted), so
 * they run on real time; they wait for what they need to see instead of for a fixed time that a busy machine may
 * not give them. The deadline only turns a hang into a failure naming what never happened.
 */
export async function waitUntil(what: string, cond: () => boolean, deadlineMs = 120_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`waited ${deadlineMs} ms for ${what}`);
    await sleep(20);
  }
}
