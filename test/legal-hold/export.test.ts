/**
 * LegalHold.export against the simulated org: every file of the hold in the manifest, recordings downloaded from the
 * second origin without the bearer token, redacted recordings listed as missing with the platform's errorMsg (or,
 * when the platform leaves them out, with expected vs received), and verifyHold finding tampering.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED_ERROR, configureLegalHoldSim, legalHoldSim } from '@org/gc-data/testing';
import { createTruth } from '../../src/testing/oracle/truth';
import { LegalHold, verifyHold } from './sdk';
import { DAY, holdEnv, manifestLines, type HoldEnv } from './helpers';

let env: HoldEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('LegalHold.export', () => {
  it('exports conversations, evaluations, metadata and recordings with a manifest that verifies', async () => {
    env = await holdEnv({ org: { evaluatedShare: 0.8, calibrationShare: 0.3 } });
    const out = join(env.dir, 'hold');
    const hold = new LegalHold(env.client, { interval: DAY });
    const summary = await hold.export({ out, key: 'court-key' });

    expect(summary.conversations).toBeGreaterThan(5);
    expect(summary.recordings.expected).toBeGreaterThan(5);
    expect(summary.recordings.received).toBe(summary.recordings.expected);
    expect(summary.recordings.missing).toBe(0);
    expect(summary.evaluations).toBeGreaterThan(0);
    expect(summary.signed).toBe(true);
    // The batch jobs were polled on the client's (fake) clock with the default schedule: 2 s, then x1.5, plus up to
    // 0.5 s of jitter; the first poll of each job waits 2.0-2.5 s. The clock also carries the rate limiter's waits
    // (at most 1 s: the 20/s ceiling while the org announces no limit), so the polls are the waits of 2 s and more:
    // one before each poll the org answered (a shorter poll wait would leave fewer).
    const polls = env.clientClock.sleeps.filter((ms) => ms >= 2_000);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls).toHaveLength(legalHoldSim(env.conn.server.org).counts.batchPolls);
    expect(polls.every((ms) => ms <= 30_500)).toBe(true);
    expect(polls.some((ms) => ms <= 2_500)).toBe(true);

    const lines = manifestLines(out);
    const paths = lines.map((l) => (JSON.parse(l) as { path: string }).path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toContain('hold.json');
    expect(paths).toContain('conversations.json');
    expect(paths).toContain('evaluations.ndjson');
    expect(paths).toContain('missing-recordings.json');
    expect(paths.filter((p) => p.startsWith('conversations/'))).toHaveLength(summary.conversations);
    expect(paths.filter((p) => p.startsWith('evaluations/'))).toHaveLength(summary.evaluations);
    const recordings = lines.map((l) => JSON.parse(l) as { path: string; size: number; source: Record<string, string>; correlationId: string | null }).filter((e) => e.source.recordingId);
    expect(recordings).toHaveLength(summary.recordings.received);
    expect(recordings.every((r) => r.size === 40_000 && r.source.contentType && r.correlationId)).toBe(true);
    // Each conversation document names the answer it came from: the correlation id of its details query page.
    const documents = lines.map((l) => JSON.parse(l) as { path: string; correlationId: string | null }).filter((e) => e.path.startsWith('conversations/'));
    expect(documents.every((d) => typeof d.correlationId === 'string' && d.correlationId !== '')).toBe(true);

    // Every evaluation status is there (not only Finished), calibrations included.
    const rows = readFileSync(join(out, 'evaluations.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(summary.evaluations);
    const truth = createTruth(env.conn.server.org);
    expect(JSON.parse(readFileSync(join(out, 'conversations.json'), 'utf8'))).toEqual(truth.conversations({ interval: DAY }).map((id) => id.toLowerCase()).sort());
    const expected = truth.evaluations({ interval: DAY, calibrations: 'include' });
    expect(rows.map((r) => r.evaluation_id).sort()).toEqual(expected.map((e) => e.evaluationId).sort());
    expect(expected.some((e) => e.calibration)).toBe(true);
    expect(new Set(expected.map((e) => e.status)).size).toBeGreaterThan(1);
    // The raw JSON of each, as the Quality API returned it.
    const one = JSON.parse(readFileSync(join(out, 'evaluations', `${expected[0]!.evaluationId}.json`), 'utf8')) as { id: string; answers?: unknown };
    expect(one.id).toBe(expected[0]!.evaluationId);

    const report = await verifyHold(out, { key: 'court-key' });
    expect(report).toMatchObject({ ok: true, manifestIntact: true, signature: 'valid', added: [], missing: [], altered: [] });
    expect((await verifyHold(out, { key: 'wrong-key' })).signature).toBe('invalid');
    expect((await verifyHold(out, { key: 'wrong-key' })).ok).toBe(false);
  });

  it('never sends the bearer token (or any Authorization header) to the download host', async () => {
    env = await holdEnv();
    const out = join(env.dir, 'hold');
    const summary = await new LegalHold(env.client, { interval: DAY, evaluations: false }).export({ out });
    expect(env.files.requests.length).toBeGreaterThanOrEqual(summary.recordings.received);
    expect(summary.recordings.received).toBeGreaterThan(0);
    for (const r of env.files.requests) {
      expect(Object.keys(r.headers).map((k) => k.toLowerCase())).not.toContain('authorization');
      expect(JSON.stringify(r.headers)).not.toMatch(/bearer/i);
    }
  });

  it('lists redacted recordings as missing with the platform errorMsg, never dropping them', async () => {
    env = await holdEnv();
    const out = join(env.dir, 'hold');
    let redacted = 0;
    configureLegalHoldSim(env.conn.server.org, { redacted: (r) => r.media === 'audio' && redacted++ % 2 === 0 });
    const summary = await new LegalHold(env.client, { interval: DAY, evaluations: false }).export({ out });
    expect(summary.recordings.missing).toBeGreaterThan(0);
    expect(summary.recordings.received + summary.recordings.missing).toBe(summary.recordings.expected);
    expect(summary.missingRecordings.every((m) => m.errorMsg === REDACTED_ERROR && m.reason === 'platform-error')).toBe(true);
    const listed = JSON.parse(readFileSync(join(out, 'missing-recordings.json'), 'utf8')) as Array<{ recordingId: string; errorMsg: string }>;
    expect(listed).toHaveLength(summary.recordings.missing);
    expect(listed.every((m) => m.errorMsg === REDACTED_ERROR)).toBe(true);
  });

  it('lists recordings the platform leaves out of the results (expected vs received)', async () => {
    env = await holdEnv();
    const out = join(env.dir, 'hold');
    configureLegalHoldSim(env.conn.server.org, { redaction: 'omit', redacted: (r) => r.media === 'chat' || r.media === 'screen' });
    const summary = await new LegalHold(env.client, { interval: DAY, evaluations: false }).export({ out });
    expect(summary.recordings.missing).toBeGreaterThan(0);
    expect(summary.recordings.received + summary.recordings.missing).toBe(summary.recordings.expected);
    for (const m of summary.missingRecordings) {
      expect(m.reason).toBe('not-returned');
      expect(m.errorMsg).toMatch(/not in the results of batch job .*expectedResultCount \d+, resultCount \d+/);
    }
  });

  it('verifyHold reports added, missing and altered files and a changed manifest', async () => {
    env = await holdEnv();
    const out = join(env.dir, 'hold');
    await new LegalHold(env.client, { interval: DAY, evaluations: false }).export({ out });
    const entries = manifestLines(out).map((l) => JSON.parse(l) as { path: string; source: Record<string, string> });
    const recording = entries.find((e) => e.source.recordingId)!.path;
    const doc = entries.find((e) => e.path.startsWith('conversations/'))!.path;
    expect((await verifyHold(out)).ok).toBe(true);

    // One flipped byte in a recording.
    const bytes = readFileSync(join(out, recording));
    bytes[100] = (bytes[100]! + 1) % 256;
    writeFileSync(join(out, recording), bytes);
    rmSync(join(out, doc));
    writeFileSync(join(out, 'planted.txt'), 'x');
    const report = await verifyHold(out);
    expect(report.ok).toBe(false);
    expect(report.altered.map((a) => a.path)).toEqual([recording]);
    expect(report.missing).toEqual([doc]);
    expect(report.added).toEqual(['planted.txt']);
    expect(report.manifestIntact).toBe(true);

    // A manifest line pointing outside the folder is a bad line: nothing outside is read.
    appendFileSync(join(out, 'manifest.jsonl'), '{"path":"../../../../etc/hostname","size":1,"sha256":"00","source":{},"retrievedAt":"x","correlationId":null}\n');
    const escaped = await verifyHold(out);
    expect(escaped.badLines).toEqual([manifestLines(out).length]);
    expect(escaped.missing).toEqual([doc]);
    expect(escaped.altered.map((a) => a.path)).toEqual([recording]);

    appendFileSync(join(out, 'manifest.jsonl'), '{"path":"planted.txt","size":1,"sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881","source":{},"retrievedAt":"x","correlationId":null}\n');
    expect((await verifyHold(out)).manifestIntact).toBe(false);
  });

  it('a rerun removes the temp and partial files a killed run left, keeps (and reports) foreign files', async () => {
    env = await holdEnv();
    const out = join(env.dir, 'hold');
    const hold = new LegalHold(env.client, { interval: DAY, evaluations: false });
    await hold.export({ out });
    const doc = manifestLines(out).map((l) => (JSON.parse(l) as { path: string }).path).find((p) => p.startsWith('conversations/'))!;
    writeFileSync(join(out, `${doc}.4242.deadbeef.tmp`), 'half a write');
    writeFileSync(join(out, '.manifest.jsonl.4242.0badf00d.tmp'), 'half a manifest');
    mkdirSync(join(out, 'recordings', 'x'), { recursive: true });
    writeFileSync(join(out, 'recordings', 'x', 'gone.ogg.part'), 'partial');
    writeFileSync(join(out, 'notes.txt'), 'added by someone');
    const again = await hold.export({ out });
    expect(again.resumed).toBe(true);
    const report = await verifyHold(out);
    expect(report.added).toEqual(['notes.txt']);
    expect(report.missing).toEqual([]);
    expect(report.altered).toEqual([]);
  });
});
