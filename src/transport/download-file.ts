/**
 * The file side of a download (download.ts owns the network side): a response body streamed into `<dest>.part`
 * with its sha256 computed on the way, then made durable and renamed to `<dest>`.
 *
 * Why it is shaped like this (bench/legal-hold/download.ts measures it against a plain streaming fetch):
 * - Chunks are gathered into runs of up to WRITE_BATCH bytes, one write each, with one write in flight while the
 *   next run is gathered: the network is read while the disk writes.
 * - The sha256 runs on a worker thread (hash-lane.ts), fed each run after it is written: the main thread only reads
 *   the network and issues writes. Memory stays bounded per download whatever the file's size: 2 x WRITE_BATCH
 *   plus at most MAX_BACKLOG bytes waiting for the hash.
 * - Durability (fsync of the file, rename, fsync of the folder) is a separate step that the downloader runs after
 *   it has handed the network slot to the next file, in groups (download-durable.ts): an fsync waits for the disk,
 *   not the network.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Hash } from 'node:crypto';
import { fsPromises, nodeCrypto } from '../internal/node-builtins';
import { runBuffer, type StreamHash } from './hash-lane';

/** Bytes gathered before one write to the .part file. */
export const WRITE_BATCH = 1024 * 1024;

/** A write to the .part failed (disk full, ...): not a network problem, so never retried. */
export class PartWriteError extends Error {
  constructor(readonly error: unknown) {
    super('write failed', { cause: error });
  }
}

/**
 * Reads `body` to its end into `handle` (opened for appending, already holding `have` bytes that `hash` has been
 * given). `onChunk` runs after each chunk with the byte count so far; its exception stops the read (and is
 * rethrown). A read error or an abort of `signal` rejects; whatever was received before is written to the file
 * first, so the next attempt can ask for the rest. A failed write rejects with a `PartWriteError`. Resolves with the
 * file's size once every byte is written (and handed to the hash).
 */
export async function receiveBody(
  body: ReadableStream<Uint8Array>,
  handle: FileHandle,
  hash: StreamHash,
  have: number,
  signal: AbortSignal,
  onChunk: (bytes: number, chunkBytes: number) => void,
): Promise<number> {
  const reader = body.getReader();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const flush = async () => {
    await writing;
    await hash.drained();
    if (pendingBytes === 0) return;
    // One buffer of its own per run (a copy, ~1/10 of the hash's cost): written, then transferred to the hash worker.
    // The stream's chunks are never transferred: they may share memory with something else.
    const run = runBuffer(pendingBytes).subarray(0, pendingBytes);
    let at = 0;
    for (const c of pending) {
      run.set(c, at);
      at += c.length;
    }
    pending = [];
    pendingBytes = 0;
    writing = handle.write(run).then(
      () => hash.update(run),
      (e: unknown) => {
        throw new PartWriteError(e);
      },
    );
    // Surfaces at the next flush (awaited there); marked handled so a failure between flushes is not unhandled.
    writing.catch(() => undefined);
  };
  // One abort listener for the whole body rejects the read in progress (undici can leave a read pending forever when
  // the fetch is aborted after the last bytes arrived but before the stream closed). Not a Promise.race against one
  // long-lived promise: each race adds a reaction to it that holds its chunk until the file ends (memory growing
  // with the file's size).
  let rejectRead: (e: unknown) => void = () => undefined;
  const onAbort = () => rejectRead(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const read = () =>
    new Promise<ReadableStreamReadResult<Uint8Array>>((resolve, reject) => {
      rejectRead = reject;
      reader.read().then(resolve, reject);
    });
  let ended = false;
  try {
    for (;;) {
      // An abort (e.g. from onChunk) wins over a read that could complete at once.
      if (signal.aborted) throw signal.reason;
      const chunk = await read();
      if (chunk.done) {
        ended = true;
        break;
      }
      const bytes = chunk.value;
      pending.push(bytes);
      pendingBytes += bytes.length;
      have += bytes.length;
      if (pendingBytes >= WRITE_BATCH) await flush();
      onChunk(have, bytes.length);
    }
    await flush();
    await writing;
    return have;
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!ended) {
      // Stopped early (abort, timeout, a callback's exception): keep what was received for the next attempt and
      // close the connection. The cancel is not awaited (see above).
      await flush().catch(() => undefined);
      await writing.catch(() => undefined);
      void reader.cancel().catch(() => undefined);
    }
    reader.releaseLock();
  }
}

export async function sizeOf(path: string): Promise<number> {
  try {
    return (await fsPromises().stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/** Feeds a file into a hash, 1 MiB at a time. */
export async function hashFile(path: string, hash: Hash): Promise<void> {
  const handle = await fsPromises().open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** sha256 (hex) and size of a file, read in 1 MiB pieces. */
export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = nodeCrypto().createHash('sha256');
  await hashFile(path, hash);
  return { sha256: hash.digest('hex'), bytes: await sizeOf(path) };
}
