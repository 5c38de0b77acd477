/**
 * sha256 of a download off the main thread. Profiling the downloader (bench/legal-hold/download.ts) showed the
 * hash as the one cost a plain streaming fetch does not have: ~0.6-1.2 s of CPU per GiB, on the same thread that
 * reads the network and issues the writes. Without it our download path used less CPU than the plain fetch; with
 * it, the main thread became the bottleneck (0.6-0.8 x the plain fetch's throughput). Hashing on a worker thread
 * lets the network, the disk and the hash run at the same time.
 *
 * How: one worker thread per process (started on first use, unref'd: it never keeps a program alive), fed with
 * the same 1 MiB runs that are written to the file, after each write (so hash order is file order), as
 * transferred buffers (no copy). Each stream acknowledges what it hashed; a download waits when more than
 * `MAX_BACKLOG` bytes are unhashed, so memory stays bounded when the hash is slower than the network. When a
 * worker cannot start (a runtime without worker threads), the hash runs inline as before: same result, slower.
 */
import type { Worker } from 'node:worker_threads';
import { nodeCrypto } from '../internal/node-builtins';

/** Unhashed bytes a download may have queued before it waits for the hash. */
export const MAX_BACKLOG = 8 * 1024 * 1024;

/** The sha256 of one stream of bytes, fed in order. */
export interface StreamHash {
  /** Hashes the first `bytes` bytes of the file at `path` (what a previous attempt left in the .part). */
  prefix(path: string, bytes: number): Promise<void>;
  /** Adds `buffer`, which the hash now owns: it must be a buffer of its own (not a view into a shared pool). */
  update(buffer: Buffer): void;
  /** Resolves when at most `MAX_BACKLOG` bytes are waiting to be hashed. */
  drained(): Promise<void>;
  /** The hex digest of everything added; the hash cannot be used afterwards. */
  digest(): Promise<string>;
  /** Forgets the stream (a restarted file). */
  drop(): void;
}

// CommonJS source of the worker (eval'd: no separate file to ship or resolve in the CJS and ESM builds).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const hashes = new Map();
const of = (id) => { let h = hashes.get(id); if (!h) { h = createHash('sha256'); hashes.set(id, h); } return h; };
parentPort.on('message', (m) => {
  try {
    if (m.op === 'update') {
      of(m.id).update(new Uint8Array(m.buffer, m.offset, m.length));
      parentPort.postMessage({ op: 'ack', id: m.id, bytes: m.length, buffer: m.buffer }, [m.buffer]);
    } else if (m.op === 'prefix') {
      const h = of(m.id);
      const fd = openSync(m.path, 'r');
      try {
        const buf = Buffer.allocUnsafe(1024 * 1024);
        let left = m.bytes;
        while (left > 0) {
          const n = readSync(fd, buf, 0, Math.min(buf.length, left), null);
          if (n === 0) throw new Error('the file ended ' + left + ' byte(s) early');
          h.update(buf.subarray(0, n));
          left -= n;
        }
      } finally {
        closeSync(fd);
      }
      parentPort.postMessage({ op: 'prefixed', id: m.id });
    } else if (m.op === 'digest') {
      const hex = of(m.id).digest('hex');
      hashes.delete(m.id);
      parentPort.postMessage({ op: 'digest', id: m.id, hex });
    } else if (m.op === 'drop') {
      hashes.delete(m.id);
    }
  } catch (e) {
    hashes.delete(m.id);
    parentPort.postMessage({ op: 'error', id: m.id, message: String((e && e.message) || e) });
  }
});
`;

interface Message {
  op: string;
  id: number;
  bytes?: number;
  hex?: string;
  message?: string;
  buffer?: ArrayBuffer;
}

/**
 * Size of the run buffers the downloads fill and the worker hands back after hashing: a run is at least WRITE_BATCH
 * (download-file.ts) plus the last chunk, which is at most a socket read (64 KiB in practice); larger runs get a
 * buffer of their own. Reusing them spares the allocation and the GC of 1 MiB per MiB downloaded.
 */
export const RUN_BYTES = 1024 * 1024 + 256 * 1024;
const POOL_MAX = 32;
const pool: Buffer[] = [];

/** A buffer of at least `bytes` the caller may fill and give to `StreamHash.update` (a pooled one when it fits). */
export function runBuffer(bytes: number): Buffer {
  if (bytes <= RUN_BYTES) return pool.pop() ?? Buffer.allocUnsafeSlow(RUN_BYTES);
  return Buffer.allocUnsafeSlow(bytes);
}

interface Pending {
  backlog: number;
  waiters: Array<() => void>;
  onPrefix: Array<{ resolve: () => void; reject: (e: Error) => void }>;
  onDigest: { resolve: (hex: string) => void; reject: (e: Error) => void } | undefined;
  failed: Error | undefined;
}

class HashWorker {
  readonly #worker: Worker;
  readonly #streams = new Map<number, Pending>();
  #nextId = 1;
  #dead: Error | undefined;

  constructor(onGone: () => void) {
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true });
    this.#worker.on('message', (m: Message) => this.#onMessage(m));
    // After the listener (adding one refs the port again): idle, the worker never keeps a program alive.
    this.#worker.unref();
    const die = (e: Error) => {
      if (this.#dead) return;
      this.#dead = e;
      onGone();
      for (const s of this.#streams.values()) this.#fail(s, e);
      this.#streams.clear();
    };
    this.#worker.on('error', (e) => die(new Error(`the hash worker failed: ${e.message}`, { cause: e })));
    this.#worker.on('exit', (code) => die(new Error(`the hash worker exited (code ${code})`)));
  }

  open(): StreamHash {
    const id = this.#nextId++;
    const s: Pending = { backlog: 0, waiters: [], onPrefix: [], onDigest: undefined, failed: this.#dead };
    // While a stream is open the worker keeps the program alive: its answers are awaited.
    if (this.#streams.size === 0) this.#worker.ref();
    this.#streams.set(id, s);
    const post = (m: Record<string, unknown>, transfer?: ArrayBuffer[]) => {
      if (s.failed) throw s.failed;
      this.#worker.postMessage({ ...m, id }, transfer);
    };
    return {
      prefix: (path, bytes) =>
        new Promise((resolve, reject) => {
          if (s.failed) return reject(s.failed);
          s.onPrefix.push({ resolve, reject });
          post({ op: 'prefix', path, bytes });
        }),
      update: (buffer) => {
        s.backlog += buffer.length;
        post({ op: 'update', buffer: buffer.buffer, offset: buffer.byteOffset, length: buffer.length }, [buffer.buffer as ArrayBuffer]);
      },
      drained: () =>
        s.failed ? Promise.reject(s.failed) : s.backlog <= MAX_BACKLOG ? Promise.resolve() : new Promise<void>((resolve) => s.waiters.push(resolve)).then(() => {
          if (s.failed) throw s.failed;
        }),
      digest: () =>
        new Promise<string>((resolve, reject) => {
          if (s.failed) return reject(s.failed);
          s.onDigest = { resolve, reject };
          post({ op: 'digest' });
        }),
      drop: () => {
        if (!this.#streams.has(id)) return;
        this.#forget(id);
        if (!s.failed && !this.#dead) this.#worker.postMessage({ op: 'drop', id });
      },
    };
  }

  /** Ends the thread as a crash would: the 'exit' handler fails every open stream and forgets this worker. */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  #onMessage(m: Message): void {
    const s = this.#streams.get(m.id);
    if (!s) return;
    if (m.op === 'ack') {
      if (m.buffer && pool.length < POOL_MAX && m.buffer.byteLength === RUN_BYTES) pool.push(Buffer.from(m.buffer));
      s.backlog -= m.bytes ?? 0;
      if (s.backlog <= MAX_BACKLOG) for (const w of s.waiters.splice(0)) w();
    } else if (m.op === 'prefixed') {
      s.onPrefix.shift()?.resolve();
    } else if (m.op === 'digest') {
      this.#forget(m.id);
      s.onDigest?.resolve(m.hex ?? '');
    } else if (m.op === 'error') {
      this.#forget(m.id);
      this.#fail(s, new Error(m.message));
    }
  }

  #forget(id: number): void {
    this.#streams.delete(id);
    if (this.#streams.size === 0 && !this.#dead) this.#worker.unref();
  }

  #fail(s: Pending, e: Error): void {
    s.failed = e;
    for (const w of s.waiters.splice(0)) w();
    for (const p of s.onPrefix.splice(0)) p.reject(e);
    s.onDigest?.reject(e);
  }
}

let shared: HashWorker | undefined;
let unavailable = false;

/**
 * For bench/legal-hold/download.ts only (not exported by the package): `false` hashes on the calling thread, to
 * measure what the worker brings on the machine at hand.
 */
export function useHashWorker(on: boolean): void {
  unavailable = !on;
}

/**
 * For test/legal-hold/hash-lane.test.ts only (not exported by the package): kills the shared worker mid-stream, as a
 * crash of the thread would. Resolves once its streams have failed; the next `openStreamHash` starts a new worker.
 */
export async function crashHashWorker(): Promise<boolean> {
  const worker = shared;
  if (!worker) return false;
  await worker.terminate();
  // The 'exit' event may follow terminate()'s promise by a turn of the event loop.
  while (shared === worker) await new Promise((resolve) => setImmediate(resolve));
  return true;
}

/** A sha256 of a stream: on the shared hash worker, or inline when no worker can run. */
export function openStreamHash(): StreamHash {
  if (!unavailable) {
    try {
      shared ??= new HashWorker(() => (shared = undefined));
      return shared.open();
    } catch {
      unavailable = true;
    }
  }
  return inlineHash();
}

/** The same contract on the calling thread. */
export function inlineHash(): StreamHash {
  const hash = nodeCrypto().createHash('sha256');
  return {
    async prefix(path, bytes) {
      const fs = process.getBuiltinModule('node:fs/promises');
      const handle = await fs.open(path, 'r');
      try {
        const buf = Buffer.allocUnsafe(1024 * 1024);
        let left = bytes;
        while (left > 0) {
          const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, left), null);
          if (bytesRead === 0) throw new Error(`${path} ended ${left} byte(s) early`);
          hash.update(buf.subarray(0, bytesRead));
          left -= bytesRead;
        }
      } finally {
        await handle.close();
      }
    },
    update: (buffer) => void hash.update(buffer),
    drained: () => Promise.resolve(),
    digest: () => Promise.resolve(hash.digest('hex')),
    drop: () => undefined,
  };
}
