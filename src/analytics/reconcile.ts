/**
 * Seed 003's reconciliation of an extract window: the conversations the jobs returned that started in the window
 * against the sync details query's `totalHits` for it (the sync query counts by start). Past the threshold (5% by
 * default) a `reconcile-delta` warning is the alert, and the window is re-run as narrower jobs (four quarters, seed
 * 003: "6-hour windows instead of 24 hours"); conversations starting in the window that the first pass never
 * returned are handed back to be yielded, so a window that came back short is completed instead of only reported.
 *
 * What was returned is known by id: the extract records the ids of each window's rows while it is open
 * (`WindowIds`), only when reconcile is on, and forgets them once the window is reconciled. A window resumed from a
 * checkpoint has an incomplete record, so it is not re-run (a re-run could not tell missed rows from rows yielded
 * before the restart); its warning says so.
 */
import { detailsQueryCount } from './details-query';
import { formatInterval, type IntervalWindow } from '../helpers/intervals';
import { startMsOf, type RunnerPage } from './job-runner';
import type { AnalyticsConversation, ConversationQueryFilters, UnitState } from './schemas';
import type { GenesysClient } from '../client';

export interface ReconcileRecord {
  interval: string;
  /** Rows the jobs returned whose conversationStart lies in the window (what the sync query counts). */
  jobCount: number;
  /** `totalHits` of the sync details query for the window. */
  syncCount: number;
  /** |jobCount - syncCount| / max(syncCount, 1). */
  delta: number;
  /** Whether the window agrees with the sync query in the end (after the re-run, if there was one). */
  ok: boolean;
  /** The narrower re-run of a window past the threshold; absent when none was needed (or possible: `rerunSkipped`). */
  rerun?: {
    intervals: string[];
    /** Rows the narrower jobs returned that started in the window. */
    jobCount: number;
    /** Of those, conversations the first pass had not returned: yielded after the window's own rows. */
    recovered: number;
    /** |jobCount + recovered - syncCount| / max(syncCount, 1). */
    delta: number;
  };
  rerunSkipped?: 'resumed';
}

/** How many narrower jobs a window past the threshold is re-run as. */
export const RERUN_PARTS = 4;

/** Ids of the rows each open window returned (only while reconcile is on). */
export class WindowIds {
  readonly #ids = new Map<number, Set<string>>();
  readonly #resumed: Set<number>;

  /** `resumed`: windows that were part-way done in the checkpoint this run started from. */
  constructor(resumed: Iterable<number>) {
    this.#resumed = new Set(resumed);
  }

  add(index: number, id: string): void {
    let s = this.#ids.get(index);
    if (!s) this.#ids.set(index, (s = new Set()));
    s.add(id);
  }

  /** The window's ids (undefined when its record is incomplete), forgotten here. */
  take(index: number): Set<string> | undefined {
    const s = this.#ids.get(index) ?? new Set<string>();
    this.#ids.delete(index);
    return this.#resumed.has(index) ? undefined : s;
  }
}

export interface ReconcileInput {
  client: GenesysClient;
  filters: ConversationQueryFilters;
  threshold: number;
  window: IntervalWindow;
  jobCount: number;
  signal: AbortSignal;
  /** Ids the window's jobs returned; undefined: incomplete (resumed), no re-run. */
  seen: Set<string> | undefined;
  /** Conversations other windows yielded that reach into later ones (the extract's dedupe map). */
  spanners: ReadonlyMap<string, unknown>;
  /** Runs the given units as jobs, with the extract's recovery rules (runWindow). */
  rerun: (pending: UnitState[]) => AsyncIterable<RunnerPage>;
  onRecord: (record: ReconcileRecord) => void;
}

/** Reconciles one finished window; returns the conversations the re-run recovered (to be yielded by the caller). */
export async function reconcile(input: ReconcileInput): Promise<AnalyticsConversation[]> {
  const { client, window: w, jobCount, threshold } = input;
  const syncCount = await detailsQueryCount(client, { ...input.filters, interval: w.interval }, input.signal);
  const deltaOf = (n: number) => Math.abs(n - syncCount) / Math.max(syncCount, 1);
  const delta = deltaOf(jobCount);
  const record: ReconcileRecord = { interval: w.interval, jobCount, syncCount, delta, ok: delta <= threshold };
  const recovered: AnalyticsConversation[] = [];
  if (!record.ok && input.seen === undefined) record.rerunSkipped = 'resumed';
  if (!record.ok && input.seen !== undefined) {
    const units = quarters(w);
    const inWindow = new Set<string>();
    for await (const page of input.rerun(units)) {
      for (const c of page.rows) {
        const start = startMsOf(c);
        if (!(start >= w.startMs && start < w.endMs) || inWindow.has(c.conversationId)) continue;
        inWindow.add(c.conversationId);
        if (!input.seen.has(c.conversationId) && !input.spanners.has(c.conversationId)) recovered.push(c);
      }
    }
    const after = deltaOf(jobCount + recovered.length);
    record.rerun = { intervals: units.map((u) => formatInterval(u.s, u.e)), jobCount: inWindow.size, recovered: recovered.length, delta: after };
    record.ok = after <= threshold;
  }
  input.onRecord(record);
  if (delta > threshold) {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const outcome = record.rerun
      ? ` Re-run as ${record.rerun.intervals.length} narrower jobs: ${record.rerun.jobCount} started in it, ${record.rerun.recovered} of them missing from the first pass (yielded now); ${record.ok ? `now ${pct(record.rerun.delta)} apart` : `still ${pct(record.rerun.delta)} apart: check the filters, or the data may still be settling`}.`
      : ' Not re-run: the window was resumed from a checkpoint, so the rows yielded before the restart are not known by id.';
    client.emit('warning', {
      code: 'reconcile-delta',
      message: `window ${w.interval}: the jobs returned ${jobCount} conversation(s) starting in it, the sync query counts ${syncCount} (${pct(delta)} apart, more than ${pct(threshold)}).${outcome}`,
      details: { ...record, threshold },
    });
  }
  return recovered;
}

/** The window as RERUN_PARTS adjacent units (whole ms; the last one ends where the window ends). */
function quarters(w: IntervalWindow): UnitState[] {
  const len = w.endMs - w.startMs;
  const parts = Math.max(1, Math.min(RERUN_PARTS, len));
  const out: UnitState[] = [];
  for (let i = 0; i < parts; i++) {
    const s = w.startMs + Math.floor((len * i) / parts);
    const e = i === parts - 1 ? w.endMs : w.startMs + Math.floor((len * (i + 1)) / parts);
    out.push({ s, e, d: 0 });
  }
  return out;
}

