/** Small pieces shared by the media files. */
import { apiPath } from '../internal/api-path';
import { ApiError, UnexpectedResponseError } from '../errors';

export const conversationPath = (conversationId: string): string => apiPath`/api/v2/conversations/${conversationId}`;

/** Runs a request and records its correlation id, from the response or from the error it failed with. */
export async function collecting<T extends { correlationId: string | undefined }>(ids: string[], fn: () => Promise<T>): Promise<T> {
  try {
    const res = await fn();
    if (res.correlationId) ids.push(res.correlationId);
    return res;
  } catch (e) {
    if ((e instanceof ApiError || e instanceof UnexpectedResponseError) && e.correlationId) ids.push(e.correlationId);
    throw e;
  }
}
