/** What MediaMetadata's writes return: the annotate and recording-annotation results (types only). */
import type { ArchiveCallbackResult } from './archive-callbacks';
import type { MediaMatrix, ThumbnailPlan } from './media-matrix';
import type { Annotation } from './wire';

export interface AnnotateResult {
  conversationId: string;
  /** The custom-attributes record written (`attributesId` option). */
  attributesId: string;
  /**
   * The record version the successful PUT was conditioned on (`null` when the PUT created the record). The PUT
   * answers only `{ id }`, so the version after the write is not known without another read.
   */
  version: number | null;
  /** Keys set, sorted. */
  written: string[];
  /** Keys deleted (they existed), sorted. */
  removed: string[];
  /** Keys whose value was redacted (`pii: 'redact'`), sorted. */
  redacted: string[];
  /** Keys whose value was cut to `maxValueLength` (`longValues: 'truncate'`), sorted. */
  truncated: string[];
  /** Provenance stored with each annotation (`source` option or per-call `source`); `null`: none stored. */
  source: string | null;
  /** Keys we set or removed that another writer changed after our first read (see the merge rule). */
  overwroteConcurrent: string[];
  /** PUTs sent: 1 plus one per 409 retried. */
  attempts: number;
  /** `ININ-Correlation-Id` of every response of the call, in order. */
  correlationIds: string[];
  /** sha256 of the canonical JSON of the payload written: `{ attributes, remove }`. */
  payloadSha256: string;
  matrix: MediaMatrix;
  thumbnails: ThumbnailPlan;
  callbacks: ArchiveCallbackResult[];
  latencyMs: Record<string, number>;
}

export interface RecordingAnnotationResult {
  conversationId: string;
  recordingId: string;
  /** The annotation as the platform returned it. */
  annotation: Annotation;
  /** Fields redacted (`name`, `description`), sorted. */
  redacted: string[];
  payloadSha256: string;
  attempts: number;
  correlationIds: string[];
  callbacks: ArchiveCallbackResult[];
  latencyMs: Record<string, number>;
}
