import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createNdjsonSink } from '../../src/sinks';

/** A disk that takes 20 ms per chunk and buffers at most 64 bytes. */
function slowWritable(received: string[]): Writable {
  return new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, cb) {
      setTimeout(() => {
        received.push(chunk.toString());
        cb();
      }, 20);
    },
  });
}

describe('NDJSON write() and backpressure', () => {
  it('resolves at once while the stream has room', async () => {
    const received: string[] = [];
    const sink = createNdjsonSink(slowWritable(received));
    let resolved = false;
    const p = sink.write({ a: 1 }).then(() => {
      resolved = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(true);
    await p;
    await sink.close();
    expect(received.join('')).toBe('{"a":1}\n');
  });

  it('waits for drain when the stream is full', async () => {
    const received: string[] = [];
    const stream = slowWritable(received);
    const sink = createNdjsonSink(stream);
    const big = { text: 'x'.repeat(100) };
    let resolved = false;
    const p = sink.write(big).then(() => {
      resolved = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(resolved).toBe(false);
    expect(stream.writableNeedDrain).toBe(true);
    await p;
    expect(received).toHaveLength(1);
    await sink.close();
  });

  it('keeps memory bounded: awaiting each write never lets the buffer grow past one row', async () => {
    const received: string[] = [];
    const stream = slowWritable(received);
    const sink = createNdjsonSink(stream);
    let maxBuffered = 0;
    for (let i = 0; i < 20; i++) {
      await sink.write({ i, pad: 'y'.repeat(50) });
      maxBuffered = Math.max(maxBuffered, stream.writableLength);
    }
    await sink.close();
    expect(maxBuffered).toBeLessThan(64 + 70);
    expect(received.join('').trim().split('\n')).toHaveLength(20);
    expect(sink.rowsWritten).toBe(20);
  });

  it('rejects writes after the stream failed', async () => {
    const stream = new Writable({
      write(_c, _e, cb) {
        cb(new Error('disk full'));
      },
    });
    const sink = createNdjsonSink(stream);
    await sink.write({ a: 1 }).catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    await expect(sink.write({ a: 2 })).rejects.toThrow('disk full');
    await expect(sink.close()).rejects.toThrow('disk full');
  });

  it('ends a given stream on close unless end: false', async () => {
    const a = slowWritable([]);
    const sa = createNdjsonSink(a);
    await sa.write({ x: 1 });
    await sa.close();
    expect(a.writableFinished).toBe(true);
    const b = slowWritable([]);
    const sb = createNdjsonSink(b, { end: false });
    await sb.write({ x: 1 });
    await sb.close();
    expect(b.writableEnded).toBe(false);
    expect(b.writableLength).toBe(0);
  });
});
