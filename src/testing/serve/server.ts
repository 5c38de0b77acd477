/**
 * The simulated org over node:http on 127.0.0.1, for the CLI demo, benchmarks and clients that do not use msw.
 * One origin serves both `/oauth/token` and `/api/v2/*`. Requests become WHATWG Requests (aborted when the client
 * goes away, so slow faults stop early), Responses are written back, RESET destroys the socket.
 */
import { SimulatorOptionsError } from '../engine/options';
import { expected } from '../../internal/parse-options';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STREAMED } from '../faults/body-faults';
import { RESET } from '../engine/http';
import { SimulatedOrg } from '../engine/org';
import type { SimulatedOrgOptions } from '../engine/options';
import type { SimStats } from '../engine/stats';

export interface SimulatedServerOptions extends SimulatedOrgOptions {
  /** 0 (default) picks any free port. */
  port?: number;
  /** Serve an org you already created (its options win; the other org options here are ignored). */
  org?: SimulatedOrg;
}

export interface SimulatedServer {
  /** e.g. `http://127.0.0.1:54321`: use it as both the API and the login base URL. */
  url: string;
  port: number;
  org: SimulatedOrg;
  stats: SimStats;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, base: string, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const method = req.method ?? 'GET';
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
  return new Request(new URL(req.url ?? '/', base), { method, headers, body: body && body.length > 0 ? new Uint8Array(body) : undefined, signal });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  if (STREAMED.has(response) && response.body) {
    // Body faults (drip, huge): headers now, then the body as it is generated, until the client goes away.
    res.writeHead(response.status, headers);
    res.flushHeaders();
    const reader = response.body.getReader();
    const gone = () => void reader.cancel().catch(() => undefined);
    res.once('close', gone);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || res.destroyed) break;
        if (!res.write(value)) await new Promise<void>((resolve) => {
          const go = () => (res.off('close', go), res.off('drain', go), resolve());
          res.once('drain', go);
          res.once('close', go);
        });
      }
    } catch {
      res.destroy();
      return;
    } finally {
      res.off('close', gone);
    }
    res.end();
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > 0 || response.status !== 204) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

export async function startSimulatedServer(options: SimulatedServerOptions = {}): Promise<SimulatedServer> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SimulatorOptionsError('simulated server options', [{ path: '', message: expected('an options object such as { port: 0 }', options), code: 'invalid_type' }]);
  }
  const { port = 0, org: given, ...orgOptions } = options;
  // A socket path or a port out of range reached node:http as a RangeError, or listened somewhere unexpected.
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SimulatorOptionsError('simulated server options', [
      { path: 'port', message: `must be a whole number from 0 (any free port) to 65535, got ${JSON.stringify(String(port).slice(0, 40))}` },
    ]);
  }
  const org = given ?? new SimulatedOrg({ controlRoutes: true, ...orgOptions });
  let base = 'http://127.0.0.1';
  const server = createServer((req, res) => {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    void (async () => {
      try {
        const result = await org.handle(await toRequest(req, base, abort.signal));
        if (result === RESET) req.socket.destroy();
        else await send(res, result);
      } catch {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"Simulator failure","code":"internal.server.error","status":500}');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${actual}`;
  return {
    url: base,
    port: actual,
    org,
    stats: org.stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
