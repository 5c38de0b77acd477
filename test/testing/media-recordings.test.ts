import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimAnnotation, type SimRecording, type SimRecordingMetadata } from '../../src/testing/index';
import { directApi } from './helpers';

const sim = createSimulatedOrg({ seed: 12, rateLimit: false, recordingShare: 0.7, screenRecordingShare: 0.5 });
const a = directApi(sim);
const conv = (i: number) => `/api/v2/conversations/${sim.data.conversationId(i)}`;
const mediaOf = (i: number) => sim.data.conversation(i).participants[0]?.sessions[0]?.mediaType;

function find(pred: (i: number) => boolean): number {
  for (let i = 0; i < sim.data.size; i++) if (pred(i)) return i;
  throw new Error('no such conversation');
}

const callWithScreen = find((i) => mediaOf(i) === 'voice' && sim.data.recordingIds(i).length === 2);
const unrecordedCall = find((i) => mediaOf(i) === 'voice' && sim.data.recordingIds(i).length === 0);

describe('recordings and recording metadata', () => {
  it('lists recording metadata without media URIs', async () => {
    const r = await a.get(`${conv(callWithScreen)}/recordingmetadata`);
    expect(r.status).toBe(200);
    const list = (await r.json()) as SimRecordingMetadata[];
    expect(list.map((m) => m.media)).toEqual(['audio', 'screen']);
    for (const m of list) {
      expect(m).toMatchObject({ conversationId: sim.data.conversationId(callWithScreen), fileState: 'AVAILABLE', annotations: [] });
      expect('mediaUris' in m).toBe(false);
    }
    const one = await a.get(`${conv(callWithScreen)}/recordingmetadata/${list[1]?.id ?? ''}`);
    expect(((await one.json()) as SimRecordingMetadata).media).toBe('screen');
  });

  it('answers 202 while transcoding, then 200 with mediaUris keyed S (audio) and 0 (screen), per format', async () => {
    const first = await a.get(`${conv(callWithScreen)}/recordings?formatId=MP3`);
    expect(first.status).toBe(202);
    const pending = (await first.json()) as SimRecording[];
    expect(pending.every((x) => x.mediaUris === undefined && (x.estimatedTranscodeTimeMs ?? 0) > 0)).toBe(true);
    const second = await a.get(`${conv(callWithScreen)}/recordings?formatId=MP3`);
    expect(second.status).toBe(200);
    const [audio, screen] = (await second.json()) as SimRecording[];
    expect(audio?.mediaUris?.S?.mediaUri).toMatch(/\.mp3\?/);
    expect(audio?.mediaUris?.S?.waveformData?.length).toBeGreaterThan(0);
    expect(screen?.mediaUris?.['0']?.mediaUri).toMatch(/\.webm\?/);
    expect((await a.get(`${conv(callWithScreen)}/recordings`)).status).toBe(202);
    expect((await a.get(`${conv(callWithScreen)}/recordings`)).status).toBe(200);
    const single = await a.get(`${conv(callWithScreen)}/recordings/${audio?.id ?? ''}?formatId=MP3`);
    expect(single.status).toBe(200);
    expect(((await single.json()) as SimRecording).id).toBe(audio?.id);
  });

  it('returns transcripts for chat, message and email conversations', async () => {
    const fields: Record<string, keyof SimRecording> = { chat: 'transcript', message: 'messagingTranscript', email: 'emailTranscript' };
    for (const [media, field] of Object.entries(fields)) {
      const i = find((k) => mediaOf(k) === media);
      await a.get(`${conv(i)}/recordings`);
      const [rec] = (await (await a.get(`${conv(i)}/recordings`)).json()) as SimRecording[];
      expect(rec?.media).toBe(media);
      expect((rec?.[field] as unknown[] | undefined)?.length).toBeGreaterThan(0);
    }
  });

  it('skips the 202 with transcodingPolls: 0, answers [] for an unrecorded call, 404/400 for bad input', async () => {
    const quick = createSimulatedOrg({ seed: 12, transcodingPolls: 0, rateLimit: false });
    expect((await directApi(quick).get(`${conv(callWithScreen)}/recordings`)).status).toBe(200);
    const none = await a.get(`${conv(unrecordedCall)}/recordings`);
    expect(none.status).toBe(200);
    expect(await none.json()).toEqual([]);
    expect((await a.get('/api/v2/conversations/nope/recordingmetadata')).status).toBe(404);
    expect((await a.get(`${conv(callWithScreen)}/recordings?formatId=FLAC`)).status).toBe(400);
    expect((await a.get(`${conv(callWithScreen)}/recordings/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});

describe('recording annotations', () => {
  const [recordingId = ''] = sim.data.recordingIds(callWithScreen);
  const path = `${conv(callWithScreen)}/recordings/${recordingId}/annotations`;

  it('creates an annotation with an id, lists it, and shows it in the metadata', async () => {
    const r = await a.post(path, { name: 'Escalation', description: 'x'.repeat(500), location: 1200, durationMs: 3000 });
    expect(r.status).toBe(200);
    const created = (await r.json()) as SimAnnotation;
    expect(created).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Escalation', location: 1200, durationMs: 3000, type: 'Bookmark' });
    expect(((await (await a.get(path)).json()) as SimAnnotation[]).map((x) => x.id)).toContain(created.id);
    const meta = (await (await a.get(`${conv(callWithScreen)}/recordingmetadata`)).json()) as SimRecordingMetadata[];
    expect(meta[0]?.annotations.map((x) => x.id)).toContain(created.id);
    const updated = (await (await a.post(path, { id: created.id, name: 'Renamed' })).json()) as SimAnnotation;
    expect(updated.id).toBe(created.id);
    expect(((await (await a.get(path)).json()) as SimAnnotation[]).filter((x) => x.id === created.id)).toEqual([updated]);
  });

  it('refuses a description over 500 characters and malformed fields', async () => {
    const r = await a.post(path, { description: 'x'.repeat(501) });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 'bad.request', details: [{ fieldName: 'description' }] });
    expect((await a.post(path, { location: -1 })).status).toBe(400);
    expect((await a.post(path, [])).status).toBe(400);
    expect((await a.post(`${conv(callWithScreen)}/recordings/nope/annotations`, { name: 'x' })).status).toBe(404);
  });
});
