/**
 * Ground truth for exactly-once checks: what a correct client should end up with for an interval. Built on the same
 * selection code as the handlers (QueryEngine, compileFilters), so truth and responses cannot disagree.
 */
import { analyticsConversation } from '../data/analytics';
import type { OrgCore } from '../engine/context';
import { QUALITY_STATUS, mediaTypesOf, type EvaluationStatus, type MediaType } from '../data/dataset';
import { compileFilters } from './filters';
import { parseInterval, type Interval } from './interval';
import { matchAt, matchCount, type Selection } from './query';
import type { SimAnalyticsConversation } from '../data/types';

export type IntervalInput = string | { start: number | string | Date; end: number | string | Date };

export interface TruthEvaluation {
  evaluationId: string;
  conversationId: string;
  /** conversationStart, ISO. */
  conversationStart: string;
  calibration: boolean;
  calibrationId: string | undefined;
  /** The conversation's first channel. */
  mediaType: MediaType;
  /** Every channel of the conversation, the first first: two for a multi-channel one (option `multiChannelShare`). */
  mediaTypes: MediaType[];
  /** Analytics spelling, e.g. `Finished`. */
  status: EvaluationStatus;
  /** Quality API spelling, e.g. `FINISHED`. */
  qualityStatus: string;
  formId: string;
  contextId: string;
  formVersion: number;
  /** `changedDate` of the Quality API (= the analytics `eventTime`), ISO. Moves with every event after `org.advance()`. */
  changedDate: string;
  released: boolean;
  rescored: boolean;
  /** The evaluation's total score (undefined while it has no answers). */
  totalScore: number | undefined;
}

export interface DetailsFilters {
  conversationFilters?: unknown[];
  segmentFilters?: unknown[];
  evaluationFilters?: unknown[];
}

export interface Truth {
  /**
   * Evaluations on conversations that started in the interval (the details-query rule), optionally narrowed by
   * status (either spelling), calibration handling and media type (any of the conversation's channels). Ordered by conversationStart, then slot. At the
   * org's current time (after `advance()`: late evaluations included, deleted ones left out, statuses as they are now).
   */
  evaluations(q: { interval: IntervalInput; status?: string[]; calibrations?: 'include' | 'exclude' | 'only'; mediaTypes?: MediaType[] }): TruthEvaluation[];
  /**
   * Conversation ids a query selects. `activity: true` uses the jobs rule (activity in the interval) and, unless
   * `endedBefore` is given, the current data availability date; otherwise the details-query rule (start in interval).
   */
  conversations(q: { interval: IntervalInput; activity?: boolean; filters?: DetailsFilters; endedBefore?: number | string | Date }): string[];
  /** The ids an async job returns over all its pages (its filters, interval, limit and availability snapshot). */
  jobConversations(jobId: string): string[];
  /** One conversation as the details query shows it, or undefined for an unknown id. */
  conversation(conversationId: string): SimAnalyticsConversation | undefined;
  /** One evaluation's facts, or undefined for an unknown id. */
  evaluation(evaluationId: string): TruthEvaluation | undefined;
}

function toInterval(input: IntervalInput): Interval {
  if (typeof input === 'string') return parseInterval(input);
  const ms = (v: number | string | Date) => (typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : v.getTime());
  return { start: ms(input.start), end: ms(input.end) };
}

export function createTruth(org: OrgCore): Truth {
  const ds = org.data;
  const describe = (index: number, slot: number): TruthEvaluation | undefined => {
    const c = ds.core(index);
    const e = c.evaluations[slot];
    // A deleted evaluation is gone from the platform (the details query still flags it `deleted`).
    if (!e || e.deleted !== undefined) return undefined;
    return {
      evaluationId: e.id,
      conversationId: c.id,
      conversationStart: new Date(c.start).toISOString(),
      calibration: e.calibrationId !== undefined,
      calibrationId: e.calibrationId,
      mediaType: c.mediaType,
      mediaTypes: mediaTypesOf(c),
      status: e.status,
      qualityStatus: QUALITY_STATUS[e.status],
      formId: ds.formOf(e).id,
      contextId: ds.forms[e.formIndex]?.contextId ?? '',
      formVersion: e.formVersion,
      changedDate: new Date(e.changed).toISOString(),
      released: e.released !== undefined,
      rescored: e.rescored !== undefined,
      totalScore: ds.scores(e)?.totalScore,
    };
  };

  const ids = (sel: Selection, limit = Infinity): string[] => {
    const m = org.queries.matches(sel);
    const n = Math.min(matchCount(m), limit);
    return Array.from({ length: n }, (_, k) => ds.conversationId(matchAt(m, k)));
  };

  return {
    evaluations({ interval, status, calibrations = 'include', mediaTypes }) {
      const { start, end } = toInterval(interval);
      const { lo, hi } = ds.indexRange(start, end);
      const wanted = status ? new Set(status.map((s) => s.toUpperCase())) : undefined;
      const out: TruthEvaluation[] = [];
      for (let i = lo; i < hi; i++) {
        const c = ds.core(i);
        if (mediaTypes && !mediaTypesOf(c).some((m) => mediaTypes.includes(m))) continue;
        for (const e of c.evaluations) {
          const cal = e.calibrationId !== undefined;
          if ((calibrations === 'exclude' && cal) || (calibrations === 'only' && !cal)) continue;
          if (wanted && !wanted.has(QUALITY_STATUS[e.status])) continue;
          const t = describe(i, e.slot);
          if (t) out.push(t);
        }
      }
      return out;
    },
    conversations({ interval, activity = false, filters = {}, endedBefore }) {
      const body = filters as Record<string, unknown>;
      const sel: Selection = {
        interval: toInterval(interval),
        rule: activity ? 'activity' : 'start',
        filters: compileFilters(body),
        filterKey: JSON.stringify([body.conversationFilters, body.segmentFilters, body.evaluationFilters]),
      };
      if (endedBefore !== undefined) sel.endedBefore = typeof endedBefore === 'number' ? endedBefore : new Date(endedBefore).getTime();
      else if (activity) sel.endedBefore = org.dataAvailabilityDate();
      return ids(sel);
    },
    jobConversations(jobId) {
      const job = org.jobs.get(jobId);
      if (!job) throw new Error(`no job ${jobId}`);
      return ids(job.selection, job.limit);
    },
    conversation(conversationId) {
      const i = ds.conversationIndex(conversationId);
      return i === undefined ? undefined : analyticsConversation(ds, ds.core(i));
    },
    evaluation(evaluationId) {
      const ref = ds.evaluationRef(evaluationId);
      return ref ? describe(ref.index, ref.slot) : undefined;
    },
  };
}
