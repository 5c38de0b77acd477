/**
 * Wire shapes of the simulated recording and custom-attribute endpoints, each mirroring the official SDK model named
 * in its comment; types.ts says how they are kept honest.
 */

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

/** Models.Recording: the metadata's fields plus the media (or transcript) and transcoding figures. */
export interface SimRecording extends SimRecordingMetadata {
  mediaUris?: Record<string, SimMediaResult>;
  transcript?: SimChatMessage[];
  messagingTranscript?: SimMessagingMessage[];
  emailTranscript?: SimEmailMessage[];
  estimatedTranscodeTimeMs?: number;
  actualTranscodeTimeMs?: number;
  outputDurationMs?: number;
  outputSizeInBytes?: number;
  creationTime: string;
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
