/** Small builders for analytics conversations used by the filter tests. */
import type { AnalyticsConversationLike } from '@org/gc-data/filters';

export const Q1 = '11111111-1111-4111-8111-111111111111';
export const Q2 = '22222222-2222-4222-8222-222222222222';
export const U1 = '33333333-3333-4333-8333-333333333333';

export interface SegmentSpec {
  segmentType?: string;
  queueId?: string;
  wrapUpCode?: string;
  segmentStart?: string;
  segmentEnd?: string;
  [extra: string]: unknown;
}

/** One participant with one session holding the given segments. */
export function conversation(
  session: { mediaType?: string; direction?: string; purpose?: string; userId?: string; segments: SegmentSpec[]; [extra: string]: unknown },
  rest: Partial<AnalyticsConversationLike> & Record<string, unknown> = {},
): AnalyticsConversationLike {
  const { purpose, userId, ...sessionFields } = session;
  return {
    conversationId: 'c-1',
    ...rest,
    participants: [{ ...(purpose ? { purpose } : {}), ...(userId ? { userId } : {}), sessions: [sessionFields] }],
  };
}

export const at = (iso: string, plusMs: number): string => new Date(Date.parse(iso) + plusMs).toISOString();
