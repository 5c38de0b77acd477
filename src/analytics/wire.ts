/**
 * Response and request shapes of the analytics conversation detail endpoints (docs/platform-notes.md sections c and d).
 * Objects are loose: the platform adds fields often, and added fields must never break an export. Only what the
 * SDK relies on is required.
 */
import * as z from 'zod';
import type { DetailQueryFilter as CompiledDetailQueryFilter } from '../filters/compile';
import { lazySchema } from '../internal/lazy-schema';
import { num, str } from '../internal/schema-fragments';

export const AnalyticsMetric = lazySchema(() =>
  z.looseObject({ name: str(), value: num(), emitDate: str().optional() }),
);

export const AnalyticsSegment = lazySchema(() =>
  z.looseObject({
    segmentStart: str().optional(),
    segmentEnd: str().optional(),
    segmentType: str().optional(),
    queueId: str().optional(),
    wrapUpCode: str().optional(),
    wrapUpNote: str().optional(),
    disconnectType: str().optional(),
    conference: z.boolean().optional(),
  }),
);

export const AnalyticsSession = lazySchema(() =>
  z.looseObject({
    sessionId: str().optional(),
    mediaType: str().optional(),
    direction: str().optional(),
    ani: str().optional(),
    dnis: str().optional(),
    recording: z.boolean().optional(),
    segments: z.array(AnalyticsSegment).optional(),
    metrics: z.array(AnalyticsMetric).optional(),
  }),
);

export const AnalyticsParticipant = lazySchema(() =>
  z.looseObject({
    participantId: str().optional(),
    participantName: str().optional(),
    purpose: str().optional(),
    userId: str().optional(),
    sessions: z.array(AnalyticsSession).optional(),
  }),
);

export const AnalyticsEvaluation = lazySchema(() =>
  z.looseObject({
    evaluationId: str(),
    evaluatorId: str().optional(),
    userId: str().optional(),
    assigneeId: str().optional(),
    assigneeApplicable: z.boolean().optional(),
    /** Present on calibration evaluations: the real marker (there is no `isCalibration`). */
    calibrationId: str().optional(),
    /** Form id stable across versions. */
    contextId: str().optional(),
    formId: str().optional(),
    formName: str().optional(),
    queueId: str().optional(),
    /** PascalCase in analytics: Finished, InProgress, InReview, Pending, Retracted. */
    evaluationStatus: str().optional(),
    eventTime: str().optional(),
    released: z.boolean().optional(),
    rescored: z.boolean().optional(),
    deleted: z.boolean().optional(),
    systemSubmitted: z.boolean().optional(),
    oTotalScore: num().optional(),
    oTotalCriticalScore: num().optional(),
  }),
);

export const AnalyticsConversation = lazySchema(() =>
  z.looseObject({
    conversationId: str(),
    conversationStart: str().optional(),
    conversationEnd: str().optional(),
    originatingDirection: str().optional(),
    divisionIds: z.array(str()).optional(),
    externalTag: str().optional(),
    mediaStatsMinConversationMos: num().optional(),
    participants: z.array(AnalyticsParticipant).optional(),
    evaluations: z.array(AnalyticsEvaluation).optional(),
    surveys: z.array(z.looseObject({})).optional(),
  }),
);

export type AnalyticsConversation = z.infer<typeof AnalyticsConversation>;
export type AnalyticsEvaluation = z.infer<typeof AnalyticsEvaluation>;
export type AnalyticsParticipant = z.infer<typeof AnalyticsParticipant>;
export type AnalyticsSession = z.infer<typeof AnalyticsSession>;
export type AnalyticsSegment = z.infer<typeof AnalyticsSegment>;

/**
 * Page envelopes are checked shallowly: each conversation must have its id, the rest is typed but not walked on the
 * hot path (a 1,000,000-row extract validates envelopes, not every nested segment).
 */
const ShallowConversation = lazySchema(() =>
  z.looseObject({ conversationId: str() }),
);

export const ConversationQueryResponse = lazySchema(() =>
  z.looseObject({
    conversations: z.array(ShallowConversation).optional(),
    totalHits: num().optional(),
    aggregations: z.array(z.unknown()).optional(),
  }),
);

/** `POST /api/v2/analytics/conversations/details/jobs` */
export const AsyncQueryResponse = lazySchema(() =>
  z.looseObject({ jobId: str() }),
);

export const JOB_STATES = ['QUEUED', 'PENDING', 'FULFILLED', 'FAILED', 'CANCELLED', 'EXPIRED'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** `GET .../jobs/{jobId}`. Unknown future states are kept as strings rather than rejected. */
export const AsyncQueryStatus = lazySchema(() =>
  z.looseObject({
    state: z.union([z.enum(JOB_STATES), str()]),
    errorMessage: str().optional(),
    expirationDate: str().optional(),
    submissionDate: str().optional(),
    completionDate: str().optional(),
  }),
);
export type AsyncQueryStatus = z.infer<typeof AsyncQueryStatus>;

/** `GET .../jobs/{jobId}/results` */
export const AsyncQueryResults = lazySchema(() =>
  z.looseObject({
    conversations: z.array(ShallowConversation).optional(),
    cursor: str().optional(),
    dataAvailabilityDate: str().optional(),
  }),
);

/** `GET .../jobs/availability` */
export const DataAvailability = lazySchema(() =>
  z.looseObject({ dataAvailabilityDate: str().optional() }),
);

// ---- Requests -------------------------------------------------------------------------------------------------

export const DetailQueryPredicate = lazySchema(() =>
  z
    .looseObject({
      type: z.enum(['dimension', 'property', 'metric']).optional(),
      dimension: str().optional(),
      metric: str().optional(),
      property: str().optional(),
      propertyType: str().optional(),
      operator: z.enum(['matches', 'exists', 'notExists']).optional(),
      value: str().optional(),
      range: z.looseObject({ gt: num().optional(), gte: num().optional(), lt: num().optional(), lte: num().optional() }).optional(),
    })
    // The platform answers 400 for a predicate that names nothing to test; say so before sending.
    .refine((p) => p.dimension !== undefined || p.metric !== undefined || p.property !== undefined, {
      error: 'a predicate needs what it tests: a dimension, metric or property (e.g. { dimension: "queueId", value: "..." })',
    }),
);

export const DetailQueryClause = lazySchema(() =>
  z.looseObject({ type: z.enum(['and', 'or']), predicates: z.array(DetailQueryPredicate).min(1) }),
);

export const DetailQueryFilter = lazySchema(() =>
  z.looseObject({
    type: z.enum(['and', 'or']),
    clauses: z.array(DetailQueryClause).optional(),
    predicates: z.array(DetailQueryPredicate).optional(),
  }),
);
/** The filter shape as `compileFilter` produces it (same wire format as the schema above). */
export type DetailQueryFilter = CompiledDetailQueryFilter;

const filters = () => ({
  conversationFilters: z.array(DetailQueryFilter).optional(),
  segmentFilters: z.array(DetailQueryFilter).optional(),
  evaluationFilters: z.array(DetailQueryFilter).optional(),
  surveyFilters: z.array(DetailQueryFilter).optional(),
  resolutionFilters: z.array(DetailQueryFilter).optional(),
});

/** The filter and ordering part shared by the sync details query and async jobs (no interval, no paging). */
export const ConversationQueryFilters = lazySchema(() =>
  z.looseObject({
    ...filters(),
    order: z.enum(['asc', 'desc', 'unordered']).optional(),
    orderBy: z.enum(['conversationStart', 'conversationEnd', 'segmentStart', 'segmentEnd']).optional(),
  }),
);
export interface ConversationQueryFilters {
  conversationFilters?: DetailQueryFilter[];
  segmentFilters?: DetailQueryFilter[];
  evaluationFilters?: DetailQueryFilter[];
  surveyFilters?: DetailQueryFilter[];
  resolutionFilters?: DetailQueryFilter[];
  order?: 'asc' | 'desc' | 'unordered';
  orderBy?: 'conversationStart' | 'conversationEnd' | 'segmentStart' | 'segmentEnd';
}

/**
 * `GET .../jobs/{jobId}/results`: the page envelope (results-page.ts reads the conversations one at a time and
 * checks each one's `conversationId` itself), and the whole page when a body has to be parsed whole. The
 * conversations are checked in place rather than copied: zod builds a new object per parsed object.
 */
export const AsyncQueryResultsPage = lazySchema(() =>
  z.looseObject({
    conversations: z
      .array(z.unknown())
      .superRefine((items, ctx) => {
        for (let i = 0; i < items.length; i++) {
          const c = items[i] as { conversationId?: unknown } | null;
          if (typeof c !== 'object' || c === null || typeof c.conversationId !== 'string') {
            ctx.addIssue({ code: 'custom', path: [i, 'conversationId'], message: 'expected every conversation to have a string conversationId' });
          }
        }
      })
      .optional(),
    cursor: str().optional(),
    dataAvailabilityDate: str().optional(),
  }),
);
