/**
 * Wire shapes the simulator sends. Each mirrors a model of the official SDK (named in the comment) and uses only
 * fields that model has; test/testing/contract-types.test.ts checks both directions at compile time, so these cannot
 * drift from the platform's shapes. They are declared here rather than imported so that the published .d.ts does not
 * depend on purecloud-platform-client-v2.
 */

/** Models.ErrorBody */
export interface SimErrorBody {
  message: string;
  code: string;
  status: number;
  contextId: string;
  details: { errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }[];
  errors: SimErrorBody[];
  entityId?: string;
  entityName?: string;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
}

/** Models.AnswerOption */
export interface SimAnswerOption {
  id: string;
  contextId: string;
  text: string;
  value: number;
}

/** Models.EvaluationQuestion */
export interface SimQuestion {
  id: string;
  contextId: string;
  text: string;
  helpText: string;
  type: string;
  naEnabled: boolean;
  commentsRequired: boolean;
  isKill: boolean;
  isCritical: boolean;
  answerOptions: SimAnswerOption[];
}

/** Models.EvaluationQuestionGroup */
export interface SimQuestionGroup {
  id: string;
  contextId: string;
  name: string;
  type: string;
  defaultAnswersToHighest: boolean;
  defaultAnswersToNA: boolean;
  naEnabled: boolean;
  weight: number;
  manualWeight: boolean;
  questions: SimQuestion[];
}

/** Models.EvaluationFormResponse (full, as from GET /api/v2/quality/forms/evaluations/{formId}) */
export interface SimEvaluationForm {
  id: string;
  name: string;
  contextId: string;
  published: boolean;
  modifiedDate: string;
  weightMode: string;
  questionGroups: SimQuestionGroup[];
  selfUri: string;
}

/** Models.EvaluationFormResponse as embedded in an evaluation (questionGroups only with expand=evaluationForm). */
export type SimEmbeddedForm = Omit<SimEvaluationForm, 'questionGroups' | 'weightMode'> & {
  weightMode?: string;
  questionGroups?: SimQuestionGroup[];
};

/** Models.EvaluationQuestionScore */
export interface SimQuestionScore {
  questionId: string;
  answerId?: string;
  score: number;
  markedNA: boolean;
  systemMarkedNA: boolean;
  failedKillQuestion?: boolean;
  comments?: string;
}

/** Models.EvaluationQuestionGroupScore */
export interface SimQuestionGroupScore {
  questionGroupId: string;
  totalScore: number;
  maxTotalScore: number;
  markedNA: boolean;
  systemMarkedNA: boolean;
  totalCriticalScore: number;
  maxTotalCriticalScore: number;
  totalNonCriticalScore: number;
  maxTotalNonCriticalScore: number;
  totalScoreUnweighted: number;
  maxTotalScoreUnweighted: number;
  totalCriticalScoreUnweighted: number;
  maxTotalCriticalScoreUnweighted: number;
  totalNonCriticalScoreUnweighted: number;
  maxTotalNonCriticalScoreUnweighted: number;
  questionScores: SimQuestionScore[];
}

/** Models.EvaluationScoringSet */
export interface SimScoringSet {
  totalScore: number;
  totalCriticalScore: number;
  totalNonCriticalScore: number;
  maxTotalRawScore: number;
  maxTotalRawCriticalScore: number;
  anyFailedKillQuestions: boolean;
  questionGroupScores: SimQuestionGroupScore[];
  comments?: string;
  agentComments?: string;
}

/** Models.User (as embedded: `version` is required by the model). */
export interface SimUser {
  id: string;
  name: string;
  email?: string;
  version: number;
  selfUri: string;
}

export interface SimRef {
  id: string;
  selfUri: string;
}

/** Models.Queue (embedded) */
export interface SimQueueRef {
  id: string;
  name: string;
  selfUri: string;
}

/** Fields shared by Models.EvaluationResponse and Models.EvaluationSearchItemResponse. */
interface SimEvaluationCommon {
  id: string;
  conversation: SimRef;
  evaluator: SimUser;
  agent: SimUser;
  calibration?: SimRef;
  status: string;
  answers?: SimScoringSet;
  agentHasRead: boolean;
  assigneeApplicable: boolean;
  releaseDate?: string;
  assignedDate: string;
  createdDate: string;
  changedDate: string;
  submittedDate?: string;
  queue: SimQueueRef;
  mediaType: string[];
  divisionIds: string[];
  rescore: boolean;
  conversationDate: string;
  conversationEndDate: string;
  neverRelease: boolean;
  assigned: boolean;
  resourceType?: string;
  redacted: boolean;
  isScoringIndex: boolean;
  authorizedActions: string[];
  hasAssistanceFailed: boolean;
  disputeCount: number;
  version: number;
  declinedReview: boolean;
  selfUri: string;
}

/** Models.EvaluationResponse */
export interface SimEvaluationResponse extends SimEvaluationCommon {
  evaluationForm: SimEmbeddedForm;
}

/** Models.EvaluationFormSearchResponse (no `name` in that model) */
export interface SimSearchForm {
  id: string;
  contextId: string;
  published: boolean;
  modifiedDate: string;
  selfUri: string;
}

/** Models.EvaluationSearchItemResponse */
export interface SimEvaluationSearchItem extends SimEvaluationCommon {
  evaluationForm: SimSearchForm;
}

/** Models.EvaluationSearchResponse */
export interface SimEvaluationSearchResponse {
  pageSize: number;
  pageNumber: number;
  results: SimEvaluationSearchItem[];
}

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

/** Models.Annotation */
export interface SimAnnotation {
  id: string;
  name?: string;
  type?: string;
  location?: number;
  durationMs?: number;
  absoluteLocation?: number;
  absoluteDurationMs?: number;
  description?: string;
  reason?: string;
  selfUri: string;
}

/** Models.RecordingMetadata */
export interface SimRecordingMetadata {
  id: string;
  conversationId: string;
  startTime: string;
  endTime: string;
  media: string;
  annotations: SimAnnotation[];
  fileState: string;
  sessionId: string;
  selfUri: string;
}

/** Models.MediaResult */
export interface SimMediaResult {
  mediaUri: string;
  waveformData?: number[];
}

/** Models.ChatMessage */
export interface SimChatMessage {
  id: string;
  body: string;
  from: string;
  to: string;
  utc: string;
  bodyType: string;
  participantPurpose: string;
}

/** Models.RecordingMessagingMessage */
export interface SimMessagingMessage {
  id: string;
  from: string;
  to: string;
  timestamp: string;
  purpose: string;
  participantId: string;
  messageText: string;
}

/** Models.RecordingEmailMessage */
export interface SimEmailMessage {
  id: string;
  from: { email: string; name?: string };
  to: { email: string; name?: string }[];
  subject: string;
  textBody: string;
  time: string;
}

/** Models.Recording */
export interface SimRecording {
  id: string;
  conversationId: string;
  startTime: string;
  endTime: string;
  media: string;
  annotations: SimAnnotation[];
  fileState: string;
  sessionId: string;
  mediaUris?: Record<string, SimMediaResult>;
  transcript?: SimChatMessage[];
  messagingTranscript?: SimMessagingMessage[];
  emailTranscript?: SimEmailMessage[];
  estimatedTranscodeTimeMs?: number;
  actualTranscodeTimeMs?: number;
  outputDurationMs?: number;
  outputSizeInBytes?: number;
  creationTime: string;
  selfUri: string;
}

/** JSON value stored in custom attributes. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Models.CustomAttributes */
export interface SimCustomAttributes {
  id: string;
  conversationId: string;
  divisions: string[];
  customAttributes: { [key: string]: JsonValue };
  version: number;
  dateCreated: string;
  dateModified: string;
  selfUri: string;
}

/** Models.CustomAttributesListing */
export interface SimCustomAttributesListing {
  results: SimCustomAttributes[];
}

/** Models.CustomAttributesIdResponse */
export interface SimCustomAttributesIdResponse {
  id: string;
}

/** The token endpoint's success body (not in the SDK models; .NET AuthTokenInfo). */
export interface SimTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}
