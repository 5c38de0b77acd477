/**
 * Opens a sink target: a path becomes an fs.WriteStream (parent directories created, truncated or appended),
 * a stream is used as given. `prepare` runs before the file is opened for writing, so append mode can repair
 * or read the existing file first.
 */
import { createWriteStream } from 'node:fs';
import { fsPromises } from '../internal/node-builtins';
import { dirname } from 'node:path';
import { ValidationError } from '../errors';
import type { SinkOptions, SinkTarget } from './sink';
import { StreamWriter } from './stream-writer';

export interface OpenedTarget {
  writer: StreamWriter;
  /** Set for path targets: the file can be re-read and rewritten. */
  path: string | undefined;
  /** Whether `close()` ends the stream. */
  end: boolean;
}

export function isPathTarget(target: SinkTarget): target is string {
  return typeof target === 'string';
}

export function checkTarget(target: SinkTarget, where: string): void {
  if (typeof target === 'string') {
    if (target.length === 0) throw new ValidationError(where, [{ path: 'target', message: 'the output path is empty' }]);
    // Node refuses such a path only when the file is opened, after the sink was handed out.
    if (target.includes('\u0000')) throw new ValidationError(where, [{ path: 'target', message: 'the output path holds a NUL character' }]);
    return;
  }
  if (target === null || typeof target !== 'object' || typeof (target as { write?: unknown }).write !== 'function') {
    throw new ValidationError(where, [{ path: 'target', message: 'expected a file path or a Node Writable stream' }]);
  }
}

export async function openTarget(target: SinkTarget, options: SinkOptions, append?: boolean): Promise<OpenedTarget> {
  if (typeof target !== 'string') {
    const std = target === process.stdout || target === process.stderr;
    return { writer: new StreamWriter(target as NodeJS.WritableStream), path: undefined, end: std ? false : options.end !== false };
  }
  await fsPromises().mkdir(dirname(target), { recursive: true });
  const stream = createWriteStream(target, { flags: append ? 'a' : 'w' });
  const writer = new StreamWriter(stream);
  await new Promise<void>((resolve, reject) => {
    const onOpen = (): void => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error): void => {
      stream.off('open', onOpen);
      reject(err);
    };
    stream.once('open', onOpen);
    stream.once('error', onError);
  });
  return { writer, path: target, end: true };
}
