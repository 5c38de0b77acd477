/**
 * Recordings of a conversation, by media type: a recorded call has an `audio` recording and sometimes a `screen`
 * one; chat, message and email conversations have one recording holding their transcript. `mediaUris` appear only
 * on `/recordings` (not on `/recordingmetadata`), keyed "S" for the mixed audio stream and "0" for a screen
 * recording (believed to match the platform; the key scheme is not in the typings). Media URIs point at the
 * reserved `.invalid` domain: metadata is simulated, media bytes are not.
 */
import { sessionIdOf } from './analytics';
import type { ConversationCore, Dataset, MediaType } from './dataset';
import { Rng } from './rng';
import { STREAM } from './streams';
import type { SimAnnotation, SimChatMessage, SimEmailMessage, SimMessagingMessage, SimRecording, SimRecordingMetadata } from './types';
import { iso } from './time';

export const FORMAT_IDS = ['WAV', 'WEBM', 'WAV_ULAW', 'OGG_VORBIS', 'OGG_OPUS', 'MP3', 'NONE'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];
const EXTENSION: Record<FormatId, string> = { WAV: 'wav', WEBM: 'webm', WAV_ULAW: 'wav', OGG_VORBIS: 'ogg', OGG_OPUS: 'opus', MP3: 'mp3', NONE: '' };
export const MEDIA_HOST = 'https://recordings.sim.invalid';

export interface RecordingCore {
  slot: number;
  id: string;
  media: 'audio' | 'screen' | 'chat' | 'message' | 'email';
  start: number;
  end: number;
  sessionId: string;
}

const recordingMedia = (m: MediaType): RecordingCore['media'] => (m === 'voice' ? 'audio' : m);

/** Slot 0: the first channel's recording (when recorded), 1: its screen recording, 2: the second channel's. */
export function recordingsOf(ds: Dataset, c: ConversationCore): RecordingCore[] {
  const start = c.start + c.phases.acd + c.phases.alert;
  const end = start + c.phases.talk;
  const out: RecordingCore[] = [];
  if (c.recorded) {
    const sessionId = sessionIdOf(ds, c, 2);
    out.push({ slot: 0, id: ds.recordingId(c.index, 0), media: recordingMedia(c.mediaType), start, end, sessionId });
    if (c.screenRecorded) out.push({ slot: 1, id: ds.recordingId(c.index, 1), media: 'screen', start, end, sessionId });
  }
  // The second channel's own agent session holds its recording (a transcript for digital media).
  if (c.secondMediaType !== undefined) {
    out.push({ slot: 2, id: ds.recordingId(c.index, 2), media: recordingMedia(c.secondMediaType), start, end, sessionId: sessionIdOf(ds, c, 4) });
  }
  return out;
}

export function recordingMetadata(c: ConversationCore, r: RecordingCore, annotations: SimAnnotation[]): SimRecordingMetadata {
  return {
    id: r.id,
    conversationId: c.id,
    startTime: iso(r.start),
    endTime: iso(r.end),
    media: r.media,
    annotations,
    fileState: 'AVAILABLE',
    sessionId: r.sessionId,
    selfUri: `/api/v2/conversations/${c.id}/recordings/${r.id}`,
  };
}

function chatTranscript(c: ConversationCore, r: RecordingCore, rng: Rng): SimChatMessage[] {
  const lines = ['Hi, I need help with my order.', 'Hello! Happy to help. Can you share the order number?', 'Sure, it is 48213.', 'Thanks, I see it. It ships tomorrow.', 'Great, thank you!'];
  const step = Math.max(1, Math.floor((r.end - r.start) / lines.length));
  return lines.map((body, k) => ({
    id: `${r.id}-m${k}`,
    body,
    from: k % 2 === 0 ? c.customerAddress : 'agent',
    to: k % 2 === 0 ? 'agent' : c.customerAddress,
    utc: iso(r.start + k * step + rng.int(step)),
    bodyType: 'standard',
    participantPurpose: k % 2 === 0 ? 'customer' : 'agent',
  }));
}

function messagingTranscript(c: ConversationCore, r: RecordingCore): SimMessagingMessage[] {
  const lines = ['Is my refund processed?', 'Let me check that for you.', 'It was issued yesterday.', 'Thanks!'];
  const step = Math.max(1, Math.floor((r.end - r.start) / lines.length));
  return lines.map((messageText, k) => ({
    id: `${r.id}-m${k}`,
    from: k % 2 === 0 ? c.customerAddress : 'agent',
    to: k % 2 === 0 ? 'agent' : c.customerAddress,
    timestamp: iso(r.start + k * step),
    purpose: k % 2 === 0 ? 'customer' : 'agent',
    participantId: `${r.sessionId.slice(0, 8)}-${k % 2}`,
    messageText,
  }));
}

function emailTranscript(c: ConversationCore, r: RecordingCore): SimEmailMessage[] {
  const support = { email: 'support@contact.example.com', name: 'Support' };
  const customer = { email: c.customerAddress };
  return [
    { id: `${r.id}-e0`, from: customer, to: [support], subject: 'Question about my invoice', textBody: 'Hello, my invoice looks wrong.', time: iso(r.start) },
    { id: `${r.id}-e1`, from: support, to: [customer], subject: 'RE: Question about my invoice', textBody: 'Thanks for writing; we corrected it.', time: iso(r.end) },
  ];
}

/** `ready`: transcoding finished (200); otherwise the 202 shape, without media. */
export function recording(c: ConversationCore, r: RecordingCore, annotations: SimAnnotation[], formatId: FormatId, ready: boolean, seed: number): SimRecording {
  const rng = Rng.of(seed, STREAM.recording, c.index, r.slot);
  const durationMs = r.end - r.start;
  const base: SimRecording = { ...recordingMetadata(c, r, annotations), creationTime: iso(r.end + 5_000) };
  const transcodeMs = 500 + Math.floor(durationMs / 200);
  if (!ready) return { ...base, estimatedTranscodeTimeMs: transcodeMs };
  if (r.media === 'chat') return { ...base, transcript: chatTranscript(c, r, rng) };
  if (r.media === 'message') return { ...base, messagingTranscript: messagingTranscript(c, r) };
  if (r.media === 'email') return { ...base, emailTranscript: emailTranscript(c, r) };
  if (formatId === 'NONE') return base;
  const ext = r.media === 'screen' ? 'webm' : EXTENSION[formatId];
  const key = r.media === 'screen' ? '0' : 'S';
  const uri = `${MEDIA_HOST}/${c.id}/${r.id}.${ext}?X-Sim-Expires=${Math.floor(r.end / 1000) + 3600}`;
  const waveformData = r.media === 'audio' ? Array.from({ length: 16 }, () => Math.round(rng.next() * 100) / 100) : undefined;
  return {
    ...base,
    mediaUris: { [key]: waveformData ? { mediaUri: uri, waveformData } : { mediaUri: uri } },
    actualTranscodeTimeMs: transcodeMs,
    outputDurationMs: durationMs,
    outputSizeInBytes: Math.floor((durationMs / 1000) * (r.media === 'screen' ? 60_000 : 16_000)),
  };
}
