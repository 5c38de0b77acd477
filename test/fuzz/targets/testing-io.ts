/**
 * Fuzz targets of @org/gc-data/testing (the simulated org), /sinks, /redis and /postgres. Malformed input must be
 * refused before a socket, file or connection is opened, so none of these needs Redis or PostgreSQL running.
 */
import fc from 'fast-check';
import {
  createFakeClock,
  configureLegalHoldSim,
  connectSimulated,
  createSimulatedOrg,
  isRecordingProtected,
  legalHoldSim,
  recordingDeletedAt,
  recordingRetentionDate,
  resetLegalHoldSim,
  SimulatedOrg,
  startRecordingFilesServer,
  startSimulatedServer,
} from '@org/gc-data/testing';
import { createCsvSink, createNdjsonSink, createSinkForPath, CsvSink, FileCheckpoint, MemoryCheckpoint, NdjsonSink, sinkFormatForPath } from '@org/gc-data/sinks';
import { createRedisLimits, RedisRateLimiter, RedisTokenStore } from '@org/gc-data/redis';
import { createPostgresWarehouse, postgresSyncState } from '@org/gc-data/postgres';
import { argCases, bad, optionCases, type Target } from '../harness';
import type { FuzzContext } from './context';

const T = '@org/gc-data/testing' as const;
const S = '@org/gc-data/sinks' as const;
const CID = '3f6e1c2a-0000-4000-8000-00000000000a';
const nonOrg = fc.constantFrom(null, undefined, 1, 'org', {}, { options: 1 });

export function testingIoTargets(ctx: FuzzContext): Target[] {
  const small = { seed: 3, days: 1, conversationsPerDay: 2, anchor: '2026-01-02T00:00:00Z' };
  const org = () => new SimulatedOrg(small);
  const simFields = {
    seed: fc.constantFrom(1.5, Number.NaN, Number.POSITIVE_INFINITY, '1', null),
    days: fc.constantFrom(0, -1, Number.NaN, '3', null),
    conversationsPerDay: bad.int(0),
    evaluatedShare: bad.num(0, 1),
    anchor: fc.constantFrom('yesterday', Number.NaN, {}, new Date(Number.NaN), 9e15 + 1),
    'rateLimit.requests': bad.int(1),
    'rateLimit.windowMs': bad.int(1),
    'rateLimit.model': bad.oneOf(['bucket', 'fixed', 'sliding']),
    'tokenRateLimit.burst': bad.int(1),
    'jobs.queuedMs': bad.int(0),
    'faults.serverErrorRate': bad.num(0, 1),
    'faults.storm.forMs': bad.int(1),
    'faults.redirectTo.status': fc.constantFrom(200, 304, '307', null),
    'mediaMix.voice': fc.constantFrom(-1, Number.NaN, 'x'),
    apiBaseUrl: bad.url(),
    now: bad.fn(),
    controlRoutes: bad.bool(),
  };
  const near = ['ratelimit', 'conversationPerDay', 'fault'];
  return [
    { entry: T, name: 'createSimulatedOrg', valid: () => createSimulatedOrg(small), weight: 2, cases: optionCases(small, simFields, (o) => () => createSimulatedOrg(o as never), { nearMisses: near }) },
    {
      entry: T,
      name: 'SimulatedOrg',
      valid: () => org().advance(1_000),
      weight: 2,
      cases: fc.oneof(
        optionCases(small, simFields, (o) => () => new SimulatedOrg(o as never), { nearMisses: near }),
        argCases('duration', fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, '5', null, 'P', {}), (ms) => () => org().advance(ms as never)),
        argCases('date', fc.constantFrom('nope', Number.NaN, {}, new Date(Number.NaN)), (d) => () => org().setDataAvailabilityDate(d as never)),
        optionCases({}, { slowRate: bad.num(0, 1), serverErrorStatuses: fc.constantFrom([404], [], 'x'), 'emptyPageAt.page': bad.int(1), only: fc.constantFrom('x', [1]) }, (f) => () => org().setFaults(f as never), { argNames: ['faults'] }),
      ),
    },
    {
      entry: T,
      name: 'startSimulatedServer',
      valid: async () => (await startSimulatedServer(small)).close(),
      cases: fc.oneof(
        argCases('port', fc.constantFrom('sim.sock', 70_000, -1, 1.5, Number.NaN, null), (port) => () => startSimulatedServer({ ...small, port: port as never })),
        optionCases(small, { days: fc.constantFrom(0, 'x'), 'rateLimit.requests': bad.int(1) }, (o) => () => startSimulatedServer(o as never)),
      ),
    },
    {
      entry: T,
      name: 'connectSimulated',
      valid: async () => (await connectSimulated({ server: small })).close(),
      cases: fc.oneof(
        optionCases({ server: small }, { 'server.days': fc.constantFrom(0, 'x'), 'server.port': fc.constantFrom(-1, 'x'), 'client.timeoutMs': bad.int(1), 'client.retry': fc.constantFrom('x', 1) }, (o) => () => connectSimulated(o as never)),
      ),
    },
    {
      entry: T,
      name: 'startRecordingFilesServer',
      valid: async () => (await startRecordingFilesServer({ org: org(), unref: true })).close(),
      cases: fc.oneof(
        argCases('org', nonOrg, (o) => () => startRecordingFilesServer({ org: o as never })),
        optionCases({ org: org() }, { range: bad.bool(), port: fc.constantFrom(-1, 70_000, 'x', 1.5), 'faults.dropAfterBytes': fc.constantFrom(1, 'x', { bytes: -1, times: 1 }), unref: bad.bool() }, (o) => () => startRecordingFilesServer(o as never)),
      ),
    },
    {
      entry: T,
      name: 'configureLegalHoldSim',
      valid: () => configureLegalHoldSim(org(), { retentionMs: 86_400_000 }),
      cases: fc.oneof(
        argCases('org', nonOrg, (o) => () => configureLegalHoldSim(o as never, {})),
        optionCases(
          {},
          { recordingBytes: fc.constantFrom(-1, Number.NaN, 'x'), redacted: fc.constantFrom('x', 1), redaction: bad.oneOf(['errorMsg', 'omit']), retentionMs: bad.int(0), batchPolls: bad.int(0), maxBatchSize: bad.int(1), urlTtlMs: bad.int(1), filesBaseUrl: bad.url(), protectFails: bad.fn() },
          (o) => () => configureLegalHoldSim(org(), o as never),
        ),
      ),
    },
    {
      entry: T,
      name: 'createFakeClock',
      valid: () => createFakeClock({ now: '2026-01-01T00:00:00Z', random: 7, autoAdvance: true }).now(),
      cases: optionCases({ now: 0 }, { now: fc.constantFrom('yesterday', Number.NaN, 9e15 + 1, {}, new Date(Number.NaN)), random: fc.constantFrom('x', Number.NaN, {}), autoAdvance: bad.bool() }, (o) => () => createFakeClock(o as never)),
    },
    { entry: T, name: 'legalHoldSim', valid: () => legalHoldSim(org()), cases: argCases('org', nonOrg, (o) => () => legalHoldSim(o as never)) },
    { entry: T, name: 'resetLegalHoldSim', valid: () => resetLegalHoldSim(org()), cases: argCases('org', nonOrg, (o) => () => resetLegalHoldSim(o as never)) },
    {
      entry: T,
      name: 'isRecordingProtected',
      valid: () => isRecordingProtected(org(), CID),
      cases: fc.oneof(argCases('org', nonOrg, (o) => () => isRecordingProtected(o as never, CID)), argCases('conversationId', fc.constantFrom(1, null, {}), (c) => () => isRecordingProtected(org(), c as never)), argCases('at', fc.constantFrom('x', Number.NaN, {}), (a) => () => isRecordingProtected(org(), CID, a as never))),
    },
    {
      entry: T,
      name: 'recordingDeletedAt',
      valid: () => recordingDeletedAt(org(), CID, { conversationId: CID, recordingId: 'r', media: 'audio', end: 0 } as never),
      cases: fc.oneof(argCases('org', nonOrg, (o) => () => recordingDeletedAt(o as never, CID, {} as never)), argCases(['recording', 'r'], fc.constantFrom(null, 1, 'x'), (r) => () => recordingDeletedAt(org(), CID, r as never))),
    },
    {
      entry: T,
      name: 'recordingRetentionDate',
      valid: () => recordingRetentionDate(org(), { conversationId: CID, recordingId: 'r', media: 'audio', end: 0 } as never),
      cases: fc.oneof(argCases('org', nonOrg, (o) => () => recordingRetentionDate(o as never, {} as never)), argCases(['recording', 'r'], fc.constantFrom(null, 1, 'x'), (r) => () => recordingRetentionDate(org(), r as never))),
    },
    // sinks
    {
      entry: S,
      name: 'createCsvSink',
      valid: () => createCsvSink(ctx.tmp('valid.csv'), { append: false }).close(),
      cases: fc.oneof(
        argCases(['target', 'path'], fc.constantFrom(42, null, {}, '', 'a\u0000b'), (t) => () => createCsvSink(t as never)),
        optionCases({}, { columns: fc.constantFrom('a', [1], ['']), header: bad.bool(), newColumns: bad.oneOf(['rewrite', 'drop', 'error']), eol: fc.constantFrom(';', '\r', 1), append: bad.bool(), fsync: bad.bool(), onWarning: bad.fn() }, (o) => () => createCsvSink(ctx.tmp('x.csv'), o as never)),
      ),
    },
    {
      entry: S,
      name: 'createNdjsonSink',
      valid: () => createNdjsonSink(ctx.tmp('valid.ndjson')).close(),
      cases: fc.oneof(argCases(['target', 'path'], fc.constantFrom(42, null, {}, ''), (t) => () => createNdjsonSink(t as never)), optionCases({}, { append: bad.bool(), end: bad.bool(), onWarning: bad.fn() }, (o) => () => createNdjsonSink(ctx.tmp('x.ndjson'), o as never))),
    },
    { entry: S, name: 'CsvSink', valid: () => new CsvSink(ctx.tmp('valid2.csv')).close(), cases: fc.oneof(argCases(['target', 'path'], fc.constantFrom(42, null, {}), (t) => () => new CsvSink(t as never)), optionCases({}, { header: bad.bool(), eol: fc.constantFrom(';', 1) }, (o) => () => new CsvSink(ctx.tmp('y.csv'), o as never))) },
    { entry: S, name: 'NdjsonSink', valid: () => new NdjsonSink(ctx.tmp('valid2.ndjson')).close(), cases: fc.oneof(argCases(['target', 'path'], fc.constantFrom(42, null, {}), (t) => () => new NdjsonSink(t as never)), optionCases({}, { append: bad.bool() }, (o) => () => new NdjsonSink(ctx.tmp('y.ndjson'), o as never))) },
    {
      entry: S,
      name: 'createSinkForPath',
      valid: () => createSinkForPath(ctx.tmp('valid3.csv')).close(),
      cases: fc.oneof(argCases('path', fc.constantFrom(42, null, {}, ''), (p) => () => createSinkForPath(p as never)), optionCases({}, { format: bad.oneOf(['csv', 'ndjson']), append: bad.bool() }, (o) => () => createSinkForPath(ctx.tmp('z.csv'), o as never))),
    },
    { entry: S, name: 'sinkFormatForPath', valid: () => sinkFormatForPath('a.csv'), cases: argCases('path', fc.constantFrom(42, null, {}, ['a.csv']), (p) => () => sinkFormatForPath(p as never)) },
    {
      entry: S,
      name: 'MemoryCheckpoint',
      valid: async () => {
        const c = new MemoryCheckpoint<{ n: number }>();
        await c.save({ n: 1 });
        return c.load();
      },
      cases: argCases(['initial', 'state'], fc.constantFrom(5, 'x', true, () => 1, Symbol('s')), (v) => () => new MemoryCheckpoint(v as never)),
    },
    {
      entry: S,
      name: 'FileCheckpoint',
      valid: () => new FileCheckpoint(ctx.tmp('valid.checkpoint.json'), { kind: 'fuzz' }).load(),
      cases: fc.oneof(
        argCases('path', fc.constantFrom(42, null, {}, ''), (p) => () => new FileCheckpoint(p as never, { kind: 'fuzz' })),
        optionCases({ kind: 'fuzz' }, { kind: fc.constantFrom('', 1, null), parse: bad.fn(), now: bad.fn() }, (o) => () => new FileCheckpoint(ctx.tmp('c.json'), o as never)),
      ),
    },
    // redis: refused before any connection is opened
    {
      entry: '@org/gc-data/redis',
      name: 'RedisRateLimiter',
      valid: () => 'needs REDIS_URL: the valid control runs in test/redis',
      cases: optionCases(
        { id: 'fuzz', url: 'redis://127.0.0.1:1', requestsPerMinute: 300, maxConcurrent: 5 },
        { id: fc.constantFrom('', 1, null), url: fc.constantFrom('http://x', 'redis:/x', 5), requestsPerMinute: fc.constantFrom(0, -1, Number.NaN, 'x'), maxConcurrent: bad.int(1), fallback: bad.oneOf(['error', 'local']), connectTimeoutMs: bad.int(1), heartbeatMs: bad.int(1), onWarning: bad.fn(), client: fc.constantFrom(1, 'x', {}) },
        (o) => () => new RedisRateLimiter(o as never),
      ),
    },
    {
      entry: '@org/gc-data/redis',
      name: 'RedisTokenStore',
      valid: () => 'needs REDIS_URL: the valid control runs in test/redis',
      cases: optionCases({ url: 'redis://127.0.0.1:1' }, { url: fc.constantFrom('http://x', '', 5), keyPrefix: fc.constantFrom(1, null), fallback: bad.oneOf(['error', 'local']), connectTimeoutMs: bad.int(1), onWarning: bad.fn(), client: fc.constantFrom(1, 'x', {}) }, (o) => () => new RedisTokenStore(o as never)),
    },
    {
      entry: '@org/gc-data/redis',
      name: 'createRedisLimits',
      valid: () => 'needs REDIS_URL: the valid control runs in test/redis',
      cases: optionCases(
        { id: 'fuzz', url: 'redis://127.0.0.1:1' },
        { id: fc.constantFrom('', 1, null), url: fc.constantFrom('http://x', '', 5), requestsPerMinute: fc.constantFrom(0, -1, 'x'), maxConcurrent: bad.int(1), burst: bad.int(1), fallback: bad.oneOf(['error', 'local']), tokenKeyPrefix: fc.constantFrom(1, null) },
        (o) => () => createRedisLimits(o as never),
      ),
    },
    // postgres
    {
      entry: '@org/gc-data/postgres',
      name: 'createPostgresWarehouse',
      valid: async () => {
        const w = createPostgresWarehouse({ pglite: 'memory://' });
        await w.migrate();
        return w.close();
      },
      cases: optionCases({ pglite: 'memory://' }, { connectionString: fc.constantFrom('', 1, 'http://x'), pglite: fc.constantFrom(1, null, {}), schema: fc.constantFrom('', 'a b', 'drop table x;', 1, 'x'.repeat(64)), pool: fc.constantFrom(1, 'x', {}), clock: fc.constantFrom(1, 'x', {}, { now: () => 1 }) }, (o) => () => createPostgresWarehouse(o as never)),
    },
    {
      entry: '@org/gc-data/postgres',
      name: 'postgresSyncState',
      valid: async () => {
        const w = createPostgresWarehouse({ pglite: 'memory://' });
        postgresSyncState(w);
        return w.close();
      },
      cases: argCases('warehouse', fc.constantFrom(null, undefined, 1, 'x', {}, { readFingerprints: 1 }), (w) => () => postgresSyncState(w as never)),
    },
  ];
}
