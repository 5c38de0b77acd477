/**
 * Issue 18 for the media-matrix helpers: `normalizeFormat(42)` threw a TypeError, an override with a misspelled
 * kind (`voise`) was ignored, and `formats: 'wav'` failed with `formats.map is not a function`.
 */
import { describe, expect, it } from 'vitest';
import { buildMediaMatrix, normalizeFormat, resolveMediaRules } from '@org/gc-data/media-matrix';
import { expectIssueAt } from './expect-validation';

describe('media-matrix input', () => {
  it('normalizeFormat refuses a non-string at format', () => {
    expectIssueAt(() => normalizeFormat(42 as unknown as string), 'format', 'invalid_type');
    expect(normalizeFormat('.MP3')).toBe('mp3');
  });

  it('resolveMediaRules refuses unknown kinds and mistyped rules, each at its path', () => {
    expectIssueAt(() => resolveMediaRules({ voise: { transcription: true } } as never), 'voise', 'unrecognized_keys');
    expectIssueAt(() => resolveMediaRules({ audio: { formats: 'wav' } } as never), 'audio.formats', 'invalid_type');
    expectIssueAt(() => resolveMediaRules({ audio: { formats: ['wav', 3] } } as never), 'audio.formats[1]', 'invalid_type');
    expectIssueAt(() => resolveMediaRules({ email: { thumbnail: 'yes' } } as never), 'email.thumbnail', 'invalid_type');
    expectIssueAt(() => resolveMediaRules({ audio: { format: ['wav'] } } as never), 'audio.format', 'unrecognized_keys');
    expectIssueAt(() => resolveMediaRules('audio' as never), 'options', 'invalid_type');
    expect(resolveMediaRules({ audio: { formats: ['WAV'] }, screen: { formats: null } }).audio.formats).toEqual(['wav']);
  });

  it('buildMediaMatrix refuses unknown option keys', () => {
    expectIssueAt(() => buildMediaMatrix([], { rule: {} } as never), 'rule', 'unrecognized_keys');
    expect(buildMediaMatrix([{ id: 'r1', media: 'audio' }]).rows).toHaveLength(1);
  });
});
