/**
 * bench/pacing/trace.ts' client: driver-ours.ts (default client options) with every limiter decision recorded.
 * Input: JSON in argv[2] ({ url, interval, clientId, clientSecret, traceFile }). Writes the client's trace as JSON to
 * `traceFile` and the usual result line on stdout (bench/drivers/run-ours.ts).
 *
 * Diagnostic only: it reads and wraps private members of LocalRateLimiter / ServerPacer (src/transport/rate-limiter.ts,
 * server-pacer.ts) at run time, so the SDK needs no public trace hook for it. Each API request carries its limiter
 * sequence number in `x-trace-seq` (to the local simulated org only) so the server's record can be joined to it.
 */
import { writeFileSync } from 'node:fs';
import { GenesysClient, LocalRateLimiter } from '../../src/index';
import { driverInput, runOurs, type DriverInput } from '../drivers/run-ours';

const input = driverInput<DriverInput & { traceFile: string }>();
const limiter = new LocalRateLimiter({ requestsPerMinute: 300, maxConcurrent: 5, serverGoverns: true, maxRequestsPerSecond: 20 });
/* eslint-disable @typescript-eslint/no-explicit-any */
const l = limiter as any;
const pacer = l.pacer;
const events: Array<Record<string, unknown>> = [];
const PROBE = Symbol('trace-probe');
let captured = undefined as { seq: number } | undefined;

/** The pacer's view when a request passes the gate: which rule let it go. */
function state(now: number): Record<string, unknown> {
  const n = pacer.newest as { seq: number; remaining: number; at: number; resetAt?: number } | undefined;
  const log = n ? (pacer.logBudget(n, now) as { available: number; next: number }) : undefined;
  return {
    newest: n ? { seq: n.seq, remaining: n.remaining, at: n.at, resetAt: n.resetAt } : undefined,
    base: n ? n.remaining - (pacer.seq - n.seq) : undefined,
    logAvailable: log?.available,
    windowMs: pacer.windowMs,
    limit: pacer.limit,
    logTrusted: pacer.logTrusted,
    bucketPerMs: pacer.bucketPerMs,
    probeSeq: pacer.probeSeq,
    baseSeq: pacer.baseSeq,
    inFlight: l.inFlight,
    // The phase scan (src/transport/phase-scan.ts): fixed windows evident, the second being scanned, and the demand
    // the limiter passed to the gate last (requests waiting to go, this one included).
    scanFixed: pacer.scan?.fixed,
    scanSpan: pacer.scan?.span ? { ...pacer.scan.span } : undefined,
    demand: lastDemand,
  };
}

let lastDemand: number | undefined;
const gate = pacer.gate.bind(pacer);
pacer.gate = (now: number, demand?: number) => {
  lastDemand = demand;
  return gate(now, demand);
};

const send = pacer.send.bind(pacer);
pacer.send = (now: number, probe: boolean) => {
  const before = state(now);
  const s = send(now, probe);
  events.push({ ev: 'send', seq: s.seq, t: now, probe, ...before });
  return s;
};
const observe = pacer.observe.bind(pacer);
pacer.observe = (snapshot: any, inFlight: number, sent: { seq: number } | undefined, now: number) => {
  if (snapshot === PROBE) {
    captured = sent;
    return { exhausted: false, pausedForMs: 0 };
  }
  const r = observe(snapshot, inFlight, sent, now);
  events.push({ ev: 'observe', seq: sent?.seq, t: now, snapshot, inFlight, result: r, after: state(now) });
  return r;
};
const answered = pacer.answered.bind(pacer);
pacer.answered = (sent: { seq: number }, now: number) => {
  events.push({ ev: 'answered', seq: sent.seq, t: now });
  return answered(sent, now);
};
const pause = pacer.pause.bind(pacer);
pacer.pause = (ms: number, available: number | undefined, now: number) => {
  events.push({ ev: 'pause', t: now, ms, available });
  return pause(ms, available, now);
};

/** Tags each API request with the limiter's sequence number (the fetch runs inside the limiter's job context). */
const tracedFetch = (async (url: RequestInfo | URL, init?: RequestInit) => {
  const request = url instanceof Request ? url : new Request(url, init);
  if (!new URL(request.url).pathname.startsWith('/api/v2/')) return fetch(request);
  captured = undefined;
  limiter.observe(PROBE as any, 0);
  const seq = (captured as { seq: number } | undefined)?.seq;
  // A Request's headers are mutable (guard "request").
  if (seq !== undefined) request.headers.set('x-trace-seq', String(seq));
  const started = Date.now();
  const response = await fetch(request);
  events.push({
    ev: 'fetch',
    seq,
    start: started,
    end: Date.now(),
    status: response.status,
    remaining: response.headers.get('x-ratelimit-remaining'),
    reset: response.headers.get('x-ratelimit-reset'),
    retryAfter: response.headers.get('retry-after'),
  });
  return response;
}) as typeof fetch;

const client = new GenesysClient({
  clientId: input.clientId,
  clientSecret: input.clientSecret,
  baseUrl: input.url,
  authUrl: input.url,
  fetch: tracedFetch,
  rateLimit: { limiter },
});
client.on('rateLimit', (e) => events.push({ ev: 'rateLimit', t: Date.now(), kind: e.kind, pausedForMs: e.pausedForMs, status: e.status }));
await runOurs(client, input.interval);
writeFileSync(input.traceFile, JSON.stringify(events));
