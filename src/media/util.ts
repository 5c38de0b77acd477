/** Small pieces shared by the media files. */
import { apiPath } from '../internal/api-path';
import { AbortError, ApiError, UnexpectedResponseError } from '../errors';
import { abortableSleep } from '../transport/sleep';

export const conversationPath = (conversationId: string): string => apiPath`/api/v2/conversations/${conversationId}`;

/** `abortableSleep` whose abort surfaces as the SDK's `AbortError`, like an aborted request does. */
export async function pause(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  try {
    await abortableSleep(ms, signal);
  } catch (e) {
    throw new AbortError(`${what} was aborted by the caller's signal`, { cause: e });
  }
}

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
