import { UnsafeRequestError } from '../errors';


/**
 * The one origin check of the SDK. Every URL the transport sends to (a module's path, a caller's `request()` path,
 * a page's `nextUri`, a redirect's Location) is built with `buildRequestUrl` / `resolveSameOrigin` and compared
 * with the one origin that transport may talk to: the API origin for API calls, the login origin for the token
 * call. Anything else is an `UnsafeRequestError` before a token is minted or a byte is sent.
 *
 * Why build-then-compare and not a prefix check on the string: `new URL('//evil.example', base)`,
 * `'/\\evil.example'` and `'/\t/evil.example'` all resolve to another host (WHATWG URL parsing treats `\` as `/` and
 * drops tabs and newlines), so only the parsed origin tells where a request would really go.
 */
export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number | boolean>;
export type QueryParams = Record<string, QueryValue>;

/** C0 controls and DEL: CR/LF split headers, tabs and newlines vanish inside URLs. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A path excerpt safe to show: no query string, at most 100 characters, controls escaped. */
export function pathExcerpt(path: string): string {
  const noQuery = String(path).split(/[?#]/)[0] ?? '';
  const shown = noQuery.length > 100 ? `${noQuery.slice(0, 100)}…` : noQuery;
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function refuse(reason: UnsafeRequestError['reason'], method: string, path: string, why: string): never {
  const shown = pathExcerpt(path);
  throw new UnsafeRequestError({ reason, method, path: shown }, `Refusing ${method} "${shown}": ${why}`);
}

/**
 * Resolves `path` (a path beginning with `/`, or an absolute http(s) URL) against `baseUrl` and returns the URL
 * only if its origin is `baseUrl`'s. Query parameters are appended encoded.
 */
export function buildRequestUrl(method: string, path: string, query: QueryParams | undefined, baseUrl: string): URL {
  if (typeof path !== 'string' || path.length === 0) {
    refuse('not-a-path', method, String(path), 'the path must be a non-empty string such as /api/v2/users');
  }
  if (CONTROL.test(path)) {
    refuse('control-character', method, path, 'the path holds a control character (CR, LF, tab, NUL ...); nothing was sent');
  }
  const absolute = /^https?:\/\//i.test(path);
  if (!absolute && !path.startsWith('/')) {
    refuse('not-a-path', method, path, 'a path must start with "/" (e.g. /api/v2/users) or be a URL on the API origin');
  }
  let url: URL;
  try {
    url = new URL(path, baseUrl);
  } catch {
    refuse('not-a-path', method, path, 'it is not a valid URL path');
  }
  assertOrigin(method, path, url, baseUrl);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
    else url.searchParams.append(k, String(v));
  }
  return url;
}

/** Resolves a Location (or nextUri) against the URL it came from; returns it only when it stays on `baseUrl`'s origin. */
export function resolveSameOrigin(method: string, target: string, from: string, baseUrl: string): URL | undefined {
  if (CONTROL.test(target)) return undefined;
  let url: URL;
  try {
    url = new URL(target, from);
  } catch {
    return undefined;
  }
  return sameOrigin(url, baseUrl) ? url : undefined;
}

function sameOrigin(url: URL, baseUrl: string): boolean {
  const base = new URL(baseUrl);
  return url.origin === base.origin && url.username === '' && url.password === '';
}

function assertOrigin(method: string, path: string, url: URL, baseUrl: string): void {
  if (sameOrigin(url, baseUrl)) return;
  const base = new URL(baseUrl).origin;
  refuse(
    'foreign-origin',
    method,
    path,
    `it resolves to ${url.username || url.password ? 'a URL with credentials' : url.origin}, and only ${base} may be sent this ` +
      'request (the bearer token never leaves its host). Paths are resolved like URLs: "//host", "/\\host" and ' +
      'whitespace after the first "/" name another host.',
  );
}

/** Header names and values with CR, LF or another control character would split or smuggle headers. */
export function assertSafeHeaders(method: string, path: string, headers: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof name !== 'string' || name === '' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      refuse('control-character', method, path, `header name ${JSON.stringify(String(name).slice(0, 100))} is not a valid HTTP token`);
    }
    if (typeof value !== 'string' || CONTROL.test(value.replace(/\t/g, ' '))) {
      refuse('control-character', method, path, `the value of header "${name}" holds a control character (CR/LF) or is not a string`);
    }
  }
}
