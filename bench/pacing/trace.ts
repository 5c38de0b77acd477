/**
 * Issue 19: a trace of one pacing-matrix cell on real time, to tell a 429 the client earned from one the harness made.
 * For every API request: when the limiter let it go and why (its budget by the newest answer, by its own log, probe,
 * bucket pacing: bench/pacing/driver-trace.ts), when it reached the org and when the org's limiter took it, what that
 * limiter counted (for a sliding log: requests in the window, the oldest one's time), the status and headers the
 * client read, and when the answer came back.
 * Run: npx tsx bench/pacing/trace.ts <model>[/<anchor>] <reset> [windowMs=10000] [jitterMs=0] [out=/tmp/pacing-trace.json]
 * `jitterMs`: each request reaches the org after an extra uniform 0..jitterMs (network jitter on the way in, so
 * requests can arrive out of the order they were sent in), on top of the org's 10 ms latency.
 */
import { execFile } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSimulatedOrg, startSimulatedServer, type SimulatedOrgOptions } from '../../src/testing/index';
import { TokenBucket } from '../../src/testing/faults/rate-limit';

const run = promisify(execFile);
const [modelArg = 'sliding', reset = 'window-end', windowArg = '10000', jitterArg = '0', out = '/tmp/pacing-trace.json'] = process.argv.slice(2);
const [model, anchor] = modelArg.split('/') as ['bucket' | 'fixed' | 'sliding', 'clock' | 'first-request' | undefined];
const windowMs = Number(windowArg);
const jitterMs = Number(jitterArg);
const BASE: SimulatedOrgOptions = { seed: 42, anchor: '2026-06-01T00:00:00Z', latencyMs: 10 };
const rateLimit = { requests: 50, windowMs, model, ...(anchor ? { anchor } : {}), reset: reset as 'window-end' };

// The same interval as bench/pacing/matrix.ts (325 evaluations).
const sim = createSimulatedOrg(BASE);
const all = sim.truth.evaluations({ interval: { start: sim.data.start, end: sim.data.end }, status: ['FINISHED'], calibrations: 'exclude' });
const interval = `${new Date(sim.data.start).toISOString()}/${all[325]!.conversationStart}`;

interface ServerRecord {
  seq: number | undefined;
  arrival: number;
  take?: number;
  allowed?: boolean;
  remaining?: number;
  retryAfter?: number;
  /** Sliding log: requests the org's limiter counted in its window before this one, and the oldest one's time. */
  counted?: number;
  oldest?: number;
  end?: number;
}
const server: ServerRecord[] = [];
const store = new AsyncLocalStorage<ServerRecord>();
/* eslint-disable @typescript-eslint/no-explicit-any */
const take = TokenBucket.prototype.take;
TokenBucket.prototype.take = function (this: any, now: number) {
  const inner = this.model?.model;
  const rec = store.getStore();
  if (rec && inner?.log) {
    rec.counted = inner.log.length - inner.head;
    // What it counts at `now`: entries older than a window leave on this take.
    rec.counted = (inner.log as number[]).slice(inner.head).filter((t) => t > now - windowMs).length;
    rec.oldest = (inner.log as number[]).slice(inner.head).find((t) => t > now - windowMs);
  }
  const r = take.call(this, now);
  if (rec) Object.assign(rec, { take: now, allowed: r.allowed, remaining: r.remaining, retryAfter: r.retryAfterSeconds });
  return r;
};

const srv = await startSimulatedServer({ ...BASE, rateLimit });
const handle = srv.org.handle.bind(srv.org);
srv.org.handle = async (request: Request) => {
  if (!new URL(request.url).pathname.startsWith('/api/v2/')) return handle(request);
  const seqHeader = request.headers.get('x-trace-seq');
  const rec: ServerRecord = { seq: seqHeader === null ? undefined : Number(seqHeader), arrival: Date.now() };
  server.push(rec);
  if (jitterMs > 0) await new Promise((r) => setTimeout(r, Math.random() * jitterMs));
  try {
    return await store.run(rec, () => handle(request));
  } finally {
    rec.end = Date.now();
  }
};

const traceFile = `${out}.client`;
try {
  const driver = fileURLToPath(new URL('./driver-trace.ts', import.meta.url));
  const input = JSON.stringify({ url: srv.url, interval, clientId: srv.org.options.clientId, clientSecret: srv.org.options.clientSecret, traceFile });
  const { stdout } = await run(process.execPath, ['--import', 'tsx', driver, input], { maxBuffer: 64 * 1024 * 1024, timeout: 900_000 });
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as { ids: string[]; error?: string };
  process.stderr.write(`rows ${result.ids.length}${result.error ? ` ERROR ${result.error}` : ''}\n`);
} finally {
  await srv.close();
}

const client = JSON.parse(readFileSync(traceFile, 'utf8')) as Array<Record<string, any>>;
const sends = new Map<number, Record<string, any>>();
for (const e of client) if (e.ev === 'send') sends.set(e.seq, e);
const t0 = Math.min(...server.map((s) => s.arrival));
const rel = (t: number | undefined) => (t === undefined ? undefined : t - t0);

// Order: requests the org took before an earlier-sent one (send order != take order).
const taken = server.filter((s) => s.take !== undefined && s.seq !== undefined).sort((a, b) => a.take! - b.take! || a.arrival - b.arrival);
let overtaken = 0;
let maxSeq = 0;
for (const s of taken) {
  if (s.seq! < maxSeq) overtaken++;
  maxSeq = Math.max(maxSeq, s.seq!);
}
/** Why the limiter let a request go: what it believed was left (by the newest answer, by its own log). */
const why = (s: Record<string, any> | undefined) =>
  !s ? 'untraced' : s.probe ? 'probe' : s.base >= 1 ? `base ${s.base}` : s.logAvailable >= 1 ? `log ${s.logAvailable}` : s.bucketPerMs !== undefined ? 'bucket pacing' : 'first / no answer yet';
const refused = server.filter((s) => s.allowed === false);
const lines: string[] = [];
lines.push(`${modelArg} reset=${reset} ${windowMs} ms windows, jitter ${jitterMs} ms: ${server.length} API requests, ${refused.length} x 429, ${overtaken} taken before an earlier-sent request`);
for (const r of refused) {
  const s = r.seq === undefined ? undefined : sends.get(r.seq);
  const newest = s?.newest as { seq: number; remaining: number; at: number } | undefined;
  // Requests sent before the newest answer's request but taken by the org after it: that answer did not count them.
  const late = newest ? server.filter((x) => x.seq !== undefined && x.seq < newest.seq && x.take !== undefined && x.take > (server.find((y) => y.seq === newest.seq)?.take ?? Infinity)).map((x) => x.seq) : [];
  lines.push(
    `429 seq ${r.seq}: sent ${rel(s?.t)} arrived ${rel(r.arrival)} taken ${rel(r.take)}; client: ${why(s)} (newest seq ${newest?.seq} remaining ${newest?.remaining} at ${rel(newest?.at)}, ` +
      `window ${s?.windowMs}, trusted ${s?.logTrusted}, inFlight ${s?.inFlight}); org counted ${r.counted} (oldest ${rel(r.oldest)}, frees at ${rel(r.oldest === undefined ? undefined : r.oldest + windowMs)}), retry-after ${r.retryAfter}; ` +
      `earlier-sent requests the newest answer did not count: [${late.join(',')}]`,
  );
}
// Where the time goes on fixed windows, window by window: when it opened (aligned to the clock: a multiple of the
// window; opened by the first request: the take that found it whole), how long after that the org took the first
// request in it, how many it took (the budget left unused), and the run's end after the last window opened.
if (model === 'fixed') {
  const opened: number[] = [];
  for (const s of taken) {
    if (anchor === 'first-request' ? s.allowed && s.remaining === rateLimit.requests - 1 : opened.length === 0 || Math.floor(s.take! / windowMs) * windowMs > opened[opened.length - 1]!) {
      opened.push(anchor === 'first-request' ? s.take! : Math.floor(s.take! / windowMs) * windowMs);
    }
  }
  const end = Math.max(...server.map((s) => s.end ?? 0));
  for (let i = 0; i < opened.length; i++) {
    const from = opened[i]!;
    const to = opened[i + 1] ?? Infinity;
    const inWindow = taken.filter((s) => s.take! >= from && s.take! < to);
    const ok = inWindow.filter((s) => s.allowed).length;
    const takes = inWindow.map((s) => s.take! - from);
    lines.push(`window ${rel(from)}: first taken +${Math.min(...takes)} ms, last +${Math.max(...takes)} ms, ${ok} taken (${rateLimit.requests - ok} unused), ${inWindow.length - ok} x 429`);
  }
  lines.push(`end: last answer ${rel(end)}, ${end - opened[opened.length - 1]!} ms after the last window opened`);
}
// The phase scan (src/transport/phase-scan.ts): when fixed windows became evident, each second it scanned, and the
// demand the limiter passed to the gate (requests waiting to go) when requests left.
const clientSends = client.filter((e) => e.ev === 'send');
const fixedAt = clientSends.find((e) => e.scanFixed);
lines.push(`scan: fixed windows evident ${fixedAt ? `from send ${fixedAt.seq} at ${rel(fixedAt.t)}` : 'never'}`);
const spans = new Map<number, { from: number; to: number }>();
for (const e of clientSends) if (e.scanSpan) spans.set(e.scanSpan.from, e.scanSpan);
for (const sp of spans.values()) lines.push(`scan: second ${rel(sp.from)}..${rel(sp.to)}`);
const demands = clientSends.map((e) => e.demand as number | undefined).filter((d): d is number => d !== undefined);
lines.push(`demand at the gate when a request left: max ${Math.max(...demands)}, median ${[...demands].sort((a, b) => a - b)[demands.length >> 1]}`);
writeFileSync(out, JSON.stringify({ t0, cell: { modelArg, reset, windowMs, jitterMs }, server, client }, null, 1));
console.log(lines.join('\n'));
