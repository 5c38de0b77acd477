/**
 * Fuzz targets of the pure-helper subpaths (filters, pii, intervals, rows, media-matrix, batch-callbacks). The deep
 * generators for filter trees, intervals, PII, scorecards and dedupe live in test/fuzz/helpers.fuzz.test.ts; these
 * cover every export of those entries, the ones that file does not reach included.
 */
import fc from 'fast-check';
import {
  applyResidual,
  compileFilter,
  createFilterMatcher,
  evaluateFilter,
  FilterBuilder,
  isAndNode,
  isOrNode,
  lookupField,
  normalizeFilter,
  suggestFields,
  validateFilterDepth,
} from '@org/gc-data/filters';
import { containsPii, luhnValid, redactPii, scanPii } from '@org/gc-data/pii';
import {
  formatInstant,
  formatInterval,
  halveInterval,
  intervalLengthMs,
  lastFullUtcDay,
  parseDuration,
  parseInstant,
  parseInterval,
  splitInterval,
  splitIntervalWindows,
} from '@org/gc-data/intervals';
import { dedupeArrayBy, dedupeBy, flattenScorecard, projectConversation, UuidKeySet } from '@org/gc-data/rows';
import { buildMediaMatrix, expectedFormatsIn, formatAllowed, mediaKindOf, normalizeFormat, planThumbnailJobs, resolveMediaRules } from '@org/gc-data/media-matrix';
import { signBatch, verifyBatchSignature } from '@org/gc-data/batch-callbacks';
import { argCases, bad, optionCases, type Target } from '../harness';

const TREE = { and: [{ field: 'mediaType', op: 'equals', value: 'voice' }, { field: 'oTotalScore', op: 'greaterThan', value: 50 }] };
const CONVERSATION = { conversationId: 'c1', participants: [{ purpose: 'agent', sessions: [{ mediaType: 'voice', segments: [{ segmentType: 'interact' }] }] }] };
const INTERVAL = '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z';
const badTree = fc.constantFrom(null, 1, 'x', [], { and: [] }, { or: 'x' }, { field: 'constructor', op: 'equals', value: 1 }, { field: 'mediaType', op: 'nope', value: 'voice' });
const badText = fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.boolean(), fc.constant(['a']));
const EVALUATION = { id: 'e1', status: 'FINISHED', answers: { totalScore: 80, questionGroupScores: [] } };
const RECORDINGS = [{ id: 'r1', media: 'audio', mediaUris: { S: { mediaUri: 'https://x.test/a.wav' } } }];

export function helperTargets(): Target[] {
  const F = '@org/gc-data/filters' as const;
  const P = '@org/gc-data/pii' as const;
  const I = '@org/gc-data/intervals' as const;
  const R = '@org/gc-data/rows' as const;
  const M = '@org/gc-data/media-matrix' as const;
  const B = '@org/gc-data/batch-callbacks' as const;
  const matrix = () => buildMediaMatrix(RECORDINGS as never);
  return [
    // filters
    { entry: F, name: 'compileFilter', valid: () => compileFilter(TREE as never), cases: argCases(['', 'tree', 'and', 'or', 'field', 'op', 'and[0].field', 'and[0].op', 'and[0].value'], badTree, (t) => () => compileFilter(t as never)) },
    { entry: F, name: 'createFilterMatcher', valid: () => createFilterMatcher(TREE as never)(CONVERSATION), cases: argCases(['', 'tree', 'and', 'or', 'field', 'op', 'and[0].field', 'and[0].op', 'and[0].value'], badTree, (t) => () => createFilterMatcher(t as never)) },
    {
      entry: F,
      name: 'evaluateFilter',
      valid: () => evaluateFilter(TREE as never, CONVERSATION),
      cases: fc.oneof(
        argCases(['', 'tree', 'and', 'or', 'field', 'op', 'and[0].field', 'and[0].op', 'and[0].value'], badTree, (t) => () => evaluateFilter(t as never, CONVERSATION)),
        argCases('conversation', fc.constantFrom(null, 1, 'x', []), (c) => () => evaluateFilter(TREE as never, c as never)),
      ),
    },
    { entry: F, name: 'normalizeFilter', valid: () => normalizeFilter(TREE as never), cases: argCases(['', 'tree', 'and', 'or'], fc.constantFrom(null, 1, 'x', [], { and: [] }, { or: 5 }), (t) => () => normalizeFilter(t as never)) },
    {
      entry: F,
      name: 'validateFilterDepth',
      valid: () => validateFilterDepth(TREE as never),
      cases: fc.oneof(
        argCases(['', 'tree', 'and', 'or'], fc.constantFrom(null, 1, 'x', [], { and: 5 }), (t) => () => validateFilterDepth(t as never)),
        argCases('max', bad.int(1), (m) => () => validateFilterDepth(TREE as never, m as never)),
      ),
    },
    {
      entry: F,
      name: 'FilterBuilder',
      valid: () => FilterBuilder.interaction().where('mediaType', 'equals', 'voice').build(),
      cases: fc.oneof(
        argCases(['', 'tree', 'and', 'or'], fc.constantFrom(null, 1, 'x', [], { and: [] }), (t) => () => FilterBuilder.from(t as never)),
        argCases('field', fc.constantFrom('constructor', '', 1, null, 'nope'), (f) => () => FilterBuilder.interaction().where(f as never, 'equals', 'voice').compile()),
        argCases('op', fc.constantFrom('constructor', '', 1, null, 'eq'), (op) => () => FilterBuilder.interaction().where('mediaType', op as never, 'voice').compile()),
        argCases('value', fc.constantFrom('fax', 1, null, {}), (v) => () => FilterBuilder.interaction().where('mediaType', 'equals', v as never).compile()),
      ),
    },
    {
      entry: F,
      name: 'applyResidual',
      valid: () => applyResidual(compileFilter({ field: 'ani', op: 'contains', value: '555' } as never).residual, CONVERSATION as never),
      cases: fc.oneof(
        argCases('residual', fc.constantFrom(1, 'x', {}, [], null), (r) => () => applyResidual(r as never, CONVERSATION as never)),
        argCases('conversation', fc.constantFrom(null, 1, 'x'), (c) => () => applyResidual(compileFilter({ field: 'ani', op: 'contains', value: '555' } as never).residual, c as never)),
      ),
    },
    { entry: F, name: 'isAndNode', predicate: true, valid: () => isAndNode(TREE as never), cases: argCases('node', fc.constantFrom(null, undefined, 1, 'and', [], { and: 1 }), (n) => () => isAndNode(n as never)) },
    { entry: F, name: 'isOrNode', predicate: true, valid: () => isOrNode({ or: [] } as never), cases: argCases('node', fc.constantFrom(null, undefined, 1, 'or', [], { or: 'x' }), (n) => () => isOrNode(n as never)) },
    { entry: F, name: 'lookupField', valid: () => lookupField('mediaType'), cases: argCases('name', badText, (n) => () => lookupField(n as never)) },
    {
      entry: F,
      name: 'suggestFields',
      valid: () => suggestFields('mediatyp'),
      cases: fc.oneof(argCases('name', badText, (n) => () => suggestFields(n as never)), argCases('n', bad.int(0, 100), (n) => () => suggestFields('queue', n as never))),
    },
    // pii
    { entry: P, name: 'scanPii', valid: () => scanPii('mail jo@example.com'), cases: fc.oneof(argCases('text', badText, (t) => () => scanPii(t as never)), optionCases({}, { types: fc.constantFrom(['iban'], 'phone', [1]) }, (o) => () => scanPii('x', o as never))) },
    { entry: P, name: 'containsPii', valid: () => containsPii('415-555-0134'), cases: fc.oneof(argCases('text', badText, (t) => () => containsPii(t as never)), optionCases({}, { types: fc.constantFrom(['iban'], 1) }, (o) => () => containsPii('x', o as never))) },
    { entry: P, name: 'redactPii', valid: () => redactPii('415-555-0134', { mask: '#' }), cases: fc.oneof(argCases('text', badText, (t) => () => redactPii(t as never)), optionCases({}, { mask: fc.constantFrom(1, null, {}), types: fc.constantFrom(['iban']) }, (o) => () => redactPii('x', o as never))) },
    { entry: P, name: 'luhnValid', valid: () => luhnValid('4111111111111111'), cases: argCases('digits', fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.constant(['4'])), (d) => () => luhnValid(d as never)) },
    // intervals
    { entry: I, name: 'parseInterval', valid: () => parseInterval(INTERVAL), cases: argCases(['interval', 'interval.start', 'interval.end'], bad.interval(), (v) => () => parseInterval(v as never)) },
    { entry: I, name: 'parseInstant', valid: () => parseInstant('2026-01-01T00:00:00Z'), cases: argCases('instant', fc.oneof(fc.constantFrom('', 'now', '2026-13-01', '2026-02-30T00:00:00Z', 'x'.repeat(300)), fc.integer(), fc.constant(null), fc.constant({})), (v) => () => parseInstant(v as never)) },
    { entry: I, name: 'parseDuration', valid: () => parseDuration('PT6H'), cases: argCases('duration', fc.oneof(fc.constantFrom('', 'P', 'PT', '6h', 'P1Y', `P${'9'.repeat(30)}D`), fc.integer(), fc.constant(null)), (v) => () => parseDuration(v as never)) },
    { entry: I, name: 'formatInstant', valid: () => formatInstant(0), cases: argCases('ms', fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 9e15, '0', null), (v) => () => formatInstant(v as never)) },
    { entry: I, name: 'formatInterval', valid: () => formatInterval(0, 1), cases: fc.oneof(argCases('startMs', fc.constantFrom(Number.NaN, '0', null), (v) => () => formatInterval(v as never, 1)), argCases('endMs', fc.constantFrom(Number.NaN, 9e15), (v) => () => formatInterval(0, v as never))) },
    { entry: I, name: 'lastFullUtcDay', valid: () => lastFullUtcDay(new Date('2026-01-02T05:00:00Z')), cases: argCases('now', fc.constantFrom('x', 1, null, {}, new Date(Number.NaN)), (v) => () => lastFullUtcDay(v as never)) },
    { entry: I, name: 'halveInterval', valid: () => halveInterval(INTERVAL), cases: argCases(['interval', 'interval.start', 'interval.end'], fc.oneof(bad.interval(), fc.constant('2026-01-01T00:00:00.000Z/2026-01-01T00:00:00.001Z')), (v) => () => halveInterval(v as never)) },
    { entry: I, name: 'intervalLengthMs', valid: () => intervalLengthMs(INTERVAL), cases: argCases(['interval', 'interval.start', 'interval.end'], bad.interval(), (v) => () => intervalLengthMs(v as never)) },
    {
      entry: I,
      name: 'splitInterval',
      valid: () => splitInterval(INTERVAL, 'PT6H'),
      cases: fc.oneof(
        argCases(['interval', 'interval.start', 'interval.end'], bad.interval(), (v) => () => splitInterval(v as never, 'PT6H')),
        argCases('chunk', fc.constantFrom('', 0, -1, 'P1Y', null, Number.NaN), (c) => () => splitInterval(INTERVAL, c as never)),
        optionCases({}, { maxWindows: bad.int(1) }, (o) => () => splitInterval(INTERVAL, 'PT6H', o as never)),
      ),
    },
    {
      entry: I,
      name: 'splitIntervalWindows',
      valid: () => splitIntervalWindows(INTERVAL, 'PT6H'),
      cases: fc.oneof(
        argCases(['interval', 'interval.start', 'interval.end'], bad.interval(), (v) => () => splitIntervalWindows(v as never, 'PT6H')),
        argCases('chunk', fc.constantFrom('', 0, -1, 'P1Y', null, Number.NaN, 'PT0.0001S'), (c) => () => splitIntervalWindows(INTERVAL, c as never)),
        optionCases({}, { maxWindows: bad.int(1) }, (o) => () => splitIntervalWindows(INTERVAL, 'PT6H', o as never)),
      ),
    },
    // rows
    {
      entry: R,
      name: 'flattenScorecard',
      valid: () => flattenScorecard(EVALUATION as never),
      cases: fc.oneof(
        argCases('evaluation', fc.constantFrom(null, 1, 'x', [], () => 1), (e) => () => flattenScorecard(e as never)),
        optionCases({}, { keyBy: bad.oneOf(['id', 'contextId']), dates: bad.oneOf(['iso', 'epochMs']), onInvalid: bad.fn(), extra: fc.constantFrom('x', 1, null) }, (o) => () => flattenScorecard(EVALUATION as never, o as never)),
      ),
    },
    {
      entry: R,
      name: 'projectConversation',
      valid: () => projectConversation(CONVERSATION as never),
      cases: fc.oneof(
        argCases(['conversation', 'conversation.conversationId'], fc.constantFrom(null, 1, 'x', [], {}, { conversationId: 5 }), (c) => () => projectConversation(c as never)),
        optionCases({}, { attributes: fc.constantFrom('x', [1], ['']) }, (o) => () => projectConversation(CONVERSATION as never, o as never)),
      ),
    },
    {
      entry: R,
      name: 'dedupeBy',
      valid: () => dedupeBy([1, 1], String),
      cases: fc.oneof(argCases('source', fc.constantFrom(null, 1, {}), (s) => () => dedupeBy(s as never, String)), argCases('key', bad.fn(), (k) => () => dedupeBy([1], k as never))),
    },
    {
      entry: R,
      name: 'dedupeArrayBy',
      valid: () => dedupeArrayBy([1, 1], String),
      cases: fc.oneof(argCases('source', fc.constantFrom(null, 1, {}), (s) => () => dedupeArrayBy(s as never, String)), optionCases({}, { seen: fc.constantFrom(1, 'x', {}), onDuplicate: bad.fn() }, (o) => () => dedupeArrayBy([1], String, o as never))),
    },
    {
      entry: R,
      name: 'UuidKeySet',
      valid: () => new UuidKeySet(16).add('3f6e1c2a-0000-4000-8000-000000000001'),
      cases: fc.oneof(
        argCases('expectedSize', bad.int(0, 50_000_000), (n) => () => new UuidKeySet(n as never)),
        argCases('key', fc.constantFrom(1, null, {}, ['a']), (k) => () => new UuidKeySet(4).add(k as never)),
        argCases('key', fc.constantFrom(1, null, {}), (k) => () => new UuidKeySet(4).has(k as never)),
      ),
    },
    // media matrix
    { entry: M, name: 'buildMediaMatrix', valid: () => matrix(), cases: fc.oneof(argCases(['recordings', 'recordings[0]'], fc.constantFrom(null, 1, 'x', [1], [null], {}), (r) => () => buildMediaMatrix(r as never)), optionCases({}, { rules: fc.constantFrom(1, 'x', { audio: 1 }) }, (o) => () => buildMediaMatrix([], o as never))) },
    { entry: M, name: 'resolveMediaRules', valid: () => resolveMediaRules({ audio: { formats: ['wav'] } }), cases: optionCases({}, { audio: fc.constantFrom(1, 'x', { formats: 'wav' }), 'screen.thumbnail': bad.bool() }, (o) => () => resolveMediaRules(o as never), { argNames: ['overrides', 'rules', 'options'] }) },
    { entry: M, name: 'normalizeFormat', valid: () => normalizeFormat('WAV'), cases: argCases('format', badText, (f) => () => normalizeFormat(f as never)) },
    { entry: M, name: 'mediaKindOf', valid: () => mediaKindOf('voice'), cases: argCases('media', fc.constantFrom(1, {}, [], true), (m) => () => mediaKindOf(m as never)) },
    { entry: M, name: 'formatAllowed', valid: () => formatAllowed('wav', ['wav']), cases: fc.oneof(argCases('format', badText, (f) => () => formatAllowed(f as never, null)), argCases(['expected', 'expected[0]'], fc.constantFrom('wav', 1, {}, [1]), (e) => () => formatAllowed('wav', e as never))) },
    { entry: M, name: 'expectedFormatsIn', valid: () => expectedFormatsIn(matrix(), 'voice'), cases: fc.oneof(argCases(['matrix', 'matrix.rows'], fc.constantFrom(null, 1, 'x', {}), (m) => () => expectedFormatsIn(m as never)), argCases('media', fc.constantFrom(1, {}, []), (m) => () => expectedFormatsIn(matrix(), m as never))) },
    { entry: M, name: 'planThumbnailJobs', valid: () => planThumbnailJobs(matrix()), cases: fc.oneof(argCases(['matrix', 'matrix.rows'], fc.constantFrom(null, 1, 'x', {}), (m) => () => planThumbnailJobs(m as never)), optionCases({}, { format: fc.constantFrom('gif', 1), width: bad.int(1, 4096), fileStates: fc.constantFrom('x', [1]) }, (o) => () => planThumbnailJobs(matrix(), o as never))) },
    // batch callbacks
    {
      entry: B,
      name: 'signBatch',
      valid: () => signBatch('s'.repeat(32), '1700000000', '{}'),
      cases: fc.oneof(
        argCases('secret', fc.constantFrom('', 1, null, {}), (s) => () => signBatch(s as never, '1700000000', '{}')),
        argCases('timestamp', fc.constantFrom('', 1, null, 'soon'), (t) => () => signBatch('s'.repeat(32), t as never, '{}')),
        argCases('body', fc.constantFrom(1, null, {}), (b) => () => signBatch('s'.repeat(32), '1700000000', b as never)),
      ),
    },
    {
      entry: B,
      name: 'verifyBatchSignature',
      valid: () => verifyBatchSignature('s'.repeat(32), '1700000000', '{}', signBatch('s'.repeat(32), '1700000000', '{}'), { now: 1_700_000_000_000 }),
      // The timestamp and header come from the network: a malformed one is `false` (documented); the caller's own
      // arguments (secret, body, options) are checked.
      cases: fc.oneof(
        argCases(['secret', 'secret[0]'], fc.constantFrom(1, null, {}, [1], [null]), (s) => () => verifyBatchSignature(s as never, '1700000000', '{}', 'sha256=00')),
        argCases('body', fc.constantFrom(1, null, {}), (b) => () => verifyBatchSignature('s'.repeat(32), '1700000000', b as never, 'sha256=00')),
        optionCases({}, { maxAgeSeconds: fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, '300', null), now: fc.constantFrom('x', Number.NaN, null, {}) }, (o) => () => verifyBatchSignature('s'.repeat(32), '1700000000', '{}', 'sha256=00', o as never)),
      ),
    },
  ];
}
