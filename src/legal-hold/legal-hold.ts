/**
 * LegalHold (issue 21, docs/design-intent.md seed 000): preserve and export everything about a set of conversations into one folder with
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
import { checkClient, parseOptions } from '../internal/parse-options';
import type { GenesysClient } from '../client';
import { ValidationError, throwIfCallerAborted, validationErrorFromZod } from '../errors';
import { clockOf } from '../internal/clock';
import { fsPromises } from '../internal/node-builtins';
import { Downloader } from '../transport/download';
import { exportEvaluations } from './evaluations';
import { HoldStore, recKey, fileSafe, type MissingRecording } from './hold-store';
import { join, listFiles, writeManifest } from './manifest';
import { setProtection, type ProtectionReport, type ReleaseReport } from './protection';
import { downloadRecordings, recordingMetadata } from './recordings';
import { ExportHoldOptionsSchema, LegalHoldOptionsSchema, SelectionCallOptionsSchema, type ExportHoldOptions, type HoldProgress, type LegalHoldOptions } from './schemas';
import { buildPlan, selectConversations, type Plan, type Selected } from './selection';

export type { MissingRecording } from './hold-store';
export type { NotProtected, ProtectionReport, ReleaseReport } from './protection';

const WHERE = 'LegalHold options';

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
    checkClient(client, WHERE);
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
    this.#plan = buildPlan(o);
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
    parseOptions(SelectionCallOptionsSchema, options, 'LegalHold.conversationIds() options');
    return (await selectConversations(this.#client, this.#plan, this.options.concurrency ?? 4, undefined, options.signal)).ids;
  }

  /**
   * Protects the recordings of every selected conversation from deletion (`PUT .../deletionprotection?protect=true`
   * in batches), then confirms with `POST .../deletionprotection`, which lists the protected ones. Conversations the
   * PUT reported as failed, or that the POST does not list, are in `notProtected`. Protecting twice is harmless.
   */
  async protect(options: { signal?: AbortSignal; conversationIds?: string[] } = {}): Promise<ProtectionReport> {
    parseOptions(SelectionCallOptionsSchema, options, 'LegalHold.protect() options');
    const ids = options.conversationIds ?? (await this.conversationIds(options));
    return (await setProtection(this.#client, ids, true, this.options.protectionBatchSize ?? 100, options.signal)) as ProtectionReport;
  }

  /** Lifts the protection when the hold ends (`protect=false`), then checks that none is still listed as protected. */
  async release(options: { signal?: AbortSignal; conversationIds?: string[] } = {}): Promise<ReleaseReport> {
    parseOptions(SelectionCallOptionsSchema, options, 'LegalHold.release() options');
    const ids = options.conversationIds ?? (await this.conversationIds(options));
    return (await setProtection(this.#client, ids, false, this.options.protectionBatchSize ?? 100, options.signal)) as ReleaseReport;
  }

  /**
   * Exports the hold into `out` (see the folder layout above) and writes the manifest. Killed and started again with
   * the same folder, it continues where it stopped: files already recorded are not fetched again, a partial
   * recording download resumes with a Range request, and the manifest ends up with the same lines as an
   * uninterrupted run, apart from the retrieval times and correlation ids of what this run fetched.
   */
  async export(options: ExportHoldOptions): Promise<HoldSummary> {
    const parsed = ExportHoldOptionsSchema.safeParse(options);
    if (!parsed.success) throw validationErrorFromZod('LegalHold.export() options', parsed.error);
    const o = parsed.data as ExportHoldOptions;
    const clock = clockOf(this.#client);
    const started = clock.now();
    const requestsBefore = this.#client.stats().requests;
    const folder = o.out.replace(/[\\/]+$/, '') || o.out;
    const signal = o.signal;
    const store = await HoldStore.open(folder, this.#definition, clock);
    const progress: HoldProgress = { operation: 'legal-hold.export', phase: 'select', conversations: 0, evaluations: 0, recordingsExpected: 0, recordingsReceived: 0, recordingsMissing: 0, bytes: 0 };
    const report = (phase: HoldProgress['phase']) => {
      progress.phase = phase;
      o.onProgress?.({ ...progress });
      this.#client.emit('progress', { ...progress });
    };
    const downloader = new Downloader({ clock, ...this.options.download });

    // 1. Selection (and the conversation detail documents).
    report('select');
    let selected = await store.readState<Selected & { starts: Record<string, number> }>('selection.json').then((s) =>
      s ? { ids: s.ids, unknown: s.unknown, starts: new Map(Object.entries(s.starts)) } : undefined,
    );
    if (!selected) {
      selected = await selectConversations(this.#client, this.#plan, this.options.concurrency ?? 4, async (doc, correlationId) => {
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
      await exportEvaluations(this.#client, store, this.#plan, selected, this.options.concurrency ?? 4, signal, () => {
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
      const refs = await recordingMetadata(this.#client, store, selected.ids, this.options.concurrency ?? 4, signal);
      progress.recordingsExpected = refs.length;
      missing = await store.missing();
      const missingKeys = new Set(missing.map((m) => recKey(m)));
      const doneKeys = store.recordingKeys();
      progress.recordingsReceived = refs.filter((r) => doneKeys.has(recKey(r))).length;
      progress.recordingsMissing = missing.length;
      report('recordings');
      const pending = refs.filter((r) => !doneKeys.has(recKey(r)) && !missingKeys.has(recKey(r)));
      const ctx = { client: this.#client, clock, store, downloader, options: this.options, signal, progress, report: () => report('recordings'), onDownloadProgress: o.onDownloadProgress };
      await downloadRecordings(ctx, pending);
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
    const finished = clock.now();
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
}
