/**
 * The fields a details-query filter can name, at the level the platform files them under.
 *
 * Names come from the predicate enums of the official SDKs (docs/platform-notes.md section c; segment dimensions from
 * the .NET SDK's `SegmentDetailQueryPredicate.DimensionEnum`, 77 values). Enum values come from the Java SDK model
 * docs (`AnalyticsSession`, `AnalyticsConversationSegment`, `AnalyticsParticipant`, `AnalyticsSurvey`) and may
 * lag the platform: `compileFilter({ strictEnums: false })` lets a newer value through.
 *
 * `source` says where the value lives in an `AnalyticsConversation` (JS typings 262); `[]` walks an array. It is
 * what client-side evaluation reads. A field without `source` can be sent to the platform but not evaluated
 * locally. Conversation-level *metrics* (tHandle, ...) are left out: the detail record carries them only per
 * session, so a client-side check could not mirror what the platform matched.
 */

import { ValidationError } from '../errors';
import { kindOf, quote } from '../helpers/input-guard';

export type FieldLevel = 'conversation' | 'segment' | 'evaluation' | 'survey';
export type FieldKind = 'dimension' | 'metric';
export type FieldType = 'string' | 'uuid' | 'number' | 'boolean' | 'datetime' | 'enum';

export interface FilterField {
  readonly name: string;
  readonly level: FieldLevel;
  readonly kind: FieldKind;
  readonly type: FieldType;
  readonly values?: readonly string[];
  readonly source?: string;
}

/** Unqualified names shared by several levels resolve to the first level in this order. */
export const FIELD_LEVELS: readonly FieldLevel[] = ['conversation', 'segment', 'evaluation', 'survey'];

const MEDIA_TYPES = [
  'callback', 'chat', 'cobrowse', 'email', 'internalmessage', 'message',
  'screenmonitoring', 'screenshare', 'unknown', 'video', 'voice',
] as const;
const DIRECTIONS = ['inbound', 'outbound'] as const;
const PURPOSES = [
  'acd', 'agent', 'api', 'botflow', 'campaign', 'customer', 'dialer', 'external', 'fax', 'group', 'inbound',
  'ivr', 'manual', 'outbound', 'station', 'user', 'voicemail', 'voicesurveyflow', 'workflow',
] as const;
const SEGMENT_TYPES = [
  'alert', 'barging', 'callback', 'coaching', 'contacting', 'converting', 'delay', 'dialing', 'hold', 'interact',
  'ivr', 'monitoring', 'parked', 'scheduled', 'sharing', 'system', 'transmitting', 'unknown', 'uploading',
  'voicemail', 'wrapup',
] as const;
const DISCONNECT_TYPES = [
  'client', 'conferenceTransfer', 'consultTransfer', 'dndEndpoint', 'dndTransfer', 'endpoint', 'error',
  'forwardTransfer', 'noAnswerTransfer', 'notAvailableTransfer', 'other', 'peer', 'spam', 'system', 'timeout',
  'transfer', 'transportFailure', 'uncallable',
] as const;
const DELIVERY_STATUSES = [
  'DeliveryFailed', 'DeliveryPushed', 'DeliverySuccess', 'Failed', 'Published', 'Queued', 'Read', 'Received', 'Sent',
] as const;
const ENGAGEMENT_SOURCES = [
  'AppleMessagesForBusiness', 'Discord', 'Email', 'Facebook', 'FacebookMessenger', 'Glassdoor',
  'GoogleBusinessProfile', 'Instagram', 'KakaoTalk', 'Line', 'LinkedIn', 'MicrosoftTeams', 'MobileChat', 'Other',
  'QQ', 'Reddit', 'ServiceNow', 'SFDC', 'SMS', 'Snapchat', 'Telegram', 'Threads', 'Trustpilot', 'Unspecified',
  'Viber', 'WebChat', 'WeChat', 'Weibo', 'WhatsApp', 'X', 'Yelp', 'YouTube', 'Zendesk', 'OpenMessaging',
] as const;
const ROUTINGS = ['Bullseye', 'Conditional', 'Direct', 'Last', 'Manual', 'Predictive', 'Preferred', 'Standard', 'Vip'] as const;
const EVALUATION_STATUSES = ['Finished', 'InProgress', 'InReview', 'Pending', 'Retracted'] as const;
const SURVEY_TYPES = ['Web', 'Voice'] as const;

type Row = [name: string, type: FieldType, source?: string, values?: readonly string[]];

const P = 'participants[].';
const S = 'participants[].sessions[].';
const G = 'participants[].sessions[].segments[].';
const F = 'participants[].sessions[].flow.';

const CONVERSATION_DIMENSIONS: Row[] = [
  ['accessAttribute', 'string', 'accessAttributes[]'],
  ['conversationEnd', 'datetime', 'conversationEnd'],
  ['conversationId', 'uuid', 'conversationId'],
  ['conversationInitiator', 'string', 'conversationInitiator'],
  ['conversationStart', 'datetime', 'conversationStart'],
  ['customerParticipation', 'boolean', 'customerParticipation'],
  ['divisionId', 'uuid', 'divisionIds[]'],
  ['externalTag', 'string', 'externalTag'],
  ['mediaStatsMinConversationMos', 'number', 'mediaStatsMinConversationMos'],
  ['originatingDirection', 'enum', 'originatingDirection', DIRECTIONS],
  ['originatingSocialMediaPublic', 'boolean', 'originatingSocialMediaPublic'],
];

const SEGMENT_DIMENSIONS: Row[] = [
  // participant
  // canonicalExternalContactId is in the platform's enum but not on the analytics record (JS typings 262).
  ['canonicalExternalContactId', 'string'],
  ['externalContactId', 'uuid', `${P}externalContactId`],
  ['externalOrganizationId', 'uuid', `${P}externalOrganizationId`],
  ['flaggedReason', 'enum', `${P}flaggedReason`, ['general']],
  ['participantName', 'string', `${P}participantName`],
  ['purpose', 'enum', `${P}purpose`, PURPOSES],
  ['screenRecording', 'boolean', `${P}screenRecording`],
  ['teamId', 'uuid', `${P}teamId`],
  ['userId', 'uuid', `${P}userId`],
  // session
  ['addressFrom', 'string', `${S}addressFrom`],
  ['addressTo', 'string', `${S}addressTo`],
  ['agentAssistantId', 'uuid', `${S}agentAssistantId`],
  ['agentOwned', 'boolean', `${S}agentOwned`],
  ['ani', 'string', `${S}ani`],
  ['authenticated', 'boolean', `${S}authenticated`],
  ['bargedParticipantId', 'uuid', `${S}bargedParticipantId`],
  ['callbackNumber', 'string', `${S}callbackNumbers[]`],
  ['callbackScheduledTime', 'datetime', `${S}callbackScheduledTime`],
  ['cleared', 'boolean', `${S}cleared`],
  ['coachedParticipantId', 'uuid', `${S}coachedParticipantId`],
  ['deliveryPushed', 'boolean', `${S}deliveryPushed`],
  ['deliveryStatus', 'enum', `${S}deliveryStatus`, DELIVERY_STATUSES],
  ['destinationAddress', 'string', `${S}destinationAddresses[]`],
  ['detectedSpeechEnd', 'datetime', `${S}detectedSpeechEnd`],
  ['detectedSpeechStart', 'datetime', `${S}detectedSpeechStart`],
  ['direction', 'enum', `${S}direction`, DIRECTIONS],
  ['dnis', 'string', `${S}dnis`],
  ['edgeId', 'uuid', `${S}edgeId`],
  ['engagementSource', 'enum', `${S}engagementSource`, ENGAGEMENT_SOURCES],
  ['extendedDeliveryStatus', 'string', `${S}extendedDeliveryStatus`],
  ['flowOutType', 'string', `${S}flowOutType`],
  ['journeyActionId', 'uuid', `${S}journeyActionId`],
  ['journeyActionMapId', 'uuid', `${S}journeyActionMapId`],
  ['journeyCustomerId', 'string', `${S}journeyCustomerId`],
  ['journeyCustomerIdType', 'string', `${S}journeyCustomerIdType`],
  ['journeyCustomerSessionId', 'string', `${S}journeyCustomerSessionId`],
  ['mediaCount', 'number', `${S}mediaCount`],
  ['mediaType', 'enum', `${S}mediaType`, MEDIA_TYPES],
  ['messageType', 'string', `${S}messageType`],
  ['monitoredParticipantId', 'uuid', `${S}monitoredParticipantId`],
  ['outboundCampaignId', 'uuid', `${S}outboundCampaignId`],
  ['outboundContactId', 'string', `${S}outboundContactId`],
  ['outboundContactListId', 'uuid', `${S}outboundContactListId`],
  ['protocolCallId', 'string', `${S}protocolCallId`],
  ['provider', 'string', `${S}provider`],
  ['recording', 'boolean', `${S}recording`],
  ['remote', 'string', `${S}remote`],
  ['remoteNameDisplayable', 'string', `${S}remoteNameDisplayable`],
  ['requestedRouting', 'enum', `${S}requestedRoutings[]`, ROUTINGS],
  ['scriptId', 'uuid', `${S}scriptId`],
  ['sessionDnis', 'string', `${S}sessionDnis`],
  ['usedRouting', 'enum', `${S}usedRouting`, ROUTINGS],
  // session flow
  ['exitReason', 'string', `${F}exitReason`],
  ['flowId', 'uuid', `${F}flowId`],
  ['flowName', 'string', `${F}flowName`],
  ['flowVersion', 'string', `${F}flowVersion`],
  ['transferTargetAddress', 'string', `${F}transferTargetAddress`],
  ['transferTargetName', 'string', `${F}transferTargetName`],
  ['transferType', 'string', `${F}transferType`],
  ['flowOutcome', 'string', `${F}outcomes[].flowOutcome`],
  ['flowOutcomeId', 'uuid', `${F}outcomes[].flowOutcomeId`],
  ['flowOutcomeValue', 'string', `${F}outcomes[].flowOutcomeValue`],
  // segment
  ['conference', 'boolean', `${G}conference`],
  ['destinationConversationId', 'uuid', `${G}destinationConversationId`],
  ['disconnectType', 'enum', `${G}disconnectType`, DISCONNECT_TYPES],
  ['errorCode', 'string', `${G}errorCode`],
  ['groupId', 'uuid', `${G}groupId`],
  ['queueId', 'uuid', `${G}queueId`],
  ['requestedLanguageId', 'uuid', `${G}requestedLanguageId`],
  ['requestedRoutingSkillId', 'uuid', `${G}requestedRoutingSkillIds[]`],
  ['scoredAgentId', 'uuid', `${G}scoredAgents[].scoredAgentId`],
  ['segmentEnd', 'datetime', `${G}segmentEnd`],
  ['segmentType', 'enum', `${G}segmentType`, SEGMENT_TYPES],
  ['sipResponseCode', 'number', `${G}sipResponseCodes[]`],
  ['subject', 'string', `${G}subject`],
  // wrap-up codes are usually ids, but system codes such as ININ-WRAP-UP-TIMEOUT are not uuids
  ['wrapUpCode', 'string', `${G}wrapUpCode`],
  ['wrapUpNote', 'string', `${G}wrapUpNote`],
];

const EVALUATION_DIMENSIONS: Row[] = [
  ['assigneeApplicable', 'boolean'],
  ['assigneeId', 'uuid'],
  ['calibrationId', 'uuid'],
  ['contextId', 'uuid'],
  ['deleted', 'boolean'],
  ['evaluationId', 'uuid'],
  ['evaluationStatus', 'enum', undefined, EVALUATION_STATUSES],
  ['evaluatorId', 'uuid'],
  ['eventTime', 'datetime'],
  ['formId', 'uuid'],
  ['formName', 'string'],
  ['queueId', 'uuid'],
  ['released', 'boolean'],
  ['rescored', 'boolean'],
  ['systemSubmitted', 'boolean'],
  ['userId', 'uuid'],
];

const SURVEY_DIMENSIONS: Row[] = [
  ['eventTime', 'datetime'],
  ['queueId', 'uuid'],
  ['surveyCompletedDate', 'datetime'],
  ['surveyFormContextId', 'uuid'],
  ['surveyFormId', 'uuid'],
  ['surveyId', 'uuid'],
  ['surveyPartialResponse', 'boolean'],
  ['surveyPromoterScore', 'number'],
  ['surveyStatus', 'string'],
  ['surveyType', 'enum', undefined, SURVEY_TYPES],
  ['userId', 'uuid'],
];

function rows(level: FieldLevel, kind: FieldKind, list: Row[], defaultPrefix?: string): FilterField[] {
  return list.map(([name, type, source, values]) => ({
    name,
    level,
    kind,
    type,
    ...(values ? { values } : {}),
    ...(source ? { source } : defaultPrefix ? { source: `${defaultPrefix}${name}` } : {}),
  }));
}

export const FILTER_FIELDS: readonly FilterField[] = Object.freeze([
  ...rows('conversation', 'dimension', CONVERSATION_DIMENSIONS),
  ...rows('segment', 'dimension', SEGMENT_DIMENSIONS),
  // not a stored field: the evaluator derives it as segmentEnd - segmentStart in milliseconds
  { name: 'tSegmentDuration', level: 'segment', kind: 'metric', type: 'number', source: `${G}(segmentEnd - segmentStart)` },
  ...rows('evaluation', 'dimension', EVALUATION_DIMENSIONS, 'evaluations[].'),
  ...rows('evaluation', 'metric', [['oTotalCriticalScore', 'number'], ['oTotalScore', 'number']], 'evaluations[].'),
  ...rows('survey', 'dimension', SURVEY_DIMENSIONS, 'surveys[].'),
  ...rows('survey', 'metric', [['oSurveyTotalScore', 'number']], 'surveys[].'),
] satisfies FilterField[]);

const BY_QUALIFIED = new Map<string, FilterField>();
const BY_NAME = new Map<string, FilterField>();
for (const level of FIELD_LEVELS) {
  for (const f of FILTER_FIELDS) {
    if (f.level !== level) continue;
    BY_QUALIFIED.set(`${f.level}.${f.name}`, f);
    if (!BY_NAME.has(f.name)) BY_NAME.set(f.name, f);
  }
}

/**
 * Exact, case-sensitive lookup (the platform's names are case-sensitive). `queueId` resolves to the segment
 * dimension; `evaluation.queueId` / `survey.queueId` pick another level.
 */
export function lookupField(name: string): FilterField | undefined {
  // An unknown name is `undefined` (a lookup); a name that is not a string is a caller's bug.
  if (typeof name !== 'string') throw new ValidationError('lookupField input', [{ path: 'name', code: 'invalid_type', message: `expected a field name such as "queueId", got ${kindOf(name)} ${quote(name)}` }]);
  return BY_QUALIFIED.get(name) ?? BY_NAME.get(name);
}

/**
 * Enum values by lower-cased spelling, per field: enum values are matched case-insensitively and sent as the
 * platform spells them (the catalog's spelling). Built once; no field lists two values that differ only in case.
 */
const ENUM_BY_LOWER = new Map<FilterField, ReadonlyMap<string, string>>();
for (const f of FILTER_FIELDS) {
  if (f.type !== 'enum' || !f.values) continue;
  const m = new Map<string, string>();
  for (const v of f.values) {
    if (m.has(v.toLowerCase())) throw new Error(`filter catalog: ${f.name} lists ${v} twice (case-insensitively)`);
    m.set(v.toLowerCase(), v);
  }
  ENUM_BY_LOWER.set(f, m);
}

/** The catalog's (platform's) spelling of enum value `value` of `field`, matched case-insensitively; undefined if unknown. */
export function canonicalEnumValue(field: FilterField, value: string): string | undefined {
  return ENUM_BY_LOWER.get(field)?.get(value.toLowerCase());
}

/** Names the seed (and forum lore) uses for fields that exist under another name. A Map: keyed by caller input. */
const ALIASES: ReadonlyMap<string, readonly string[]> = new Map(Object.entries({
  type: ['mediaType'],
  interactiontype: ['mediaType'],
  wrapupcode: ['wrapUpCode'],
  durationseconds: ['tSegmentDuration'],
  duration: ['tSegmentDuration'],
  evaluationstate: ['evaluationStatus'],
  iscalibration: ['calibrationId'],
  agentid: ['userId'],
}));

/** Longer names get no suggestions: no catalog name is longer than 50 characters, and the distance is O(length). */
const SUGGEST_MAX_LENGTH = 256;

/**
 * The `n` catalog names nearest to `name` by edit distance (case-insensitive, a transposition counts as one
 * edit), for "did you mean". A qualified input (`evaluation.queuId`) is compared with qualified names.
 */
export function suggestFields(name: string, n = 3): string[] {
  const issues = [];
  if (typeof name !== 'string') issues.push({ path: 'name', code: 'invalid_type', message: `must be a string, got ${kindOf(name)} ${quote(name)}` });
  if (!Number.isSafeInteger(n) || n < 0 || n > 100) {
    issues.push({ path: 'n', code: 'invalid_value', message: `must be a whole number from 0 to 100, got ${kindOf(n)} ${quote(n)}` });
  }
  if (issues.length > 0) throw new ValidationError('suggestFields arguments', issues);
  if (name.length > SUGGEST_MAX_LENGTH) return [];
  const needle = name.toLowerCase();
  const qualified = name.includes('.');
  const candidates = qualified ? [...BY_QUALIFIED.keys()] : [...BY_NAME.keys()];
  const scored = candidates
    .map((c) => ({ c, d: editDistance(needle, c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  const out: string[] = [...(ALIASES.get(needle) ?? [])];
  for (const { c } of scored) {
    if (out.length >= n) break;
    if (!out.includes(c)) out.push(c);
  }
  return out.slice(0, Math.max(0, n));
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}
