/**
 * `GET /api/v2/analytics/conversations/{conversationId}/details` (official SDK `getAnalyticsConversationDetails`):
 * one conversation's detail document (`AnalyticsConversationWithoutAttributes`), as the details query shows it.
 * Unknown ids are a 404.
 */
import { analyticsConversation } from '../data/analytics';
import type { RouteDef } from '../engine/context';
import { json, notFound } from '../engine/http';

export function conversationDetailsRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v2/analytics/conversations/{conversationId}/details',
      handler({ org, params }) {
        const index = org.data.conversationIndex(params.conversationId ?? '');
        if (index === undefined) throw notFound(`Conversation ${params.conversationId ?? ''} was not found.`);
        return json(200, analyticsConversation(org.data, org.data.core(index)));
      },
    },
  ];
}
