/**
 * msw handlers over `SimulatedOrg.handle`: one catch-all per base URL, so routing, auth, limits and faults all live
 * in the org and behave the same under msw and under the node:http server.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { RESET } from '../engine/http';
import type { SimulatedOrg } from '../engine/org';

export function mswHandlers(org: SimulatedOrg): HttpHandler[] {
  const resolve = async ({ request }: { request: Request }) => {
    const res = await org.handle(request);
    return res === RESET ? HttpResponse.error() : res;
  };
  const api = new URL(org.options.apiBaseUrl).origin;
  const auth = new URL(org.options.authBaseUrl).origin;
  const handlers = [http.all(`${auth}/oauth/token`, resolve), http.all(`${api}/api/v2/*`, resolve)];
  if (org.options.controlRoutes) handlers.push(http.all(`${api}/__sim/*`, resolve));
  return handlers;
}
