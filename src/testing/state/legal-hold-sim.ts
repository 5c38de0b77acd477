/**
 * Simulated recording preservation and bulk download (docs/platform-notes.md section i), kept per org in a WeakMap so the
 * org's own files stay untouched apart from route registration:
 * - **Deletion protection**: `protect`/`release` record, per conversation, the intervals of the org's clock during
 *   which it was protected. Protecting twice (or releasing an unprotected conversation) changes nothing.
 * - **Retention job**: every recording has a retention date (`recording end + retentionMs`). The simulated job
 *   deletes a recording at the first instant at or after that date when its conversation is not protected. It is
 *   evaluated lazily against the org's clock (`now` option: inject a clock and move it to "advance time"), so no
 *   timer runs and a million-conversation org costs nothing: `deletedAt(org, recording)` answers from the
 *   protection history alone.
 * - **Redaction**: recordings chosen by `redacted` are refused to a caller without
 *   `recording:recording:viewSensitiveData`; the batch job reports them with an `errorMsg` (`redaction: 'errorMsg'`,
 *   default) or leaves them out of `results` altogether (`'omit'`), as the platform documentation says it does.
 * - **Batch download jobs**: see routes/recording-batch.ts; the bytes are served by recording-files.ts, a second
 *   origin, under pre-signed URLs this module signs and checks.
 *
 * Recording bytes are a pure function of (seed, recording id, offset): AES-128-CTR keystream, so any range of a
 * file of any size is produced without storing it.
 */
import { createCipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { OrgCore } from '../engine/context';
import { expected, parseOptions } from '../../internal/parse-options';
import { checkOrg, legalHoldSimOptionsSchema, SimulatorOptionsError } from '../engine/options';
import type { ConversationCore } from '../data/dataset';
import { recordingsOf, type RecordingCore } from '../data/recordings';

export interface LegalHoldSimOptions {
  /** Size of each recording file in bytes (a number, or a function of the recording). Default 64 KiB. */
  recordingBytes?: number | ((r: { conversationId: string; recordingId: string; media: string }) => number);
  /** Recordings left out for sensitive data (redaction on, caller without viewSensitiveData). Default none. */
  redacted?: (r: { conversationId: string; recordingId: string; media: string }) => boolean;
  /** How a redacted recording shows in a batch job: a result with `errorMsg` (default) or no result at all. */
  redaction?: 'errorMsg' | 'omit';
  /**
   * Retention: a recording is deleted this long after it ended unless protected. Default 7 years (datasets anchored in
   * the past keep their recordings; set e.g. 30 days to see the retention job at work).
   */
  retentionMs?: number;
  /** GETs of a batch job before it is complete; each reveals a share of the results. Default 2. */
  batchPolls?: number;
  /** Largest `batchDownloadRequestList` accepted (400 above). Default 100. */
  maxBatchSize?: number;
  /** Largest `conversationIds` list of the deletion-protection calls (400 above). Default 100. */
  maxProtectionBatch?: number;
  /** Lifetime of a pre-signed URL. Default 1 hour. */
  urlTtlMs?: number;
  /** Base URL of the recording files origin (set by startRecordingFilesServer). */
  filesBaseUrl?: string;
  /**
   * Protection that does not take: `'reported'` lists the conversation in `failedUpdates`, `'silent'` answers as if
   * it worked but the conversation never shows as protected (what the confirming POST is for).
   */
  protectFails?: (conversationId: string) => 'reported' | 'silent' | undefined;
}

export interface BatchJobItem {
  conversationId: string;
  recordingId: string | undefined;
  /** Why there is no file: undefined when there is one. */
  error: string | undefined;
  omitted: boolean;
  media: string;
}

export interface BatchJob {
  id: string;
  items: BatchJobItem[];
  polls: number;
  createdAt: number;
}

export interface LegalHoldSimState {
  options: Required<Omit<LegalHoldSimOptions, 'redacted' | 'filesBaseUrl' | 'protectFails'>> &
    Pick<LegalHoldSimOptions, 'redacted' | 'filesBaseUrl' | 'protectFails'>;
  /** conversation id (lower case) -> protection intervals `[from, to)` on the org's clock; `to` undefined = ongoing. */
  protection: Map<string, Array<[number, number | undefined]>>;
  jobs: Map<string, BatchJob>;
  jobSeq: number;
  /** Counters a test can read. */
  counts: { protectCalls: number; releaseCalls: number; listCalls: number; batchSubmits: number; batchPolls: number };
  secret: Buffer;
}

const DEFAULTS = {
  recordingBytes: 64 * 1024,
  redaction: 'errorMsg' as const,
  retentionMs: 7 * 365 * 86_400_000,
  batchPolls: 2,
  maxBatchSize: 100,
  maxProtectionBatch: 100,
  urlTtlMs: 3_600_000,
};

const states = new WeakMap<OrgCore, LegalHoldSimState>();

/** The org's legal-hold state, created with defaults on first use. */
export function legalHoldSim(org: OrgCore): LegalHoldSimState {
  checkOrg(org, 'legalHoldSim arguments');
  let s = states.get(org);
  if (!s) {
    s = {
      options: { ...DEFAULTS },
      protection: new Map(),
      jobs: new Map(),
      jobSeq: 0,
      counts: { protectCalls: 0, releaseCalls: 0, listCalls: 0, batchSubmits: 0, batchPolls: 0 },
      secret: createHash('sha256').update(`gc-data-sim-presign-${org.options.seed}`).digest(),
    };
    states.set(org, s);
  }
  return s;
}

/** Changes the legal-hold simulation of `org` (partial; unset fields keep their value). */
export function configureLegalHoldSim(org: OrgCore, options: LegalHoldSimOptions): LegalHoldSimState {
  checkOrg(org, 'configureLegalHoldSim arguments');
  parseOptions(legalHoldSimOptionsSchema, options, 'configureLegalHoldSim options', { error: SimulatorOptionsError });
  const s = legalHoldSim(org);
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (s.options as Record<string, unknown>)[k] = v;
  return s;
}

/** Forgets protection history, jobs and counters (the options stay). */
export function resetLegalHoldSim(org: OrgCore): void {
  checkOrg(org, 'resetLegalHoldSim arguments');
  const s = legalHoldSim(org);
  s.protection.clear();
  s.jobs.clear();
  s.jobSeq = 0;
  s.counts = { protectCalls: 0, releaseCalls: 0, listCalls: 0, batchSubmits: 0, batchPolls: 0 };
}

export function isProtected(org: OrgCore, conversationId: string, atMs?: number): boolean {
  checkOrg(org, 'isRecordingProtected arguments');
  checkArg(typeof conversationId === 'string', 'isRecordingProtected arguments', 'conversationId', 'a conversation id', conversationId);
  checkArg(atMs === undefined || Number.isFinite(atMs), 'isRecordingProtected arguments', 'at', 'epoch ms', atMs);
  const at = atMs ?? org.now();
  const list = legalHoldSim(org).protection.get(conversationId.toLowerCase()) ?? [];
  return list.some(([from, to]) => from <= at && (to === undefined || at < to));
}

export function protect(org: OrgCore, conversationId: string, now: number = org.now()): void {
  const id = conversationId.toLowerCase();
  const s = legalHoldSim(org);
  const list = s.protection.get(id) ?? [];
  const last = list[list.length - 1];
  if (last && last[1] === undefined) return;
  list.push([now, undefined]);
  s.protection.set(id, list);
}

export function release(org: OrgCore, conversationId: string, now: number = org.now()): void {
  const last = legalHoldSim(org).protection.get(conversationId.toLowerCase())?.at(-1);
  if (last && last[1] === undefined) last[1] = Math.max(now, last[0]);
}

export function retentionDate(org: OrgCore, r: RecordingCore): number {
  checkOrg(org, 'recordingRetentionDate arguments');
  checkArg(typeof r === 'object' && r !== null && Number.isFinite(r.end), 'recordingRetentionDate arguments', 'recording', 'a recording of the simulated org (with its end)', r);
  return r.end + legalHoldSim(org).options.retentionMs;
}

/**
 * When the retention job deleted the recording: the first instant in [retentionDate, now] at which the conversation
 * was not protected; undefined while it still exists.
 */
export function deletedAt(org: OrgCore, conversationId: string, r: RecordingCore, nowMs?: number): number | undefined {
  checkOrg(org, 'recordingDeletedAt arguments');
  checkArg(typeof conversationId === 'string', 'recordingDeletedAt arguments', 'conversationId', 'a conversation id', conversationId);
  checkArg(nowMs === undefined || Number.isFinite(nowMs), 'recordingDeletedAt arguments', 'now', 'epoch ms', nowMs);
  const now = nowMs ?? org.now();
  const due = retentionDate(org, r);
  if (now < due) return undefined;
  const list = legalHoldSim(org).protection.get(conversationId.toLowerCase()) ?? [];
  let t = due;
  // Intervals of one conversation never overlap and are in time order: walk them, pushing t past each that covers it.
  for (const [from, to] of list) {
    if (from > t) break;
    if (to === undefined) return undefined;
    if (to > t) t = to;
  }
  return t <= now ? t : undefined;
}

export function recordingInfo(org: OrgCore, c: ConversationCore, r: RecordingCore): { conversationId: string; recordingId: string; media: string } {
  return { conversationId: c.id, recordingId: r.id, media: r.media };
}

export function recordingSize(org: OrgCore, c: ConversationCore, r: RecordingCore): number {
  const b = legalHoldSim(org).options.recordingBytes;
  return Math.max(0, Math.floor(typeof b === 'function' ? b(recordingInfo(org, c, r)) : b));
}

export const CONTENT_TYPE: Record<RecordingCore['media'], string> = {
  audio: 'audio/ogg',
  screen: 'video/webm',
  chat: 'application/json',
  message: 'application/json',
  email: 'application/json',
};

/** The recording behind `(conversationId, recordingId)`, or undefined. */
export function findRecording(org: OrgCore, conversationId: string, recordingId: string): { c: ConversationCore; r: RecordingCore } | undefined {
  const index = org.data.conversationIndex(conversationId);
  if (index === undefined) return undefined;
  const c = org.data.core(index);
  const r = recordingsOf(org.data, c).find((x) => x.id === recordingId.toLowerCase());
  return r ? { c, r } : undefined;
}

function signature(secret: Buffer, path: string, expires: number): string {
  return createHmac('sha256', secret).update(`${path}|${expires}`).digest('hex');
}

/** A pre-signed URL on the files origin for one recording (no bearer token needed, expires after urlTtlMs). */
export function presignedUrl(org: OrgCore, c: ConversationCore, r: RecordingCore): string {
  const s = legalHoldSim(org);
  const base = (s.options.filesBaseUrl ?? 'https://recordings.sim.invalid').replace(/\/$/, '');
  const path = `/media/${c.id}/${r.id}`;
  const expires = Math.floor((org.now() + s.options.urlTtlMs) / 1000);
  return `${base}${path}?X-Sim-Expires=${expires}&X-Sim-Signature=${signature(s.secret, path, expires)}`;
}

/** Checks a files-origin request: 'ok' with the recording, or why it is refused. */
export function checkPresigned(
  org: OrgCore,
  url: URL,
): { ok: true; c: ConversationCore; r: RecordingCore } | { ok: false; status: number; message: string } {
  const m = /^\/media\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (!m) return { ok: false, status: 404, message: 'NoSuchKey' };
  const expires = Number(url.searchParams.get('X-Sim-Expires'));
  const sig = url.searchParams.get('X-Sim-Signature') ?? '';
  const want = signature(legalHoldSim(org).secret, url.pathname, expires);
  if (!Number.isFinite(expires) || sig.length !== want.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(want))) {
    return { ok: false, status: 403, message: 'SignatureDoesNotMatch' };
  }
  if (org.now() > expires * 1000) return { ok: false, status: 403, message: 'Request has expired' };
  const found = findRecording(org, decodeURIComponent(m[1] ?? ''), decodeURIComponent(m[2] ?? ''));
  if (!found) return { ok: false, status: 404, message: 'NoSuchKey' };
  if (deletedAt(org, found.c.id, found.r) !== undefined) return { ok: false, status: 404, message: 'NoSuchKey' };
  return { ok: true, c: found.c, r: found.r };
}

/**
 * Bytes `[start, end)` of a recording: the AES-128-CTR keystream under a key derived from (seed, recording id), so
 * every range is reproducible without storing the file. Yields chunks of at most `chunk` bytes.
 */
export function* recordingBytes(org: OrgCore, recordingId: string, start: number, end: number, chunk = 64 * 1024): Generator<Buffer> {
  const key = createHash('sha256').update(`gc-data-sim-recording-${org.options.seed}-${recordingId}`).digest().subarray(0, 16);
  const block = Math.floor(start / 16);
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(Math.floor(block / 0x1_0000_0000) >>> 0, 8);
  iv.writeUInt32BE(block >>> 0, 12);
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  let skip = start - block * 16;
  let pos = start;
  const zeros = Buffer.alloc(chunk + 16);
  while (pos < end) {
    const n = Math.min(chunk, end - pos);
    const out = cipher.update(zeros.subarray(0, n + skip));
    yield skip ? out.subarray(skip) : out;
    skip = 0;
    pos += n;
  }
}

function checkArg(ok: boolean, where: string, path: string, what: string, value: unknown): void {
  if (!ok) throw new SimulatorOptionsError(where, [{ path, message: expected(what, value), code: 'invalid_type' }]);
}
