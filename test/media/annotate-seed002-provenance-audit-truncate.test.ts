/**
 * Seed 002 requirements on annotate: provenance on every annotation written (`source`, `automated_parser` by
 * default), the audit entry's `accuracyRate` / `totalValidations` / `governanceTag`, and the opt-in `truncate` mode
 * for values over `maxValueLength` (2000) characters beside the default reject.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MediaMetadata, ValidationError, type ArchiveEventData, type GenesysClient } from '@org/gc-data';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client: newClient } = useSimulatedOrg({ anchor: 'now', conversations: 50, rateLimit: false });
let client: GenesysClient;
beforeEach(() => {
  client = newClient();
});

const NO_MEDIA = { matrix: { rows: [], byKind: {} } };
const RECORD = 'gc-data-annotations';
const PUT_ROUTE = 'PUT /api/v2/conversations/{conversationId}/customattributes';
const conv = (i: number) => sim.data.conversationId(i);
const MARKER = '…[truncated]';

async function stored(cid: string): Promise<Record<string, Record<string, unknown>>> {
  const r = await client.request<{ customAttributes: Record<string, Record<string, unknown>> }>({ path: `/api/v2/conversations/${cid}/customattributes/${RECORD}` });
  return r.customAttributes;
}

async function rejected(p: Promise<unknown>): Promise<ValidationError> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ValidationError);
  return e as ValidationError;
}

/** A lone (unpaired) UTF-16 surrogate anywhere in the text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const codePoints = (s: string) => [...s].length;

describe('annotate: provenance', () => {
  it('stores source "automated_parser" with every annotation by default, and returns it', async () => {
    const cid = conv(0);
    const media = new MediaMetadata(client);
    const r = await media.annotate(cid, { 'qa.reviewed': 'yes', 'qa.score': { value: '87', category: 'qa' } }, NO_MEDIA);
    expect(r.source).toBe('automated_parser');
    expect(await stored(cid)).toEqual({
      'qa.reviewed': { value: 'yes', category: 'system', source: 'automated_parser' },
      'qa.score': { value: '87', category: 'qa', source: 'automated_parser' },
    });
  });

  it('takes the source from the options, per call over the instance, and stores none with null', async () => {
    const cid = conv(1);
    const media = new MediaMetadata(client, { source: 'nightly-etl' });
    await media.annotate(cid, { a: '1' }, NO_MEDIA);
    const manual = await media.annotate(cid, { b: '2' }, { ...NO_MEDIA, source: 'manual' });
    expect(manual.source).toBe('manual');
    const none = await media.annotate(cid, { c: '3' }, { ...NO_MEDIA, source: null });
    expect(none.source).toBeNull();
    const attrs = await stored(cid);
    expect(attrs.a).toEqual({ value: '1', category: 'system', source: 'nightly-etl' });
    expect(attrs.b).toEqual({ value: '2', category: 'system', source: 'manual' });
    expect(attrs.c).toEqual({ value: '3', category: 'system' });
    expect(new MediaMetadata(client, { source: null }).telemetry().audit.entries).toBe(0);
  });

  it('refuses a source with PII (it is stored with every annotation) and a malformed one, before any request', async () => {
    expect(() => new MediaMetadata(client, { source: 'jane.doe@example.com' })).toThrow(ValidationError);
    try {
      new MediaMetadata(client, { source: 'jane.doe@example.com' });
    } catch (e) {
      expect((e as ValidationError).issues).toEqual([expect.objectContaining({ path: 'source', code: 'pii' })]);
      expect((e as Error).message).not.toContain('jane.doe');
    }
    expect(() => new MediaMetadata(client, { source: '' })).toThrow(ValidationError);
    const media = new MediaMetadata(client);
    sim.stats.reset();
    const err = await rejected(media.annotate(conv(2), { a: '1' }, { ...NO_MEDIA, source: 'agent 555-867-5309' }));
    expect(err.issues[0]).toMatchObject({ path: 'source', code: 'pii' });
    expect(err.message).not.toContain('555-867-5309');
    expect(sim.stats.totalRequests).toBe(0);
  });
});

describe('annotate: the audit entry carries accuracyRate, totalValidations and governanceTag (seed 002)', () => {
  it('has the running accuracy figures and the default tag on every entry', async () => {
    const media = new MediaMetadata(client);
    await media.annotate(conv(3), { a: '1', b: '2' }, NO_MEDIA);
    await rejected(media.annotate(conv(3), { c: '3', 'bad key': '4' }, NO_MEDIA));
    const [first, second] = media.auditLog();
    expect(first).toMatchObject({ status: 'written', accuracyRate: 1, totalValidations: 2, governanceTag: 'media_metadata_parsing_v1' });
    expect(second).toMatchObject({ status: 'rejected', accuracyRate: 0.75, totalValidations: 4, governanceTag: 'media_metadata_parsing_v1' });
    expect(media.telemetry().validation).toMatchObject({ checked: 4, accepted: 3, accuracyRate: 0.75 });
    const lines = media.exportAudit().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.accuracyRate, l.totalValidations, l.governanceTag])).toEqual([
      [1, 2, 'media_metadata_parsing_v1'],
      [0.75, 4, 'media_metadata_parsing_v1'],
    ]);
  });

  it('uses the governanceTag option; accuracyRate is null while nothing was checked', async () => {
    const media = new MediaMetadata(client, { governanceTag: 'legal-hold-2026' });
    await media.addRecordingAnnotation(conv(4), sim.data.recordingIds(4)[0] ?? 'r', { name: 'mark', location: 0 }).catch(() => undefined);
    await rejected(media.annotate(conv(4), { a: '1' }, { ...NO_MEDIA, remove: ['a'] }));
    const log = media.auditLog();
    expect(log.every((e) => e.governanceTag === 'legal-hold-2026')).toBe(true);
    expect(log[0]).toMatchObject({ operation: 'addRecordingAnnotation', accuracyRate: null, totalValidations: 0 });
    expect(log[1]).toMatchObject({ operation: 'annotate', status: 'rejected', totalValidations: 1 });
  });
});

describe("annotate: longValues 'truncate'", () => {
  it('rejects a value over 2000 characters by default, as before', async () => {
    const media = new MediaMetadata(client);
    sim.stats.reset();
    const err = await rejected(media.annotate(conv(5), { long: 'v'.repeat(2001) }, NO_MEDIA));
    expect(err.issues[0]).toMatchObject({ path: 'annotations.long.value', code: 'too_big' });
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('cuts a long value to 2000 characters ending in the marker, stores truncatedFrom, and reports the key', async () => {
    const cid = conv(6);
    const archived: ArchiveEventData[] = [];
    const media = new MediaMetadata(client, { longValues: 'truncate', callbacks: [(_e, d) => void archived.push(d)] });
    const long = 'abcdefghij'.repeat(300); // 3000 characters
    const r = await media.annotate(cid, { 'note.long': long, 'note.short': 'ok' }, NO_MEDIA);
    expect(r.truncated).toEqual(['note.long']);
    expect(r.written).toEqual(['note.long', 'note.short']);
    const attrs = await stored(cid);
    const v = attrs['note.long']!.value as string;
    expect(codePoints(v)).toBe(2000);
    expect(v).toBe(long.slice(0, 2000 - MARKER.length) + MARKER);
    expect(attrs['note.long']).toMatchObject({ truncatedFrom: 3000, source: 'automated_parser' });
    expect(attrs['note.short']).toEqual({ value: 'ok', category: 'system', source: 'automated_parser' });
    expect(archived[0]!.truncated).toEqual(['note.long']);
    expect(media.telemetry().validation).toMatchObject({ checked: 2, accepted: 2, truncated: 1, accuracyRate: 1 });
    expect(sim.stats.count(PUT_ROUTE, 200)).toBe(1);
  });

  it('never splits a surrogate pair: an emoji at the cut is kept whole or left out', async () => {
    const cid = conv(7);
    const media = new MediaMetadata(client, { longValues: 'truncate' });
    const room = 2000 - MARKER.length;
    // Code point `room` (the last one that fits) is an emoji: kept whole. Then one more: none is split.
    const value = 'a'.repeat(room - 1) + '😀'.repeat(50);
    await media.annotate(cid, { emoji: value }, NO_MEDIA);
    const v = (await stored(cid)).emoji!.value as string;
    expect(LONE_SURROGATE.test(v)).toBe(false);
    expect(v).toBe(`${'a'.repeat(room - 1)}😀${MARKER}`);
    expect(codePoints(v)).toBe(2000);
    // A cut counted in UTF-16 units would have split a pair.
    expect(LONE_SURROGATE.test(value.slice(0, room))).toBe(true);
  });

  it('cuts on a grapheme boundary: a letter keeps its combining mark, a ZWJ emoji sequence stays whole', async () => {
    const cid = conv(8);
    const media = new MediaMetadata(client, { longValues: 'truncate' });
    const room = 2000 - MARKER.length;
    const accented = 'a'.repeat(room - 1) + 'e\u0301'.repeat(20); // the 2-code-point grapheme would straddle the cut
    const family = 'b'.repeat(room - 3) + '👩‍👩‍👧'.repeat(5); // 5 code points each
    await media.annotate(cid, { accented, family }, NO_MEDIA);
    const attrs = await stored(cid);
    expect(attrs.accented!.value).toBe(`${'a'.repeat(room - 1)}${MARKER}`);
    expect(attrs.family!.value).toBe(`${'b'.repeat(room - 3)}${MARKER}`);
    expect(attrs.accented).toMatchObject({ truncatedFrom: room - 1 + 40 });
  });

  it('a value at exactly the limit is not truncated; a custom marker is used and counted', async () => {
    const cid = conv(9);
    const media = new MediaMetadata(client, { longValues: 'truncate', maxValueLength: 20, truncationMarker: ' [cut]' });
    const r = await media.annotate(cid, { exact: 'x'.repeat(20), over: 'y'.repeat(21) }, NO_MEDIA);
    expect(r.truncated).toEqual(['over']);
    const attrs = await stored(cid);
    expect(attrs.exact).toEqual({ value: 'x'.repeat(20), category: 'system', source: 'automated_parser' });
    expect(attrs.over).toMatchObject({ value: `${'y'.repeat(14)} [cut]`, truncatedFrom: 21 });
  });

  it('a cut that creates PII the whole value did not have: rejected in reject mode, redacted in redact mode', async () => {
    // 20 digits are no card number; the first 16 of them, cut before the 17th, are (a Luhn-valid test card).
    const value = `${'x'.repeat(12)} 41111111111111112345 and more`;
    const opts = { longValues: 'truncate' as const, maxValueLength: 30, truncationMarker: '…' };
    const strict = new MediaMetadata(client, opts);
    sim.stats.reset();
    const err = await rejected(strict.annotate(conv(10), { n: value }, NO_MEDIA));
    expect(err.issues[0]).toMatchObject({ path: 'annotations.n.value', code: 'pii' });
    expect(err.issues[0]!.message).toMatch(/once truncated/);
    expect(err.message).not.toContain('4111');
    expect(sim.stats.totalRequests).toBe(0);

    const redacting = new MediaMetadata(client, { ...opts, pii: 'redact' });
    const r = await redacting.annotate(conv(10), { n: value }, NO_MEDIA);
    expect(r).toMatchObject({ truncated: ['n'], redacted: ['n'] });
    const v = (await stored(conv(10))).n!.value as string;
    expect(v).not.toMatch(/4111/);
    expect(v).toBe(`${'x'.repeat(12)} [REDACTED:card]…`);
  });

  it('redacts first, then cuts: a phone number the cut falls inside leaves none of its digits', async () => {
    const cid = conv(11);
    const media = new MediaMetadata(client, { longValues: 'truncate', pii: 'redact' });
    const room = 2000 - MARKER.length;
    // Cut first, the value would keep '555-867' (too short to be detected as a phone afterwards).
    const value = `${'z'.repeat(room - 8)} 555-867-5309 and more text`;
    const r = await media.annotate(cid, { p: value }, NO_MEDIA);
    expect(r).toMatchObject({ truncated: ['p'], redacted: ['p'] });
    const v = (await stored(cid)).p!.value as string;
    expect(v).toBe(`${'z'.repeat(room - 8)} [REDACT${MARKER}`);
    expect(v).not.toMatch(/555|867/);
  });

  it('checks the truncate options', () => {
    expect(() => new MediaMetadata(client, { longValues: 'cut' as never })).toThrow(ValidationError);
    try {
      new MediaMetadata(client, { longValues: 'truncate', maxValueLength: 5, truncationMarker: '[truncated]' });
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).issues).toEqual([expect.objectContaining({ path: 'truncationMarker', code: 'too_big' })]);
    }
    // The marker's length only matters when truncating.
    expect(() => new MediaMetadata(client, { maxValueLength: 5 })).not.toThrow();
  });
});
