/**
 * Two real HTTP servers on 127.0.0.1 for the security tests: the "API" (and its login endpoint) the client is
 * configured for, and a "foreign" host on another port (so another origin) that must never see a request. Each
 * records every request it receives, with its headers and body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GenesysClient, type GenesysClientOptions } from '@org/gc-data';
import { startLocalServer } from '../support/local-server';

export const CLIENT_ID = 'sec-client-id';
export const CLIENT_SECRET = 'sec-client-secret-7f3a9c';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: Seen, res: ServerResponse) => void | Promise<void>;

export interface Host {
  origin: string;
  seen: Seen[];
  /** Replaces how the host answers API requests (the token endpoint keeps working). */
  handle(h: Handler): void;
  close(): Promise<void>;
}

let tokenCounter = 0;

export async function startHost(): Promise<Host> {
  const seen: Seen[] = [];
  let handler: Handler = (_req, res) => json(res, 200, { ok: true });
  const local = await startLocalServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      if (s.url === '/oauth/token') {
        json(res, 200, { access_token: `sec-token-${++tokenCounter}-b1d2e3f4`, token_type: 'bearer', expires_in: 86_400 });
        return;
      }
      void Promise.resolve(handler(s, res)).catch(() => res.destroy());
    });
  });
  return {
    origin: local.origin,
    seen,
    handle(h) {
      handler = h;
    },
    close: local.close,
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function clientFor(host: Host, overrides: Partial<GenesysClientOptions> = {}): GenesysClient {
  return new GenesysClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    baseUrl: host.origin,
    authUrl: host.origin,
    ...overrides,
    retry: { baseDelayMs: 1, maxDelayMs: 5, ...overrides.retry },
  });
}
