/**
 * The inputs and options of `MediaMetadata` (annotations, recording annotations, fetch and annotate options) and
 * the schemas that check them. The API's response shapes are in wire.ts, re-exported here.
 */
import * as z from 'zod';
import { ValidationError, validationErrorFromZod, type ValidationIssue } from '../errors';
import { PII_TYPES, scanPii, type PiiType } from '../pii/pii';
import { MEDIA_KINDS, type MediaKind, type MediaMatrix, type MediaRulesOverride, type ThumbnailJob, type ThumbnailJobOptions } from './media-matrix';
import { lazySchema } from '../internal/lazy-schema';
import { positiveInt, str } from '../internal/schema-fragments';
import type { Annotation } from './wire';

export * from './wire';

// ---------------------------------------------------------------------------------------------------------------
// Inputs

/** One annotation as docs/design-intent.md seed 002 defines it, plus the media it describes (for the format check). */
export interface AnnotationInput {
  /** `^[A-Za-z0-9_.-]+$` by default. */
  key: string;
  /** At most `maxValueLength` characters (2000). Scanned for PII. */
  value: string;
  /** Default `defaultCategory` (`system`). */
  category?: string;
  /** File format the annotation is about (`wav`, `mp4`, `WAV_ULAW`, `video/mp4`); checked against the matrix. */
  format?: string;
  /** Media kind the annotation is about (`audio`/`voice`, `screen`, `chat`, `message`, `email`). */
  mediaType?: string;
}

/** A list of annotations, or a record `key -> value` / `key -> { value, category?, format?, mediaType? }`. */
export type AnnotationsInput = readonly AnnotationInput[] | Readonly<Record<string, string | Omit<AnnotationInput, 'key'>>>;

/** What one annotation becomes in `customAttributes[key]`. */
export interface StoredAnnotation {
  /** At most `maxValueLength` characters; with `longValues: 'truncate'` a longer value is cut and ends in the marker. */
  value: string;
  category: string;
  format?: string;
  /** The canonical media kind (`voice` is stored as `audio`). */
  mediaType?: MediaKind;
  /**
   * Who wrote it (provenance): the `source` option, `automated_parser` by default (docs/design-intent.md seed 002), so annotations the
   * SDK wrote can be told from manual ones. Absent when `source` is `null`.
   */
  source?: string;
  /** Set only when the value was truncated (`longValues: 'truncate'`): its length in characters before the cut. */
  truncatedFrom?: number;
}

/** A recording annotation (`POST .../recordings/{recordingId}/annotations`). */
export interface RecordingAnnotationInput {
  /** With an id the POST updates that annotation (and may be retried); without one it creates a new annotation. */
  id?: string;
  name?: string;
  /** Default on the platform: `Bookmark`. */
  type?: string;
  /** Offset in ms from the start of the recording. */
  location?: number;
  durationMs?: number;
  /** At most `maxDescriptionLength` (500) characters: the platform's limit. Scanned for PII. */
  description?: string;
  /** `Hold, SecurePause, FlowOrQueue, Pause`. */
  reason?: string;
}

export const RECORDING_FORMAT_IDS = ['WAV', 'WEBM', 'WAV_ULAW', 'OGG_VORBIS', 'OGG_OPUS', 'MP3', 'NONE'] as const;
export type RecordingFormatId = (typeof RECORDING_FORMAT_IDS)[number];

export const DEFAULT_KEY_PATTERN = /^[A-Za-z0-9_.-]+$/;
export const DEFAULT_ATTRIBUTES_ID = 'gc-data-annotations';
/** The annotation `source` of docs/design-intent.md seed 002. */
export const DEFAULT_ANNOTATION_SOURCE = 'automated_parser';
/** The audit `governanceTag` of docs/design-intent.md seed 002. */
export const DEFAULT_GOVERNANCE_TAG = 'media_metadata_parsing_v1';
/** Ends a truncated value (`longValues: 'truncate'`). */
export const DEFAULT_TRUNCATION_MARKER = '…[truncated]';

// ---------------------------------------------------------------------------------------------------------------
// Options

/** An archive callback: awaited after each successful write, with its own timeout; its errors are isolated. */
export type ArchiveCallback = (event: ArchiveEventName, data: ArchiveEventData, context: { signal: AbortSignal }) => unknown;

export type ArchiveEventName = 'annotations.written' | 'recording-annotation.written';

export interface ArchiveEventData {
  conversationId: string;
  /** Set for `recording-annotation.written`. */
  recordingId?: string;
  /** Set for `annotations.written`: the custom-attributes record written. */
  attributesId?: string;
  /** The annotations written (after redaction; never raw PII). */
  annotations?: Record<string, StoredAnnotation>;
  removed?: string[];
  recordingAnnotation?: Annotation;
  redacted: string[];
  /** Set for `annotations.written`: keys whose value was truncated (`longValues: 'truncate'`), sorted. */
  truncated?: string[];
  payloadSha256: string;
  thumbnailJobs?: ThumbnailJob[];
  correlationIds: string[];
}

export interface TranscodingWaitOptions {
  /** First wait after a 202. Default 1000 ms. */
  initialDelayMs?: number;
  /** Longest single wait. Default 15,000 ms. */
  maxDelayMs?: number;
  /** Growth per poll. Default 2. */
  factor?: number;
  /** Give up (TimeoutError kind `deadline`) this long after the first request. Default 120,000 ms. */
  deadlineMs?: number;
  /** The API's own `maxWaitMs` query parameter: how long the platform may hold each request. Default 5000 (the API's default). */
  maxWaitMs?: number;
}

export interface MediaMetadataOptions {
  /** What to do with PII in annotation values: `reject` (default, docs/design-intent.md seed 002) or `redact`. */
  pii?: 'reject' | 'redact';
  /** Detectors to run. Default all (`phone`, `email`, `card`, `ssn`). */
  piiTypes?: PiiType[];
  /** Replacement in redact mode. Default `[REDACTED:<type>]` (the scanner's). */
  piiMask?: string;
  /** Default 2000 characters (docs/design-intent.md seed 002). */
  maxValueLength?: number;
  /**
   * A value longer than `maxValueLength` (after redaction): `reject` (default: a `ValidationError`, nothing sent) or
   * `truncate` (cut at a character boundary to fit, ending in `truncationMarker`, stored with `truncatedFrom`, listed
   * in `result.truncated`).
   */
  longValues?: 'reject' | 'truncate';
  /** Ends a truncated value; counts toward `maxValueLength`. Default `…[truncated]`. */
  truncationMarker?: string;
  /**
   * Provenance stored with each annotation written (`customAttributes[key].source`). Default `automated_parser`
   * (docs/design-intent.md seed 002); `null` stores none. `annotate(..., { source })` overrides it per call.
   */
  source?: string | null;
  /** `governanceTag` of every audit entry. Default `media_metadata_parsing_v1` (docs/design-intent.md seed 002). */
  governanceTag?: string;
  /** Default `^[A-Za-z0-9_.-]+$` (docs/design-intent.md seed 002). */
  keyPattern?: RegExp;
  /** Default 128 (ours; the seed sets none). */
  maxKeyLength?: number;
  /** Default `system` (docs/design-intent.md seed 002). */
  defaultCategory?: string;
  /** When set, the only categories accepted. Default: any non-empty category of at most 100 characters. */
  categories?: string[];
  /** Recording annotation `description` limit. Default 500 (the platform's documented maximum). */
  maxDescriptionLength?: number;
  /** Per-kind overrides of the matrix rules (expected formats, transcription, thumbnail). */
  mediaRules?: MediaRulesOverride;
  /** Thumbnail job settings (format jpeg, 320x240). */
  thumbnails?: ThumbnailJobOptions;
  /** The custom-attributes record annotations are written to. Default `gc-data-annotations`. */
  attributesId?: string;
  /** Sent as `schemaId` when set. */
  schemaId?: string;
  /** Re-reads after a 409 before giving up. Default 3. */
  maxConflictRetries?: number;
  /** Base of the jittered pause before a re-read after a 409 (grows linearly per attempt). Default 100 ms. */
  conflictDelayMs?: number;
  /** `formatId` for `fetchMedia({ withMediaUris: true })`. Default `WEBM` (the API's default). */
  formatId?: RecordingFormatId;
  transcoding?: TranscodingWaitOptions;
  callbacks?: ArchiveCallback[];
  /** Per callback. Default 10,000 ms. */
  callbackTimeoutMs?: number;
  /** Latency samples kept per operation for percentiles. Default 1000. */
  latencySamples?: number;
  /** Audit entries kept in memory (oldest dropped first). Default 10,000. */
  auditLimit?: number;
}

const mediaRule = lazySchema(() =>
  z.object({ formats: z.array(str().min(1)).nullable().optional(), transcription: z.boolean().optional(), thumbnail: z.boolean().optional() }).strict(),
);

const optionsSchema = lazySchema(() =>
  z
    .object({
      pii: z.enum(['reject', 'redact']).default('reject'),
      piiTypes: z.array(z.enum(PII_TYPES as [PiiType, ...PiiType[]])).optional(),
      piiMask: str().optional(),
      maxValueLength: positiveInt().default(2000),
      longValues: z.enum(['reject', 'truncate']).default('reject'),
      truncationMarker: str().default(DEFAULT_TRUNCATION_MARKER),
      source: str().min(1).max(100).nullable().default(DEFAULT_ANNOTATION_SOURCE),
      governanceTag: str().min(1).max(200).default(DEFAULT_GOVERNANCE_TAG),
      keyPattern: z.instanceof(RegExp).default(DEFAULT_KEY_PATTERN),
      maxKeyLength: positiveInt().default(128),
      defaultCategory: str().min(1).max(100).default('system'),
      categories: z.array(str().min(1).max(100)).min(1).optional(),
      maxDescriptionLength: positiveInt().default(500),
      mediaRules: z.partialRecord(z.enum(MEDIA_KINDS as [MediaKind, ...MediaKind[]]), mediaRule).optional(),
      thumbnails: z
        .object({
          format: z.enum(['jpeg', 'png', 'webp']).optional(),
          width: z.number().int().min(1).max(4096).optional(),
          height: z.number().int().min(1).max(4096).optional(),
          fileStates: z.array(str()).optional(),
        })
        .strict()
        .optional(),
      attributesId: str().min(1).max(200).default(DEFAULT_ATTRIBUTES_ID),
      schemaId: str().min(1).optional(),
      maxConflictRetries: z.number().int().min(0).max(20).default(3),
      conflictDelayMs: z.number().int().min(0).max(60_000).default(100),
      formatId: z.enum(RECORDING_FORMAT_IDS).default('WEBM'),
      transcoding: z
        .object({
          initialDelayMs: z.number().int().min(0).default(1000),
          maxDelayMs: z.number().int().min(0).default(15_000),
          factor: z.number().min(1).max(10).default(2),
          deadlineMs: positiveInt().default(120_000),
          maxWaitMs: positiveInt().default(5000),
        })
        .strict()
        .default({ initialDelayMs: 1000, maxDelayMs: 15_000, factor: 2, deadlineMs: 120_000, maxWaitMs: 5000 }),
      callbacks: z.array(z.custom<ArchiveCallback>((v) => typeof v === 'function', 'each callback must be a function')).default([]),
      callbackTimeoutMs: positiveInt().default(10_000),
      latencySamples: positiveInt().max(1_000_000).default(1000),
      auditLimit: positiveInt().max(10_000_000).default(10_000),
    })
    .strict(),
);

export type ResolvedMediaOptions = z.output<typeof optionsSchema>;

export function resolveMediaOptions(input: MediaMetadataOptions | undefined): ResolvedMediaOptions {
  const parsed = optionsSchema.safeParse(input === undefined ? {} : input);
  if (!parsed.success) throw validationErrorFromZod('MediaMetadata options', parsed.error);
  const o = parsed.data;
  const issues: ValidationIssue[] = [];
  if (o.longValues === 'truncate' && chars(o.truncationMarker) >= o.maxValueLength) {
    issues.push({
      path: 'truncationMarker',
      message: `truncationMarker is ${chars(o.truncationMarker)} characters; it must be shorter than maxValueLength (${o.maxValueLength}) to leave room for the value`,
      code: 'too_big',
    });
  }
  const piiScan = o.piiTypes ? { types: o.piiTypes } : undefined;
  for (const [path, text] of [['source', o.source], ['truncationMarker', o.truncationMarker], ['governanceTag', o.governanceTag]] as const) {
    if (text !== null && scanPii(text, piiScan).length > 0) issues.push({ path, message: `${path} contains PII; it is stored with every annotation or audit entry, so it is never allowed`, code: 'pii' });
  }
  if (issues.length > 0) throw new ValidationError('MediaMetadata options', issues);
  // A global or sticky regex keeps state between test() calls and would accept a key on alternate calls.
  const p = o.keyPattern;
  if (p.global || p.sticky) o.keyPattern = new RegExp(p.source, p.flags.replace(/[gy]/g, ''));
  return o;
}

export interface FetchMediaOptions {
  /**
   * Also fetch media URIs (and transcripts): `GET .../recordings` instead of `.../recordingmetadata`. It answers 202
   * while the media is transcoding; the call waits with backoff until 200 or the deadline.
   */
  withMediaUris?: boolean;
  /** Default: the instance's `formatId` (`WEBM`). */
  formatId?: RecordingFormatId;
  /** `mediaFormats[]` query parameter (overrides `formatId` on the platform). */
  mediaFormats?: RecordingFormatId[];
  /** Overall deadline of the transcoding wait. Default: `transcoding.deadlineMs`. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

const fetchMediaSchema = lazySchema(() =>
  z
    .object({
      withMediaUris: z.boolean().optional(),
      formatId: z.enum(RECORDING_FORMAT_IDS).optional(),
      mediaFormats: z.array(z.enum(RECORDING_FORMAT_IDS)).min(1).optional(),
      deadlineMs: positiveInt().optional(),
      signal: z.instanceof(AbortSignal).optional(),
    })
    .strict(),
);

export function parseFetchMediaOptions(input: FetchMediaOptions | undefined): FetchMediaOptions {
  const parsed = fetchMediaSchema.safeParse(input === undefined ? {} : input);
  if (!parsed.success) throw validationErrorFromZod('MediaMetadata.fetchMedia() options', parsed.error);
  return parsed.data;
}

export interface AnnotateOptions {
  /** Keys to delete from the record in the same atomic write. */
  remove?: string[];
  /** A matrix the caller already built; skips the recordingmetadata read. */
  matrix?: MediaMatrix;
  /** Provenance for this call's annotations, instead of the instance's `source` (`null`: none). */
  source?: string | null;
  signal?: AbortSignal;
}

const annotateOptionsSchema = lazySchema(() =>
  z
    .object({
      remove: z.array(str()).optional(),
      matrix: z.looseObject({ rows: z.array(z.unknown()), byKind: z.record(str(), z.unknown()) }).optional(),
      source: str().min(1).max(100).nullable().optional(),
      signal: z.instanceof(AbortSignal).optional(),
    })
    .strict(),
);

export function checkAnnotateOptions(input: AnnotateOptions | undefined): void {
  const parsed = annotateOptionsSchema.safeParse(input === undefined ? {} : input);
  if (!parsed.success) throw validationErrorFromZod('MediaMetadata.annotate() options', parsed.error);
}

/**
 * One annotation's shape and static limits. Lengths are counted in characters (code points), as docs/design-intent.md seed 002's
 * Python `len()` does, so an emoji counts once.
 */
export function annotationSchema(o: ResolvedMediaOptions) {
  // `params.code` gives each refinement a meaningful issue code instead of zod's generic `custom`.
  const code = (c: string) => ({ params: { code: c } });
  return z
    .object({
      key: str()
        .min(1, { error: 'key must not be empty', abort: true })
        .refine((k) => chars(k) <= o.maxKeyLength, { message: `key is longer than ${o.maxKeyLength} characters`, ...code('too_big'), abort: true })
        .refine((k) => o.keyPattern.test(k), { message: `key may contain only characters matching ${String(o.keyPattern)}`, ...code('invalid_format') }),
      // With longValues 'truncate', a long value is cut after the PII check (validate-annotations.ts).
      value: str().refine((v) => o.longValues === 'truncate' || chars(v) <= o.maxValueLength, {
        error: (iss) => `value is ${chars(String(iss.input))} characters; the maximum is ${o.maxValueLength}`,
        ...code('too_big'),
      }),
      category: str()
        .min(1, { error: 'category must not be empty', abort: true })
        .max(100, { error: 'category is longer than 100 characters', abort: true })
        .refine((c) => !o.categories || o.categories.includes(c), { message: `category must be one of ${(o.categories ?? []).join(', ')}`, ...code('invalid_value') })
        .optional(),
      format: str().min(1, 'format must not be empty').max(64, 'format is longer than 64 characters').optional(),
      mediaType: str().min(1, 'mediaType must not be empty').max(64, 'mediaType is longer than 64 characters').optional(),
    })
    .strict();
}

/** The issue code to report: a refinement's `params.code`, else zod's own. */
export function issueCode(issue: { code: string; params?: unknown }): string {
  const p = issue.params as { code?: unknown } | undefined;
  return issue.code === 'custom' && typeof p?.code === 'string' ? p.code : issue.code;
}

export function recordingAnnotationSchema(o: ResolvedMediaOptions) {
  const ms = z.number().int('must be an integer number of milliseconds').min(0, 'must not be negative');
  return z
    .object({
      id: str().min(1).max(200).optional(),
      name: str().optional(),
      type: str().min(1).max(100).optional(),
      location: ms.optional(),
      durationMs: ms.optional(),
      description: str()
        .refine((d) => d.length <= o.maxDescriptionLength, {
          error: (iss) => `description is ${String(iss.input).length} characters; the maximum is ${o.maxDescriptionLength}`,
          params: { code: 'too_big' },
        })
        .optional(),
      reason: z.enum(['Hold', 'SecurePause', 'FlowOrQueue', 'Pause']).optional(),
    })
    .strict();
}

export function chars(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
