/**
 * The atomic annotation write: read the conversation's custom-attributes record, merge our keys onto it, and
 * `PUT .../customattributes` with the version we read. The PUT replaces all data, so the merge is what keeps other
 * writers' keys; the version is what makes a concurrent write fail (409) instead of being overwritten blind.
 *
 * Merge rule (docs/media.md): on the record as re-read *now*, every key we set takes our value, every key we remove
 * is deleted, and every other key is kept exactly as read. A key we touch that another writer changed after our first
 * read (added, changed or deleted) is still ours to set or remove, but it is reported (`overwroteConcurrent` + a
 * `warning`), never silent, unless it already holds exactly what we leave there (our own PUT whose answer was lost).
 */
import type { GenesysClient } from '../client';
import { BadRequestError, ConflictError, type ApiError } from '../errors';
import { canonicalEqual } from '../helpers/canonical-json';
import {
  CustomAttributesIdResponse,
  CustomAttributesListing,
  type CustomAttributes,
  type CustomAttributesUpdateRequest,
  type StoredAnnotation,
} from './schemas';
import { collecting, conversationPath } from './util';
import { clockOf } from '../internal/clock';
import { retryOperation, type Backoff } from '../internal/waits';

/**
 * The wait after a 409 before re-reading: `random() * conflictDelayMs * attempt` (full jitter, growing linearly), so
 * two writers that collided do not collide again in lockstep.
 */
export function conflictBackoff(conflictDelayMs: number): Backoff {
  return { initialDelayMs: conflictDelayMs, factor: 1, growth: 'linear', maxDelayMs: Infinity, jitter: { kind: 'full' } };
}

export interface WriteRequest {
  conversationId: string;
  attributesId: string;
  schemaId: string | undefined;
  ours: Record<string, StoredAnnotation>;
  remove: readonly string[];
  maxConflictRetries: number;
  conflictDelayMs: number;
  signal: AbortSignal | undefined;
  /** Called with each request's latency, for telemetry. */
  onLatency: (operation: 'customattributes.get' | 'customattributes.put', ms: number, ok: boolean) => void;
  /** Receives the correlation id of every response (failures included), in order. */
  correlationIds: string[];
  /** Called as each PUT is sent, so a caller knows the attempts even when the write finally fails. */
  onAttempt: (attempt: number) => void;
}

export interface WriteOutcome {
  /** The version the successful PUT was conditioned on; `null` when it created the record. */
  version: number | null;
  removed: string[];
  overwroteConcurrent: string[];
  /** PUTs sent (1 + conflicts retried). */
  attempts: number;
  latencyMs: { read: number; write: number };
}

export interface MergeResult {
  attributes: Record<string, unknown>;
  /** Keys that existed and were deleted. */
  removed: string[];
}

/**
 * The merge rule as a pure function. Built with `Object.fromEntries` (define, not assign) so a key such as
 * `__proto__` (allowed by the seed's key pattern) stays an ordinary key instead of replacing the prototype.
 */
export function mergeAttributes(current: Readonly<Record<string, unknown>>, ours: Readonly<Record<string, unknown>>, remove: readonly string[]): MergeResult {
  const out = new Map<string, unknown>(Object.entries(current));
  const removed: string[] = [];
  for (const k of remove) if (out.delete(k)) removed.push(k);
  for (const [k, v] of Object.entries(ours)) out.set(k, v);
  return { attributes: Object.fromEntries(out), removed: removed.sort() };
}

class PendingCreate {
  constructor(readonly error: ApiError) {}
}

export async function writeAnnotations(client: GenesysClient, req: WriteRequest, warn: (keys: string[]) => void): Promise<WriteOutcome> {
  const path = `${conversationPath(req.conversationId)}/customattributes`;
  const touched = [...Object.keys(req.ours), ...req.remove];
  const signal = req.signal ? { signal: req.signal } : {};
  const correlationIds = req.correlationIds;
  const latencyMs = { read: 0, write: 0 };
  const overwrote = new Set<string>();
  let baseline: Map<string, Slot> | undefined;
  let pending: PendingCreate | undefined;

  return retryOperation(async (attempt): Promise<WriteOutcome> => {
    const record = await timed('customattributes.get', req, latencyMs, 'read', async () => {
      const res = await collecting(correlationIds, () => client.requestWithResponse({ path, schema: CustomAttributesListing, ...signal }));
      return (res.data.results ?? []).find((r) => r.id === req.attributesId);
    });
    // A create that failed with 400 is a lost creation race only if the record exists now; otherwise it was real.
    if (pending && record === undefined) throw pending.error;
    pending = undefined;

    const current = record?.customAttributes ?? {};
    if (baseline === undefined) {
      baseline = new Map(touched.map((k) => [k, slotOf(current, k)]));
    } else {
      const changed = touched.filter((k) => {
        if (overwrote.has(k)) return false;
        const now = slotOf(current, k);
        // Unchanged since our first read, or already holding what this call writes there (our own PUT whose answer
        // was lost, or a writer that wrote the same): nothing of anyone else's is lost.
        return !sameSlot(now, baseline!.get(k)!) && !sameSlot(now, intended(req, k));
      });
      if (changed.length > 0) {
        for (const k of changed) overwrote.add(k);
        warn(changed.sort());
      }
    }

    const merged = mergeAttributes(current, req.ours, req.remove);
    const body = updateRequest(req, record, merged.attributes);
    req.onAttempt(attempt);
    try {
      await timed('customattributes.put', req, latencyMs, 'write', async () => {
        await collecting(correlationIds, () => client.requestWithResponse({ method: 'PUT', path, body, schema: CustomAttributesIdResponse, ...signal }));
      });
      return {
        version: record?.version ?? null,
        removed: merged.removed,
        overwroteConcurrent: [...overwrote].sort(),
        attempts: attempt,
        latencyMs,
      };
    } catch (e) {
      const lostCreate = record === undefined && e instanceof BadRequestError;
      if (lostCreate) pending = new PendingCreate(e);
      throw e;
    }
  }, {
    clock: clockOf(client),
    backoff: conflictBackoff(req.conflictDelayMs),
    retries: req.maxConflictRetries,
    // A 409, or a 400 on a create that may have lost a creation race (checked on the re-read above).
    retryable: (e) => e instanceof ConflictError || (pending !== undefined && e === pending.error),
    signal: req.signal,
    what: `PUT ${path}: the conflict back-off`,
    onRetry: ({ attempt, error }) => {
      const e = error as ApiError;
      client.emit('progress', {
        operation: 'media.annotate',
        phase: 'conflict-retry',
        conversationId: req.conversationId,
        attempt,
        status: e.status,
        correlationId: e.correlationId,
      });
    },
  });
}

/** A key's state in a record: absent, or present with a value (which may itself be `null`). */
type Slot = { present: false } | { present: true; value: unknown };

function slotOf(attrs: Readonly<Record<string, unknown>>, key: string): Slot {
  return Object.hasOwn(attrs, key) ? { present: true, value: attrs[key] } : { present: false };
}

/** What this call leaves at `key`: our value for a key we set, absence for a key we remove. */
function intended(req: WriteRequest, key: string): Slot {
  return Object.hasOwn(req.ours, key) ? { present: true, value: req.ours[key] } : { present: false };
}

/**
 * Presence first, then canonical equality of the values: an absent key and a present one differ without
 * serialising anything (`canonicalJson(undefined)` throws; an added or deleted key made the re-read fail with it).
 */
function sameSlot(a: Slot, b: Slot): boolean {
  if (!a.present || !b.present) return a.present === b.present;
  return canonicalEqual(a.value, b.value);
}

function updateRequest(req: WriteRequest, record: CustomAttributes | undefined, attributes: Record<string, unknown>): CustomAttributesUpdateRequest {
  const body: CustomAttributesUpdateRequest = { id: req.attributesId, customAttributes: attributes };
  if (record?.version !== undefined) body.version = record.version;
  if (record?.divisions !== undefined) body.divisions = record.divisions;
  if (req.schemaId !== undefined) body.schemaId = req.schemaId;
  return body;
}

async function timed<T>(
  op: 'customattributes.get' | 'customattributes.put',
  req: WriteRequest,
  acc: { read: number; write: number },
  slot: 'read' | 'write',
  fn: () => Promise<T>,
): Promise<T> {
  const t = performance.now();
  let ok = false;
  try {
    const out = await fn();
    ok = true;
    return out;
  } finally {
    const ms = performance.now() - t;
    acc[slot] += ms;
    req.onLatency(op, ms, ok);
  }
}
