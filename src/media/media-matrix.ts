/**
 * The media matrix of a conversation (docs/design-intent.md seed 002): for each recording, its media kind, the file formats expected for
 * that kind, and whether it wants a transcription or a thumbnail; plus the thumbnail jobs screen recordings need.
 * Pure functions over recording metadata; importable alone (no zod, no client).
 *
 * Media kinds are the platform's `Recording.media` values (`audio`, `screen`, `chat`, `message`, `email`); the seed's
 * names (`voice`) and other spellings (`messaging`, `text`) are accepted as aliases. The default rules, and where each
 * comes from, are in docs/media.md.
 */
import { ValidationError, type ValidationIssue } from '../errors';
import { checkBooleanOption, checkOptionsObject, isPlainObject, kindOf, ownValue, quote, throwIfIssues } from '../helpers/input-guard';

export type MediaKind = 'audio' | 'screen' | 'chat' | 'message' | 'email' | 'unknown';
export const MEDIA_KINDS: readonly MediaKind[] = ['audio', 'screen', 'chat', 'message', 'email', 'unknown'];

/** What is expected of one media kind. `formats: null` means "any format" (no check). */
export interface MediaKindRule {
  formats: readonly string[] | null;
  transcription: boolean;
  thumbnail: boolean;
}

/**
 * The table of docs/design-intent.md seed 002 (voice wav|mp3 + transcription, chat json, email eml|html + transcription, screen mp4|webm +
 * thumbnail, anything else "any") widened with the formats the real API serves: `formatId` WEBM/OGG/OPUS for audio,
 * `chatFormatId`/`messageFormatId` ZIP, `emailFormatId` EML (docs/platform-notes.md section f). `message` is not in the seed; it
 * is a text transcript like chat.
 */
export const DEFAULT_MEDIA_RULES: Readonly<Record<MediaKind, Readonly<MediaKindRule>>> = Object.freeze({
  audio: Object.freeze({ formats: Object.freeze(['wav', 'mp3', 'webm', 'ogg', 'opus']), transcription: true, thumbnail: false }),
  screen: Object.freeze({ formats: Object.freeze(['mp4', 'webm']), transcription: false, thumbnail: true }),
  chat: Object.freeze({ formats: Object.freeze(['json', 'zip']), transcription: false, thumbnail: false }),
  message: Object.freeze({ formats: Object.freeze(['json', 'zip']), transcription: false, thumbnail: false }),
  email: Object.freeze({ formats: Object.freeze(['eml', 'html']), transcription: true, thumbnail: false }),
  unknown: Object.freeze({ formats: null, transcription: false, thumbnail: false }),
});

export type MediaRulesOverride = Partial<Record<MediaKind, Partial<MediaKindRule>>>;

const ALIASES: Record<string, MediaKind> = {
  audio: 'audio',
  voice: 'audio',
  call: 'audio',
  screen: 'screen',
  screenrecording: 'screen',
  video: 'screen',
  chat: 'chat',
  message: 'message',
  messaging: 'message',
  text: 'message',
  sms: 'message',
  email: 'email',
};

/** `voice` -> `audio`, `Messaging` -> `message`; anything unrecognised (or missing) -> `unknown`. */
export function mediaKindOf(media: string | undefined | null): MediaKind {
  if (media === undefined || media === null) return 'unknown';
  if (typeof media !== 'string') {
    throw new ValidationError('mediaKindOf input', [{ path: 'media', code: 'invalid_type', message: `expected a media name such as "voice", undefined or null, got ${kindOf(media)} ${quote(media)}` }]);
  }
  // own keys only: `constructor` is no media kind
  return ownValue(ALIASES, media.trim().toLowerCase()) ?? 'unknown';
}

/** True when `media` names a kind this module knows (an alias counts). */
export function isKnownMediaKind(media: string): boolean {
  return mediaKindOf(media) !== 'unknown';
}

// Platform format ids and MIME types map to the file extension a caller would write in an annotation.
const FORMAT_ALIASES: Record<string, string> = {
  wav_ulaw: 'wav',
  ogg_vorbis: 'ogg',
  ogg_opus: 'opus',
  mpeg: 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'application/json': 'json',
  'application/zip': 'zip',
  'message/rfc822': 'eml',
  'text/html': 'html',
};

/** `WAV` -> `wav`, `.MP3` -> `mp3`, `OGG_OPUS` -> `opus`, `video/mp4` -> `mp4`. */
export function normalizeFormat(format: string): string {
  if (typeof format !== 'string') {
    throw new ValidationError('normalizeFormat input', [{ path: 'format', code: 'invalid_type', message: `expected a format string such as "wav", got ${kindOf(format)} ${quote(format)}` }]);
  }
  const f = format.trim().toLowerCase().replace(/^\./, '');
  return ownValue(FORMAT_ALIASES, f) ?? f;
}

/** The rules after applying `override` over the defaults. */
export function resolveMediaRules(override?: MediaRulesOverride): Record<MediaKind, MediaKindRule> {
  checkRulesOverride(override, '', 'media rules');
  const out = {} as Record<MediaKind, MediaKindRule>;
  for (const kind of MEDIA_KINDS) {
    const base = DEFAULT_MEDIA_RULES[kind];
    const o = override?.[kind];
    // `null` is a deliberate "any format"; `undefined` means "not overridden".
    const formats = o?.formats === undefined ? base.formats : o.formats;
    out[kind] = {
      formats: formats === null ? null : [...new Set(formats.map(normalizeFormat))],
      transcription: o?.transcription ?? base.transcription,
      thumbnail: o?.thumbnail ?? base.thumbnail,
    };
  }
  return out;
}

/** Refuses (ValidationError, paths such as `audio.formats[1]`) an override that is not the documented shape. */
function checkRulesOverride(override: unknown, prefix: string, where: string): void {
  const issues: ValidationIssue[] = [];
  const o = checkOptionsObject(override, MEDIA_KINDS, issues, prefix);
  for (const kind of MEDIA_KINDS) {
    const at = prefix ? `${prefix}.${kind}` : kind;
    const rule = checkOptionsObject(o?.[kind], ['formats', 'transcription', 'thumbnail'], issues, at);
    if (!rule) continue;
    const formats = rule.formats;
    if (formats !== undefined && formats !== null) {
      if (!Array.isArray(formats)) {
        issues.push({ path: `${at}.formats`, code: 'invalid_type', message: `must be an array of formats or null (any format), got ${kindOf(formats)} ${quote(formats)}` });
      } else {
        formats.forEach((f: unknown, i) => {
          if (typeof f !== 'string' && issues.length < 50) issues.push({ path: `${at}.formats[${i}]`, code: 'invalid_type', message: `must be a format string, got ${kindOf(f)} ${quote(f)}` });
        });
      }
    }
    checkBooleanOption(rule.transcription, `${at}.transcription`, issues);
    checkBooleanOption(rule.thumbnail, `${at}.thumbnail`, issues);
  }
  throwIfIssues(where, issues);
}

/** Whether `format` is acceptable for `expected` (`null` accepts everything). */
export function formatAllowed(format: string, expected: readonly string[] | null): boolean {
  const normalized = normalizeFormat(format);
  if (expected === null) return true;
  if (!Array.isArray(expected) || expected.some((e) => typeof e !== 'string')) {
    const i = Array.isArray(expected) ? expected.findIndex((e) => typeof e !== 'string') : -1;
    throw new ValidationError('formatAllowed input', [
      { path: i >= 0 ? `expected[${i}]` : 'expected', code: 'invalid_type', message: `expected an array of formats or null (any format), got ${kindOf(i >= 0 ? expected[i] : expected)} ${quote(i >= 0 ? expected[i] : expected)}` },
    ]);
  }
  return expected.includes(normalized);
}

/** The fields of a platform `Recording` / `RecordingMetadata` the matrix reads. */
export interface RecordingLike {
  id?: string | undefined;
  conversationId?: string | undefined;
  media?: string | undefined;
  fileState?: string | undefined;
  mediaUris?: Record<string, { mediaUri?: string | undefined } | undefined> | undefined;
}

export interface MediaMatrixRow {
  recordingId: string;
  conversationId: string | undefined;
  /** The platform's `media` value as received. */
  media: string | undefined;
  kind: MediaKind;
  fileState: string | undefined;
  /** Normalised extensions; `null` = any. */
  expectedFormats: string[] | null;
  transcription: boolean;
  thumbnail: boolean;
  /** Keys of `mediaUris` when the recording came from `/recordings` with media (empty from `/recordingmetadata`). */
  mediaUriKeys: string[];
}

export interface MediaKindSummary {
  kind: MediaKind;
  recordingIds: string[];
  expectedFormats: string[] | null;
  transcription: boolean;
  thumbnail: boolean;
}

export interface MediaMatrix {
  /** One row per recording with an id, in input order (a repeated id keeps its first row). */
  rows: MediaMatrixRow[];
  /** Only the kinds present. */
  byKind: Partial<Record<MediaKind, MediaKindSummary>>;
}

export interface MediaMatrixOptions {
  rules?: MediaRulesOverride;
}

/** Builds the matrix. Recordings without an id cannot be annotated or thumbnailed and are left out. */
export function buildMediaMatrix(recordings: readonly RecordingLike[], options?: MediaMatrixOptions): MediaMatrix {
  if (!Array.isArray(recordings)) {
    throw new ValidationError('buildMediaMatrix input', [{ path: 'recordings', message: 'expected an array of recordings' }]);
  }
  // A recording is an object; one without an id is left out (documented), a number or null is not a recording.
  const bad = recordings.findIndex((r) => r === null || typeof r !== 'object' || Array.isArray(r));
  if (bad >= 0) {
    throw new ValidationError('buildMediaMatrix input', [{ path: `recordings[${bad}]`, code: 'invalid_type', message: `expected a recording object, got ${kindOf(recordings[bad])} ${quote(recordings[bad])}` }]);
  }
  const optionIssues: ValidationIssue[] = [];
  checkOptionsObject(options, ['rules'], optionIssues);
  throwIfIssues('buildMediaMatrix options', optionIssues);
  // Checked here with the `rules.` prefix so a bad rule is named where the caller wrote it (`rules.audio.formats`).
  checkRulesOverride(options?.rules, 'rules', 'buildMediaMatrix options');
  const rules = resolveMediaRules(options?.rules);
  const rows: MediaMatrixRow[] = [];
  const byKind: Partial<Record<MediaKind, MediaKindSummary>> = {};
  const seen = new Set<string>();
  for (const r of recordings) {
    if (r === null || typeof r !== 'object' || typeof r.id !== 'string' || r.id === '' || seen.has(r.id)) continue;
    seen.add(r.id);
    const kind = mediaKindOf(r.media);
    const rule = rules[kind];
    rows.push({
      recordingId: r.id,
      conversationId: r.conversationId,
      media: r.media,
      kind,
      fileState: r.fileState,
      expectedFormats: rule.formats === null ? null : [...rule.formats],
      transcription: rule.transcription,
      thumbnail: rule.thumbnail,
      mediaUriKeys: r.mediaUris && typeof r.mediaUris === 'object' ? Object.keys(r.mediaUris).sort() : [],
    });
    const s = (byKind[kind] ??= {
      kind,
      recordingIds: [],
      expectedFormats: rule.formats === null ? null : [...rule.formats],
      transcription: rule.transcription,
      thumbnail: rule.thumbnail,
    });
    s.recordingIds.push(r.id);
  }
  return { rows, byKind };
}

/**
 * Formats acceptable for an annotation about `media` on this conversation: the expected formats of that kind when
 * the conversation has a recording of it; `undefined` when it has none (the caller reports that).
 * Without `media`, the union over every kind present (`null` if any kind accepts anything).
 */
export function expectedFormatsIn(matrix: MediaMatrix, media?: string): string[] | null | undefined {
  if (!isPlainObject(matrix) || !isPlainObject(matrix.byKind)) {
    throw new ValidationError('expectedFormatsIn input', [{ path: 'matrix', code: 'invalid_type', message: `expected a matrix from buildMediaMatrix, got ${kindOf(matrix)} ${quote(matrix)}` }]);
  }
  if (media !== undefined) {
    const s = matrix.byKind[mediaKindOf(media)];
    return s === undefined ? undefined : s.expectedFormats;
  }
  const kinds = Object.values(matrix.byKind);
  if (kinds.length === 0) return undefined;
  const all = new Set<string>();
  for (const s of kinds) {
    if (s.expectedFormats === null) return null;
    for (const f of s.expectedFormats) all.add(f);
  }
  return [...all].sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Thumbnail jobs

export type ThumbnailFormat = 'jpeg' | 'png' | 'webp';

export interface ThumbnailJobOptions {
  /** Default `jpeg` (docs/design-intent.md seed 002). */
  format?: ThumbnailFormat;
  /** Default 320 (docs/design-intent.md seed 002: "320x240"). */
  width?: number;
  /** Default 240. */
  height?: number;
  /**
   * File states a thumbnail can be made from. Default `AVAILABLE`, `RESTORED` and a missing state: `ARCHIVED` needs a
   * restore first, `UPLOADING`/`RESTORING` are not ready, `DELETED`/`ERROR` never will be.
   */
  fileStates?: readonly string[];
}

export interface ThumbnailJob {
  /** Deterministic: the same recording and settings give the same key, so a job queue can deduplicate on it. */
  jobKey: string;
  conversationId: string | undefined;
  recordingId: string;
  action: 'generate_thumbnail';
  status: 'queued';
  format: ThumbnailFormat;
  width: number;
  height: number;
}

export interface ThumbnailPlan {
  jobs: ThumbnailJob[];
  /** Recordings that want a thumbnail but cannot have one now, with why. */
  skipped: Array<{ recordingId: string; reason: string }>;
}

export const DEFAULT_THUMBNAIL_FILE_STATES: readonly string[] = Object.freeze(['AVAILABLE', 'RESTORED']);

/** One job per recording whose rule asks for a thumbnail (screen by default) and whose file can be read now. */
export function planThumbnailJobs(matrix: MediaMatrix, options: ThumbnailJobOptions = {}): ThumbnailPlan {
  if (!isPlainObject(options)) throwIfIssues('planThumbnailJobs options', [{ path: 'options', code: 'invalid_type', message: `options must be an object such as { format: 'jpeg' }, got ${kindOf(options)} ${quote(options)}` }]);
  const format = options.format ?? 'jpeg';
  const width = options.width ?? 320;
  const height = options.height ?? 240;
  const issues: ValidationIssue[] = [];
  checkOptionsObject(options, ['format', 'width', 'height', 'fileStates'], issues);
  const fileStates: unknown = options.fileStates;
  if (fileStates !== undefined && (!Array.isArray(fileStates) || fileStates.some((s) => typeof s !== 'string'))) {
    issues.push({ path: 'fileStates', code: 'invalid_type', message: `must be an array of file states such as "AVAILABLE", got ${kindOf(fileStates)} ${quote(fileStates)}` });
  }
  if (!['jpeg', 'png', 'webp'].includes(format)) issues.push({ path: 'format', message: 'format must be jpeg, png or webp' });
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 4096) issues.push({ path: name, message: `${name} must be an integer from 1 to 4096` });
  }
  if (!matrix || !Array.isArray(matrix.rows)) issues.push({ path: 'matrix', message: 'expected a matrix from buildMediaMatrix' });
  if (issues.length > 0) throw new ValidationError('planThumbnailJobs options', issues);
  const states = new Set((options.fileStates ?? DEFAULT_THUMBNAIL_FILE_STATES).map((s) => s.toUpperCase()));
  const jobs: ThumbnailJob[] = [];
  const skipped: ThumbnailPlan['skipped'] = [];
  const done = new Set<string>();
  for (const row of matrix.rows) {
    if (!row.thumbnail || done.has(row.recordingId)) continue;
    done.add(row.recordingId);
    if (row.fileState !== undefined && !states.has(row.fileState.toUpperCase())) {
      skipped.push({ recordingId: row.recordingId, reason: `fileState ${row.fileState}` });
      continue;
    }
    jobs.push({
      jobKey: `${row.conversationId ?? '-'}/${row.recordingId}/thumbnail-${width}x${height}.${format}`,
      conversationId: row.conversationId,
      recordingId: row.recordingId,
      action: 'generate_thumbnail',
      status: 'queued',
      format,
      width,
      height,
    });
  }
  return { jobs, skipped };
}
