/**
 * The sha256 worker thread (src/transport/hash-lane.ts) dying in the middle of a file: the download does not trust
 * the hash it had (nor hang on it); the attempt fails, the next one starts a new worker, re-hashes the bytes already
 * in the .part from disk and asks for the rest with Range. The worker is killed between two chunks the test hands
 * out itself: no timing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { crashHashWorker } from '../../src/transport/hash-lane';
import { Downloader } from './sdk';

const FILE = randomBytes(3 * 1024 * 1024 + 12_345);
const SHA = createHash('sha256').update(FILE).digest('hex');
/** More than one write run (1 MiB, download-file.ts), so the worker has hashed part of the file when it dies. */
const FIRST = 1536 * 1024;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gc-hash-lane-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a hash worker that dies mid-file: the file is re-hashed from disk by a new worker, not trusted', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let firstChunkRead!: () => void;
  const firstChunkGone = new Promise<void>((resolve) => (firstChunkRead = resolve));
  const ranges: Array<string | null> = [];
  const fetchFn = (async (input: string | URL | Request) => {
    const request = input as Request;
    const range = request.headers.get('range');
    ranges.push(range);
    const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
    const body = FILE.subarray(start);
    const first = ranges.length === 1;
    let step = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!first) {
          controller.enqueue(new Uint8Array(body));
          controller.close();
          return;
        }
        // First attempt: 1.5 MiB, then (once the test has killed the worker) the rest.
        if (step++ === 0) {
          controller.enqueue(new Uint8Array(body.subarray(0, FIRST)));
          return;
        }
        firstChunkRead();
        await gate;
        controller.enqueue(new Uint8Array(body.subarray(FIRST)));
        controller.close();
      },
    });
    const headers: Record<string, string> = { 'content-type': 'audio/ogg', 'content-length': String(body.length) };
    if (start > 0) headers['content-range'] = `bytes ${start}-${FILE.length - 1}/${FILE.length}`;
    return new Response(stream, { status: start > 0 ? 206 : 200, headers });
  }) as typeof fetch;

  const downloader = new Downloader({ fetch: fetchFn, retry: { baseDelayMs: 0, maxDelayMs: 0 } });
  const dest = join(dir, 'a.ogg');
  const result = downloader.download({ url: 'https://bucket.example.com/a.ogg?sig=x', dest });
  await firstChunkGone;
  // The first MiB run was written and handed to the worker; now the worker dies.
  expect(await crashHashWorker()).toBe(true);
  release();

  const r = await result;
  expect(r.sha256).toBe(SHA);
  expect(r.bytes).toBe(FILE.length);
  expect(createHash('sha256').update(readFileSync(dest)).digest('hex')).toBe(SHA);
  // The second attempt kept the bytes on disk (re-hashed there) and asked for the rest.
  expect(r.attempts).toBe(2);
  expect(r.resumedFromBytes).toBe(0);
  expect(ranges).toHaveLength(2);
  expect(ranges[0]).toBeNull();
  expect(Number(/^bytes=(\d+)-$/.exec(ranges[1] ?? '')?.[1])).toBeGreaterThanOrEqual(1024 * 1024);
  // And the restarted worker serves the next file.
  const again = await new Downloader({ fetch: fetchFn }).download({ url: 'https://bucket.example.com/a.ogg?sig=x', dest: join(dir, 'b.ogg') });
  expect(again.sha256).toBe(SHA);
});
