import type { KyInstance } from 'ky';

/**
 * The one file that knows the HTTP library. Every byte the SDK sends goes through `sendOnce`: one attempt, no retry,
 * no timeout and no error for a non-2xx of ky's own (transport.ts owns those policies for the API and the login
 * host; download.ts for pre-signed recording URLs, which it sends without any credential and whose raw body stream
 * it reads).
 *
 * ky is loaded on the first request, not at import: it is ESM-only, and a `require()` of an ES module boots Node's
 * ESM loader, which cost ~35 ms of every CommonJS user's start-up (bench/footprint) before a single request.
 */
let kyLoading: Promise<typeof import('ky')> | undefined;
async function loadKy(): Promise<KyInstance> {
  const loaded = await (kyLoading ??= import('ky'));
  // In the CommonJS build ky is a CommonJS chunk, and import() of CommonJS hands back its exports object as
  // `default` (so `default.default` is ky); in ESM, and from sources, `default` is ky itself.
  const m = typeof loaded.default === 'function' ? loaded : (loaded.default as unknown as typeof import('ky'));
  return m.default;
}

/** Loads the HTTP library ahead of the first send, so the time a request passes the rate gate is the time it leaves. */
export async function warmHttp(): Promise<void> {
  await loadKy();
}

export interface SendOnceInit {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
  /** `manual`: redirects are checked by transport.ts with url-guard.ts, never followed by the library. */
  redirect: 'manual';
  /** A caller's fetch (proxies, instrumentation); default the global one. */
  fetch?: typeof fetch | undefined;
}

export async function sendOnce(url: string, init: SendOnceInit): Promise<Response> {
  const ky = await loadKy();
  return ky(url, {
    method: init.method,
    headers: init.headers,
    body: init.body,
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    redirect: init.redirect,
    signal: init.signal,
    ...(init.fetch ? { fetch: init.fetch } : {}),
  });
}
