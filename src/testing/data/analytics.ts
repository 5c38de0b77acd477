/**
 * Analytics views of a conversation: the `AnalyticsConversation` of the details query and job results, with
 * participants (customer, acd, agent), their sessions, segments and metrics, and the conversation-level
 * `evaluations[]` (docs/platform-notes.md section c: evaluations sit on the conversation, not on participants).
 */
import type { ConversationCore, Dataset, EvaluationCore, MediaType } from './dataset';
import { uuidFor } from './rng';
import { ID_KIND } from './streams';
import type {
  SimAnalyticsConversation,
  SimAnalyticsConversationWithAttributes,
  SimAnalyticsEvaluation,
  SimParticipantWithAttributes,
  SimSegment,
  SimSession,
} from './types';
import { iso } from './time';

export function analyticsEvaluation(ds: Dataset, c: ConversationCore, e: EvaluationCore): SimAnalyticsEvaluation {
  const family = ds.forms[e.formIndex];
  const form = ds.formOf(e);
  const scores = e.status === 'Pending' || e.status === 'InProgress' ? undefined : ds.scores(e);
  return {
    assigneeApplicable: false,
    ...(e.calibrationId !== undefined ? { calibrationId: e.calibrationId } : {}),
    contextId: family?.contextId ?? form.contextId,
    deleted: e.deleted !== undefined,
    evaluationId: e.id,
    evaluationStatus: e.status,
    evaluatorId: ds.pools.evaluators[e.evaluatorIndex]?.id ?? '',
    eventTime: iso(e.changed),
    formId: form.id,
    formName: form.name,
    queueId: ds.pools.queues[c.queueIndex]?.id ?? '',
    released: e.released !== undefined,
    rescored: e.rescored !== undefined,
    systemSubmitted: false,
    userId: ds.pools.agents[c.agentIndex]?.id ?? '',
    ...(scores ? { oTotalCriticalScore: scores.totalCriticalScore, oTotalScore: scores.totalScore } : {}),
  };
}

/**
 * Session p of a conversation: 0 customer, 1 acd, 2 agent (recordings belong to the agent's session); a
 * multi-channel conversation's second channel adds 3 (customer) and 4 (agent, holding that channel's recording).
 */
export function sessionIdOf(ds: Dataset, c: ConversationCore, p: number): string {
  return uuidFor(ds.seed, ID_KIND.sessionId, c.index, p);
}

function participantId(ds: Dataset, c: ConversationCore, p: number): string {
  return uuidFor(ds.seed, ID_KIND.participant, c.index, p);
}

function baseSession(c: ConversationCore, id: string, segments: SimSegment[]): SimSession {
  const s: SimSession = { sessionId: id, mediaType: c.mediaType, direction: c.direction, segments };
  if (c.messageType !== undefined) s.messageType = c.messageType;
  return s;
}

/**
 * The second channel's session of a participant (customer or agent), connected for the talk phase. It carries no
 * addresses: the customer's address belongs to the first channel's session.
 */
function secondSession(c: ConversationCore, second: MediaType, id: string, from: string, to: string): SimSession {
  return { sessionId: id, mediaType: second, direction: c.direction, segments: [{ segmentStart: from, segmentEnd: to, segmentType: 'interact', disconnectType: 'peer', conference: false }] };
}

/** Participants in platform order: customer, acd (queue), agent; `attributes` adds the customer's (job results). */
export function participants(ds: Dataset, c: ConversationCore, attributes = false): SimParticipantWithAttributes[] {
  const queue = ds.pools.queues[c.queueIndex];
  const agent = ds.pools.agents[c.agentIndex];
  const wrapUp = ds.pools.wrapUpCodes[c.wrapUpIndex];
  const { acd, alert, talk } = c.phases;
  const acdEnd = c.start + acd;
  const alertEnd = acdEnd + alert;
  const talkEnd = alertEnd + talk;
  // Five instants shape every segment and metric: format each once.
  const tStart = iso(c.start);
  const tAcdEnd = iso(acdEnd);
  const tAlertEnd = iso(alertEnd);
  const tTalkEnd = iso(talkEnd);
  const tEnd = iso(c.end);
  const dnis = c.mediaType === 'voice' ? 'tel:+18005550100' : c.mediaType === 'email' ? 'support@contact.example.com' : 'web';

  const customer = baseSession(c, sessionIdOf(ds, c, 0), [
    { segmentStart: tStart, segmentEnd: tTalkEnd, segmentType: 'interact', disconnectType: 'peer', conference: false },
  ]);
  customer.provider = c.mediaType === 'voice' ? 'Edge' : 'PureCloud';
  if (c.mediaType === 'voice') {
    customer.ani = c.customerAddress;
    customer.dnis = dnis;
  }
  customer.addressFrom = c.direction === 'inbound' ? c.customerAddress : dnis;
  customer.addressTo = c.direction === 'inbound' ? dnis : c.customerAddress;

  const acdSession = baseSession(c, sessionIdOf(ds, c, 1), [
    { segmentStart: tStart, segmentEnd: tAcdEnd, segmentType: 'interact', queueId: queue?.id ?? '', disconnectType: 'transfer', conference: false },
  ]);
  acdSession.metrics = [
    { emitDate: tStart, name: 'nOffered', value: 1 },
    { emitDate: tAcdEnd, name: 'tAcd', value: acd },
  ];

  const agentSession = baseSession(c, sessionIdOf(ds, c, 2), [
    { segmentStart: tAcdEnd, segmentEnd: tAlertEnd, segmentType: 'alert', queueId: queue?.id ?? '', conference: false },
    { segmentStart: tAlertEnd, segmentEnd: tTalkEnd, segmentType: 'interact', queueId: queue?.id ?? '', disconnectType: 'client', conference: false },
    { segmentStart: tTalkEnd, segmentEnd: tEnd, segmentType: 'wrapup', queueId: queue?.id ?? '', wrapUpCode: wrapUp?.id ?? '', conference: false },
  ]);
  if (c.mediaType === 'voice') agentSession.recording = c.recorded;
  agentSession.metrics = [
    { emitDate: tAlertEnd, name: 'tAlert', value: alert },
    { emitDate: tAlertEnd, name: 'tAnswered', value: acd + alert },
    { emitDate: tTalkEnd, name: 'tTalk', value: talk },
    { emitDate: tTalkEnd, name: 'tTalkComplete', value: talk },
    { emitDate: tEnd, name: 'tAcw', value: c.phases.acw },
    { emitDate: tEnd, name: 'tHandle', value: talk + c.phases.acw },
  ];

  const customerSessions = [customer];
  const agentSessions = [agentSession];
  if (c.secondMediaType !== undefined) {
    customerSessions.push(secondSession(c, c.secondMediaType, sessionIdOf(ds, c, 3), tAlertEnd, tTalkEnd));
    agentSessions.push(secondSession(c, c.secondMediaType, sessionIdOf(ds, c, 4), tAlertEnd, tTalkEnd));
  }

  return [
    {
      participantId: participantId(ds, c, 0),
      purpose: c.direction === 'inbound' ? 'customer' : 'external',
      sessions: customerSessions,
      ...(attributes ? { attributes: { customerTier: c.customerTier, language: 'en-US' } } : {}),
    },
    { participantId: participantId(ds, c, 1), participantName: queue?.name ?? 'Queue', purpose: 'acd', sessions: [acdSession] },
    { participantId: participantId(ds, c, 2), participantName: agent?.name ?? 'Agent', purpose: 'agent', userId: agent?.id ?? '', sessions: agentSessions },
  ];
}

/** The details-query view (`AnalyticsConversationWithoutAttributes`): all of the conversation's evaluations. */
export function analyticsConversation(ds: Dataset, c: ConversationCore): SimAnalyticsConversation {
  return build(ds, c, false);
}

/** The job-results view (`AnalyticsConversation`): as above plus participant attributes. */
export function analyticsConversationWithAttributes(ds: Dataset, c: ConversationCore): SimAnalyticsConversationWithAttributes {
  return build(ds, c, true);
}

function build(ds: Dataset, c: ConversationCore, attributes: boolean): SimAnalyticsConversationWithAttributes {
  const out: SimAnalyticsConversationWithAttributes = {
    conversationId: c.id,
    conversationStart: iso(c.start),
    conversationEnd: iso(c.end),
    conversationInitiator: c.direction === 'inbound' ? 'customer' : 'agent',
    customerParticipation: true,
    divisionIds: [ds.pools.division.id],
    originatingDirection: c.direction,
    participants: participants(ds, c, attributes),
  };
  if (c.mos !== undefined) out.mediaStatsMinConversationMos = c.mos;
  if (c.evaluations.length > 0) out.evaluations = c.evaluations.map((e) => analyticsEvaluation(ds, c, e));
  return out;
}
