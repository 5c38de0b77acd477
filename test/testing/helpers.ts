/** Small clients for the simulator tests: through `handle` directly, through msw's fetch, or over HTTP. */
import { RESET, SIM_CLIENT_ID, SIM_CLIENT_SECRET, type SimulatedOrgHandle } from '../../src/testing/index';

export type FetchLike = (request: Request) => Promise<Response>;

/** Calls the org without any transport; a dropped connection becomes the TypeError fetch would throw. */
export function viaHandle(sim: Pick<SimulatedOrgHandle, 'handle'>): FetchLike {
  return async (request) => {
    const r = await sim.handle(request);
    if (r === RESET) throw new TypeError('fetch failed (connection reset by the simulator)');
    return r;
  };
}

export const viaFetch: FetchLike = (request) => fetch(request);

export function basic(id = SIM_CLIENT_ID, secret = SIM_CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export function tokenRequest(authBase: string, opts: { id?: string; secret?: string; grant?: string } = {}): Request {
  return new Request(`${authBase}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(opts.id, opts.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=${opts.grant ?? 'client_credentials'}`,
  });
}

export async function login(f: FetchLike, authBase: string): Promise<string> {
  const r = await f(tokenRequest(authBase));
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { access_token: string }).access_token;
}

export interface Api {
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
  put(path: string, body: unknown): Promise<Response>;
  patch(path: string, body: unknown): Promise<Response>;
  del(path: string): Promise<Response>;
}

export function api(f: FetchLike, base: string, token: string | (() => string)): Api {
  const call = (method: string, path: string, body?: unknown) =>
    f(
      new Request(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${typeof token === 'function' ? token() : token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  return {
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b),
    put: (p, b) => call('PUT', p, b),
    patch: (p, b) => call('PATCH', p, b),
    del: (p) => call('DELETE', p),
  };
}

/** An api client for a simulated org, straight through `handle`, with a token from `issueToken`. */
export function directApi(sim: SimulatedOrgHandle): Api {
  return api(viaHandle(sim), sim.apiBaseUrl, sim.issueToken());
}

export const DETAILS = '/api/v2/analytics/conversations/details/query';
export const JOBS = '/api/v2/analytics/conversations/details/jobs';
export const SEARCH = '/api/v2/quality/evaluations/search';

export function dayInterval(sim: SimulatedOrgHandle, daysBack: number, days = 1): string {
  const dayMs = 86_400_000;
  const end = Math.floor(sim.data.end / dayMs) * dayMs - (daysBack - 1) * dayMs;
  return `${new Date(end - days * dayMs).toISOString()}/${new Date(end).toISOString()}`;
}

/** A manual clock for orgs driven without fake timers. */
export function manualClock(start = Date.parse('2026-11-20T12:00:00.000Z')) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}
