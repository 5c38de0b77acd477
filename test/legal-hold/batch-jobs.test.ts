/**
 * Two recording batch jobs in flight (src/legal-hold/recordings.ts): the next job is submitted and polled while the
 * previous one's files download, and never more than two at once. Read from the order of events (batch job
 * submissions sent, recordings recorded), not from timing.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { legalHoldSim } from '@org/gc-data/testing';
import { LegalHold, verifyHold } from './sdk';
import { DAY, holdEnv, type HoldEnv } from './helpers';

let env: HoldEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

it('submits the next batch job while the previous one downloads, two jobs at most', async () => {
  env = await holdEnv({ sim: { recordingBytes: 20_000 } });
  const batchSize = 3;
  const timeline: Array<'submit' | 'file'> = [];
  env.client.on('request', (e: { method: string; path: string; attempt: number }) => {
    if (e.method === 'POST' && e.path === '/api/v2/recording/batchrequests' && e.attempt === 1) timeline.push('submit');
  });
  let received = 0;
  const summary = await new LegalHold(env.client, { interval: DAY, batchSize, download: { concurrency: 2 } }).export({
    out: join(env.dir, 'hold'),
    onProgress: (p) => {
      for (; received < p.recordingsReceived; received++) timeline.push('file');
    },
  });
  const jobs = Math.ceil(summary.recordings.expected / batchSize);
  expect(jobs).toBeGreaterThanOrEqual(4);
  expect(summary.recordings.received).toBe(summary.recordings.expected);
  expect(timeline.filter((t) => t === 'submit')).toHaveLength(jobs);
  expect(legalHoldSim(env.conn.server.org).counts.batchSubmits).toBe(jobs);

  // Files recorded before the k-th submission (k from 1).
  const filesBefore: number[] = [];
  timeline.forEach((t, i) => {
    if (t === 'submit') filesBefore.push(timeline.slice(0, i).filter((x) => x === 'file').length);
  });
  // Overlap: the second job was submitted before the first one's files were all recorded (sequential jobs would
  // have recorded batchSize files first).
  expect(filesBefore[1]).toBeLessThan(batchSize);
  // Bounded: job k + 2 only after job k ended, so at least k full batches of files were recorded before it.
  for (let k = 2; k < jobs; k++) expect(filesBefore[k]).toBeGreaterThanOrEqual((k - 1) * batchSize);

  expect(await verifyHold(join(env.dir, 'hold'))).toMatchObject({ ok: true });
});
