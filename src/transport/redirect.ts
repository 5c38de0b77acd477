/**
 * Redirects within one attempt (transport.ts `attempt`): ky's own following is off (`redirect: 'manual'`) because a
 * followed redirect could carry the token or a POST body to another host (issue 16). This file decides where a 3xx
 * may go; the transport follows it.
 */
import { RedirectError } from '../errors';
import { pathExcerpt, resolveSameOrigin } from './url-guard';

/** Same-origin redirects followed within one attempt; more is a loop. */
export const MAX_REDIRECTS = 5;
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect may be followed: only on the transport's origin `baseUrl` (checked like every URL, url-guard.ts),
 * only for GET/HEAD or, for other methods, a 307/308 (which keep method and body), and at most MAX_REDIRECTS times.
 * Anything else is a `RedirectError` naming the Location.
 */
export function redirectTarget(response: Response, r: { from: string; method: string; pathOnly: string; hops: number; baseUrl: string }): string {
  const { from, method, pathOnly, hops, baseUrl } = r;
  const location = response.headers.get('location') ?? undefined;
  const shown = location === undefined ? undefined : showLocation(location, from);
  const fail = (why: string) =>
    new RedirectError({ status: response.status, location: shown, method, path: pathOnly }, `${method} ${pathOnly} answered ${response.status} ${why}`);
  if (location === undefined) throw fail('without a Location header: not followed');
  const target = resolveSameOrigin(method, location, from, baseUrl);
  if (!target) {
    throw fail(
      `redirecting to ${shown}, another origin than ${new URL(baseUrl).origin}: not followed (the token and ` +
        'the request body never leave the host the client was configured for)',
    );
  }
  const methodKept = response.status === 307 || response.status === 308;
  if (method !== 'GET' && method !== 'HEAD' && !methodKept) {
    throw fail(`redirecting to ${shown}: a ${method} is followed only through 307/308 (a ${response.status} would drop its body)`);
  }
  if (hops + 1 > MAX_REDIRECTS) throw fail(`redirecting to ${shown} after ${MAX_REDIRECTS} redirects: a redirect loop, not followed`);
  return target.toString();
}

/** A Location as errors may show it: origin and path, no query string (it may carry a pre-signed credential). */
function showLocation(location: string, from: string): string {
  try {
    const u = new URL(location, from);
    return `${u.origin}${pathExcerpt(u.pathname)}`;
  } catch {
    return pathExcerpt(location);
  }
}
