/**
 * Faults that shape how a response is sent rather than what it says: `hugeBodyBytes` (a 2xx body grown to that many
 * bytes, still valid JSON), `dripBodyMs` (headers at once, then the body in `dripChunks` pieces spread over that
 * time) and `echoAuthorization` (an error body that quotes the request's Authorization header). Bodies are
 * generated as they are read, so a 600 MB body costs no memory here, and the drip stops when the client goes away.
 */
import { sleep } from '../engine/delay';

const PIECE = 64 * 1024;
const FILL = 0x20; // a space: the padding is spaces inside a JSON string (or after a non-object body)

/** Responses whose body is streamed (the node:http server writes them without a content-length). */
export const STREAMED = new WeakSet<Response>();

interface Source {
  length: number;
  read(offset: number, size: number): Uint8Array;
}

/** The body grown to `bytes`: `{"padding":"   ...",<the real fields>}` for an object, trailing spaces otherwise. */
function padded(body: Uint8Array, bytes: number): Source {
  const text = new TextDecoder().decode(body);
  const enc = new TextEncoder();
  const isObject = text.trimStart().startsWith('{');
  const inner = isObject ? text.trim().slice(1) : '';
  const prefix = isObject ? enc.encode('{"padding":"') : body;
  const suffix = isObject ? enc.encode(inner.trim() === '}' ? '"}' : `",${inner}`) : new Uint8Array(0);
  const pad = Math.max(0, bytes - prefix.length - suffix.length);
  const length = prefix.length + pad + suffix.length;
  return {
    length,
    read(offset, size) {
      const out = new Uint8Array(Math.min(size, length - offset));
      for (let k = 0; k < out.length; ) {
        const at = offset + k;
        if (at < prefix.length) {
          const n = Math.min(out.length - k, prefix.length - at);
          out.set(prefix.subarray(at, at + n), k);
          k += n;
        } else if (at < prefix.length + pad) {
          const n = Math.min(out.length - k, prefix.length + pad - at);
          out.fill(FILL, k, k + n);
          k += n;
        } else {
          const s = at - prefix.length - pad;
          const n = Math.min(out.length - k, suffix.length - s);
          out.set(suffix.subarray(s, s + n), k);
          k += n;
        }
      }
      return out;
    },
  };
}

function plain(body: Uint8Array): Source {
  return { length: body.length, read: (offset, size) => body.subarray(offset, offset + size) };
}

/**
 * `response` with its body grown to `hugeBytes` (0 = as is) and/or dripped over `dripMs` in `dripChunks` pieces
 * (0 = at once). Headers are kept (without content-length); the body is streamed.
 */
export async function reshapeBody(
  response: Response,
  opts: { hugeBytes: number; dripMs: number; dripChunks: number; signal: AbortSignal },
): Promise<Response> {
  const body = new Uint8Array(await response.arrayBuffer());
  const src = opts.hugeBytes > 0 ? padded(body, opts.hugeBytes) : plain(body);
  const pieces = opts.dripMs > 0 ? Math.max(1, Math.min(opts.dripChunks, src.length)) : 1;
  const pieceSize = Math.max(1, Math.ceil(src.length / pieces));
  const gapMs = opts.dripMs > 0 ? opts.dripMs / pieces : 0;
  const stop = new AbortController();
  const signal = AbortSignal.any([opts.signal, stop.signal]);
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= src.length) {
        controller.close();
        return;
      }
      // Each drip piece waits its share of dripMs before its first byte goes out.
      if (gapMs > 0 && offset % pieceSize === 0) {
        try {
          await sleep(gapMs, signal);
        } catch (e) {
          controller.error(e);
          return;
        }
      }
      const pieceEnd = Math.min(src.length, (Math.floor(offset / pieceSize) + 1) * pieceSize);
      const chunk = src.read(offset, Math.min(PIECE, pieceEnd - offset));
      offset += chunk.length;
      controller.enqueue(chunk.slice());
    },
    cancel() {
      stop.abort();
    },
  });
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  const out = new Response(stream, { status: response.status, statusText: response.statusText, headers });
  STREAMED.add(out);
  return out;
}

/**
 * The error `response` with the request's Authorization header quoted in its body (`message`, `messageParams`,
 * `details`), as a careless server would. Undefined when the request had no Authorization header.
 */
export async function echoAuthorization(response: Response, authorization: string | null): Promise<Response | undefined> {
  if (authorization === null) return undefined;
  const text = await response.clone().text();
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { message: text };
  } catch {
    body = { message: text };
  }
  const echoed = {
    ...body,
    message: `${typeof body.message === 'string' ? body.message : 'Request failed.'} Request header Authorization: ${authorization}`,
    messageParams: { ...(body.messageParams as Record<string, string> | undefined), authorization },
    details: [...(Array.isArray(body.details) ? body.details : []), { errorCode: 'request.authorization', fieldName: 'Authorization', entityName: authorization }],
  };
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(echoed), { status: response.status, statusText: response.statusText, headers });
}
