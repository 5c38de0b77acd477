import type { GenesysClient } from '../client';
import { ValidationError, type ValidationIssue } from '../errors';
import { canonicalHash } from '../helpers/canonical-json';
import { buildMediaMatrix, planThumbnailJobs, resolveMediaRules, type MediaKind, type MediaKindRule, type MediaMatrix, type ThumbnailPlan } from './media-matrix';
import { redactPii, scanPii } from '../pii/pii';
import { runArchiveCallbacks, type ArchiveCallbackResult } from './archive-callbacks';
import { writeAnnotations } from './atomic-write';
import { fetchRecordings } from './fetch-media';
import {
  Annotation,
  checkAnnotateOptions,
  issueCode,
  parseFetchMediaOptions,
  recordingAnnotationSchema,
  resolveMediaOptions,
  type AnnotateOptions,
  type AnnotationsInput,
  type ArchiveCallback,
  type ArchiveEventData,
  type ArchiveEventName,
  type FetchMediaOptions,
  type MediaMetadataOptions,
  type Recording,
  type RecordingAnnotationInput,
  type ResolvedMediaOptions,
  type StoredAnnotation,
} from './schemas';
import { MediaOperation, MediaTelemetry, type MediaAuditEntry, type MediaTelemetrySnapshot } from './telemetry';
import { collecting, conversationPath } from './util';
import { apiPath } from '../internal/api-path';
import { operationSpan } from '../telemetry/registry';
import { checkAgainstMatrix, prepareAnnotations } from './validate-annotations';
import type { AnnotateResult, RecordingAnnotationResult } from './results';

// The results of annotate() and addRecordingAnnotation() are declared in results.ts.
export type { AnnotateResult, RecordingAnnotationResult } from './results';

const ID = /^[^/?#\s]{1,200}$/;

/**
 * Interaction media metadata (docs/design-intent.md seed 002 on real endpoints): recordings and their matrix, validated and PII-checked
 * annotations written atomically to the conversation's custom attributes, recording annotations, archive callbacks,
 * telemetry and an audit log. See docs/media.md.
 *
 * ```ts
 * const media = new MediaMetadata(client, { pii: 'redact' });
 * const recordings = await media.fetchMedia(conversationId);
 * const result = await media.annotate(conversationId, [{ key: 'qa.reviewed', value: 'yes', category: 'qa' }]);
 * ```
 */
export class MediaMetadata {
  readonly #client: GenesysClient;
  readonly #o: ResolvedMediaOptions;
  readonly #rules: Record<MediaKind, MediaKindRule>;
  readonly #callbacks: ArchiveCallback[];
  readonly #telemetry: MediaTelemetry;

  constructor(client: GenesysClient, options?: MediaMetadataOptions) {
    if (!client || typeof (client as { requestWithResponse?: unknown }).requestWithResponse !== 'function') {
      throw new ValidationError('MediaMetadata arguments', [{ path: 'client', message: 'expected a GenesysClient' }]);
    }
    this.#client = client;
    this.#o = resolveMediaOptions(options);
    this.#rules = resolveMediaRules(this.#o.mediaRules);
    this.#callbacks = [...this.#o.callbacks];
    this.#telemetry = new MediaTelemetry({ latencySamples: this.#o.latencySamples, auditLimit: this.#o.auditLimit, governanceTag: this.#o.governanceTag });
  }

  /**
   * The conversation's recordings. By default `GET .../recordingmetadata` (metadata only, answers at once). With
   * `withMediaUris`, `GET .../recordings` (media URIs, transcripts), waiting out 202 "transcoding" answers with
   * backoff until the deadline (then `TimeoutError` kind `deadline`).
   */
  async fetchMedia(conversationId: string, options?: FetchMediaOptions): Promise<Recording[]> {
    return operationSpan(this.#client, 'media.fetch', {}, async () => (await this.#fetch(conversationId, options)).recordings);
  }

  /** `buildMediaMatrix` with this instance's `mediaRules`. */
  matrixOf(recordings: readonly Recording[]): MediaMatrix {
    return buildMediaMatrix(recordings, { rules: this.#rules });
  }

  /** Thumbnail jobs for the screen recordings of a matrix, with this instance's `thumbnails` settings. */
  thumbnailJobs(matrix: MediaMatrix): ThumbnailPlan {
    return planThumbnailJobs(matrix, this.#o.thumbnails ?? {});
  }

  /**
   * Validates, PII-checks and format-checks `annotations`, then writes them atomically to the conversation's
   * custom-attributes record (merge rule and 409 retries in docs/media.md), then runs the archive callbacks.
   * Problems found from the input alone throw `ValidationError` before any request; format problems that need the
   * conversation's recordings throw it after the recordingmetadata read, before any write.
   */
  async annotate(conversationId: string, annotations: AnnotationsInput, options?: AnnotateOptions): Promise<AnnotateResult> {
    return operationSpan(this.#client, 'media.annotate', {}, () => this.#annotate(conversationId, annotations, options));
  }

  async #annotate(conversationId: string, annotations: AnnotationsInput, options?: AnnotateOptions): Promise<AnnotateResult> {
    const count = Array.isArray(annotations) ? annotations.length : annotations && typeof annotations === 'object' ? Object.keys(annotations).length : 0;
    const op = new MediaOperation(this.#telemetry, { operation: 'annotate', conversationId: String(conversationId), annotations: count });
    return op.run(async () => {
      checkAnnotateOptions(options);
      const source = options?.source !== undefined ? options.source : this.#o.source;
      if (options?.source != null && scanPii(options.source, this.#o.piiTypes ? { types: this.#o.piiTypes } : undefined).length > 0) {
        throw new ValidationError('MediaMetadata.annotate() options', [
          { path: 'source', message: 'source contains PII; it is stored with every annotation, so it is never allowed (name a system or a role instead)', code: 'pii' },
        ]);
      }
      const tv = performance.now();
      const prep = prepareAnnotations(annotations, options?.remove, this.#o, this.#rules, source);
      const idIssue = checkId('conversationId', conversationId);
      if (idIssue) prep.issues.unshift(idIssue);
      this.#telemetry.latency('validate', op.phase('validate', tv), prep.issues.length === 0);
      if (prep.issues.length > 0) {
        this.#telemetry.validated({ checked: prep.total, accepted: prep.total - prep.failed.size, ...countAltered(prep.prepared, prep.failed) });
        throw new ValidationError('MediaMetadata.annotate() input', prep.issues, 'Nothing was sent.');
      }

      let matrix = options?.matrix;
      if (matrix === undefined) {
        const tm = performance.now();
        const fetched = await this.#fetch(conversationId, options?.signal ? { signal: options.signal } : {}, op.correlationIds);
        op.phase('media', tm);
        matrix = this.matrixOf(fetched.recordings);
      }
      const fmt = checkAgainstMatrix(prep.prepared, matrix);
      this.#telemetry.validated({ checked: prep.total, accepted: prep.total - fmt.failed.size, ...countAltered(prep.prepared, fmt.failed) });
      if (fmt.issues.length > 0) {
        throw new ValidationError(
          'MediaMetadata.annotate() input',
          fmt.issues,
          'Checked against the conversation\'s recordings (one read: recordingmetadata); nothing was written.',
        );
      }

      const ours: Record<string, StoredAnnotation> = Object.fromEntries(prep.prepared.map((p) => [p.key, p.stored]));
      const remove = [...prep.remove].sort();
      const payloadSha256 = (op.payloadSha256 = canonicalHash({ attributes: ours, remove }));
      const outcome = await writeAnnotations(
        this.#client,
        {
          conversationId,
          attributesId: this.#o.attributesId,
          schemaId: this.#o.schemaId,
          ours,
          remove,
          maxConflictRetries: this.#o.maxConflictRetries,
          conflictDelayMs: this.#o.conflictDelayMs,
          signal: options?.signal,
          onLatency: (name, ms, ok) => this.#telemetry.latency(name, ms, ok),
          onAttempt: (n) => (op.attempts = n),
          correlationIds: op.correlationIds,
        },
        (keys) =>
          this.#client.emit('warning', {
            code: 'concurrent-overwrite',
            message: `annotate: another writer changed ${keys.length} key(s) this call also sets or removes; our values win for those keys, every other key of theirs is kept`,
            details: { conversationId, attributesId: this.#o.attributesId, keys },
          }),
      );
      op.latencyMs.read = outcome.latencyMs.read;
      op.latencyMs.write = outcome.latencyMs.write;

      const written = Object.keys(ours).sort();
      const redacted = prep.prepared.filter((p) => p.redacted).map((p) => p.key).sort();
      const truncated = prep.prepared.filter((p) => p.truncated).map((p) => p.key).sort();
      const thumbnails = this.thumbnailJobs(matrix);
      const callbacks = await this.#archive(op, 'annotations.written', {
        conversationId,
        attributesId: this.#o.attributesId,
        annotations: ours,
        removed: outcome.removed,
        redacted,
        truncated,
        payloadSha256,
        thumbnailJobs: thumbnails.jobs,
        correlationIds: [...op.correlationIds],
      });
      return {
        conversationId,
        attributesId: this.#o.attributesId,
        version: outcome.version,
        written,
        removed: outcome.removed,
        redacted,
        truncated,
        source,
        overwroteConcurrent: outcome.overwroteConcurrent,
        attempts: op.attempts,
        correlationIds: op.correlationIds,
        payloadSha256,
        matrix,
        thumbnails,
        callbacks,
        latencyMs: op.rounded(),
      };
    });
  }

  /**
   * Creates (or, with `id`, updates) a recording annotation: `POST .../recordings/{recordingId}/annotations`.
   * `description` is limited to 500 characters (the platform's limit) and, like `name`, PII-checked.
   */
  async addRecordingAnnotation(
    conversationId: string,
    recordingId: string,
    annotation: RecordingAnnotationInput,
    options?: { signal?: AbortSignal },
  ): Promise<RecordingAnnotationResult> {
    const op = new MediaOperation(this.#telemetry, {
      operation: 'addRecordingAnnotation',
      conversationId: String(conversationId),
      recordingId: String(recordingId),
      annotations: 1,
    });
    return op.run(async () => {
      const tv = performance.now();
      const issues: ValidationIssue[] = [];
      for (const [name, v] of [['conversationId', conversationId], ['recordingId', recordingId]] as const) {
        const i = checkId(name, v);
        if (i) issues.push(i);
      }
      const parsed = recordingAnnotationSchema(this.#o).safeParse(annotation);
      if (!parsed.success) for (const i of parsed.error.issues) issues.push({ path: ['annotation', ...i.path.map(String)].join('.'), message: i.message, code: issueCode(i) });
      const body: RecordingAnnotationInput = parsed.success ? { ...parsed.data } : {};
      const redacted: string[] = [];
      const scan = this.#o.piiTypes ? { types: this.#o.piiTypes } : undefined;
      for (const field of ['name', 'description'] as const) {
        const v = parsed.success ? body[field] : undefined;
        if (v === undefined) continue;
        const found = scanPii(v, scan);
        if (found.length === 0) continue;
        if (this.#o.pii === 'reject') {
          const types = [...new Set(found.map((f) => f.type))].sort().join(', ');
          issues.push({ path: `annotation.${field}`, message: `${field} contains PII: ${types}; rejected (pii: 'reject'), the text is not shown`, code: 'pii' });
          continue;
        }
        body[field] = redactPii(v, { ...scan, ...(this.#o.piiMask !== undefined ? { mask: this.#o.piiMask } : {}) });
        redacted.push(field);
        if (field === 'description' && body.description!.length > this.#o.maxDescriptionLength) {
          issues.push({ path: 'annotation.description', message: `description is ${body.description!.length} characters after redaction; the maximum is ${this.#o.maxDescriptionLength}`, code: 'too_big' });
        }
      }
      this.#telemetry.latency('validate', op.phase('validate', tv), issues.length === 0);
      if (issues.length > 0) throw new ValidationError('MediaMetadata.addRecordingAnnotation() input', issues, 'Nothing was sent.');

      const payloadSha256 = (op.payloadSha256 = canonicalHash(body));
      const path = apiPath`/api/v2/conversations/${conversationId}/recordings/${recordingId}/annotations`;
      const tw = performance.now();
      op.attempts = 1;
      let ok = false;
      let created: Annotation;
      try {
        const res = await collecting(op.correlationIds, () =>
          this.#client.requestWithResponse({
            method: 'POST',
            path,
            body,
            schema: Annotation,
            // With an id the POST updates that annotation, so repeating it after a 5xx cannot duplicate it.
            idempotent: body.id !== undefined,
            ...(options?.signal ? { signal: options.signal } : {}),
          }),
        );
        op.attempts = res.attempts;
        created = res.data;
        ok = true;
      } finally {
        this.#telemetry.latency('annotations.post', op.phase('write', tw), ok);
      }

      const callbacks = await this.#archive(op, 'recording-annotation.written', {
        conversationId,
        recordingId,
        recordingAnnotation: created,
        redacted,
        payloadSha256,
        correlationIds: [...op.correlationIds],
      });
      return { conversationId, recordingId, annotation: created, redacted, payloadSha256, attempts: op.attempts, correlationIds: op.correlationIds, callbacks, latencyMs: op.rounded() };
    });
  }

  /** Registers an archive callback (run after every successful write); returns a function that unregisters it. */
  onArchive(callback: ArchiveCallback): () => void {
    if (typeof callback !== 'function') {
      throw new ValidationError('MediaMetadata.onArchive() input', [{ path: 'callback', message: 'expected a function' }]);
    }
    this.#callbacks.push(callback);
    return () => {
      const at = this.#callbacks.indexOf(callback);
      if (at >= 0) this.#callbacks.splice(at, 1);
    };
  }

  /** Latency per operation, the validation accuracy rate and the audit log size. */
  telemetry(): MediaTelemetrySnapshot {
    return this.#telemetry.snapshot();
  }

  /** Audit entries, oldest first (copies). */
  auditLog(): MediaAuditEntry[] {
    return this.#telemetry.auditLog();
  }

  /** The audit log as JSON lines. */
  exportAudit(): string {
    return this.#telemetry.exportAudit();
  }

  async #fetch(conversationId: string, options: FetchMediaOptions | undefined, correlationIds: string[] = []) {
    const t = performance.now();
    let ok = false;
    try {
      const o = parseFetchMediaOptions(options);
      const idIssue = checkId('conversationId', conversationId);
      if (idIssue) throw new ValidationError('MediaMetadata.fetchMedia() input', [idIssue]);
      const tr = this.#o.transcoding;
      const plan = {
        withMediaUris: o.withMediaUris ?? false,
        formatId: o.formatId ?? this.#o.formatId,
        mediaFormats: o.mediaFormats,
        initialDelayMs: tr.initialDelayMs,
        maxDelayMs: tr.maxDelayMs,
        factor: tr.factor,
        deadlineMs: o.deadlineMs ?? tr.deadlineMs,
        maxWaitMs: tr.maxWaitMs,
        signal: o.signal,
      };
      const out = await fetchRecordings(this.#client, conversationId, plan, correlationIds);
      ok = true;
      return out;
    } finally {
      this.#telemetry.latency('fetchMedia', performance.now() - t, ok);
    }
  }

  /** After a write: runs the archive callbacks, then leaves the call's 'written' audit entry with their tally. */
  async #archive(op: MediaOperation, event: ArchiveEventName, data: ArchiveEventData): Promise<ArchiveCallbackResult[]> {
    const tc = performance.now();
    const callbacks = await this.#runCallbacks(event, data);
    if (this.#callbacks.length > 0) op.phase('callbacks', tc);
    op.finish('written', { callbacks: tally(callbacks) });
    return callbacks;
  }

  async #runCallbacks(event: ArchiveEventName, data: ArchiveEventData): Promise<ArchiveCallbackResult[]> {
    if (this.#callbacks.length === 0) return [];
    const t = performance.now();
    const results = await runArchiveCallbacks(this.#client, [...this.#callbacks], event, data, this.#o.callbackTimeoutMs);
    this.#telemetry.latency('archiveCallbacks', performance.now() - t, results.every((r) => r.status === 'ok'));
    return results;
  }
}

function checkId(path: string, id: unknown): ValidationIssue | undefined {
  // '.' and '..' survive encodeURIComponent and would be resolved as path segments by the URL parser.
  if (typeof id === 'string' && ID.test(id) && id !== '.' && id !== '..') return undefined;
  return { path, message: `${path} must be a non-empty id without '/', '?', '#' or spaces (and not '.' or '..')`, code: 'invalid_format' };
}

/** Accepted entries that were redacted, and that were truncated. */
function countAltered(prepared: readonly { index: number; redacted: boolean; truncated: boolean }[], failed: Set<number>): { redacted: number; truncated: number } {
  const ok = prepared.filter((p) => !failed.has(p.index));
  return { redacted: ok.filter((p) => p.redacted).length, truncated: ok.filter((p) => p.truncated).length };
}

function tally(results: readonly ArchiveCallbackResult[]): { ok: number; failed: number } {
  const ok = results.filter((r) => r.status === 'ok').length;
  return { ok, failed: results.length - ok };
}


