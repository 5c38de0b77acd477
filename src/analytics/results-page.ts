/**
 * A job results page read from its bytes: the envelope (cursor, dataAvailabilityDate) at once, each conversation
 * only when it is read (src/internal/json-array-scan.ts says why). A body that does not scan as one object is
 * parsed whole and validated as before, so an odd or broken body still gets the usual UnexpectedResponseError.
 */
import { unexpectedResponse } from '../transport/decode';
import type { ApiResponse } from '../client';
import { formatPath, type ValidationIssue } from '../errors';
import { scanObjectArray } from '../internal/json-array-scan';
import { AsyncQueryResultsPage, type AnalyticsConversation } from './schemas';

/**
 * Reads (parses and checks) one conversation of the page. Read each once: when the last unread one has been read,
 * the page's bytes are given back (scanObjectArray's `releaseWhenRead`) and a further read throws.
 */
export type ConversationReader = () => AnalyticsConversation;

export interface ResultsPageBody {
  conversations: ConversationReader[];
  cursor: string | undefined;
  dataAvailabilityDate: string | undefined;
}

export function readResultsPage(res: ApiResponse<Buffer>, path: string): ResultsPageBody {
  const fail = (issues: ValidationIssue[]) => unexpectedResponse({ method: 'GET', path, status: res.status, correlationId: res.correlationId }, issues);
  const scanned = scanObjectArray(res.data, 'conversations', { releaseWhenRead: true });
  let envelopeInput: unknown;
  try {
    envelopeInput = scanned ? scanned.envelope : res.data.length === 0 ? undefined : JSON.parse(new TextDecoder().decode(res.data));
  } catch {
    throw fail([{ path: '', message: 'body is not valid JSON' }]);
  }
  const envelope = AsyncQueryResultsPage.safeParse(envelopeInput);
  if (!envelope.success) throw fail(envelope.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message, code: i.code })));
  const { cursor, dataAvailabilityDate } = envelope.data;
  if (!scanned) {
    // Parsed whole (and every conversation checked by the schema): the readers hand out what is already there.
    const all = (envelope.data.conversations ?? []) as AnalyticsConversation[];
    return { conversations: all.map((c) => () => c), cursor, dataAvailabilityDate };
  }
  const conversations = Array.from({ length: scanned.count }, (_, i): ConversationReader => () => {
    let c: unknown;
    try {
      c = scanned.element(i);
    } catch {
      throw fail([{ path: `conversations[${i}]`, message: 'conversation is not valid JSON' }]);
    }
    if (typeof c !== 'object' || c === null || typeof (c as { conversationId?: unknown }).conversationId !== 'string') {
      throw fail([{ path: `conversations[${i}].conversationId`, message: 'expected every conversation to have a string conversationId' }]);
    }
    return c as AnalyticsConversation;
  });
  return { conversations, cursor, dataAvailabilityDate };
}
