/**
 * The public face of the seeded dataset: read-only, lazily generated, in the platform's shapes. Internal
 * generation details (cores, streams) stay hidden so they can change without breaking users.
 */
import { analyticsConversation } from './analytics';
import type { Dataset } from './dataset';
import type { Named, Person } from './pools';
import { evaluationResponse } from './quality';
import { recordingsOf } from './recordings';
import type { SimAnalyticsConversation, SimEvaluationForm, SimEvaluationResponse } from './types';

export interface SimulatedData {
  /** Number of conversations. */
  readonly size: number;
  /** Conversations start in [start, end) (epoch ms). */
  readonly start: number;
  readonly end: number;
  conversationId(index: number): string;
  /** Index of a conversation id, or undefined. */
  indexOf(conversationId: string): number | undefined;
  /** Indices [lo, hi) of conversations starting in [start, end). O(1). */
  indexRange(start: number, end: number): { lo: number; hi: number };
  conversation(index: number): SimAnalyticsConversation;
  /** Evaluations of conversation `index` as GET .../evaluations/{id} returns them. */
  evaluations(index: number, opts?: { expandForm?: boolean }): SimEvaluationResponse[];
  /** Ids of conversation `index`'s recordings. */
  recordingIds(index: number): string[];
  /** Form families, each with its published versions (oldest first). */
  readonly forms: { contextId: string; name: string; versions: SimEvaluationForm[] }[];
  readonly agents: Person[];
  readonly evaluators: Person[];
  readonly queues: Named[];
  readonly wrapUpCodes: Named[];
  readonly division: Named;
}

export function dataView(ds: Dataset): SimulatedData {
  return {
    size: ds.size,
    start: ds.start,
    end: ds.end,
    conversationId: (i) => ds.conversationId(i),
    indexOf: (id) => ds.conversationIndex(id),
    indexRange: (start, end) => ds.indexRange(start, end),
    conversation: (i) => analyticsConversation(ds, ds.core(i)),
    evaluations: (i, opts) => {
      const c = ds.core(i);
      return c.evaluations.map((e) => evaluationResponse(ds, c, e, opts?.expandForm ?? false));
    },
    recordingIds: (i) => recordingsOf(ds, ds.core(i)).map((r) => r.id),
    forms: ds.forms.map((f) => ({ contextId: f.contextId, name: f.name, versions: f.versions })),
    agents: ds.pools.agents,
    evaluators: ds.pools.evaluators,
    queues: ds.pools.queues,
    wrapUpCodes: ds.pools.wrapUpCodes,
    division: ds.pools.division,
  };
}
