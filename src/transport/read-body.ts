import { ResponseTooLargeError } from '../errors';

/**
 * Reads a response body to the end, under two bounds the body itself cannot stretch: the attempt's signal (its
 * per-attempt timeout covers the whole body, so a server that sends headers and then drips the body is cut off and
 * retried like any timeout) and `limitBytes` (a body that grows past it is abandoned at once, before it is held in
 * memory, with a `ResponseTooLargeError`).
 */
export async function readBody(
  response: Response,
  init: { limitBytes: number; signal: AbortSignal; method: string; path: string },
): Promise<Buffer> {
  const tooLarge = () => new ResponseTooLargeError({ limitBytes: init.limitBytes, method: init.method, path: init.path });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > init.limitBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(init.signal.reason);
    if (init.signal.aborted) onAbort();
    else init.signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      total += value.byteLength;
      if (total > init.limitBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    throw e;
  } finally {
    if (onAbort) init.signal.removeEventListener('abort', onAbort);
  }
  const only = chunks.length === 1 ? chunks[0]! : undefined;
  // A chunk that owns its whole ArrayBuffer is handed on as is: the results-page scanner can then give those bytes
  // back early (src/analytics/results-page.ts); anything else is copied once into a buffer of its own.
  if (only && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength) return Buffer.from(only.buffer, 0, only.byteLength);
  return Buffer.concat(chunks, total);
}
