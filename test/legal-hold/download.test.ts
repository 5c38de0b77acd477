/**
 * Downloader (src/transport/download.ts): the explicit path for pre-signed URLs. No Authorization header, resume
 * with Range after a cut body, restart when the server ignores Range, a complete .part answered 416, no retry of a
 * refused signature (403) and no signature in the error, Retry-After honoured, a timeout that covers the body, an
 * abort that keeps the .part for the next run. Cut bodies come from a custom fetch whose stream errors after exact
 * byte counts: deterministic, no timing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, ValidationError } from '@org/gc-data';
import { createFakeClock } from '@org/gc-data/testing';
import { startLocalServer } from '../support/local-server';
import { DownloadError, Downloader } from './sdk';

const FILE = randomBytes(200_000);
const SHA = createHash('sha256').update(FILE).digest('hex');
const URL_ = 'https://bucket.example.com/rec/a.ogg?X-Amz-Signature=s3cr3t-signature&X-Amz-Expires=600';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gc-download-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Call {
  url: string;
  headers: Record<string, string>;
}

/** A fetch over FILE: `plan(n)` decides the n-th answer (0-based). */
function fakeFetch(plan: (n: number, range: number) => { status?: number; cutAt?: number; stall?: boolean; ignoreRange?: boolean; headers?: Record<string, string> }) {
  const calls: Call[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    // The download path sends through http.ts (ky), which hands fetch a Request carrying the headers and the signal.
    const request = input instanceof Request ? input : undefined;
    const headers: Record<string, string> = {};
    new Headers(request?.headers ?? init?.headers).forEach((v, k) => (headers[k] = v));
    calls.push({ url: request?.url ?? String(input), headers });
    const range = Number(/^bytes=(\d+)-$/.exec(headers.range ?? '')?.[1] ?? 0);
    const p = plan(calls.length - 1, range);
    if (p.status && p.status !== 200 && p.status !== 206) return new Response(null, { status: p.status, headers: p.headers ?? {} });
    const start = p.ignoreRange ? 0 : range;
    const body = FILE.subarray(start);
    const cut = p.cutAt ?? body.length;
    let sent = false;
    const signal = request?.signal ?? init?.signal ?? undefined;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(new Uint8Array(body.subarray(0, cut)));
          if (cut === body.length && !p.stall) controller.close();
          return;
        }
        if (p.stall) return new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
        controller.error(new TypeError('terminated'));
      },
    });
    const partial = start > 0;
    return new Response(stream, {
      status: partial ? 206 : 200,
      headers: {
        'content-type': 'audio/ogg',
        'content-length': String(body.length),
        ...(partial ? { 'content-range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}),
      },
    });
  }) as typeof fetch;
  return { fn, calls };
}

const fast = { retry: { baseDelayMs: 0, maxDelayMs: 0 } };

describe('Downloader', () => {
  it('sends no Authorization header: only Accept-Encoding, User-Agent (and Range when resuming)', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = await startLocalServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-length': String(FILE.length) });
      res.end(FILE);
    });
    try {
      const url = `${server.origin}/media/a?sig=x`;
      const r = await new Downloader().download({ url, dest: join(dir, 'a.ogg') });
      expect(r).toMatchObject({ bytes: FILE.length, sha256: SHA, attempts: 1 });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.authorization).toBeUndefined();
      expect(Object.keys(seen[0]!).sort()).toEqual(['accept', 'accept-encoding', 'accept-language', 'connection', 'host', 'sec-fetch-mode', 'user-agent'].filter((k) => k in seen[0]!).sort());
      expect(seen[0]!['accept-encoding']).toBe('identity');
    } finally {
      await server.close();
    }
  });

  it('follows a redirect on the URL\'s own origin, and never one to another origin (nothing is sent there)', async () => {
    const other: IncomingHttpHeaders[] = [];
    const elsewhere = await startLocalServer((req, res) => {
      other.push(req.headers);
      res.writeHead(200, { 'content-length': String(FILE.length) });
      res.end(FILE);
    });
    const elsewhereUrl = elsewhere.origin;
    const paths: string[] = [];
    const server = await startLocalServer((req, res) => {
      paths.push(req.url ?? '');
      if (req.url?.startsWith('/moved')) return void res.writeHead(302, { location: '/media/b?sig=y' }).end();
      if (req.url?.startsWith('/away')) return void res.writeHead(307, { location: `${elsewhereUrl}/media/c?sig=z` }).end();
      res.writeHead(200, { 'content-length': String(FILE.length) });
      res.end(FILE);
    });
    try {
      const base = server.origin;
      const ok = await new Downloader().download({ url: `${base}/moved?sig=x`, dest: join(dir, 'a.ogg') });
      expect(ok).toMatchObject({ bytes: FILE.length, sha256: SHA });
      expect(paths).toEqual(['/moved?sig=x', '/media/b?sig=y']);
      const err = await new Downloader({ ...fast }).download({ url: `${base}/away?sig=s3cr3t`, dest: join(dir, 'b.ogg') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownloadError);
      expect(err).toMatchObject({ reason: 'redirect', status: 307, attempts: 1 });
      expect((err as Error).message).toContain('another origin');
      expect(JSON.stringify(err)).not.toContain('s3cr3t');
      expect(other).toHaveLength(0);
      expect(existsSync(join(dir, 'b.ogg'))).toBe(false);
    } finally {
      await Promise.all([server.close(), elsewhere.close()]);
    }
  });

  it('resumes a body cut mid-way with a Range request and hashes the whole file', async () => {
    const { fn, calls } = fakeFetch((n) => (n === 0 ? { cutAt: 70_000 } : n === 1 ? { cutAt: 50_000 } : {}));
    const dest = join(dir, 'a.ogg');
    const r = await new Downloader({ fetch: fn, ...fast }).download({ url: URL_, dest });
    expect(calls.map((c) => c.headers.range)).toEqual([undefined, 'bytes=70000-', 'bytes=120000-']);
    expect(r).toMatchObject({ bytes: FILE.length, sha256: SHA, attempts: 3, restarts: 0 });
    expect(readFileSync(dest).equals(FILE)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('starts over when the server ignores Range (200 instead of 206)', async () => {
    const dest = join(dir, 'a.ogg');
    writeFileSync(`${dest}.part`, randomBytes(5_000));
    const { fn, calls } = fakeFetch(() => ({ ignoreRange: true }));
    const r = await new Downloader({ fetch: fn, ...fast }).download({ url: URL_, dest });
    expect(calls[0]!.headers.range).toBe('bytes=5000-');
    expect(r).toMatchObject({ sha256: SHA, bytes: FILE.length, restarts: 1 });
    expect(readFileSync(dest).equals(FILE)).toBe(true);
  });

  it('finishes a .part that already holds the whole file (416 for the range after it)', async () => {
    const dest = join(dir, 'a.ogg');
    writeFileSync(`${dest}.part`, FILE);
    const { fn } = fakeFetch(() => ({ status: 416, headers: { 'content-range': `bytes */${FILE.length}` } }));
    const r = await new Downloader({ fetch: fn, ...fast }).download({ url: URL_, dest });
    expect(r).toMatchObject({ sha256: SHA, bytes: FILE.length, resumedFromBytes: FILE.length });
  });

  it('does not retry a refused signature (403) and never shows the query string', async () => {
    const { fn, calls } = fakeFetch(() => ({ status: 403 }));
    const err = await new Downloader({ fetch: fn, ...fast }).download({ url: URL_, dest: join(dir, 'a.ogg') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ reason: 'status', status: 403, attempts: 1, url: 'https://bucket.example.com/rec/a.ogg' });
    expect(calls).toHaveLength(1);
    expect(String((err as Error).message)).not.toContain('s3cr3t');
    expect(JSON.stringify(err)).not.toContain('s3cr3t');
    expect((err as Error).message).toMatch(/expired or its signature was refused/);
  });

  it('retries 503 and 429 as told by Retry-After, waiting on its clock', async () => {
    const { fn, calls } = fakeFetch((n) => (n === 0 ? { status: 503, headers: { 'retry-after': '3' } } : n === 1 ? { status: 429, headers: { 'retry-after': '7' } } : {}));
    const clock = createFakeClock({ autoAdvance: true });
    const r = await new Downloader({ fetch: fn, clock }).download({ url: URL_, dest: join(dir, 'a.ogg') });
    expect(calls).toHaveLength(3);
    expect(r).toMatchObject({ sha256: SHA, attempts: 3 });
    // Retry-After honoured exactly, plus up to 10% (retry.ts computeDelay), on the fake clock: no real wait.
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(3_000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3_300);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(7_000);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(7_700);
  });

  it('bounds each attempt, body included, by timeoutMs', async () => {
    // Headers and 10,000 bytes at once, then the body never ends; later attempts get headers only, then nothing.
    const { fn, calls } = fakeFetch((n) => ({ cutAt: n === 0 ? 10_000 : 0, stall: true }));
    const err = await new Downloader({ fetch: fn, timeoutMs: 100, retry: { limit: 1, baseDelayMs: 0, maxDelayMs: 0 } })
      .download({ url: URL_, dest: join(dir, 'a.ogg') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ reason: 'timeout' });
    // The first attempt kept its 10,000 bytes (progress: not counted against retry.limit); the next two asked for
    // the rest and got nothing: the limit of 1 retry without progress ends it.
    expect(calls.map((c) => c.headers.range)).toEqual([undefined, 'bytes=10000-', 'bytes=10000-']);
  });

  it('an abort keeps the .part and the next download continues from it', async () => {
    const dest = join(dir, 'a.ogg');
    const controller = new AbortController();
    const first = fakeFetch(() => ({}));
    const err = await new Downloader({ fetch: first.fn })
      .download({
        url: URL_,
        dest,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.bytes >= 1) controller.abort(new Error('stop'));
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(readFileSync(`${dest}.part`).length).toBe(FILE.length);
    // The fake fetch sent everything in one chunk: the next run finds it complete and the server says 416.
    const second = fakeFetch((_n, range) => (range >= FILE.length ? { status: 416, headers: { 'content-range': `bytes */${FILE.length}` } } : {}));
    const r = await new Downloader({ fetch: second.fn }).download({ url: URL_, dest });
    expect(r).toMatchObject({ sha256: SHA, resumedFromBytes: FILE.length });
  });

  it('an exception from onProgress stops the download and is rethrown as is', async () => {
    const boom = new Error('disk full');
    const { fn } = fakeFetch(() => ({ cutAt: 1_000 }));
    await expect(
      new Downloader({ fetch: fn, ...fast }).download({
        url: URL_,
        dest: join(dir, 'a.ogg'),
        onProgress: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });

  it('refuses bad input before any request', async () => {
    const { fn, calls } = fakeFetch(() => ({}));
    expect(() => new Downloader({ concurency: 2 } as never)).toThrow(ValidationError);
    for (const url of ['', 'relative/path', 'ftp://host/x', 'https://user:pw@host/x']) {
      const err = await new Downloader({ fetch: fn }).download({ url, dest: join(dir, 'x') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0]!.path).toBe('url');
    }
    expect(calls).toHaveLength(0);
  });
});

describe('Downloader concurrency', () => {
  it('never runs more than `concurrency` downloads at once, however they arrive', async () => {
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const fn = (async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((r) => releases.push(r));
      running--;
      return new Response(new Uint8Array(FILE.subarray(0, 10)), { status: 200, headers: { 'content-length': '10' } });
    }) as typeof fetch;
    const d = new Downloader({ fetch: fn, concurrency: 2 });
    const all = Array.from({ length: 7 }, (_, i) => d.download({ url: URL_, dest: join(dir, `c${i}`) }));
    // Finish them one at a time, each time once both slots hold a fetch (or all that are left do): a freed slot
    // goes to the next download, never to a third at once.
    for (let done = 0; done < 7; done++) {
      while (releases.length < Math.min(2, 7 - done)) await new Promise((r) => setImmediate(r));
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(peak).toBe(2);
  });
});
