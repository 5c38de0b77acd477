/**
 * Wire shapes of the simulated analytics endpoints (details query, async jobs, data availability), each mirroring the
 * official SDK model named in its comment; types.ts says how they are kept honest.
 */

/** Models.AnalyticsEvaluation */
export interface SimAnalyticsEvaluation {
  assigneeApplicable: boolean;
  calibrationId?: string;
  contextId: string;
  deleted: boolean;
  evaluationId: string;
  evaluationStatus: string;
  evaluatorId: string;
  eventTime: string;
  formId: string;
  formName: string;
  queueId: string;
  released: boolean;
  rescored: boolean;
  systemSubmitted: boolean;
  userId: string;
  oTotalCriticalScore?: number;
  oTotalScore?: number;
}

/** Models.AnalyticsSessionMetric */
export interface SimMetric {
  emitDate: string;
  name: string;
  value: number;
}

/** Models.AnalyticsConversationSegment */
export interface SimSegment {
  segmentStart: string;
  segmentEnd: string;
  segmentType: string;
  queueId?: string;
  disconnectType?: string;
  wrapUpCode?: string;
  wrapUpNote?: string;
  conference: boolean;
}

/** Models.AnalyticsSession */
export interface SimSession {
  sessionId: string;
  mediaType: string;
  direction: string;
  ani?: string;
  dnis?: string;
  addressFrom?: string;
  addressTo?: string;
  messageType?: string;
  recording?: boolean;
  provider?: string;
  segments: SimSegment[];
  metrics?: SimMetric[];
}

/** Models.AnalyticsParticipantWithoutAttributes */
export interface SimParticipant {
  participantId: string;
  participantName?: string;
  purpose: string;
  userId?: string;
  sessions: SimSession[];
}

/** Models.AnalyticsParticipant (job results carry participant attributes) */
export interface SimParticipantWithAttributes extends SimParticipant {
  attributes?: Record<string, string>;
}

/** Models.AnalyticsConversationWithoutAttributes */
export interface SimAnalyticsConversation {
  conversationId: string;
  conversationStart: string;
  conversationEnd: string;
  conversationInitiator: string;
  customerParticipation: boolean;
  divisionIds: string[];
  originatingDirection: string;
  mediaStatsMinConversationMos?: number;
  externalTag?: string;
  evaluations?: SimAnalyticsEvaluation[];
  participants: SimParticipant[];
}

/** Models.AnalyticsConversation (job results) */
export interface SimAnalyticsConversationWithAttributes extends Omit<SimAnalyticsConversation, 'participants'> {
  participants: SimParticipantWithAttributes[];
}

/** Models.AnalyticsConversationQueryResponse */
export interface SimDetailsQueryResponse {
  conversations?: SimAnalyticsConversation[];
  totalHits: number;
}

/** Models.AsyncQueryResponse */
export interface SimAsyncQueryResponse {
  jobId: string;
}

/** Models.AsyncQueryStatus */
export interface SimAsyncQueryStatus {
  state: string;
  errorMessage?: string;
  expirationDate: string;
  submissionDate: string;
  completionDate?: string;
}

/** Models.AnalyticsConversationAsyncQueryResponse */
export interface SimJobResultsPage {
  conversations: SimAnalyticsConversationWithAttributes[];
  cursor?: string;
  dataAvailabilityDate: string;
}

/** Models.DataAvailabilityResponse */
export interface SimDataAvailability {
  dataAvailabilityDate: string;
}
