/**
 * Wire shapes the simulator sends: the error body and the quality shapes here, the analytics ones in
 * analytics-types.ts, the recording and custom-attribute ones in media-types.ts. Each mirrors a model of the
 * official SDK (named in the comment) and uses only fields that model has; test/testing/contract-types.test.ts
 * checks both directions at compile time, so these cannot drift from the platform's shapes. They are declared here
 * rather than imported so that the published .d.ts does not depend on purecloud-platform-client-v2.
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

// The analytics and media shapes, one file each; re-exported so importers and the package entry keep one place.
export type * from './analytics-types';
export type * from './media-types';
