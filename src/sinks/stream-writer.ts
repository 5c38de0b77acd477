/**
 * Promise-based writes over a Node Writable, shared by the sinks: backpressure (`write` waits for 'drain' only
 * when the stream says so), sticky errors (a failed stream rejects every later call), flush and end.
 */
import { fsync as fsyncCb } from 'node:fs';
import type { Writable } from 'node:stream';
import { streamPromises } from '../internal/node-builtins';

export class StreamWriter {
  readonly stream: Writable;
  private failure: Error | undefined;
  // One shared promise however many writers wait, so listeners do not pile up on the stream.
  private drain: Promise<void> | undefined;

  constructor(stream: NodeJS.WritableStream) {
    this.stream = stream as Writable;
    this.stream.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  get error(): Error | undefined {
    return this.failure;
  }

  write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.stream.destroyed || this.stream.writableEnded) {
      return Promise.reject(new Error('cannot write: the sink stream is already closed'));
    }
    if (this.stream.write(chunk)) return Promise.resolve();
    return this.waitForDrain();
  }

  private waitForDrain(): Promise<void> {
    this.drain ??= new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        this.stream.off('drain', onDrain);
        this.stream.off('error', onError);
        this.stream.off('close', onClose);
        this.drain = undefined;
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => done();
      const onError = (err: Error): void => done(err);
      const onClose = (): void => done(this.failure ?? new Error('the sink stream closed before draining'));
      this.stream.on('drain', onDrain);
      this.stream.on('error', onError);
      this.stream.on('close', onClose);
    });
    return this.drain;
  }

  /** Resolves once everything written before it reached the underlying resource (for files: the fd). */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.stream.writableEnded) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.stream.write('', (err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  /** fsyncs the file behind an fs.WriteStream (no-op for other streams). Call after `flush()`. */
  async fsync(): Promise<void> {
    const fd = (this.stream as Writable & { fd?: number | null }).fd;
    if (typeof fd !== 'number') return;
    await new Promise<void>((resolve, reject) => fsyncCb(fd, (err) => (err ? reject(err) : resolve())));
  }

  /** Ends the stream and waits until it finished (and, for files, closed its descriptor). */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.writableEnded) this.stream.end();
    await streamPromises().finished(this.stream);
    if (this.failure) throw this.failure;
    if ('fd' in this.stream && !this.stream.closed) {
      await new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
    }
  }
}
