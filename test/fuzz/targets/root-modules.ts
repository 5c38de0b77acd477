/**
 * Fuzz targets of the root entry's modules: QualityExporter, InteractionSearch, MediaMetadata, ReportQueries (and
 * the ReportJob / ReportExtraction it hands out), LegalHold. See test/fuzz/harness.ts.
 */
import fc from 'fast-check';
import { FileSyncStateStore, InteractionSearch, LegalHold, MediaMetadata, QualityExporter, ReportExtraction, ReportJob, ReportQueries } from '@org/gc-data';
import { argCases, bad, optionCases, type Target } from '../harness';
import type { FuzzContext } from './context';

const E = '@org/gc-data' as const;
const CID = '3f6e1c2a-0000-4000-8000-00000000000a';
const JOB = '3f6e1c2a-0000-4000-8000-000000000001';
const nonClient = fc.constantFrom(null, undefined, 1, 'client', {}, { request: 1 });
const sink = () => ({ rows: 0, async write() {}, async close() {} });

export function rootModuleTargets(ctx: FuzzContext): Target[] {
  // Polls at the 1 s floor on the client's fake clock, which jumps to each wait's end (no test sleeps in real time).
  const fast = { poll: { initialDelayMs: 1000, maxDelayMs: 1000, jitterMs: 0 } };
  const reports = () => new ReportQueries(ctx.fakeTimeClient(), fast);
  const interval = ctx.interval;
  return [
    {
      entry: E,
      name: 'QualityExporter',
      valid: () => new QualityExporter(ctx.client(), { concurrency: 2 }),
      cases: fc.oneof(
        argCases('client', nonClient, (c) => () => new QualityExporter(c as never)),
        optionCases(
          { concurrency: 2 },
          {
            calibrations: bad.oneOf(['exclude', 'include', 'separate']),
            concurrency: bad.int(1, 50),
            strategy: bad.oneOf(['details', 'search']),
            evaluationStatus: fc.constantFrom([], ['Done'], 'Finished', [1], ['constructor'], null),
            pageSize: bad.int(1, 100),
            searchPageSize: bad.int(1, 100),
          },
          (o) => () => new QualityExporter(ctx.client(), o as never),
          { nearMisses: ['calibration', 'concurency', 'page_size'] },
        ),
      ),
    },
    {
      entry: E,
      name: 'QualityExporter',
      member: 'exportTo',
      valid: () => new QualityExporter(ctx.client()).exportTo(sink() as never, { interval }),
      weight: 2,
      cases: fc.oneof(
        argCases('sink', fc.constantFrom(null, 1, 'out.csv', {}, { write: 1 }), (s) => () => new QualityExporter(ctx.client()).exportTo(s as never, { interval })),
        optionCases(
          { interval },
          {
            interval: bad.interval(),
            mediaTypes: fc.constantFrom([], ['fax'], 'voice', [1], ['constructor']),
            splitByMediaType: bad.bool(),
            filters: fc.constantFrom({ and: [] }, { field: 'nope', op: 'equals', value: 1 }, 5, 'x'),
            signal: bad.signal(),
            checkpointEvery: bad.int(1),
            onProgress: bad.fn(),
            checkpoint: fc.constantFrom('x', 1, {}, { load: 1 }),
            calibrationSink: fc.constantFrom('x', 1, {}, { write: 1 }),
          },
          (o) => () => new QualityExporter(ctx.client()).exportTo(sink() as never, o as never),
          { nearMisses: ['intervals', 'mediaType', 'evaluationStatus', 'signals'] },
        ),
      ),
    },
    {
      entry: E,
      name: 'QualityExporter',
      member: 'evaluations/rows/sync',
      valid: () => new QualityExporter(ctx.client()).evaluations({ interval }),
      cases: fc.oneof(
        optionCases({ interval }, { interval: bad.interval(), mediaTypes: fc.constantFrom([], ['fax']), signal: bad.signal() }, (o) => () => new QualityExporter(ctx.client()).evaluations(o as never)),
        optionCases({ interval }, { interval: bad.interval(), flatten: fc.constantFrom(null, 1, 'x', { dates: 'ms' }) }, (o) => () => new QualityExporter(ctx.client()).rows(o as never)),
        optionCases(
          { state: new FileSyncStateStore(ctx.tmp('quality-sync.jsonl')) },
          { state: fc.constantFrom(null, 1, 'x', {}), lookback: fc.constantFrom('', 'P1Y', -1, null), batchSize: bad.int(1), apply: bad.fn(), stream: fc.constantFrom('', 1), now: fc.constantFrom('x', Number.NaN, {}), expandForm: bad.bool() },
          (o) => () => new QualityExporter(ctx.client()).sync(o as never),
        ),
      ),
    },
    {
      entry: E,
      name: 'InteractionSearch',
      valid: () => new InteractionSearch(ctx.client()).count({ interval }),
      weight: 2,
      cases: fc.oneof(
        argCases('client', nonClient, (c) => () => new InteractionSearch(c as never)),
        optionCases(
          { interval },
          {
            interval: bad.interval(),
            filter: fc.constantFrom({ and: [] }, { or: [] }, { field: 'constructor', op: 'equals', value: 1 }, 5, 'x', null),
            order: bad.oneOf(['asc', 'desc']),
            pageSize: bad.int(1, 100),
            limit: bad.int(1),
            indexWaitMs: bad.int(0, 600_000),
            largeRange: bad.oneOf(['error', 'split', 'job']),
            residual: bad.oneOf(['client', 'error']),
            strictEnums: bad.bool(),
            maxSyncRangeDays: fc.constantFrom(0, -1, Number.NaN, 'x'),
            notify: bad.fn(),
            signal: bad.signal(),
            'callback.url': bad.url(),
            'callback.secret': fc.constantFrom('short', 1, null),
          },
          (o) => () => new InteractionSearch(ctx.client()).query(o as never),
          { nearMisses: ['filters', 'page_size', 'intervals'] },
        ),
        optionCases({ interval }, { interval: bad.interval(), largeRange: fc.constantFrom('job', 'x', 1) }, (o) => () => new InteractionSearch(ctx.client()).count(o as never)),
        optionCases({ interval }, { interval: bad.interval(), order: fc.constantFrom('up', 1) }, (o) => () => new InteractionSearch(ctx.client()).queryAll(o as never)),
        optionCases({ interval }, { interval: bad.interval(), pageSize: bad.int(1, 100) }, (o) => () => new InteractionSearch(ctx.client()).explain(o as never)),
        optionCases({}, { timeoutMs: bad.int(1), interval: bad.interval(), signal: bad.signal() }, (o) => () => new InteractionSearch(ctx.client()).ready(o as never)),
        optionCases(
          { interval, metrics: ['nConversations'] },
          {
            metrics: fc.constantFrom([], ['count'], 'nConversations', [1], ['constructor']),
            groupBy: fc.constantFrom(['queue id'], 'queueId', [1], Array.from({ length: 9 }, (_, i) => `d${i}`)),
            granularity: fc.constantFrom('1h', 'P', 'PT', 5),
            timeZone: fc.constantFrom('', 5, 'x'.repeat(65)),
            interval: bad.interval(),
          },
          (o) => () => new InteractionSearch(ctx.client()).aggregate(o as never),
        ),
      ),
    },
    {
      entry: E,
      name: 'MediaMetadata',
      valid: () => new MediaMetadata(ctx.client(), { pii: 'redact' }).fetchMedia(CID),
      weight: 2,
      cases: fc.oneof(
        argCases('client', nonClient, (c) => () => new MediaMetadata(c as never)),
        optionCases(
          { pii: 'redact' },
          {
            pii: bad.oneOf(['reject', 'redact']),
            piiTypes: fc.constantFrom(['iban'], 'phone', [1]),
            maxValueLength: bad.int(1),
            longValues: bad.oneOf(['reject', 'truncate']),
            source: fc.constantFrom('', 1, 'x'.repeat(101), 'mail jo@example.com'),
            keyPattern: fc.constantFrom('^[a-z]+$', 1, {}),
            maxKeyLength: bad.int(1),
            categories: fc.constantFrom([], 'a', [1]),
            'thumbnails.width': bad.int(1, 4096),
            'transcoding.factor': bad.num(1, 10),
            formatId: bad.oneOf(['WEBM', 'WAV', 'MP3', 'OGG_VORBIS', 'OGG_OPUS', 'WAV_ULAW', 'NONE']),
            callbacks: fc.constantFrom(['x'], 'x', [1]),
            maxConflictRetries: bad.int(0, 20),
          },
          (o) => () => new MediaMetadata(ctx.client(), o as never),
          { nearMisses: ['piiType', 'maxValueLen'] },
        ),
        argCases('conversationId', fc.constantFrom('', '..', 'a/b', 1, null), (id) => () => new MediaMetadata(ctx.client()).fetchMedia(id as never)),
        optionCases({}, { withMediaUris: bad.bool(), formatId: fc.constantFrom('mp4', 1), mediaFormats: fc.constantFrom([], ['x']), deadlineMs: bad.int(1), signal: bad.signal() }, (o) => () =>
          new MediaMetadata(ctx.client()).fetchMedia(CID, o as never),
        ),
        argCases(['annotations', 'annotations[0]', 'annotations[0].key', 'annotations[0].value'], fc.constantFrom(null, 1, 'x', [{ key: '', value: 'v' }], [{ key: 'k', value: 1 }], [{ key: 'k' }]), (a) => () =>
          new MediaMetadata(ctx.client()).annotate(CID, a as never),
        ),
        optionCases({}, { remove: fc.constantFrom('k', [1]), source: fc.constantFrom('', 1), signal: bad.signal(), matrix: fc.constantFrom(1, {}, 'x') }, (o) => () =>
          new MediaMetadata(ctx.client()).annotate(CID, [{ key: 'topic', value: 'billing' }] as never, o as never),
        ),
        argCases('callback', bad.fn(), (f) => () => new MediaMetadata(ctx.client()).onArchive(f as never)),
        argCases(['recordings', 'recordings[0]'], fc.constantFrom(null, 1, 'x', [1], [null]), (r) => () => new MediaMetadata(ctx.client()).matrixOf(r as never)),
        argCases(['matrix', 'matrix.rows'], fc.constantFrom(null, 1, 'x', {}, { rows: 1 }), (m) => () => new MediaMetadata(ctx.client()).thumbnailJobs(m as never)),
      ),
    },
    {
      entry: E,
      name: 'ReportQueries',
      valid: () => reports().availability(),
      weight: 2,
      cases: fc.oneof(
        argCases('client', nonClient, (c) => () => new ReportQueries(c as never)),
        optionCases(
          fast,
          {
            'poll.initialDelayMs': fc.oneof(bad.int(0), fc.integer({ min: 0, max: 999 })),
            'poll.factor': bad.atLeast(1),
            maxWaitMs: bad.int(1),
            pageSize: bad.int(1),
            maxSplitDepth: bad.int(0, 20),
            maxResubmits: bad.int(0),
            resultRetries: bad.int(0),
            random: bad.fn(),
            sleep: bad.fn(),
            now: bad.fn(),
          },
          (o) => () => new ReportQueries(ctx.client(), o as never),
          { nearMisses: ['polling', 'maxWait'] },
        ),
        // The query is the platform's AsyncConversationQuery, passed through (a looseObject: fields the platform adds
        // keep working), so an unknown key is not an SDK error; every field the SDK knows is checked.
        optionCases({ interval }, { interval: bad.interval(), segmentFilters: fc.constantFrom(1, 'x', [1]), limit: fc.constantFrom(0, 'x'), order: fc.constantFrom('up', 1) }, (q) => () => reports().submit(q as never), { strict: false, argNames: ['query'] }),
        argCases(['signal', 'options.signal'], bad.signal(), (s) => () => reports().submit({ interval } as never, { signal: s as never })),
        argCases('jobId', fc.constantFrom('', '..', 'a/b', 1, null), (id) => () => reports().job(id as never)),
        argCases('signal', bad.signal(), (s) => () => reports().availability({ signal: s as never })),
      ),
    },
    {
      entry: E,
      name: 'ReportExtraction',
      valid: () => reports().extract({ interval, chunk: 'PT12H' }),
      weight: 2,
      cases: optionCases(
        { interval, chunk: 'PT12H' },
        {
          interval: bad.interval(),
          chunk: fc.constantFrom('P1Y', '', 0, -5, 'PT0S', 1.5, null),
          concurrency: bad.int(1, 50),
          project: bad.fn(),
          attributes: fc.constantFrom('a', [''], [1]),
          availability: bad.oneOf(['clip', 'wait', 'fill', 'error']),
          fillLookback: fc.constantFrom('', -1, 'P1Y', null),
          reconcile: fc.constantFrom('yes', 1, { threshold: 2 }, { threshold: -1 }, { thresold: 0.1 }),
          'reconcile.threshold': bad.num(0, 1),
          checkpoint: fc.constantFrom('x', 1, {}, { load: 1, save: 1, clear: 1 }),
          cancelOnExit: bad.bool(),
          pageSize: bad.int(1),
          maxWaitMs: bad.int(1),
          'poll.jitterMs': bad.int(0),
          signal: bad.signal(),
          onProgress: bad.fn(),
          'query.order': fc.constantFrom('asc', 'desc'),
        },
        (o) => () => reports().extract(o as never),
        { nearMisses: ['intervals', 'chunks', 'reconciles'] },
      ),
    },
    {
      entry: E,
      name: 'ReportJob',
      valid: () => reports().job(JOB).status(),
      cases: fc.oneof(
        optionCases({}, { pageSize: bad.int(1, 100_000), cursor: fc.constantFrom('', 1, 'x'.repeat(10_001)), signal: bad.signal() }, (o) => () => reports().job(JOB).results(o as never)),
        optionCases({}, { pageSize: bad.int(1, 100_000) }, (o) => () => reports().job(JOB).pages(o as never)),
        optionCases({}, { maxWaitMs: bad.int(1), immediate: bad.bool(), onProgress: bad.fn(), 'poll.maxDelayMs': bad.int(0), signal: bad.signal() }, (o) => () => reports().job(JOB).wait(o as never)),
        argCases('signal', fc.constantFrom('abort', 1, {}), (s) => () => reports().job(JOB).status(s as never)),
        argCases('signal', fc.constantFrom('abort', 1, {}), (s) => () => reports().job(JOB).cancel(s as never)),
      ),
    },
    {
      entry: E,
      name: 'LegalHold',
      valid: () => new LegalHold(ctx.client(), { conversationIds: [CID], recordings: false }),
      weight: 2,
      cases: fc.oneof(
        argCases('client', nonClient, (c) => () => new LegalHold(c as never, { conversationIds: [CID] })),
        optionCases(
          { conversationIds: [CID] },
          {
            conversationIds: fc.constantFrom([], ['a/b'], [''], 'abc', [1]),
            evaluations: bad.bool(),
            recordings: bad.bool(),
            batchSize: bad.int(1, 100),
            protectionBatchSize: bad.int(1, 100),
            concurrency: bad.int(1, 32),
            'poll.factor': bad.atLeast(1),
            'poll.maxWaitMs': bad.int(1),
            maxUrlRefreshes: bad.int(0, 10),
            download: fc.constantFrom(1, 'x', null),
          },
          (o) => () => new LegalHold(ctx.client(), o as never),
        ),
        optionCases({ out: ctx.tmp('hold') }, { out: fc.constantFrom('', 1, null), key: fc.constantFrom('', 1, new Uint8Array(0)), protect: bad.bool(), signal: bad.signal(), onProgress: bad.fn() }, (o) => () =>
          new LegalHold(ctx.client(), { conversationIds: [CID], recordings: false }).export(o as never),
        ),
        optionCases({}, { conversationIds: fc.constantFrom([], ['a/b'], 'x'), signal: bad.signal() }, (o) => () => new LegalHold(ctx.client(), { conversationIds: [CID] }).protect(o as never)),
        optionCases({}, { conversationIds: fc.constantFrom([], ['a/b'], 'x'), signal: bad.signal() }, (o) => () => new LegalHold(ctx.client(), { conversationIds: [CID] }).release(o as never)),
      ),
    },
  ];
}

/** ReportJob and ReportExtraction are exported for `instanceof` and types; they are built by ReportQueries. */
export const BUILT_BY_OTHERS: Record<string, string> = {
  [ReportJob.name]: 'ReportQueries.job() / submit()',
  [ReportExtraction.name]: 'ReportQueries.extract()',
};
