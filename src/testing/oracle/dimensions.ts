/**
 * The dimension and metric vocabularies the platform accepts in details-query filters (docs/platform-notes.md section c;
 * lists from the official Python SDK's model enums). A name outside these is a 400, as on the platform; a valid name
 * the simulator does not populate simply never matches (`notExists` matches).
 */

export const CONVERSATION_DIMENSIONS = new Set([
  'accessAttribute', 'conversationEnd', 'conversationId', 'conversationInitiator', 'conversationStart', 'customerParticipation',
  'divisionId', 'externalTag', 'mediaStatsMinConversationMos', 'originatingDirection', 'originatingSocialMediaPublic',
]);

export const CONVERSATION_METRICS = new Set([
  'nBlindTransferred', 'nBotInteractions', 'nCallbackAttempts', 'nCallbackOverSla', 'nCallbackScheduled', 'nCfcOffered',
  'nCobrowseSessions', 'nConnected', 'nConsult', 'nConsultTransferred', 'nConversations', 'nError', 'nFlow', 'nFlowMilestone',
  'nFlowOutcome', 'nFlowOutcomeFailed', 'nOffered', 'nOutbound', 'nOutboundAbandoned', 'nOutboundAttempted',
  'nOutboundConnected', 'nOverSla', 'nStateTransitionError', 'nTakeover', 'nTransferred', 'oAudioMessageCount',
  'oExternalAudioMessageCount', 'oExternalMediaCount', 'oFlowMilestone', 'oMediaCount', 'oMessageCount',
  'oMessageSegmentCount', 'oMessageTurn', 'oSkillExpressionApplications', 'tAbandon', 'tAcd', 'tActiveCallback',
  'tActiveCallbackComplete', 'tAcw', 'tAgentResponseTime', 'tAgentVideoConnected', 'tAlert', 'tAnswered',
  'tAverageAgentResponseTime', 'tAverageCustomerResponseTime', 'tBarging', 'tCfcAbandon', 'tCfcAcd', 'tCfcAnswered',
  'tCfcFlowOut', 'tCoaching', 'tCoachingComplete', 'tConnected', 'tContacting', 'tConversationDuration', 'tDialing',
  'tFirstConnect', 'tFirstDial', 'tFirstEngagement', 'tFirstResponse', 'tFlow', 'tFlowDisconnect', 'tFlowExit', 'tFlowOut',
  'tFlowOutcome', 'tHandle', 'tHeld', 'tHeldComplete', 'tIvr', 'tMonitoring', 'tMonitoringComplete', 'tNotResponding',
  'tPark', 'tParkComplete', 'tScreenMonitoring', 'tShortAbandon', 'tSnippetRecord', 'tTalk', 'tTalkComplete',
  'tTransmitting', 'tUserResponseTime', 'tVoicemail',
]);

export const SEGMENT_DIMENSIONS = new Set([
  'addressFrom', 'addressOther', 'addressSelf', 'addressTo', 'agentScore', 'ani', 'audioMuted', 'callbackNumber',
  'callbackScheduledTime', 'callbackUserName', 'cobrowseRole', 'cobrowseRoomId', 'conference', 'destinationConversationId',
  'destinationSessionId', 'direction', 'disconnectType', 'dispositionAnalyzer', 'dispositionName', 'dnis', 'edgeId',
  'endingLanguage', 'entryReason', 'entryType', 'errorCode', 'exitReason', 'externalContactId', 'externalOrganizationId',
  'flaggedReason', 'flowId', 'flowName', 'flowOutcome', 'flowOutcomeEndTimestamp', 'flowOutcomeId',
  'flowOutcomeStartTimestamp', 'flowOutcomeValue', 'flowType', 'flowVersion', 'groupId', 'issuedCallback',
  'journeyActionId', 'journeyActionMapId', 'journeyActionMapVersion', 'journeyCustomerId', 'journeyCustomerIdType',
  'journeyCustomerSessionId', 'journeyCustomerSessionIdType', 'mediaBridgeId', 'mediaType', 'messageType',
  'monitoredParticipantId', 'outboundCampaignId', 'outboundContactId', 'outboundContactListId', 'participantId',
  'participantName', 'peerId', 'protocolCallId', 'provider', 'purpose', 'q850ResponseCode', 'queueId', 'remote', 'recording',
  'remoteNameDisplayable', 'requestedLanguageId', 'requestedRoutingSkillId', 'requestedRoutingUserId', 'roomId',
  'scoredAgentId', 'screenShareAddressSelf', 'screenShareRoomId', 'scriptId', 'segmentEnd', 'segmentType', 'sessionDnis',
  'sessionId', 'sharingScreen', 'sipResponseCode', 'skipEnabled', 'sourceConversationId', 'sourceSessionId',
  'startingLanguage', 'subject', 'timeoutSeconds', 'transferTargetAddress', 'transferTargetName', 'transferType', 'userId',
  'videoAddressSelf', 'videoMuted', 'videoRoomId', 'wrapUpCode', 'wrapUpNote', 'wrapUpTag',
]);

export const SEGMENT_METRICS = new Set(['tSegmentDuration']);

export const EVALUATION_DIMENSIONS = new Set([
  'assigneeApplicable', 'assigneeId', 'calibrationId', 'contextId', 'deleted', 'evaluationId', 'evaluationStatus',
  'evaluatorId', 'eventTime', 'formId', 'formName', 'queueId', 'released', 'rescored', 'systemSubmitted', 'userId',
]);

export const EVALUATION_METRICS = new Set(['oTotalCriticalScore', 'oTotalScore']);
