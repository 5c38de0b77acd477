import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MEDIA_RULES,
  buildMediaMatrix,
  expectedFormatsIn,
  formatAllowed,
  mediaKindOf,
  normalizeFormat,
  type RecordingLike,
} from '@org/gc-data/media-matrix';

const MEDIA = ['audio', 'screen', 'chat', 'message', 'email', 'voice', 'Messaging', 'video', 'fax', undefined];
const STATES = ['AVAILABLE', 'ARCHIVED', 'DELETED', 'RESTORED', 'RESTORING', 'UPLOADING', 'ERROR', undefined];

const recording: fc.Arbitrary<RecordingLike> = fc.record(
  {
    id: fc.oneof(fc.uuid(), fc.constantFrom('r1', 'r2', 'r3')),
    conversationId: fc.constant('c1'),
    media: fc.constantFrom(...MEDIA),
    fileState: fc.constantFrom(...STATES),
  },
  { requiredKeys: ['id'] },
);

describe('buildMediaMatrix (pure)', () => {
  it('maps each media kind to the seed rules widened with the real API formats', () => {
    const m = buildMediaMatrix([
      { id: 'a', media: 'audio' },
      { id: 's', media: 'screen' },
      { id: 'c', media: 'chat' },
      { id: 'm', media: 'message' },
      { id: 'e', media: 'email' },
      { id: 'x', media: 'hologram' },
    ]);
    expect(m.rows.map((r) => [r.recordingId, r.kind, r.expectedFormats, r.transcription, r.thumbnail])).toEqual([
      ['a', 'audio', ['wav', 'mp3', 'webm', 'ogg', 'opus'], true, false],
      ['s', 'screen', ['mp4', 'webm'], false, true],
      ['c', 'chat', ['json', 'zip'], false, false],
      ['m', 'message', ['json', 'zip'], false, false],
      ['e', 'email', ['eml', 'html'], true, false],
      ['x', 'unknown', null, false, false],
    ]);
    expect(Object.keys(m.byKind)).toEqual(['audio', 'screen', 'chat', 'message', 'email', 'unknown']);
  });

  it('applies rule overrides (formats null = any) and normalises formats', () => {
    const m = buildMediaMatrix([{ id: 'a', media: 'voice' }, { id: 's', media: 'screen' }], {
      rules: { audio: { formats: ['WAV', '.Mp3'], transcription: false }, screen: { formats: null } },
    });
    expect(m.byKind.audio).toMatchObject({ expectedFormats: ['wav', 'mp3'], transcription: false, thumbnail: false });
    expect(m.byKind.screen).toMatchObject({ expectedFormats: null, thumbnail: true });
    expect(expectedFormatsIn(m)).toBeNull();
    expect(expectedFormatsIn(m, 'audio')).toEqual(['wav', 'mp3']);
    expect(expectedFormatsIn(m, 'email')).toBeUndefined();
  });

  it('normalises platform format ids, MIME types and extensions', () => {
    expect(['WAV_ULAW', 'OGG_OPUS', 'audio/mpeg', '.WEBM', 'video/mp4', 'message/rfc822'].map(normalizeFormat)).toEqual(['wav', 'opus', 'mp3', 'webm', 'mp4', 'eml']);
    expect(formatAllowed('MP3', DEFAULT_MEDIA_RULES.audio.formats)).toBe(true);
    expect(formatAllowed('mp4', DEFAULT_MEDIA_RULES.audio.formats)).toBe(false);
    expect(formatAllowed('anything', null)).toBe(true);
    expect(['voice', ' Audio ', 'messaging', 'text', 'SCREEN', 'fax', undefined].map(mediaKindOf)).toEqual(['audio', 'audio', 'message', 'message', 'screen', 'unknown', 'unknown']);
  });

  it('property: one row per distinct id in input order; byKind partitions the rows; rows follow the rules', () => {
    fc.assert(
      fc.property(fc.array(recording, { maxLength: 30 }), (recs) => {
        const m = buildMediaMatrix(recs);
        const ids = [...new Set(recs.map((r) => r.id))];
        expect(m.rows.map((r) => r.recordingId)).toEqual(ids);
        const fromKinds = Object.values(m.byKind).flatMap((s) => s.recordingIds);
        expect(fromKinds.sort()).toEqual([...ids].sort());
        for (const row of m.rows) {
          const rule = DEFAULT_MEDIA_RULES[row.kind];
          expect(row.expectedFormats).toEqual(rule.formats === null ? null : [...rule.formats]);
          expect(row.thumbnail).toBe(row.kind === 'screen');
          expect(m.byKind[row.kind]!.recordingIds).toContain(row.recordingId);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('property: pure and deterministic; the input is not mutated; byKind does not depend on input order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(recording, { selector: (r) => r.id, maxLength: 20 }), (recs) => {
        const before = JSON.stringify(recs);
        const a = buildMediaMatrix(recs);
        expect(buildMediaMatrix(recs)).toEqual(a);
        expect(JSON.stringify(recs)).toBe(before);
        const reversed = buildMediaMatrix([...recs].reverse());
        const summary = (m: typeof a) =>
          Object.fromEntries(Object.entries(m.byKind).map(([k, s]) => [k, { ...s, recordingIds: [...s.recordingIds].sort() }]));
        expect(summary(reversed)).toEqual(summary(a));
      }),
      { numRuns: 200 },
    );
  });

  it('skips recordings without an id and rejects a non-array', () => {
    expect(buildMediaMatrix([{ media: 'audio' }, { id: '', media: 'audio' }, { id: 'ok', media: 'audio' }]).rows).toHaveLength(1);
    // @ts-expect-error: not an array
    expect(() => buildMediaMatrix({ id: 'x' })).toThrow(/expected an array/);
  });
});
