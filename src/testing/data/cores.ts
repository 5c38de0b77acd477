/**
 * The generated records before they take the platform's shapes: a conversation and its evaluations as numbers and
 * indexes (analytics.ts, quality.ts and recordings.ts render them). Types and bounds only, imported by dataset.ts
 * (which generates them) and evolution.ts (which ages them) without either importing the other's module.
 */

export type MediaType = 'voice' | 'chat' | 'message' | 'email';
/** Analytics spelling (PascalCase); the Quality API uses the UPPERCASE form. */
export type EvaluationStatus = 'Finished' | 'InProgress' | 'Pending' | 'InReview' | 'Retracted';

export const QUALITY_STATUS: Record<EvaluationStatus, string> = {
  Finished: 'FINISHED',
  InProgress: 'INPROGRESS',
  Pending: 'PENDING',
  InReview: 'INREVIEW',
  Retracted: 'RETRACTED',
};

/** No conversation lasts longer than this; bounds the look-back of "activity in an interval" queries. */
export const MAX_CONVERSATION_MS = 4 * 3_600_000;
/** No evaluation event is later than this after its conversation ended; bounds look-backs by evaluation dates. */
export const MAX_EVALUATION_LAG_MS = 4 * 86_400_000;

/** Evaluation ids encode `index * EVALUATION_SLOTS + slot`. */
export const EVALUATION_SLOTS = 8;

export interface EvaluationCore {
  conversationIndex: number;
  slot: number;
  id: string;
  formIndex: number;
  formVersion: number;
  evaluatorIndex: number;
  status: EvaluationStatus;
  calibrationId?: string;
  isScoringIndex: boolean;
  created: number;
  submitted?: number;
  released?: number;
  changed: number;
  agentHasRead: boolean;
  /** After `org.advance()` (evolution.ts): when it was rescored (new answers), when it was deleted. */
  rescored?: number;
  deleted?: number;
}

export interface Phases {
  /** Waiting in queue (acd session). */
  acd: number;
  alert: number;
  /** Agent and customer connected. */
  talk: number;
  acw: number;
}

export interface ConversationCore {
  index: number;
  id: string;
  start: number;
  end: number;
  phases: Phases;
  mediaType: MediaType;
  direction: 'inbound' | 'outbound';
  queueIndex: number;
  agentIndex: number;
  wrapUpIndex: number;
  /** Voice: a call recording exists. Always true for digital media (their transcript is the recording). */
  recorded: boolean;
  screenRecorded: boolean;
  customerAddress: string;
  customerTier: 'gold' | 'silver' | 'bronze';
  mos?: number;
  messageType?: string;
  /**
   * The second channel of a multi-channel conversation (option `multiChannelShare`): its own customer and agent
   * sessions during the talk phase and its own recording. Never equal to `mediaType`.
   */
  secondMediaType?: MediaType;
  evaluations: EvaluationCore[];
}

/** Every media type of a conversation, its first channel first. */
export function mediaTypesOf(c: ConversationCore): MediaType[] {
  return c.secondMediaType === undefined ? [c.mediaType] : [c.mediaType, c.secondMediaType];
}
