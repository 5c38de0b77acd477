/**
 * Issue 19, "Start-up": how long the rate budget sits unused at the start of a quality export, between the first
 * details-query page arriving and the first evaluation GET leaving. Each trial is a fresh Node process (a cold start,
 * like a real export) against a simulated org served from this process on 127.0.0.1, so the trial process's CPU
 * is the client's alone. Marks, in the trial: the page's headers (the fetch promise resolves), the page read (the
 * client's `response` event, body included) and the first GET handed to fetch; `process.cpuUsage()` between the last
 * two is the CPU the client spent reading and checking the page before its first GET.
 *
 * Run: npx tsx bench/quality-startup.ts [trials=10]. Prints one JSON line per trial and the medians; writes nothing
 * to bench/results (a loaded machine's figure: say so where it is quoted, with the load average).
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const DETAILS = '/api/v2/analytics/conversations/details/query';
const EVAL = /\/api\/v2\/quality\/conversations\/[^/]+\/evaluations\//;

interface Trial {
  serverMs: number;
  readMs: number;
  headersToGetMs: number;
  readToGetMs: number;
  readToGetCpuMs: number;
  /** The sixth GET: the first one that waits for a slot (concurrency 5), so it leaves after the first GET's answer is decoded. */
  readToSixthGetMs: number;
  readToSixthGetCpuMs: number;
  pageBytes: number;
  rows: number;
}

async function trial(input: { url: string; interval: string; clientId: string; clientSecret: string }): Promise<Trial> {
  const { GenesysClient, QualityExporter } = await import('../src/index');
  const marks: { post?: number; headers?: number; read?: number; get?: number; sixth?: number; readCpu?: NodeJS.CpuUsage; getCpu?: NodeJS.CpuUsage; sixthCpu?: NodeJS.CpuUsage; bytes?: number } = {};
  let gets = 0;
  const counting: typeof fetch = async (resource, init) => {
    const req = resource instanceof Request ? resource : new Request(resource, init);
    const path = new URL(req.url).pathname;
    if (req.method === 'GET' && EVAL.test(path)) {
      gets++;
      if (gets === 1) {
        marks.getCpu = process.cpuUsage(marks.readCpu);
        marks.get = performance.now();
      } else if (gets === 6) {
        marks.sixthCpu = process.cpuUsage(marks.readCpu);
        marks.sixth = performance.now();
      }
    }
    const res = await fetch(resource, init);
    if (marks.headers === undefined && path === DETAILS) {
      marks.headers = performance.now();
      marks.bytes = Number(res.headers.get('content-length')) || undefined;
    }
    return res;
  };
  const client = new GenesysClient({ clientId: input.clientId, clientSecret: input.clientSecret, baseUrl: input.url, authUrl: input.url, fetch: counting });
  client.on('request', (e) => {
    if (marks.post === undefined && e.path === DETAILS) marks.post = performance.now();
  });
  client.on('response', (e) => {
    if (marks.read === undefined && e.path === DETAILS) {
      marks.read = performance.now();
      marks.readCpu = process.cpuUsage();
    }
  });
  const exporter = new QualityExporter(client, { calibrations: 'exclude' });
  let rows = 0;
  for await (const _ of exporter.rows({ interval: input.interval })) rows++;
  await client.close();
  const { post, headers, read, get, getCpu, sixth, sixthCpu } = marks;
  if (post === undefined || headers === undefined || read === undefined || get === undefined || getCpu === undefined || sixth === undefined || sixthCpu === undefined) throw new Error(`missing marks: ${JSON.stringify(marks)}`);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    serverMs: r(headers - post),
    readMs: r(read - headers),
    headersToGetMs: r(get - headers),
    readToGetMs: r(get - read),
    readToGetCpuMs: r((getCpu.user + getCpu.system) / 1000),
    readToSixthGetMs: r(sixth - read),
    readToSixthGetCpuMs: r((sixthCpu.user + sixthCpu.system) / 1000),
    pageBytes: marks.bytes ?? 0,
    rows,
  };
}

async function main(): Promise<void> {
  const trials = Number(process.argv[2] ?? 10);
  const { startSimulatedServer } = await import('../src/testing/index');
  // Enough evaluated conversations that page 1 is full (100 conversations); rows are capped by the interval. The
  // org's default rate limit (300 per 60 s, announced in headers), so the server's budget governs the client, not
  // the 20/s ceiling it keeps while nothing is announced.
  const server = await startSimulatedServer({ seed: 42, anchor: '2026-06-01T00:00:00Z' });
  const org = server.org;
  const start = org.data.start;
  const interval = `${new Date(start).toISOString()}/${new Date(start + 2 * 86_400_000).toISOString()}`;
  const input = JSON.stringify({ url: server.url, interval, clientId: org.options.clientId, clientSecret: org.options.clientSecret });
  const run = promisify(execFile);
  const all: Trial[] = [];
  for (let i = 0; i < trials; i++) {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--trial', input], { maxBuffer: 16 * 1024 * 1024 });
    if (stderr) console.error(stderr);
    const t = JSON.parse(stdout.trim().split('\n').at(-1)!) as Trial;
    all.push(t);
    console.log(JSON.stringify(t));
  }
  await server.close();
  const med = (k: keyof Trial) => {
    const v = all.map((t) => t[k]).sort((a, b) => a - b);
    return { median: v[Math.floor(v.length / 2)], min: v[0], max: v.at(-1) };
  };
  console.log(JSON.stringify({ trials, loadAverage: loadavg().map((x) => Math.round(x * 100) / 100), serverMs: med('serverMs'), readMs: med('readMs'), readToGetMs: med('readToGetMs'), readToGetCpuMs: med('readToGetCpuMs'), readToSixthGetMs: med('readToSixthGetMs'), readToSixthGetCpuMs: med('readToSixthGetCpuMs'), headersToGetMs: med('headersToGetMs') }));
}

if (process.argv[2] === '--trial') {
  trial(JSON.parse(process.argv[3]!) as Parameters<typeof trial>[0]).then(
    (t) => process.stdout.write(JSON.stringify(t) + '\n'),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
} else {
  await main();
}
