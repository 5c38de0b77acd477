import { ApiError, GcError, ValidationError } from '../errors';
/**
 * Telemetry of one `MediaMetadata` instance (docs/design-intent.md seed 002 step 4): latency per operation, the validation accuracy rate,
 * and an audit entry per call, exportable as JSON lines. Memory is bounded: a ring of recent latency samples per
 * operation and a capped audit log.
 */

export interface LatencyStats {
  /** Calls since the instance was created. */
  count: number;
  /** Of those, how many failed. */
  errors: number;
  /** Nearest-rank percentiles and max over the most recent `latencySamples` calls. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface ValidationStats {
  /** Annotations checked (each entry of each `annotate` call that reached validation). */
  checked: number;
  /** Of those, how many passed every check that ran (a redacted one passes). */
  accepted: number;
  rejected: number;
  /** Accepted after redacting PII (redact mode). */
  redacted: number;
  /** Accepted after cutting an over-long value (`longValues: 'truncate'`). */
  truncated: number;
  /** `accepted / checked`, 4 decimals; `null` before anything was checked. */
  accuracyRate: number | null;
}

export interface MediaTelemetrySnapshot {
  operations: Record<string, LatencyStats>;
  validation: ValidationStats;
  audit: { entries: number; dropped: number };
}

export type AuditStatus = 'written' | 'rejected' | 'failed';

/** One line of the audit log. Holds no annotation text, no token and no secret: only ids, a hash and numbers. */
export interface MediaAuditEntry {
  /** ISO-8601 UTC time the call started. */
  time: string;
  operation: 'annotate' | 'addRecordingAnnotation';
  conversationId: string;
  recordingId?: string;
  status: AuditStatus;
  /**
   * sha256 (hex) of the canonical JSON of the payload written (or about to be written when the write failed);
   * `null` when the call was rejected before a payload existed (hashing rejected input could fingerprint its PII).
   */
  payloadSha256: string | null;
  /** Annotations in the call. */
  annotations: number;
  /** Write attempts (PUT/POST) sent. */
  attempts: number;
  /** `total` plus each phase that ran (`validate`, `media`, `read`, `write`, `callbacks`). */
  latencyMs: Record<string, number>;
  /**
   * The instance's validation accuracy rate when the entry was written (docs/design-intent.md seed 002's `accuracyRate`): annotations
   * accepted / checked over the instance's lifetime, 4 decimals; `null` before any annotation was checked.
   */
  accuracyRate: number | null;
  /** Annotations checked over the instance's lifetime when the entry was written (docs/design-intent.md seed 002's `totalValidations`). */
  totalValidations: number;
  /** The `governanceTag` option (docs/design-intent.md seed 002: `media_metadata_parsing_v1`). */
  governanceTag: string;
  /** `ININ-Correlation-Id` of every platform response of the call, in order. */
  correlationIds: string[];
  /** Name, HTTP status and platform code of the failure; never its message (a platform message may echo input). */
  error?: { name: string; status?: number; code?: string };
  callbacks?: { ok: number; failed: number };
}

class Ring {
  private readonly buf: number[] = [];
  private at = 0;
  count = 0;
  errors = 0;
  constructor(private readonly size: number) {}

  add(ms: number, ok: boolean): void {
    this.count++;
    if (!ok) this.errors++;
    if (this.buf.length < this.size) this.buf.push(ms);
    else this.buf[this.at] = ms;
    this.at = (this.at + 1) % this.size;
  }

  stats(): LatencyStats {
    const sorted = [...this.buf].sort((a, b) => a - b);
    return { count: this.count, errors: this.errors, p50Ms: rank(sorted, 0.5), p95Ms: rank(sorted, 0.95), maxMs: sorted[sorted.length - 1] ?? 0 };
  }
}

/** Nearest-rank percentile: the smallest sample with at least p of the samples at or below it. */
function rank(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

export class MediaTelemetry {
  private readonly rings = new Map<string, Ring>();
  private readonly validation = { checked: 0, accepted: 0, redacted: 0, truncated: 0 };
  private readonly entries: MediaAuditEntry[] = [];
  private dropped = 0;

  constructor(private readonly limits: { latencySamples: number; auditLimit: number; governanceTag: string }) {}

  latency(operation: string, ms: number, ok: boolean): void {
    let r = this.rings.get(operation);
    if (!r) this.rings.set(operation, (r = new Ring(this.limits.latencySamples)));
    r.add(round(ms), ok);
  }

  validated(counts: { checked: number; accepted: number; redacted: number; truncated: number }): void {
    this.validation.checked += counts.checked;
    this.validation.accepted += counts.accepted;
    this.validation.redacted += counts.redacted;
    this.validation.truncated += counts.truncated;
  }

  /** Adds the entry, with the accuracy figures as they stand now and the governance tag. */
  audit(entry: Omit<MediaAuditEntry, 'accuracyRate' | 'totalValidations' | 'governanceTag'>): void {
    const { correlationIds, error, callbacks, ...head } = entry;
    const e: MediaAuditEntry = {
      ...head,
      latencyMs: Object.fromEntries(Object.entries(entry.latencyMs).map(([k, v]) => [k, round(v)])),
      accuracyRate: this.accuracyRate(),
      totalValidations: this.validation.checked,
      governanceTag: this.limits.governanceTag,
      correlationIds,
      ...(error !== undefined ? { error } : {}),
      ...(callbacks !== undefined ? { callbacks } : {}),
    };
    this.entries.push(e);
    if (this.entries.length > this.limits.auditLimit) {
      this.entries.shift();
      this.dropped++;
    }
  }

  snapshot(): MediaTelemetrySnapshot {
    const operations: Record<string, LatencyStats> = {};
    for (const [k, r] of [...this.rings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) operations[k] = r.stats();
    const v = this.validation;
    return {
      operations,
      validation: {
        checked: v.checked,
        accepted: v.accepted,
        rejected: v.checked - v.accepted,
        redacted: v.redacted,
        truncated: v.truncated,
        accuracyRate: this.accuracyRate(),
      },
      audit: { entries: this.entries.length, dropped: this.dropped },
    };
  }

  private accuracyRate(): number | null {
    const v = this.validation;
    return v.checked === 0 ? null : Math.round((v.accepted / v.checked) * 10_000) / 10_000;
  }

  auditLog(): MediaAuditEntry[] {
    return this.entries.map((e) => structuredClone(e));
  }

  /** One JSON object per line, oldest first, each line ending in `\n` (empty string when there is nothing). */
  exportAudit(): string {
    return this.entries.map((e) => `${JSON.stringify(e)}\n`).join('');
  }
}

/**
 * One write call's bookkeeping (annotate, addRecordingAnnotation): each phase's latency, the correlation ids and
 * write attempts seen, the payload hash once there is one, and the single audit entry the call leaves, whether it
 * wrote, was rejected or failed.
 */
export class MediaOperation {
  readonly latencyMs: Record<string, number> = {};
  readonly correlationIds: string[] = [];
  attempts = 0;
  payloadSha256: string | null = null;
  readonly #time = new Date().toISOString();
  readonly #t0 = performance.now();

  constructor(
    private readonly telemetry: MediaTelemetry,
    private readonly subject: { operation: MediaAuditEntry['operation']; conversationId: string; recordingId?: string; annotations: number },
  ) {}

  /** Records the time since `since` (a `performance.now()` reading) as phase `name`; returns it. */
  phase(name: string, since: number): number {
    const ms = performance.now() - since;
    this.latencyMs[name] = ms;
    return ms;
  }

  /** Runs the call; a throw leaves a 'rejected' (ValidationError) or 'failed' audit entry and is rethrown. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (e) {
      this.finish(e instanceof ValidationError ? 'rejected' : 'failed', { error: errorSummary(e) });
      throw e;
    }
  }

  /** The call's total latency and its audit entry. */
  finish(status: AuditStatus, extra: Pick<MediaAuditEntry, 'error' | 'callbacks'> = {}): void {
    this.latencyMs.total = performance.now() - this.#t0;
    this.telemetry.latency(this.subject.operation, this.latencyMs.total, status === 'written');
    const { operation, conversationId, recordingId, annotations } = this.subject;
    this.telemetry.audit({
      time: this.#time,
      operation,
      conversationId,
      ...(recordingId !== undefined ? { recordingId } : {}),
      status,
      payloadSha256: this.payloadSha256,
      annotations,
      attempts: this.attempts,
      latencyMs: this.latencyMs,
      correlationIds: this.correlationIds,
      ...extra,
    });
  }

  /** Phase latencies rounded to 0.01 ms, for the call's result. */
  rounded(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.latencyMs).map(([k, v]) => [k, round(v)]));
  }
}

/** Name, HTTP status and platform code of a failure; never its message (a platform message may echo input). */
function errorSummary(e: unknown): { name: string; status?: number; code?: string } {
  if (e instanceof ApiError) return { name: e.name, status: e.status, ...(e.code ? { code: e.code } : {}) };
  if (e instanceof GcError) return { name: e.name };
  return { name: e instanceof Error ? e.name : 'Error' };
}
