import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDetailsQueryResponse, SimEvaluationResponse, StatsSnapshot } from '../../src/testing/index';
import { DETAILS, api, login, viaFetch } from './helpers';

const script = fileURLToPath(new URL('./fixtures/sim-server.ts', import.meta.url));
let child: ChildProcess;
let url = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify({ seed: 9, rateLimit: { requests: 50, windowMs: 60_000 } })], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
});

afterAll(async () => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

describe('startSimulatedServer serves a client in another process', () => {
  it('listens on 127.0.0.1 and serves /oauth/token and /api/v2 on one origin', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = await login(viaFetch, url);
    const a = api(viaFetch, url, token);
    const end = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
    const interval = `${new Date(end.getTime() - 86_400_000).toISOString()}/${end.toISOString()}`;
    const r = await a.post(DETAILS, { interval, evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus', value: 'Finished' }] }], paging: { pageSize: 10, pageNumber: 1 } });
    expect(r.status).toBe(200);
    expect(r.headers.get('inin-ratelimit-allowed')).toBe('50');
    expect(r.headers.get('inin-correlation-id')).toBeTruthy();
    const body = (await r.json()) as SimDetailsQueryResponse;
    const c = body.conversations?.[0];
    const e = c?.evaluations?.[0];
    if (!c || !e) throw new Error('expected an evaluated conversation yesterday');
    const got = await a.get(`/api/v2/quality/conversations/${c.conversationId}/evaluations/${e.evaluationId}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as SimEvaluationResponse).id).toBe(e.evaluationId);
  });

  it('serves many concurrent requests and counts peak concurrency', async () => {
    const a = api(viaFetch, url, await login(viaFetch, url));
    const statuses = await Promise.all(Array.from({ length: 20 }, () => a.get('/api/v2/analytics/conversations/details/jobs/availability').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const stats = (await (await fetch(`${url}/__sim/stats`)).json()) as StatsSnapshot;
    expect(stats.tokensIssued).toBe(2);
    expect(stats.byRoute['GET /api/v2/analytics/conversations/details/jobs/availability']?.['200']).toBe(20);
    expect(stats.peakConcurrency).toBeGreaterThanOrEqual(1);
  });

  it('drops the connection on a reset fault, and answers 429 storms, set over the control routes', async () => {
    const a = api(viaFetch, url, await login(viaFetch, url));
    const set = (faults: unknown) => fetch(`${url}/__sim/faults`, { method: 'POST', body: JSON.stringify(faults) });
    expect((await set({ connectionResetRate: 1 })).status).toBe(200);
    await expect(a.get('/api/v2/analytics/conversations/details/jobs/availability')).rejects.toThrow(TypeError);
    await set({ connectionResetRate: 0, storm: { forRequests: 2, retryAfterSeconds: 7 } });
    const storm = await a.get('/api/v2/analytics/conversations/details/jobs/availability');
    expect(storm.status).toBe(429);
    expect(storm.headers.get('retry-after')).toBe('7');
    await a.get('/api/v2/analytics/conversations/details/jobs/availability');
    expect((await a.get('/api/v2/analytics/conversations/details/jobs/availability')).status).toBe(200);
    const stats = (await (await fetch(`${url}/__sim/stats`)).json()) as StatsSnapshot;
    expect(stats.faults).toMatchObject({ connectionReset: 1, storm: 2 });
    expect((await fetch(`${url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ slowRate: 7 }) })).status).toBe(400);
  });
});
