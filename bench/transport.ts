/**
 * Requests/s through `client.request` vs raw `fetch` at the same concurrency (5), against a local node:http
 * server on 127.0.0.1: once with 50 ms of simulated latency (what a real org feels like) and once with none
 * (the pipeline's own ceiling). Run: npx tsx bench/transport.ts
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchSpanProcessor, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { GenesysClient } from '../src/index';
import { median, writeResult } from './lib';

const CONCURRENCY = 5;
const RUNS = 5;

function startServer(latencyMs: number): Promise<{ url: string; server: Server }> {
  const body = JSON.stringify({ id: 'c0ffee', name: 'bench', entities: [1, 2, 3] });
  const server = createServer((req, res) => {
    const send = () => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'bench-token', expires_in: 86_400 }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'inin-correlation-id': 'bench' });
      res.end(body);
    };
    req.resume();
    req.on('end', () => (latencyMs ? setTimeout(send, latencyMs) : send()));
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })),
  );
}

async function pool(total: number, worker: () => Promise<unknown>): Promise<number> {
  let left = total;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await worker();
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** Telemetry on as a service would run it: spans batched to an exporter (here one that drops them), metrics kept. */
function telemetryOn() {
  const exporter = { export: (_spans: unknown, done: (r: { code: number }) => void) => done({ code: 0 }), shutdown: async () => undefined };
  return { tracerProvider: new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] }), meterProvider: new MeterProvider() };
}

async function measure(latencyMs: number, total: number) {
  const { url, server } = await startServer(latencyMs);
  const options = {
    clientId: 'bench',
    clientSecret: 'bench-secret',
    baseUrl: url,
    authUrl: url,
    rateLimit: { requestsPerMinute: 1e9, maxConcurrent: CONCURRENCY },
  };
  const client = new GenesysClient(options);
  const traced = new GenesysClient({ ...options, telemetry: telemetryOn() });
  await client.request({ path: '/api/v2/warmup' });
  await traced.request({ path: '/api/v2/warmup' });
  await fetch(`${url}/api/v2/warmup`).then((r) => r.text());
  const raw: number[] = [];
  const ours: number[] = [];
  const withTelemetry: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate A B A B so drift on a noisy machine hits both sides alike.
    raw.push(
      await pool(total, () =>
        fetch(`${url}/api/v2/items/1`, { headers: { authorization: 'Bearer bench-token', accept: 'application/json' } }).then((r) => r.json()),
      ),
    );
    ours.push(await pool(total, () => client.request({ path: '/api/v2/items/1' })));
    withTelemetry.push(await pool(total, () => traced.request({ path: '/api/v2/items/1' })));
  }
  await client.close();
  await traced.close();
  server.close();
  server.closeAllConnections();
  return {
    latencyMs,
    requestsPerRun: total,
    rawFetchRps: median(raw),
    clientRps: median(ours),
    ratio: median(ours) / median(raw),
    telemetryRps: median(withTelemetry),
    telemetryRatio: median(withTelemetry) / median(ours),
    rawRuns: raw,
    clientRuns: ours,
    telemetryRuns: withTelemetry,
  };
}

const withLatency = await measure(50, 300);
const ceiling = await measure(0, 2000);
const file = writeResult({
  benchmark: 'transport',
  results: { concurrency: CONCURRENCY, runs: RUNS, withLatency, ceiling },
  targets: [
    { name: 'client vs raw fetch at 50 ms latency', target: '>= 0.93', value: round(withLatency.ratio), met: withLatency.ratio >= 0.93 },
    { name: 'pipeline ceiling (no latency)', target: '>= 400 requests/s', value: Math.round(ceiling.clientRps), met: ceiling.clientRps >= 400 },
    { name: 'ceiling with OpenTelemetry on vs off', target: 'reported (off costs nothing: no code runs)', value: round(ceiling.telemetryRatio), met: true },
  ],
  reading:
    `At 50 ms latency the client does ${round(withLatency.ratio)} x raw fetch's requests/s; ` +
    `its ceiling is ${Math.round(ceiling.clientRps)} requests/s (raw fetch ${Math.round(ceiling.rawFetchRps)}); ` +
    `with OpenTelemetry on (spans batched, metrics kept) ${Math.round(ceiling.telemetryRps)} requests/s ` +
    `(${round(ceiling.telemetryRatio)} x off), and ${round(withLatency.telemetryRatio)} x off at 50 ms latency.`,
});
console.log(JSON.stringify({ withLatency: { raw: withLatency.rawFetchRps, ours: withLatency.clientRps, ratio: withLatency.ratio }, ceiling: { raw: ceiling.rawFetchRps, ours: ceiling.clientRps } }, null, 1));
console.log(`wrote ${file}`);

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
