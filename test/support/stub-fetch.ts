/**
 * A client whose `fetch` is a function of this test (no network, no msw): for tests that need one exact answer, e.g.
 * a token endpoint that answers 200 with something that is not a token, or that only count what was sent.
 */
import { GenesysClient, type GenesysClientOptions } from '@org/gc-data';

export interface StubClientOptions {
  /** The token endpoint's answer. @default a valid token (`tok-abcdef`, 24 h) */
  token?: () => Response;
  /** Every other request's answer. @default 200 `{ "ok": true }` */
  api?: (request: Request) => Response;
  /** Client options over the stub's (fake origins, secret `secret-abcdef`, no retries). */
  client?: Partial<GenesysClientOptions>;
}

export function stubClient(o: StubClientOptions = {}): { client: GenesysClient; sent: string[] } {
  const sent: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    sent.push(req.url);
    if (req.url.endsWith('/oauth/token')) return o.token ? o.token() : Response.json({ access_token: 'tok-abcdef', expires_in: 86_400 });
    return o.api ? o.api(req) : Response.json({ ok: true });
  }) as typeof fetch;
  const client = new GenesysClient({
    clientId: 'id',
    clientSecret: 'secret-abcdef',
    baseUrl: 'https://api.example.test',
    authUrl: 'https://login.example.test',
    fetch: fetchImpl,
    retry: { limit: 0 },
    ...o.client,
  });
  return { client, sent };
}
