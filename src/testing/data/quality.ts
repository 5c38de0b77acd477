/**
 * Quality API views of an evaluation: `EvaluationResponse` (GET by id) and `EvaluationSearchItemResponse` (search).
 * Status is UPPERCASE here (PascalCase in analytics); a calibration shows as the `calibration` reference, never as
 * an `isCalibration` flag (docs/platform-notes.md section e).
 */
import type { ConversationCore, Dataset, EvaluationCore, MediaType } from './dataset';
import { QUALITY_STATUS, mediaTypesOf } from './dataset';
import type { Person } from './pools';
import type { SimEmbeddedForm, SimEvaluationResponse, SimEvaluationSearchItem, SimUser } from './types';
import { iso } from './time';

/** Believed values of `EvaluationResponse.mediaType` (the model documents no enum). */
export const QUALITY_MEDIA_TYPE: Record<MediaType, string> = { voice: 'CALL', chat: 'CHAT', message: 'MESSAGE', email: 'EMAIL' };

const user = (p: Person | undefined): SimUser => ({
  id: p?.id ?? '',
  name: p?.name ?? '',
  email: p?.email ?? '',
  version: 1,
  selfUri: `/api/v2/users/${p?.id ?? ''}`,
});

function common(ds: Dataset, c: ConversationCore, e: EvaluationCore) {
  const queue = ds.pools.queues[c.queueIndex];
  const answers = ds.scores(e);
  return {
    id: e.id,
    conversation: { id: c.id, selfUri: `/api/v2/conversations/${c.id}` },
    evaluator: user(ds.pools.evaluators[e.evaluatorIndex]),
    agent: user(ds.pools.agents[c.agentIndex]),
    ...(e.calibrationId !== undefined ? { calibration: { id: e.calibrationId, selfUri: `/api/v2/quality/calibrations/${e.calibrationId}` } } : {}),
    status: QUALITY_STATUS[e.status],
    ...(answers ? { answers } : {}),
    agentHasRead: e.agentHasRead,
    assigneeApplicable: false,
    ...(e.released !== undefined ? { releaseDate: iso(e.released) } : {}),
    assignedDate: iso(e.created),
    createdDate: iso(e.created),
    changedDate: iso(e.changed),
    ...(e.submitted !== undefined ? { submittedDate: iso(e.submitted) } : {}),
    queue: { id: queue?.id ?? '', name: queue?.name ?? '', selfUri: `/api/v2/routing/queues/${queue?.id ?? ''}` },
    mediaType: mediaTypesOf(c).map((m) => QUALITY_MEDIA_TYPE[m]),
    divisionIds: [ds.pools.division.id],
    rescore: e.rescored !== undefined,
    conversationDate: iso(c.start),
    conversationEndDate: iso(c.end),
    neverRelease: false,
    assigned: true,
    ...(c.mediaType === 'email' ? { resourceType: 'EMAIL' } : {}),
    redacted: false,
    isScoringIndex: e.isScoringIndex,
    authorizedActions: ['edit', 'editScore', 'editAgentSignoff', 'delete', 'release', 'viewAudit'],
    hasAssistanceFailed: false,
    disputeCount: 0,
    version: 1,
    declinedReview: false,
    selfUri: `/api/v2/quality/conversations/${c.id}/evaluations/${e.id}`,
  };
}

/** `expandForm`: include the form version's question groups (`?expand=evaluationForm`). */
export function evaluationResponse(ds: Dataset, c: ConversationCore, e: EvaluationCore, expandForm: boolean): SimEvaluationResponse {
  const form = ds.formOf(e);
  const embedded: SimEmbeddedForm = {
    id: form.id,
    name: form.name,
    contextId: form.contextId,
    published: form.published,
    modifiedDate: form.modifiedDate,
    selfUri: form.selfUri,
    ...(expandForm ? { weightMode: form.weightMode, questionGroups: form.questionGroups } : {}),
  };
  return { ...common(ds, c, e), evaluationForm: embedded };
}

export function evaluationSearchItem(ds: Dataset, c: ConversationCore, e: EvaluationCore): SimEvaluationSearchItem {
  const form = ds.formOf(e);
  return {
    ...common(ds, c, e),
    evaluationForm: { id: form.id, contextId: form.contextId, published: form.published, modifiedDate: form.modifiedDate, selfUri: form.selfUri },
  };
}
