/**
 * Fuzz targets of the root entry's plumbing: GenesysClient (constructor and its methods), regions, token store,
 * rate limiter, sync state store, verifyHold. See test/fuzz/harness.ts for what a target is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { FileSyncStateStore, GenesysClient, LocalRateLimiter, MemoryTokenStore, parseRegion, resolveRegion, verifyHold } from '@org/gc-data';
import { argCases, bad, optionCases, type Target } from '../harness';
import type { FuzzContext } from './context';

const E = '@org/gc-data' as const;

export function rootClientTargets(ctx: FuzzContext): Target[] {
  const base = () => ({ clientId: 'fuzz-client', clientSecret: 'fuzz-secret-1234', baseUrl: ctx.url(), authUrl: ctx.url(), fetch: ctx.fetch });
  const made: GenesysClient[] = [];
  const construct = (o: unknown) => () => {
    const c = new GenesysClient(o as never);
    made.push(c);
    // a client that was built must not have sent anything: the property checks that nothing left while building
    return c.close();
  };
  return [
    {
      entry: E,
      name: 'GenesysClient',
      valid: construct(base()),
      weight: 3,
      cases: optionCases(
        base(),
        {
          clientId: bad.str(),
          clientSecret: bad.str(),
          region: fc.oneof(fc.constantFrom('us-east', 'constructor', '__proto__', 'mars_1', 'api.example.test'), fc.integer(), fc.constant(null)),
          baseUrl: bad.url(),
          authUrl: bad.url(),
          timeoutMs: bad.int(1),
          deadlineMs: bad.int(1),
          'retry.limit': bad.int(0),
          'retry.baseDelayMs': bad.int(0),
          'retry.serviceUnavailableFactor': bad.atLeast(1),
          'retry.budget.capacity': bad.int(0),
          'retry.budget.retryCost': bad.int(0),
          'rateLimit.requestsPerMinute': fc.oneof(fc.constantFrom(0, -1, Number.NaN, '300'), fc.constant(null)),
          'rateLimit.maxConcurrent': bad.int(1),
          'rateLimit.burst': bad.int(1),
          'rateLimit.maxRequestsPerSecond': fc.constantFrom(0, -5, Number.NaN, 'x', null),
          'rateLimit.limiter': fc.constantFrom(1, 'x', {}, null),
          'rateLimit.redis.id': fc.constantFrom('', 1, null),
          'rateLimit.redis.url': fc.constantFrom('http://x', 'redis:/x', 5),
          tokenStore: fc.constantFrom(1, 'x', {}, null),
          refreshAheadMs: bad.int(0),
          fetch: bad.fn(),
          userAgent: fc.oneof(fc.constantFrom('a\r\nX-Evil: 1', 'a\u0000b'), fc.integer(), fc.constant(null)),
          maxResponseBytes: bad.int(1),
          logger: fc.constantFrom('console', 1, {}, { debug: () => 1 }, null),
          telemetry: fc.constantFrom(false, 'yes', 1, null, { tracer: 1 }),
        },
        construct,
        { nearMisses: ['clientID', 'client_secret', 'baseURL', 'retries', 'ratelimit', 'timeout'] },
      ),
    },
    {
      entry: E,
      name: 'GenesysClient',
      member: 'request',
      valid: () => ctx.client().request({ path: '/api/v2/users/me' }),
      weight: 3,
      cases: optionCases(
        { path: '/api/v2/users/me' },
        {
          method: fc.oneof(fc.constantFrom('FETCH', 'constructor', '', 'G ET'), fc.integer(), fc.constant(null)),
          path: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null), fc.constant({})),
          'query.a': fc.constantFrom({ b: 1 }, [{ b: 1 }], Number.NaN, () => 1, Symbol('s')),
          'headers.x-fuzz': fc.constantFrom(1, null, {}, ['a']),
          timeoutMs: bad.int(1),
          deadlineMs: bad.int(1),
          idempotent: bad.bool(),
          signal: bad.signal(),
          schema: fc.constantFrom(1, 'x', {}, null),
          'retry.limit': bad.int(0),
        },
        (o) => () => ctx.client().request(o as never),
        { nearMisses: ['params', 'header', 'timeout', 'data'] },
      ),
    },
    {
      entry: E,
      name: 'GenesysClient',
      member: 'paginate',
      valid: () => ctx.client().paginate({ path: '/api/v2/users' }, { style: 'pageNumber' }),
      cases: fc.oneof(
        argCases(['request', 'path', 'request.path'], fc.constantFrom(null, 1, { path: '' }, { path: 1 }), (r) => () => ctx.client().paginate(r as never, { style: 'pageNumber' })),
        optionCases(
          { style: 'pageNumber' },
          { style: bad.oneOf(['pageNumber', 'cursor', 'nextUri']), itemsKey: fc.constantFrom('', 1, null), pageSize: bad.int(1), maxPages: bad.int(1), itemSchema: fc.constantFrom(1, 'x', {}) },
          (o) => () => ctx.client().paginate({ path: '/api/v2/users' }, o as never),
          { nearMisses: ['pageSizes', 'items'] },
        ),
      ),
    },
    {
      entry: E,
      name: 'GenesysClient',
      member: 'authenticate',
      valid: () => ctx.client().authenticate({ checks: [] }),
      cases: optionCases(
        { checks: [] },
        { checks: fc.oneof(fc.constantFrom('quality', 1, null, ['nope'], [1], ['constructor'])), signal: bad.signal() },
        (o) => () => ctx.client().authenticate(o as never),
      ),
    },
    {
      entry: E,
      name: 'parseRegion',
      valid: () => parseRegion('us_east_1'),
      cases: fc.oneof(
        argCases('region', fc.oneof(fc.constantFrom('constructor', '__proto__', '', 'mars', 'api.example.test'), fc.integer(), fc.constant(null), fc.constant({})), (v) => () => parseRegion(v as never)),
        argCases('where.region', fc.constantFrom('constructor', 'x'), (v) => () => parseRegion(v as never, 'where.region')),
      ),
    },
    {
      entry: E,
      name: 'resolveRegion',
      valid: () => resolveRegion('mypurecloud.ie'),
      cases: argCases('region', fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.boolean(), fc.constant(Symbol('r'))), (v) => () => resolveRegion(v as never)),
    },
    {
      entry: E,
      name: 'MemoryTokenStore',
      valid: async () => {
        const s = new MemoryTokenStore();
        await s.set('k', { accessToken: 't', expiresAt: Date.now() + 60_000 } as never);
        return s.get('k');
      },
      cases: fc.oneof(
        argCases('key', fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.constant('')), (v) => () => new MemoryTokenStore().get(v as never)),
        argCases(['token', 'token.accessToken', 'token.expiresAt'], fc.constantFrom(null, 1, 'x', {}, { accessToken: 1, expiresAt: 1 }, { accessToken: 't', expiresAt: 'soon' }), (v) => () =>
          new MemoryTokenStore().set('k', v as never),
        ),
      ),
    },
    {
      entry: E,
      name: 'LocalRateLimiter',
      valid: () => new LocalRateLimiter({ requestsPerMinute: 300, maxConcurrent: 5 }).disconnect(),
      cases: optionCases(
        { requestsPerMinute: 300, maxConcurrent: 5 },
        {
          requestsPerMinute: fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY, '300', null),
          maxConcurrent: bad.int(1),
          burst: bad.int(1),
          serverGoverns: bad.bool(),
          maxRequestsPerSecond: fc.constantFrom(0, -1, Number.NaN, 'x', null),
        },
        (o) => () => new LocalRateLimiter(o as never).disconnect(),
      ),
    },
    {
      entry: E,
      name: 'FileSyncStateStore',
      valid: () => new FileSyncStateStore(ctx.tmp('sync-state.jsonl')).load('evaluations'),
      cases: fc.oneof(
        argCases('path', fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.constant(''), fc.constant('a\u0000b')), (v) => () => new FileSyncStateStore(v as never)),
        optionCases({}, { compactAfter: bad.int(1) }, (o) => () => new FileSyncStateStore(ctx.tmp('sync-state-2.jsonl'), o as never)),
        argCases('stream', fc.oneof(fc.integer(), fc.constant(null), fc.constant('')), (v) => () => new FileSyncStateStore(ctx.tmp('sync-state-3.jsonl')).load(v as never)),
      ),
    },
    {
      entry: E,
      name: 'verifyHold',
      valid: () => {
        // A folder with an empty manifest: verified (and found not intact), not refused as input.
        mkdirSync(ctx.tmp('empty-hold'), { recursive: true });
        writeFileSync(ctx.tmp('empty-hold/manifest.jsonl'), '');
        return verifyHold(ctx.tmp('empty-hold'));
      },
      cases: fc.oneof(
        argCases('folder', fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.constant('')), (v) => () => verifyHold(v as never)),
        optionCases({}, { key: fc.constantFrom(1, null, '', {}, new Uint8Array(0)) }, (o) => () => verifyHold(ctx.tmp('no-hold-here'), o as never)),
      ),
    },
  ];
}
