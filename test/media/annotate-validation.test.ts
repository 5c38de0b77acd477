import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '../../src/client';
import { ValidationError } from '../../src/errors';
import { MediaMetadata } from '../../src/media/media-metadata';
import type { AnnotationInput } from '../../src/media/schemas';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client: newClient } = useSimulatedOrg({ anchor: 'now', conversations: 200, rateLimit: false });
let client: GenesysClient;
beforeEach(() => {
  client = newClient();
});

/** Index of the first conversation whose recordings are exactly `count` (1 = audio only for voice, 2 = audio + screen). */
function conversationWith(pred: (i: number) => boolean): string {
  for (let i = 0; i < sim.data.size; i++) if (pred(i)) return sim.data.conversationId(i);
  throw new Error('not in sample');
}
const screenCall = conversationWith((i) => sim.data.recordingIds(i).length === 2);
const chat = conversationWith((i) => sim.data.conversation(i).participants.some((p) => p.sessions.some((s) => s.mediaType === 'chat')));

async function rejected(p: Promise<unknown>): Promise<ValidationError> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ValidationError);
  return e as ValidationError;
}

describe('annotate: validation reports every problem at once', () => {
  it('checks key, value length, category, media kind, format and duplicates together, and sends nothing', async () => {
    const media = new MediaMetadata(client, { categories: ['qa', 'technical', 'system'] });
    const err = await rejected(
      media.annotate(screenCall, [
        { key: 'good.key', value: 'fine', category: 'qa' },
        { key: 'bad key!', value: 'x' },
        { key: 'long.value', value: 'v'.repeat(2001) },
        { key: 'cat', value: 'x', category: 'marketing' },
        { key: 'kind', value: 'x', mediaType: 'hologram' },
        { key: 'fmt', value: 'x', mediaType: 'voice', format: 'mp4' },
        { key: 'good.key', value: 'again' },
        { key: '', value: 'x' },
        // A typo'd field and a number value, then not an object at all: what untyped callers send.
        { key: 'typo', value: 3, catgory: 'qa' },
        'not an object',
      ] as unknown as AnnotationInput[]),
    );
    const got = err.issues.map((i) => `${i.path} ${i.code}`);
    expect(got).toEqual([
      'annotations[1].key invalid_format',
      'annotations[2].value too_big',
      'annotations[3].category invalid_value',
      'annotations[4].mediaType invalid_value',
      'annotations[5].format format',
      'annotations[6].key duplicate',
      'annotations[7].key too_small',
      'annotations[8].value invalid_type',
      'annotations[8] unrecognized_keys',
      'annotations[9] invalid_type',
    ]);
    expect(err.issues[1]!.message).toBe('value is 2001 characters; the maximum is 2000');
    expect(err.issues[4]!.message).toMatch(/not expected for audio media; expected one of wav, mp3, webm, ogg, opus/);
    expect(err.message).toMatch(/Nothing was sent/);
    expect(sim.stats.totalRequests).toBe(0);
    expect(media.telemetry().validation).toEqual({ checked: 10, accepted: 1, rejected: 9, redacted: 0, truncated: 0, accuracyRate: 0.1 });
    expect(media.auditLog()[0]).toMatchObject({ status: 'rejected', payloadSha256: null, attempts: 0 });
  });

  it('honours the limits given as options', async () => {
    const media = new MediaMetadata(client, { maxValueLength: 5, keyPattern: /^[a-z]+$/g, maxKeyLength: 4 });
    const err = await rejected(media.annotate(screenCall, { abcde: '123456', ab: 'ok', AB: 'ok' }));
    // A key that fits the pattern names its path; one that does not is shown by position only.
    expect(err.issues.map((i) => `${i.path} ${i.code}`)).toEqual(['annotations.abcde.key too_big', 'annotations.abcde.value too_big', 'annotations[#2].key invalid_format']);
    // A global regex would alternate between match and no match; the option is copied without the flag.
    await rejected(media.annotate(screenCall, { a1: 'x', b2: 'y' })).then((e) => expect(e.issues).toHaveLength(2));
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('counts characters, not UTF-16 units, for the value limit', async () => {
    const media = new MediaMetadata(client, { maxValueLength: 3 });
    const r = await media.annotate(screenCall, { emoji: '😀😀😀' });
    expect(r.written).toEqual(['emoji']);
  });

  it('refuses an empty call, a bad conversation id, and remove keys that are invalid or also set', async () => {
    const media = new MediaMetadata(client);
    const e1 = await rejected(media.annotate(screenCall, []));
    expect(e1.issues[0]).toMatchObject({ path: 'annotations', code: 'too_small' });
    const e2 = await rejected(media.annotate('../x', { a: '1' }, { remove: ['a', 'bad key'] }));
    expect(e2.issues.map((i) => i.path)).toEqual(['conversationId', 'remove[0]', 'remove[1]']);
    const mismatch = await rejected(media.annotate(screenCall, { a: { key: 'b', value: 'x' } } as never));
    expect(mismatch.issues.map((i) => `${i.path} ${i.code}`)).toEqual(['annotations.a.key key_mismatch']);
    const dots = await rejected(media.annotate('..', { a: '1' }));
    expect(dots.issues.map((i) => i.path)).toEqual(['conversationId']);
    // @ts-expect-error: not a list or record
    const e3 = await rejected(media.annotate(screenCall, 'key=value'));
    expect(e3.issues[0]!.path).toBe('annotations');
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('checks a format against the recordings the conversation has: one read, no write', async () => {
    const media = new MediaMetadata(client);
    const err = await rejected(
      media.annotate(chat, [
        { key: 'a', value: 'x', mediaType: 'screen', format: 'mp4' },
        { key: 'b', value: 'x', format: 'wav' },
        { key: 'c', value: 'x', mediaType: 'chat', format: 'json' },
        { key: 'd', value: 'x', format: 'ZIP' },
      ]),
    );
    expect(err.issues.map((i) => i.path)).toEqual(['annotations[0].mediaType', 'annotations[1].format']);
    expect(err.issues[0]!.message).toBe('the conversation has no screen recording (it has: chat)');
    expect(err.issues[1]!.message).toMatch(/expected one of json, zip/);
    expect(sim.stats.count('GET /api/v2/conversations/{conversationId}/recordingmetadata')).toBe(1);
    expect(sim.stats.count('PUT /api/v2/conversations/{conversationId}/customattributes')).toBe(0);
    expect(sim.stats.count('GET /api/v2/conversations/{conversationId}/customattributes')).toBe(0);
    expect(media.telemetry().validation).toMatchObject({ checked: 4, accepted: 2, accuracyRate: 0.5 });
  });

  it('validates the options of the constructor with paths', () => {
    expect(() => new MediaMetadata(client, { pii: 'mask' as 'redact', maxConflictRetries: -1 })).toThrow(ValidationError);
    try {
      // @ts-expect-error: unknown option
      new MediaMetadata(client, { pii: 'mask' as 'redact', maxConflictRetries: -1, retries: 3 });
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => i.path).sort()).toEqual(['maxConflictRetries', 'pii', 'retries']);
    }
  });

  it('accepts __proto__ as an ordinary key (allowed by the seed pattern) without touching any prototype', async () => {
    const media = new MediaMetadata(client);
    const r = await media.annotate(screenCall, [{ key: '__proto__', value: 'plain' }]);
    expect(r.written).toEqual(['__proto__']);
    const rec = await client.request<{ customAttributes: Record<string, unknown> }>({
      path: `/api/v2/conversations/${screenCall}/customattributes/gc-data-annotations`,
    });
    expect(Object.hasOwn(rec.customAttributes, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  });
});

describe('addRecordingAnnotation: validation', () => {
  it('enforces the 500-character description limit and field types before the POST', async () => {
    const media = new MediaMetadata(client);
    const err = await rejected(
      media.addRecordingAnnotation(screenCall, 'r/1', { description: 'd'.repeat(501), location: -1, reason: 'Lunch' }),
    );
    expect(err.issues.map((i) => i.path)).toEqual(['recordingId', 'annotation.location', 'annotation.description', 'annotation.reason']);
    expect(err.issues[2]!.message).toBe('description is 501 characters; the maximum is 500');
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('posts a valid annotation and returns what the platform stored', async () => {
    const i = sim.data.indexOf(screenCall)!;
    const rid = sim.data.recordingIds(i)[0]!;
    const media = new MediaMetadata(client);
    const r = await media.addRecordingAnnotation(screenCall, rid, { name: 'escalation', description: 'd'.repeat(500), location: 1500, durationMs: 2000 });
    expect(r.annotation).toMatchObject({ name: 'escalation', location: 1500, durationMs: 2000, type: 'Bookmark' });
    expect(r.annotation.id).toEqual(expect.any(String));
    expect(r.correlationIds).toHaveLength(1);
    expect(media.auditLog()[0]).toMatchObject({ operation: 'addRecordingAnnotation', recordingId: rid, status: 'written', attempts: 1 });
  });
});
