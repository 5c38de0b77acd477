/**
 * LegalHold (issue 21, seed 000): preserve and export everything about a set of conversations into one folder with
 * a verifiable manifest. See docs/legal-hold.md.
 *
 * Folder layout (every file below is in manifest.jsonl; `.state/` is the resume state and is not):
 *
 *   hold.json                       what the hold is (selection and options): a folder holds one hold
 *   conversations.json              the selected conversation ids, sorted
 *   conversations/<cid>.json        conversation detail documents (details query / analytics conversation details)
 *   evaluations/<eid>.json          each evaluation as the Quality API returned it (every status, calibrations too)
 *   evaluations.ndjson              the same evaluations as typed scorecard rows (flattenScorecard), by evaluation id
 *   recordings/<cid>/metadata.json  GET .../recordingmetadata, the bytes as received
 *   recordings/<cid>/<rid>.<ext>    the recordings, from batch download jobs (original codec)
 *   missing-recordings.json         every recording the platform did not hand over, with its errorMsg
 *   manifest.jsonl / manifest.sha256 / manifest.hmac
 */
import { decode, parseJson } from '../transport/decode';
import type { GenesysClient } from '../client';
import type { DetailsQuery } from '../analytics/details-query';
import { DETAILS_QUERY_PATH, DETAILS_QUERY_MAX_PAGE_SIZE } from '../analytics/details-query';
import { pollDelayMs } from '../analytics/report-job';
import { ConversationQueryResponse, type AnalyticsConversation } from '../analytics/schemas';
import { ApiError, NotFoundError, TimeoutError, ValidationError, throwIfCallerAborted, validationErrorFromZod } from '../errors';
import type { ResponseEvent } from '../events';
import { isFilterBuilder, type FilterNode } from '../filters/builder';
import { compileFilter, type CompiledFilter } from '../filters/compile';
import { applyResidual } from '../filters/evaluate';
import { formatInterval, parseInterval } from '../helpers/intervals';
import { flattenScorecard } from '../quality/scorecard';
import { canonicalJson } from '../helpers/canonical-json';
import { apiPath } from '../internal/api-path';
import { mapConcurrent } from '../internal/map-concurrent';
import { fsPromises, nodeCrypto } from '../internal/node-builtins';
import { QualityExporter } from '../quality/exporter';
import { EVALUATION_STATUSES } from '../quality/schemas';
import { writeAtomic } from '../sinks/checkpoint';
import { Downloader, DownloadError, linkAbort, type DownloadProgress } from '../transport/download';
import { paginateByPageNumber } from '../transport/paginate';
import { abortableSleep } from '../transport/sleep';
import { byPath, join, listFiles, manifestLine, STATE_DIR, writeManifest, type ManifestEntry } from './manifest';
import {
  BatchJobStatus,
  BatchSubmissionResult,
  DeleteProtectionResult,
  EntityRefList,
  ExportHoldOptionsSchema,
  LegalHoldOptionsSchema,
  RecordingMetadataList,
  type ExportHoldOptions,
  type HoldProgress,
  type LegalHoldOptions,
} from './schemas';

const PROTECTION_PATH = '/api/v2/recordings/deletionprotection';
const BATCH_PATH = '/api/v2/recording/batchrequests';
const WHERE = 'LegalHold options';
/** Conversation ids per evaluation discovery pass of an id selection (a `conversationId in [...]` filter). */
const IDS_PER_EVALUATION_PASS = 50;
const DONE_STATUSES = /^(completed?|done|succeeded|success|finished|fulfilled|failed|error|cancell?ed)$/i;

export interface NotProtected {
  conversationId: string;
  /** The platform's failedUpdates message, or why the hold thinks it is not protected. */
  errorMessage: string;
  errorCode: string | undefined;
}

export interface ProtectionReport {
  requested: number;
  /** Confirmed protected by `POST /api/v2/recordings/deletionprotection`. */
  protected: number;
  /** Not confirmed: reported by the PUT's failedUpdates, or missing from the confirming POST. */
  notProtected: NotProtected[];
  confirmed: boolean;
  correlationIds: string[];
}

export interface ReleaseReport {
  requested: number;
  released: number;
  /** Still listed as protected after the release. */
  stillProtected: string[];
  correlationIds: string[];
}

export interface MissingRecording {
  conversationId: string;
  recordingId: string;
  /** The platform's errorMsg, or (reason `not-returned`) why the hold counts it as missing. */
  errorMsg: string;
  reason: 'platform-error' | 'not-returned';
  jobId: string;
  expectedResultCount: number | undefined;
  resultCount: number | undefined;
}

export interface HoldSummary {
  folder: string;
  selection: 'interval' | 'conversationIds';
  conversations: number;
  /** Listed ids the platform does not know (404): reported, not exported. */
  unknownConversations: string[];
  evaluations: number;
  recordings: { expected: number; received: number; missing: number; bytes: number };
  missingRecordings: MissingRecording[];
  protection: ProtectionReport | undefined;
  files: number;
  manifestSha256: string;
  signed: boolean;
  /** A previous run's state was found and continued. */
  resumed: boolean;
  /** Requests this run sent to the API and files it downloaded. */
  requests: number;
  downloads: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

type Plan =
  | { mode: 'interval'; interval: string; filters: FilterNode | undefined; compiled: CompiledFilter | undefined }
  | { mode: 'ids'; ids: string[] };

interface RecordingRef {
  conversationId: string;
  recordingId: string;
}

interface Selected {
  ids: string[];
  unknown: string[];
  /** conversationStart (epoch ms) per id, for evaluation discovery of an id selection. */
  starts: Map<string, number>;
}

/**
 * Preserve and export a set of conversations for a legal hold.
 *
 * ```ts
 * const hold = new LegalHold(client, { interval: '2026-11-01/2026-12-01' });
 * const protection = await hold.protect();            // deletion protection, confirmed
 * const summary = await hold.export({ out: 'holds/case-4711', key: process.env.HOLD_KEY });
 * const report = await verifyHold('holds/case-4711', { key: process.env.HOLD_KEY });
 * ```
 */
export class LegalHold {
  readonly options: Readonly<LegalHoldOptions>;
  readonly #client: GenesysClient;
  readonly #plan: Plan;
  readonly #definition: Record<string, unknown>;

  constructor(client: GenesysClient, options: LegalHoldOptions) {
    this.#client = client;
    if (typeof options !== 'object' || options === null) {
      throw new ValidationError(WHERE, [{ path: '', message: 'new LegalHold(client, options) needs an options object, e.g. { interval: "2026-11-01/2026-12-01" }' }]);
    }
    const parsed = LegalHoldOptionsSchema.safeParse(options);
    if (!parsed.success) throw validationErrorFromZod(WHERE, parsed.error);
    const o = parsed.data as LegalHoldOptions;
    if (o.download !== undefined) {
      // Checked here (before any request) by the downloader's own schema.
      try {
        new Downloader(o.download);
      } catch (e) {
        if (e instanceof ValidationError) throw new ValidationError(WHERE, e.issues.map((i) => ({ ...i, path: `download.${i.path}` })));
        throw e;
      }
    }
    this.options = Object.freeze({ ...o });
    if (o.interval !== undefined) {
      let interval: string;
      try {
        const p = parseInterval(o.interval, 'interval');
        interval = formatInterval(p.startMs, p.endMs);
      } catch (e) {
        if (e instanceof ValidationError) throw new ValidationError(WHERE, e.issues.map((i) => ({ ...i, path: i.path.startsWith('interval') ? i.path : `interval${i.path ? `.${i.path}` : ''}` })));
        throw e;
      }
      const filters = o.filters === undefined ? undefined : isFilterBuilder(o.filters) ? o.filters.build() : (o.filters as FilterNode);
      let compiled: CompiledFilter | undefined;
      if (filters !== undefined) {
        try {
          compiled = compileFilter(filters);
        } catch (e) {
          if (e instanceof ValidationError) throw new ValidationError(WHERE, e.issues.map((i) => ({ ...i, path: i.path ? `filters.${i.path}` : 'filters' })));
          throw e;
        }
      }
      this.#plan = { mode: 'interval', interval, filters, compiled };
    } else {
      const seen = new Map<string, string>();
      for (const id of o.conversationIds ?? []) if (!seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id.toLowerCase());
      this.#plan = { mode: 'ids', ids: [...seen.values()].sort() };
    }
    this.#definition = {
      kind: 'gc-data.legal-hold',
      version: 1,
      selection:
        this.#plan.mode === 'interval'
          ? { interval: this.#plan.interval, filters: this.#plan.filters ?? null }
          : { conversationIds: this.#plan.ids },
      evaluations: o.evaluations ?? true,
      recordings: o.recordings ?? true,
    };
  }

  /** The selected conversation ids (sorted, lower case). Runs the details query for an interval selection. */
  async conversationIds(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return (await this.#select(undefined, options.signal)).ids;
  }

  /**
   * Protects the recordings of every selected conversation from deletion (`PUT .../deletionprotection?protect=true`
   * in batches), then confirms with `POST .../deletionprotection`, which lists the protected ones. Conversations the
   * PUT reported as failed, or that the POST does not list, are in `notProtected`. Protecting twice is harmless.
   */
  async protect(options: { signal?: AbortSignal; conversationIds?: string[] } = {}): Promise<ProtectionReport> {
    const ids = options.conversationIds ?? (await this.conversationIds(options));
    return this.#setProtection(ids, true, options.signal) as Promise<ProtectionReport>;
  }

  /** Lifts the protection when the hold ends (`protect=false`), then checks that none is still listed as protected. */
  async release(options: { signal?: AbortSignal; conversationIds?: string[] } = {}): Promise<ReleaseReport> {
    const ids = options.conversationIds ?? (await this.conversationIds(options));
    return this.#setProtection(ids, false, options.signal) as Promise<ReleaseReport>;
  }

  async #setProtection(ids: string[], on: boolean, signal: AbortSignal | undefined): Promise<ProtectionReport | ReleaseReport> {
    const size = this.options.protectionBatchSize ?? 100;
    const correlationIds: string[] = [];
    const failed = new Map<string, NotProtected>();
    const listed = new Set<string>();
    const sig = signal ? { signal } : {};
    for (let i = 0; i < ids.length; i += size) {
      const batch = ids.slice(i, i + size);
      const put = await this.#client.requestWithResponse({
        method: 'PUT',
        path: PROTECTION_PATH,
        query: { protect: on },
        body: { conversationIds: batch },
        schema: DeleteProtectionResult,
        ...sig,
      });
      if (put.correlationId) correlationIds.push(put.correlationId);
      for (const f of put.data.failedUpdates ?? []) {
        const id = f.conversation?.id?.toLowerCase();
        if (id) failed.set(id, { conversationId: id, errorMessage: f.errorMessage ?? 'reported in failedUpdates without a message', errorCode: f.errorCode });
      }
      // The POST only reads; repeating it is safe.
      const list = await this.#client.requestWithResponse({ method: 'POST', path: PROTECTION_PATH, body: { conversationIds: batch }, schema: EntityRefList, idempotent: true, ...sig });
      if (list.correlationId) correlationIds.push(list.correlationId);
      for (const r of list.data) if (r.id) listed.add(r.id.toLowerCase());
    }
    if (!on) {
      const stillProtected = ids.filter((id) => listed.has(id.toLowerCase()));
      return { requested: ids.length, released: ids.length - stillProtected.length, stillProtected, correlationIds };
    }
    const notProtected: NotProtected[] = [];
    for (const id of ids) {
      const key = id.toLowerCase();
      if (listed.has(key)) continue;
      notProtected.push(failed.get(key) ?? { conversationId: key, errorMessage: 'not listed as protected by POST /api/v2/recordings/deletionprotection after the PUT', errorCode: undefined });
    }
    if (notProtected.length) {
      this.#client.emit('warning', {
        code: 'legal-hold-not-protected',
        message: `${notProtected.length} of ${ids.length} conversation(s) are not protected from deletion (first: ${notProtected[0]!.conversationId}: ${notProtected[0]!.errorMessage.slice(0, 100)})`,
        details: { notProtected: notProtected.slice(0, 20) },
      });
    }
    return { requested: ids.length, protected: ids.length - notProtected.length, notProtected, confirmed: notProtected.length === 0, correlationIds };
  }

  /**
   * Exports the hold into `out` (see the folder layout above) and writes the manifest. Killed and started again with
   * the same folder, it continues where it stopped: files already recorded are not fetched again, a partial
   * recording download resumes with a Range request, and the manifest ends up with the same lines as an
   * uninterrupted run, apart from the retrieval times and correlation ids of what this run fetched.
   */
  async export(options: ExportHoldOptions): Promise<HoldSummary> {
    const parsed = ExportHoldOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw validationErrorFromZod('LegalHold.export() options', parsed.error);
    const o = parsed.data as ExportHoldOptions;
    const started = Date.now();
    const requestsBefore = this.#client.stats().requests;
    const folder = o.out.replace(/[\\/]+$/, '') || o.out;
    const signal = o.signal;
    const store = await HoldStore.open(folder, this.#definition);
    const progress: HoldProgress = { operation: 'legal-hold.export', phase: 'select', conversations: 0, evaluations: 0, recordingsExpected: 0, recordingsReceived: 0, recordingsMissing: 0, bytes: 0 };
    const report = (phase: HoldProgress['phase']) => {
      progress.phase = phase;
      o.onProgress?.({ ...progress });
      this.#client.emit('progress', { ...progress });
    };
    const downloader = new Downloader(this.options.download ?? {});

    // 1. Selection (and the conversation detail documents).
    report('select');
    let selected = await store.readState<Selected & { starts: Record<string, number> }>('selection.json').then((s) =>
      s ? { ids: s.ids, unknown: s.unknown, starts: new Map(Object.entries(s.starts)) } : undefined,
    );
    if (!selected) {
      selected = await this.#select(async (doc, correlationId) => {
        const id = doc.conversationId.toLowerCase();
        const path = `conversations/${fileSafe(id)}.json`;
        if (!store.has(path)) await store.writeJson(path, doc, { conversationId: id }, correlationId);
        progress.conversations++;
      }, signal);
      await store.writeJson('conversations.json', selected.ids, {}, null);
      await store.writeState('selection.json', { ids: selected.ids, unknown: selected.unknown, starts: Object.fromEntries(selected.starts) });
    }
    progress.conversations = selected.ids.length;
    report('select');

    // 2. Protection, when asked (idempotent: a resumed run protects and confirms again).
    let protection: ProtectionReport | undefined;
    if (o.protect) {
      report('protect');
      protection = await this.protect({ conversationIds: selected.ids, ...(signal ? { signal } : {}) });
      await store.writeState('protection.json', protection);
    }

    // 3. Evaluations: every status, calibrations included, through QualityExporter; raw JSON, then rows.
    if (this.options.evaluations !== false && !(await store.hasState('evaluations.done'))) {
      report('evaluations');
      await this.#exportEvaluations(store, selected, signal, () => {
        progress.evaluations++;
        if (progress.evaluations % 50 === 0) report('evaluations');
      });
      await store.writeState('evaluations.done', true);
    }
    progress.evaluations = store.count('evaluations/');

    // 4. Recording metadata, then 5. the recordings.
    let missing: MissingRecording[] = [];
    if (this.options.recordings !== false) {
      report('metadata');
      const refs = await this.#recordingMetadata(store, selected.ids, signal);
      progress.recordingsExpected = refs.length;
      missing = await store.missing();
      const missingKeys = new Set(missing.map((m) => recKey(m)));
      const doneKeys = store.recordingKeys();
      progress.recordingsReceived = refs.filter((r) => doneKeys.has(recKey(r))).length;
      progress.recordingsMissing = missing.length;
      report('recordings');
      const pending = refs.filter((r) => !doneKeys.has(recKey(r)) && !missingKeys.has(recKey(r)));
      await this.#downloadRecordings(store, pending, downloader, signal, progress, () => report('recordings'), o.onDownloadProgress);
      missing = (await store.missing()).sort((a, b) => (recKey(a) < recKey(b) ? -1 : recKey(a) > recKey(b) ? 1 : 0));
      await store.writeJson('missing-recordings.json', missing.map(({ conversationId, recordingId, errorMsg, reason }) => ({ conversationId, recordingId, errorMsg, reason })), {}, null);
    }

    // 6. Manifest, after removing what killed runs left behind: temp files of atomic writes, and partial downloads
    //    of recordings that ended up missing. Any other file not written by the hold stays (verifyHold reports it).
    report('manifest');
    throwIfCallerAborted(signal, 'LegalHold.export()');
    for (const path of await listFiles(folder)) {
      if (store.has(path)) continue;
      if (path.endsWith('.part') || /\.\d+\.[0-9a-f]{8}\.tmp$/.test(path)) await fsPromises().rm(join(folder, path), { force: true });
    }
    const written = await writeManifest(folder, store.entries(), o.key);
    report('done');
    const finished = Date.now();
    const recordingBytes = store.recordingBytes();
    return {
      folder,
      selection: this.#plan.mode === 'interval' ? 'interval' : 'conversationIds',
      conversations: selected.ids.length,
      unknownConversations: selected.unknown,
      evaluations: store.count('evaluations/'),
      recordings: { expected: progress.recordingsExpected, received: store.recordingKeys().size, missing: missing.length, bytes: recordingBytes },
      missingRecordings: missing,
      protection,
      files: written.files,
      manifestSha256: written.sha256,
      signed: written.hmac !== undefined,
      resumed: store.resumed,
      requests: this.#client.stats().requests - requestsBefore,
      downloads: downloader.stats().files,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
    };
  }

  /** Selection: the details query over the interval (filters compiled, residual applied), or each listed id. */
  async #select(onConversation: ((doc: AnalyticsConversation, correlationId: string | null) => Promise<void>) | undefined, signal: AbortSignal | undefined): Promise<Selected> {
    const plan = this.#plan;
    const starts = new Map<string, number>();
    if (plan.mode === 'ids') {
      const unknown: string[] = [];
      const found: string[] = [];
      const concurrency = this.options.concurrency ?? 4;
      const docs = mapConcurrent(
        iterate(plan.ids),
        async (id) => {
          try {
            const res = await this.#client.requestWithResponse<unknown>({ path: apiPath`/api/v2/analytics/conversations/${id}/details`, ...(signal ? { signal } : {}) });
            return { id, doc: res.data as AnalyticsConversation, correlationId: res.correlationId ?? null };
          } catch (e) {
            if (e instanceof NotFoundError) return { id, doc: undefined, correlationId: null };
            throw e;
          }
        },
        concurrency,
      );
      for await (const { id, doc, correlationId } of docs) {
        if (!doc || typeof doc.conversationId !== 'string') {
          unknown.push(id);
          continue;
        }
        found.push(id);
        const start = Date.parse(String(doc.conversationStart ?? ''));
        if (Number.isFinite(start)) starts.set(id, start);
        await onConversation?.({ ...doc, conversationId: doc.conversationId }, correlationId);
      }
      if (unknown.length) {
        this.#client.emit('warning', { code: 'legal-hold-unknown-conversation', message: `${unknown.length} listed conversation(s) were not found (404), first ${unknown[0]}`, details: { unknown: unknown.slice(0, 20) } });
      }
      return { ids: found.sort(), unknown, starts };
    }
    const c = plan.compiled;
    const query: DetailsQuery = {
      interval: plan.interval,
      order: 'asc',
      orderBy: 'conversationStart',
      ...(c?.segmentFilters?.length ? { segmentFilters: c.segmentFilters } : {}),
      ...(c?.conversationFilters?.length ? { conversationFilters: c.conversationFilters } : {}),
      ...(c?.evaluationFilters?.length ? { evaluationFilters: c.evaluationFilters } : {}),
      ...(c?.surveyFilters?.length ? { surveyFilters: c.surveyFilters } : {}),
    };
    const pageSize = DETAILS_QUERY_MAX_PAGE_SIZE;
    const correlation = new Map<number, string | null>();
    const pages = paginateByPageNumber<AnalyticsConversation>(
      async (pageNumber) => {
        const res = await this.#client.requestWithResponse({
          method: 'POST',
          path: DETAILS_QUERY_PATH,
          body: { ...query, paging: { pageSize, pageNumber } },
          schema: ConversationQueryResponse,
          idempotent: true,
          ...(signal ? { signal } : {}),
        });
        correlation.set(pageNumber, res.correlationId ?? null);
        return { items: res.data.conversations as AnalyticsConversation[] | undefined, total: res.data.totalHits };
      },
      { what: `legal hold details query for ${plan.interval}`, pageSize, retryDelayMs: Math.max(this.#client.options.retry.baseDelayMs, 1), ...(signal ? { signal } : {}) },
    );
    const ids = new Set<string>();
    for await (const page of pages) {
      for (const conv of page.items) {
        if (c?.residual && !applyResidual(c.residual, conv)) continue;
        const id = conv.conversationId.toLowerCase();
        if (ids.has(id)) continue;
        ids.add(id);
        const start = Date.parse(String(conv.conversationStart ?? ''));
        if (Number.isFinite(start)) starts.set(id, start);
        await onConversation?.(conv, correlation.get(page.pageNumber ?? 0) ?? null);
      }
    }
    return { ids: [...ids].sort(), unknown: [], starts };
  }

  async #exportEvaluations(store: HoldStore, selected: Selected, signal: AbortSignal | undefined, onOne: () => void): Promise<void> {
    const exporter = new QualityExporter(this.#client, {
      calibrations: 'include',
      evaluationStatus: [...EVALUATION_STATUSES],
      concurrency: this.options.concurrency ?? 4,
    });
    // Correlation ids of the evaluation GETs, by evaluation id (the exporter hands out the bodies only).
    const correlation = new Map<string, string>();
    const listener = (e: ResponseEvent) => {
      const m = /\/api\/v2\/quality\/conversations\/[^/]+\/evaluations\/([^/?]+)$/.exec(e.path);
      if (m && e.status === 200 && e.correlationId) correlation.set(decodeURIComponent(m[1]!).toLowerCase(), e.correlationId);
    };
    const wanted = new Set(selected.ids);
    const requests: Array<{ interval: string; filters?: FilterNode }> = [];
    const plan = this.#plan;
    if (plan.mode === 'interval') requests.push({ interval: plan.interval, ...(plan.filters ? { filters: plan.filters } : {}) });
    else {
      const byStart = selected.ids.filter((id) => selected.starts.has(id)).sort((a, b) => selected.starts.get(a)! - selected.starts.get(b)!);
      for (let i = 0; i < byStart.length; i += IDS_PER_EVALUATION_PASS) {
        const chunk = byStart.slice(i, i + IDS_PER_EVALUATION_PASS);
        const first = selected.starts.get(chunk[0]!)!;
        const last = selected.starts.get(chunk[chunk.length - 1]!)!;
        requests.push({ interval: formatInterval(first, last + 1), filters: { field: 'conversationId', op: 'in', value: chunk } });
      }
    }
    this.#client.on('response', listener);
    try {
      for (const req of requests) {
        for await (const evaluation of exporter.evaluations({ ...req, ...(signal ? { signal } : {}) })) {
          const cid = evaluation.conversation?.id?.toLowerCase();
          if (cid !== undefined && !wanted.has(cid)) continue;
          const eid = evaluation.id.toLowerCase();
          const path = `evaluations/${fileSafe(eid)}.json`;
          if (!store.has(path)) {
            await store.writeJson(path, evaluation, { evaluationId: eid, ...(cid ? { conversationId: cid } : {}) }, correlation.get(eid) ?? null);
          }
          correlation.delete(eid);
          onOne();
        }
      }
    } finally {
      this.#client.off('response', listener);
    }
    // Typed rows, built from the raw files in evaluation id order: the same bytes on every run.
    const fs = fsPromises();
    const lines: string[] = [];
    for (const path of store.paths('evaluations/')) {
      const evaluation = JSON.parse(await fs.readFile(join(store.folder, path), 'utf8')) as Parameters<typeof flattenScorecard>[0];
      lines.push(`${JSON.stringify(flattenScorecard(evaluation))}\n`);
    }
    await store.writeText('evaluations.ndjson', lines.join(''), {}, null);
  }

  /** recordings/<cid>/metadata.json for every conversation (the bytes received), and the recordings they list. */
  async #recordingMetadata(store: HoldStore, ids: string[], signal: AbortSignal | undefined): Promise<RecordingRef[]> {
    const fs = fsPromises();
    const concurrency = this.options.concurrency ?? 4;
    const results = mapConcurrent(
      iterate(ids),
      async (cid): Promise<RecordingRef[]> => {
        const path = `recordings/${fileSafe(cid)}/metadata.json`;
        let bytes: Buffer;
        if (store.has(path)) bytes = await fs.readFile(join(store.folder, path));
        else {
          const apiPathOf = apiPath`/api/v2/conversations/${cid}/recordingmetadata`;
          let res;
          try {
            res = await this.#client.requestBytes({ path: apiPathOf, ...(signal ? { signal } : {}) });
          } catch (e) {
            // A conversation without recordings (or gone) has no metadata: recorded as an empty list, with the reason.
            if (e instanceof NotFoundError) {
              await store.writeJson(path, [], { conversationId: cid }, e.correlationId ?? null);
              return [];
            }
            throw e;
          }
          bytes = res.data;
          parseMetadata(bytes, apiPathOf, res.status, res.correlationId);
          await store.writeBytes(path, bytes, { conversationId: cid }, res.correlationId ?? null);
        }
        return parseMetadata(bytes, path, 200, undefined).map((r) => ({ conversationId: cid, recordingId: r.id.toLowerCase() }));
      },
      concurrency,
    );
    const refs: RecordingRef[] = [];
    for await (const list of results) refs.push(...list);
    return refs;
  }

  async #downloadRecordings(
    store: HoldStore,
    pending: RecordingRef[],
    downloader: Downloader,
    signal: AbortSignal | undefined,
    progress: HoldProgress,
    report: () => void,
    onDownloadProgress: ((p: DownloadProgress) => void) | undefined,
  ): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    const refreshes = new Map<string, number>();
    const maxRefreshes = this.options.maxUrlRefreshes ?? 2;
    let queue = pending;
    while (queue.length > 0) {
      const retry: RecordingRef[] = [];
      for (let i = 0; i < queue.length; i += batchSize) {
        throwIfCallerAborted(signal, 'LegalHold.export()');
        const batch = queue.slice(i, i + batchSize);
        const failed = await this.#runBatch(store, batch, downloader, signal, progress, report, onDownloadProgress);
        for (const f of failed) {
          const key = recKey(f.ref);
          const n = (refreshes.get(key) ?? 0) + 1;
          refreshes.set(key, n);
          if (n > maxRefreshes) throw f.error;
          this.#client.emit('warning', {
            code: 'legal-hold-url-refresh',
            message: `recording ${f.ref.recordingId} of conversation ${f.ref.conversationId}: its download URL was refused (${f.error.status}); requesting a fresh one (${n} of ${maxRefreshes})`,
            details: { ...f.ref, status: f.error.status },
          });
          retry.push(f.ref);
        }
      }
      queue = retry;
    }
  }

  /** One batch job: submit, poll (downloading results as they appear), record missing ones. Returns URL refusals. */
  async #runBatch(
    store: HoldStore,
    batch: RecordingRef[],
    downloader: Downloader,
    signal: AbortSignal | undefined,
    progress: HoldProgress,
    report: () => void,
    onDownloadProgress: ((p: DownloadProgress) => void) | undefined,
  ): Promise<Array<{ ref: RecordingRef; error: DownloadError }>> {
    const sig = signal ? { signal } : {};
    // The first failure stops the batch's other downloads (their partial files stay for the next run).
    const stopBatch = new AbortController();
    // Every queued download of the batch listens to it: up to batchSize listeners, by design.
    process.getBuiltinModule('node:events').setMaxListeners(0, stopBatch.signal);
    const unlink = linkAbort(stopBatch, signal);
    const downloadSignal = stopBatch.signal;
    try {
      return await this.#runBatchLinked(store, batch, downloader, signal, downloadSignal, stopBatch, progress, report, onDownloadProgress);
    } finally {
      unlink();
    }
  }

  async #runBatchLinked(
    store: HoldStore,
    batch: RecordingRef[],
    downloader: Downloader,
    signal: AbortSignal | undefined,
    downloadSignal: AbortSignal,
    stopBatch: AbortController,
    progress: HoldProgress,
    report: () => void,
    onDownloadProgress: ((p: DownloadProgress) => void) | undefined,
  ): Promise<Array<{ ref: RecordingRef; error: DownloadError }>> {
    const sig = signal ? { signal } : {};
    const submitted = await this.#client.requestWithResponse({
      method: 'POST',
      path: BATCH_PATH,
      body: { batchDownloadRequestList: batch.map((r) => ({ conversationId: r.conversationId, recordingId: r.recordingId })) },
      schema: BatchSubmissionResult,
      ...sig,
    });
    const jobId = submitted.data.id;
    const jobPath = apiPath`/api/v2/recording/batchrequests/${jobId}`;
    const wanted = new Map(batch.map((r) => [recKey(r), r]));
    const handled = new Set<string>();
    const downloads: Array<Promise<void>> = [];
    const refused: Array<{ ref: RecordingRef; error: DownloadError }> = [];
    let firstError: unknown;
    const poll = {
      initialDelayMs: this.options.poll?.initialDelayMs ?? 2_000,
      maxDelayMs: this.options.poll?.maxDelayMs ?? 30_000,
      factor: this.options.poll?.factor ?? 1.5,
      jitterMs: this.options.poll?.jitterMs ?? 500,
    };
    const maxWaitMs = this.options.poll?.maxWaitMs ?? 30 * 60_000;
    const started = Date.now();
    let status: BatchJobStatus | undefined;
    try {
      for (let n = 0; ; n++) {
        await pauseFor(pollDelayMs(n, poll), signal);
        const res = await this.#client.requestWithResponse({ path: jobPath, schema: BatchJobStatus, ...sig });
        status = res.data;
        const correlationId = res.correlationId ?? null;
        for (const result of status.results ?? []) {
          if (!result.conversationId || !result.recordingId) continue;
          const key = recKey({ conversationId: result.conversationId, recordingId: result.recordingId });
          const ref = wanted.get(key);
          if (!ref || handled.has(key)) continue;
          if (result.errorMsg !== undefined || !result.resultUrl) {
            handled.add(key);
            await store.addMissing({
              ...ref,
              errorMsg: result.errorMsg ?? 'the batch job returned this recording without a resultUrl or errorMsg',
              reason: 'platform-error',
              jobId,
              expectedResultCount: status.expectedResultCount,
              resultCount: status.resultCount,
            });
            progress.recordingsMissing++;
            report();
            continue;
          }
          handled.add(key);
          const ext = extensionFor(result.contentType);
          const path = `recordings/${fileSafe(ref.conversationId)}/${fileSafe(ref.recordingId)}${ext}`;
          const url = result.resultUrl;
          downloads.push(
            downloader
              .download({ url, dest: join(store.folder, path), signal: downloadSignal, ...(onDownloadProgress ? { onProgress: onDownloadProgress } : {}) })
              .then(async (d) => {
                await store.record({ path, size: d.bytes, sha256: d.sha256, source: { conversationId: ref.conversationId, recordingId: ref.recordingId, ...(result.contentType ? { contentType: result.contentType } : {}) }, retrievedAt: new Date().toISOString(), correlationId });
                progress.recordingsReceived++;
                progress.bytes += d.bytes - d.resumedFromBytes;
                report();
              })
              .catch((e: unknown) => {
                if (e instanceof DownloadError && e.reason === 'status' && (e.status === 403 || e.status === 404 || e.status === 410)) refused.push({ ref, error: e });
                else if (firstError === undefined) {
                  firstError = e;
                  stopBatch.abort(e);
                }
              }),
          );
        }
        // Complete when every recording is answered, the status is terminal, or the counts say all expected results
        // are in (the platform's status values are not in the typings; the counts are).
        const counted = status.resultCount !== undefined && status.errorCount !== undefined ? status.resultCount + status.errorCount : (status.results?.length ?? 0);
        const complete = handled.size >= wanted.size || (status.status !== undefined && DONE_STATUSES.test(status.status)) || counted >= (status.expectedResultCount ?? Infinity);
        if (complete || firstError) break;
        if (Date.now() - started > maxWaitMs) {
          throw new TimeoutError(
            `Recording batch download job ${jobId} was not complete after ${Date.now() - started} ms (poll.maxWaitMs ${maxWaitMs}); ` +
              `${handled.size} of ${wanted.size} recordings answered. Run the export again with the same folder to resume, or raise poll.maxWaitMs.`,
            { kind: 'deadline', timeoutMs: maxWaitMs, method: 'GET', path: jobPath },
          );
        }
      }
    } catch (e) {
      // Leaving early (abort, a failed poll, the deadline): stop this batch's downloads and wait for them, so no write
      // to a .part outlives this call (a resumed run may open the same file at once).
      stopBatch.abort(e);
      await Promise.allSettled(downloads);
      throw e;
    }
    await Promise.allSettled(downloads);
    if (firstError) throw firstError;
    if (status && !(status.status !== undefined && /^(failed|error|cancell?ed)$/i.test(status.status))) {
      // Complete, and these were never mentioned: the platform left them out (e.g. sensitive-data redaction).
      for (const [key, ref] of wanted) {
        if (handled.has(key)) continue;
        await store.addMissing({
          ...ref,
          errorMsg: `not in the results of batch job ${jobId} (expectedResultCount ${status.expectedResultCount ?? '?'}, resultCount ${status.resultCount ?? '?'}, errorCount ${status.errorCount ?? '?'}): left out by the platform, e.g. sensitive-data redaction for a caller without recording:recording:viewSensitiveData`,
          reason: 'not-returned',
          jobId,
          expectedResultCount: status.expectedResultCount,
          resultCount: status.resultCount,
        });
        progress.recordingsMissing++;
      }
    } else if (status) {
      throw new ApiError({ method: 'GET', path: jobPath, status: 200, attempts: 1, body: { message: `batch download job ${jobId} ended ${status.status}`, code: 'batch.job.failed' } }, `Recording batch download job ${jobId} ended ${status.status}; run the export again with the same folder to resume`);
    }
    report();
    return refused;
  }
}

/**
 * The folder, its resume state and the manifest entries recorded so far. Entries are appended to
 * `.state/entries.jsonl` (fsynced) as each file is finalised, so a killed export knows exactly what it holds.
 */
class HoldStore {
  readonly #entries = new Map<string, ManifestEntry>();
  resumed = false;
  private constructor(readonly folder: string) {}

  static async open(folder: string, definition: Record<string, unknown>): Promise<HoldStore> {
    const fs = fsPromises();
    const store = new HoldStore(folder);
    const text = canonicalJson(definition);
    let existing: string | undefined;
    try {
      existing = await fs.readFile(join(folder, 'hold.json'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (existing !== undefined && existing.trim() !== text) {
      throw new ValidationError('LegalHold.export() options', [
        { path: 'out', message: `${folder} holds another hold (its hold.json has another selection or options): use a new folder for this hold, or the same options to resume that one` },
      ]);
    }
    await fs.mkdir(join(folder, STATE_DIR), { recursive: true });
    try {
      const lines = (await fs.readFile(join(folder, STATE_DIR, 'entries.jsonl'), 'utf8')).split('\n');
      for (const line of lines) {
        if (!line) continue;
        try {
          const e = JSON.parse(line) as ManifestEntry;
          store.#entries.set(e.path, e);
        } catch {
          // A line cut by a crash: that file is fetched again.
        }
      }
      store.resumed = store.#entries.size > 0;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    // Written (again) unless recorded: a run killed between the write and its entry writes it once more.
    if (existing === undefined || !store.has('hold.json')) await store.writeText('hold.json', text, {}, null);
    return store;
  }

  has(path: string): boolean {
    return this.#entries.has(path);
  }

  entries(): ManifestEntry[] {
    return [...this.#entries.values()].sort(byPath);
  }

  paths(prefix: string): string[] {
    return [...this.#entries.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  count(prefix: string): number {
    return this.paths(prefix).length;
  }

  recordingKeys(): Set<string> {
    const out = new Set<string>();
    for (const e of this.#entries.values()) if (e.source.recordingId && e.path !== 'missing-recordings.json' && !e.path.endsWith('/metadata.json')) out.add(recKey({ conversationId: e.source.conversationId ?? '', recordingId: e.source.recordingId }));
    return out;
  }

  recordingBytes(): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.source.recordingId) n += e.size;
    return n;
  }

  async writeJson(path: string, value: unknown, source: Record<string, string>, correlationId: string | null): Promise<void> {
    await this.writeText(path, `${JSON.stringify(value, null, 2)}\n`, source, correlationId);
  }

  async writeText(path: string, text: string, source: Record<string, string>, correlationId: string | null): Promise<void> {
    await this.writeBytes(path, Buffer.from(text, 'utf8'), source, correlationId);
  }

  async writeBytes(path: string, bytes: Buffer, source: Record<string, string>, correlationId: string | null): Promise<void> {
    await writeAtomicBytes(join(this.folder, path), bytes);
    const sha256 = nodeCrypto().createHash('sha256').update(bytes).digest('hex');
    await this.record({ path, size: bytes.length, sha256, source, retrievedAt: new Date().toISOString(), correlationId });
  }

  async record(entry: ManifestEntry): Promise<void> {
    const fs = fsPromises();
    const handle = await fs.open(join(this.folder, STATE_DIR, 'entries.jsonl'), 'a');
    try {
      await handle.write(`${manifestLine(entry)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.#entries.set(entry.path, entry);
  }

  async addMissing(m: MissingRecording): Promise<void> {
    const handle = await fsPromises().open(join(this.folder, STATE_DIR, 'missing.jsonl'), 'a');
    try {
      await handle.write(`${JSON.stringify(m)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async missing(): Promise<MissingRecording[]> {
    const text = await this.readRaw('missing.jsonl');
    const out = new Map<string, MissingRecording>();
    for (const line of (text ?? '').split('\n')) {
      if (!line) continue;
      try {
        const m = JSON.parse(line) as MissingRecording;
        out.set(recKey(m), m);
      } catch {
        // cut by a crash: asked again
      }
    }
    return [...out.values()];
  }

  async readState<T>(name: string): Promise<T | undefined> {
    const text = await this.readRaw(name);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async hasState(name: string): Promise<boolean> {
    return (await this.readRaw(name)) !== undefined;
  }

  async writeState(name: string, value: unknown): Promise<void> {
    await writeAtomic(join(this.folder, STATE_DIR, name), JSON.stringify(value));
  }

  private async readRaw(name: string): Promise<string | undefined> {
    try {
      return await fsPromises().readFile(join(this.folder, STATE_DIR, name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
}

async function writeAtomicBytes(path: string, bytes: Buffer): Promise<void> {
  const fs = fsPromises();
  const dir = path.slice(0, path.lastIndexOf('/')) || '.';
  await fs.mkdir(dir, { recursive: true });
  const temp = `${path}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, path);
}

function parseMetadata(bytes: Buffer, path: string, status: number, correlationId: string | undefined): Array<{ id: string }> {
  const ctx = { method: 'GET', path, status, correlationId };
  return decode(parseJson(bytes, ctx), RecordingMetadataList, ctx);
}

const recKey = (r: { conversationId: string; recordingId: string }): string => `${r.conversationId.toLowerCase()}/${r.recordingId.toLowerCase()}`;

/** Ids become file names: anything outside [A-Za-z0-9_-] is percent-encoded, so an id can never leave its folder. */
function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': '.ogg',
  'audio/opus': '.opus',
  'audio/wav': '.wav',
  'audio/x-wav': '.wav',
  'audio/wave': '.wav',
  'audio/mpeg': '.mp3',
  'audio/mp3': '.mp3',
  'audio/webm': '.webm',
  'video/webm': '.webm',
  'video/mp4': '.mp4',
  'application/json': '.json',
  'text/plain': '.txt',
};

function extensionFor(contentType: string | undefined): string {
  const base = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return EXTENSIONS[base] ?? '.bin';
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const x of items) yield x;
}

async function pauseFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await abortableSleep(ms, signal);
  } catch (e) {
    throwIfCallerAborted(signal, 'LegalHold.export()');
    throw e;
  }
}
