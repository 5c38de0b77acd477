/**
 * Finding the evaluations of a Quality export (split out of exporter.ts): the analytics details query with
 * `evaluationFilters` (strategy `details`: references, each fetched later), or the quality evaluation search
 * (strategy `search`: whole evaluations). Both read conversations in ascending start order and hand out, after each
 * page, a mark with the page's last conversation start: everything before it has been handed out, which is what
 * lets a checkpoint keep per-page progress (export-checkpoint.ts) instead of every id written.
 */
import { clockOf } from '../internal/clock';
import type { GenesysClient } from '../client';
import { detailsQueryPages } from '../analytics/details-query';
import type { AnalyticsConversation } from '../analytics/schemas';
import { decode } from '../transport/decode';
import { applyResidual } from '../filters/evaluate';
import { formatInterval } from '../helpers/intervals';
import { normalizeMediaType } from './scorecard';
import { paginateByPageNumber } from '../transport/paginate';
import { searchBodies, type ExportPass, type ExportPlan } from './export-request';
import { EvaluationResponse, EvaluationSearchResponse, type ResolvedQualityExporterOptions } from './schemas';

/** An evaluation found at discovery, before it is fetched. */
export interface EvaluationRef {
  conversationId: string;
  evaluationId: string;
  /** Calibration evaluations carry `calibrationId` in analytics and a `calibration` reference in the Quality API. */
  calibration: boolean;
  /** Segment media type of the conversation (voice, chat, ...), when discovery saw it. */
  mediaType: string | undefined;
  /** `all`, or the channel group of a `splitByMediaType` pass. */
  pass: string;
}

export interface Counters {
  pages: number;
  discovered: number;
  fetched: number;
  skippedCalibrations: number;
  skippedAlreadyWritten: number;
  missing: number;
}

export function newCounters(): Counters {
  return { pages: 0, discovered: 0, fetched: 0, skippedCalibrations: 0, skippedAlreadyWritten: 0, missing: 0 };
}

/**
 * After a page: every conversation of pass `pass` that starts before `fromMs` has been handed out (undefined: the
 * watermark did not move). A mark with the next pass's index and no `fromMs` ends a pass.
 */
export interface PageMark {
  mark: true;
  pass: number;
  fromMs: number | undefined;
}

/** Where a resumed export starts: passes before `pass` are done; `pass` restarts at `fromMs`, skipping `skip`. */
export interface DiscoveryStart {
  pass: number;
  fromMs: number | undefined;
  skip: ReadonlySet<string>;
}

export const FROM_START: DiscoveryStart = { pass: 0, fromMs: undefined, skip: new Set() };

/** Conversation start in ms, NaN when absent or unreadable. */
export const startMs = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/**
 * The watermark after a page whose conversation starts are `starts` (in the order received): the last start, when
 * the page is in ascending order from `current` and every start is known; otherwise `current` (not moved, so a
 * resume re-reads more, never less).
 */
export function watermark(current: number | undefined, starts: number[]): number | undefined {
  let prev = current ?? Number.NEGATIVE_INFINITY;
  for (const s of starts) {
    if (!(s >= prev)) return current;
    prev = s;
  }
  return starts.length > 0 ? prev : current;
}

export interface DiscoveryContext {
  client: GenesysClient;
  options: ResolvedQualityExporterOptions;
  plan: ExportPlan;
  start: DiscoveryStart;
  counters: Counters;
  progress: ((pass: string) => void) | undefined;
}

/**
 * The reads of one pass: `replay` reads only learn ids (an evaluation in two channel groups is exported by the first
 * pass that meets it, so a resumed export must know what earlier passes, and its own pass before the watermark, hold);
 * the last read is the one exported, from the watermark when the pass is the one being resumed.
 */
function passReads(ctx: DiscoveryContext, index: number): Array<{ interval: string; replay: boolean }> {
  const { plan, start } = ctx;
  // Ids are only worth learning when a pass is left to export after this one.
  const later = index < plan.passes.length - 1 && start.pass < plan.passes.length;
  if (index < start.pass) return later ? [{ interval: plan.interval, replay: true }] : [];
  if (index > start.pass || start.fromMs === undefined) return [{ interval: plan.interval, replay: false }];
  const reads = [{ interval: formatInterval(start.fromMs, plan.endMs), replay: false }];
  if (later && start.fromMs > plan.startMs) reads.unshift({ interval: formatInterval(plan.startMs, start.fromMs), replay: true });
  return reads;
}

/** Evaluation references by details query, in discovery order, with a mark after each page. */
export async function* discoverRefs(ctx: DiscoveryContext): AsyncGenerator<Discovered | PageMark> {
  const { client, options, plan, start, counters } = ctx;
  const seen = new Set<string>();
  for (const [index, pass] of plan.passes.entries()) {
    let fromMs = index === start.pass ? start.fromMs : undefined;
    const reads = passReads(ctx, index);
    for (const { interval, replay } of reads) {
      for await (const page of detailsQueryPages(client, { ...pass.query, interval }, { pageSize: options.pageSize, signal: plan.signal })) {
        counters.pages++;
        for (const conv of page.items) {
          if (pass.residual && !applyResidual(pass.residual, conv)) continue;
          const convStart = startMs(conv.conversationStart);
          for (const ref of refsOf(conv, pass, plan)) {
            if (seen.has(ref.evaluationId)) continue;
            seen.add(ref.evaluationId);
            if (replay) continue;
            counters.discovered++;
            if (ref.calibration && options.calibrations === 'exclude') {
              counters.skippedCalibrations++;
              continue;
            }
            if (index === start.pass && start.skip.has(ref.evaluationId)) continue;
            yield { ref, startMs: convStart };
          }
        }
        if (replay) continue;
        fromMs = watermark(fromMs, page.items.map((c) => startMs(c.conversationStart)));
        yield { mark: true, pass: index, fromMs };
        ctx.progress?.(pass.name);
      }
    }
    if (index >= start.pass) yield { mark: true, pass: index + 1, fromMs: undefined };
  }
}

/** The platform returns every evaluation of a matching conversation: re-check status and deletion here. */
function* refsOf(conv: AnalyticsConversation, pass: ExportPass, plan: ExportPlan): Generator<EvaluationRef> {
  const mediaType = mediaTypeOf(conv, pass.mediaTypes);
  for (const ev of conv.evaluations ?? []) {
    if (ev.deleted) continue;
    if (!ev.evaluationStatus || !plan.statuses.has(ev.evaluationStatus.toUpperCase())) continue;
    yield {
      conversationId: conv.conversationId,
      evaluationId: ev.evaluationId,
      calibration: Boolean(ev.calibrationId),
      mediaType,
      pass: pass.name,
    };
  }
}

/** The conversation's segment media type: the first session's within the pass's channels, else the first. */
function mediaTypeOf(conv: AnalyticsConversation, wanted: string[] | undefined): string | undefined {
  let firstSeen: string | undefined;
  for (const p of conv.participants ?? []) {
    for (const s of p.sessions ?? []) {
      if (!s.mediaType) continue;
      firstSeen ??= s.mediaType;
      if (!wanted || wanted.includes(s.mediaType)) return s.mediaType;
    }
  }
  return firstSeen;
}

/**
 * An evaluation's media type as the search strategy reports it: the first of the Quality API's `mediaType` list
 * within the pass's channels, else the first (a call-and-chat conversation listed CHAT first is exported by the
 * voice pass as voice, as the details strategy reports it).
 */
function searchedMediaType(listed: string[] | undefined, wanted: string[] | undefined): string | undefined {
  const types = (listed ?? []).filter((m) => m.length > 0).map(normalizeMediaType);
  return (wanted ? types.find((m) => wanted.includes(m)) : undefined) ?? types[0];
}

/** A reference with its conversation's start (epoch ms, NaN when unknown): the cursor keeps it beside the id. */
export interface Discovered {
  ref: EvaluationRef;
  startMs: number;
}

export interface SearchedEvaluation extends Discovered {
  evaluation: EvaluationResponse;
}

const SEARCH_PATH = '/api/v2/quality/evaluations/search';

/** Whole evaluations by the quality search endpoint (answers included), with a mark after each page. */
export async function* searchEvaluations(ctx: DiscoveryContext): AsyncGenerator<SearchedEvaluation | PageMark> {
  const { client, options, plan, start, counters } = ctx;
  const seen = new Set<string>();
  const pageSize = options.searchPageSize;
  for (const [index, pass] of plan.passes.entries()) {
    let fromMs = index === start.pass ? start.fromMs : undefined;
    for (const { interval, replay } of passReads(ctx, index)) {
      for (const body of searchBodies({ ...plan, interval }, pass, pageSize)) {
        for await (const page of searchPages(client, plan, pass, body, pageSize)) {
          counters.pages++;
          for (const evaluation of page.items) {
            if (seen.has(evaluation.id)) continue;
            seen.add(evaluation.id);
            if (replay) continue;
            counters.discovered++;
            const calibration = Boolean(evaluation.calibration?.id);
            if (calibration && options.calibrations === 'exclude') {
              counters.skippedCalibrations++;
              continue;
            }
            if (index === start.pass && start.skip.has(evaluation.id)) continue;
            counters.fetched++;
            yield {
              evaluation,
              startMs: startMs(evaluation.conversationDate),
              ref: {
                conversationId: evaluation.conversation?.id ?? '',
                evaluationId: evaluation.id,
                calibration,
                mediaType: searchedMediaType(evaluation.mediaType, pass.mediaTypes),
                pass: pass.name,
              },
            };
          }
          if (replay) continue;
          fromMs = watermark(fromMs, page.items.map((e) => startMs(e.conversationDate)));
          yield { mark: true, pass: index, fromMs };
          ctx.progress?.(pass.name);
        }
      }
    }
    if (index >= start.pass) yield { mark: true, pass: index + 1, fromMs: undefined };
  }
}

function searchPages(client: GenesysClient, plan: ExportPlan, pass: ExportPass, body: Record<string, unknown>, pageSize: number) {
  return paginateByPageNumber<EvaluationResponse>(
    async (pageNumber) => {
      const res = await client.request({
        method: 'POST',
        path: SEARCH_PATH,
        body: { ...body, pageNumber },
        schema: EvaluationSearchResponse,
        idempotent: true,
        ...(plan.signal ? { signal: plan.signal } : {}),
      });
      // Each result is checked here, before the page is yielded: one that is not an evaluation fails the
      // export (it was skipped quietly before: a missing row with exit 0).
      const items = res.results?.map((raw, i) => decode(raw, EvaluationResponse, { method: 'POST', path: SEARCH_PATH, status: 200 }, ['results', i]));
      return { items, total: res.total };
    },
    {
      what: `quality evaluation search (${pass.name})`,
      pageSize,
      retryDelayMs: Math.max(client.options.retry.baseDelayMs, 1),
      clock: clockOf(client),
      ...(plan.signal ? { signal: plan.signal } : {}),
      onShortPage: (s) =>
        client.emit('warning', {
          code: 'short-page-retry',
          message: `quality evaluation search page ${s.page} came back ${s.reason === 'repeated-page' ? 'identical to the previous one' : `with ${s.got} of ${s.expected} results`}; fetching it again in ${s.delayMs} ms (attempt ${s.attempt})`,
          details: { pass: pass.name, ...s },
        }),
    },
  );
}
