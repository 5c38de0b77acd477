/**
 * Conversation -> one flat row for warehouse loads (docs/design-intent.md seed 003: timestamps as UTC epoch ms, missing keys as null with
 * a warning instead of a crash when the platform or an Architect flow changes what it sends).
 *
 * Convention shared by the default projection and custom ones: a column whose source is *expected* but absent is
 * returned as `undefined`; the extract writes it as `null` and emits one `schema-drift` warning per column. A
 * column that is legitimately empty (no evaluations, no MOS on a chat) is returned as `null` or `[]` and never warns.
 */
import type { GenesysClient } from '../client';
import type { AnalyticsConversation } from './schemas';
import { expected, refuse } from '../internal/parse-options';

/** The default row. Arrays hold distinct values in first-seen order; `attr_<key>` columns come from `attributes`. */
export interface ConversationRow {
  conversationId: string;
  /** UTC epoch ms. */
  conversationStart: number | null;
  /** UTC epoch ms; null while the conversation is still running. */
  conversationEnd: number | null;
  durationMs: number | null;
  originatingDirection: string | null;
  /** Media type of the first session (voice, chat, message, email, callback, ...). */
  mediaType: string | null;
  mediaTypes: string[];
  divisionIds: string[];
  /** Queues from the segments. */
  queueIds: string[];
  /** Users (agents) who took part. */
  userIds: string[];
  wrapUpCodes: string[];
  participantCount: number;
  sessionCount: number;
  evaluationCount: number;
  surveyCount: number;
  externalTag: string | null;
  /** Lowest MOS of the conversation (voice only). */
  minMos: number | null;
  /** Sums of the session metrics of the same name, in ms; null when no session reported the metric. */
  tAcdMs: number | null;
  tTalkMs: number | null;
  tHeldMs: number | null;
  tAcwMs: number | null;
  tHandleMs: number | null;
  /** Participant attributes asked for with `attributes: [...]`, as text. */
  [attribute: `attr_${string}`]: string | null;
}

/** Columns of the default row, in output order (attribute columns follow). */
export const CONVERSATION_ROW_COLUMNS = [
  'conversationId',
  'conversationStart',
  'conversationEnd',
  'durationMs',
  'originatingDirection',
  'mediaType',
  'mediaTypes',
  'divisionIds',
  'queueIds',
  'userIds',
  'wrapUpCodes',
  'participantCount',
  'sessionCount',
  'evaluationCount',
  'surveyCount',
  'externalTag',
  'minMos',
  'tAcdMs',
  'tTalkMs',
  'tHeldMs',
  'tAcwMs',
  'tHandleMs',
] as const;

const METRIC_COLUMNS: Record<string, 'tAcdMs' | 'tTalkMs' | 'tHeldMs' | 'tAcwMs' | 'tHandleMs'> = {
  tAcd: 'tAcdMs',
  tTalk: 'tTalkMs',
  tHeld: 'tHeldMs',
  tAcw: 'tAcwMs',
  tHandle: 'tHandleMs',
};

function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function addDistinct(list: string[], value: unknown): void {
  if (typeof value === 'string' && value.length > 0 && !list.includes(value)) list.push(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export interface ProjectionOptions {
  /** Participant attribute keys to flatten into `attr_<key>` columns (first participant that has the key wins). */
  attributes?: readonly string[] | undefined;
}

/**
 * The default projection. Walks participants, sessions, segments and metrics once; typed defensively because
 * result pages are validated shallowly (only `conversationId` is guaranteed).
 *
 * Expected on every conversation (absent = schema drift): conversationStart, originatingDirection, divisionIds,
 * participants, and each requested attribute. conversationEnd is expected unless the conversation is still running.
 */
export function projectConversation(c: AnalyticsConversation, options: ProjectionOptions = {}): ConversationRow {
  const conv = c as Record<string, unknown>;
  // The one field every result page guarantees; without it the row has no key.
  if (typeof conv !== 'object' || conv === null || Array.isArray(conv) || typeof conv.conversationId !== 'string') {
    const bad = typeof conv === 'object' && conv !== null && !Array.isArray(conv);
    throw refuse('projectConversation input', bad ? 'conversation.conversationId' : 'conversation', expected(bad ? 'a conversation id' : 'a conversation object', bad ? conv.conversationId : conv));
  }
  const start = epochMs(conv.conversationStart);
  const end = epochMs(conv.conversationEnd);
  const mediaTypes: string[] = [];
  const queueIds: string[] = [];
  const userIds: string[] = [];
  const wrapUpCodes: string[] = [];
  const metrics: Partial<Record<'tAcdMs' | 'tTalkMs' | 'tHeldMs' | 'tAcwMs' | 'tHandleMs', number>> = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw refuse('projectConversation options', 'options', expected('an object such as { attributes: ["language"] }', options));
  for (const k in options) if (k !== 'attributes') throw refuse('projectConversation options', k, `unknown option ${JSON.stringify(k.slice(0, 100))}: the only option is "attributes"`, 'unrecognized_keys');
  const attributes = options.attributes ?? [];
  if (!Array.isArray(attributes) || attributes.some((a) => typeof a !== 'string' || a === '')) {
    throw refuse('projectConversation options', 'attributes', expected('an array of attribute keys', attributes));
  }
  const attrValues: Array<string | undefined> = attributes.map(() => undefined);
  let sessionCount = 0;
  const participants = conv.participants;
  for (const p of asArray(participants)) {
    const participant = asRecord(p);
    if (!participant) continue;
    if (participant.purpose === 'agent' || participant.purpose === 'user') addDistinct(userIds, participant.userId);
    if (attributes.length > 0) {
      const attrs = asRecord(participant.attributes);
      if (attrs) {
        for (let i = 0; i < attributes.length; i++) {
          const v = attrs[attributes[i] as string];
          if (attrValues[i] === undefined && v !== undefined && v !== null) attrValues[i] = typeof v === 'string' ? v : JSON.stringify(v);
        }
      }
    }
    for (const s of asArray(participant.sessions)) {
      const session = asRecord(s);
      if (!session) continue;
      sessionCount++;
      addDistinct(mediaTypes, session.mediaType);
      for (const g of asArray(session.segments)) {
        const segment = asRecord(g);
        if (!segment) continue;
        addDistinct(queueIds, segment.queueId);
        addDistinct(wrapUpCodes, segment.wrapUpCode);
      }
      for (const m of asArray(session.metrics)) {
        const metric = asRecord(m);
        const column = metric && typeof metric.name === 'string' ? METRIC_COLUMNS[metric.name] : undefined;
        if (column && typeof metric?.value === 'number') metrics[column] = (metrics[column] ?? 0) + metric.value;
      }
    }
  }
  const divisionIds = Array.isArray(conv.divisionIds) ? conv.divisionIds.filter((d): d is string => typeof d === 'string') : undefined;
  const row = {
    conversationId: c.conversationId,
    conversationStart: start,
    // A running conversation has no end yet: that is null, not drift.
    conversationEnd: end !== undefined ? end : hasEnded(conv) ? undefined : null,
    durationMs: start !== undefined && end !== undefined ? end - start : null,
    originatingDirection: typeof conv.originatingDirection === 'string' ? conv.originatingDirection : undefined,
    mediaType: mediaTypes[0] ?? null,
    mediaTypes,
    divisionIds,
    queueIds,
    userIds,
    wrapUpCodes,
    participantCount: Array.isArray(participants) ? participants.length : undefined,
    sessionCount,
    evaluationCount: asArray(conv.evaluations).length,
    surveyCount: asArray(conv.surveys).length,
    externalTag: typeof conv.externalTag === 'string' ? conv.externalTag : null,
    minMos: typeof conv.mediaStatsMinConversationMos === 'number' ? conv.mediaStatsMinConversationMos : null,
    tAcdMs: metrics.tAcdMs ?? null,
    tTalkMs: metrics.tTalkMs ?? null,
    tHeldMs: metrics.tHeldMs ?? null,
    tAcwMs: metrics.tAcwMs ?? null,
    tHandleMs: metrics.tHandleMs ?? null,
  } as Record<string, unknown>;
  for (let i = 0; i < attributes.length; i++) row[`attr_${attributes[i] as string}`] = attrValues[i];
  return row as unknown as ConversationRow;
}

/**
 * Whether the platform says the conversation is over although `conversationEnd` is missing: every segment has an
 * end. Then the missing end is drift, not a running conversation.
 */
function hasEnded(conv: Record<string, unknown>): boolean {
  let segments = 0;
  for (const p of asArray(conv.participants)) {
    for (const s of asArray(asRecord(p)?.sessions)) {
      for (const g of asArray(asRecord(s)?.segments)) {
        segments++;
        if (typeof asRecord(g)?.segmentEnd !== 'string') return false;
      }
    }
  }
  return segments > 0;
}

/**
 * Turns `undefined` columns into null and reports each column the first time it is missing (`schema-drift`).
 * One tracker per extract, so a column missing from every row warns once, not a million times.
 */
export class DriftTracker {
  readonly missing = new Set<string>();

  constructor(
    private readonly client: GenesysClient,
    private readonly context: Record<string, unknown> = {},
  ) {}

  normalize<R>(row: R, conversationId: string): R {
    if (typeof row !== 'object' || row === null) return row;
    const r = row as Record<string, unknown>;
    for (const key in r) {
      if (r[key] !== undefined) continue;
      r[key] = null;
      if (this.missing.has(key)) continue;
      this.missing.add(key);
      this.client.emit('warning', {
        code: 'schema-drift',
        message: `column "${key}" had no source value (first seen on conversation ${conversationId}); it is written as null. Further rows missing it are not reported.`,
        details: { field: key, conversationId, ...this.context },
      });
    }
    return row;
  }
}
