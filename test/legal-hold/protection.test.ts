/**
 * Deletion protection: protect in batches and confirm with the listing POST, report what did not take (reported
 * failures and silent ones), idempotent, release; and the simulated retention job deleting an unprotected
 * recording but not a protected one once the org's clock passes the retention date.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DELETED_ERROR, configureLegalHoldSim, isRecordingProtected, legalHoldSim, recordingDeletedAt, recordingRetentionDate } from '@org/gc-data/testing';
import { recordingsOf } from '../../src/testing/data/recordings';
import { createTruth } from '../../src/testing/oracle/truth';
import { LegalHold } from './sdk';
import { DAY, holdEnv, type HoldEnv } from './helpers';

let env: HoldEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('LegalHold.protect / release', () => {
  it('protects in batches, confirms, is idempotent, and releases', async () => {
    env = await holdEnv();
    const org = env.conn.server.org;
    const hold = new LegalHold(env.client, { interval: DAY, protectionBatchSize: 7 });
    const ids = await hold.conversationIds();
    expect(ids.length).toBeGreaterThan(7);
    const report = await hold.protect();
    expect(report).toMatchObject({ requested: ids.length, protected: ids.length, notProtected: [], confirmed: true });
    const batches = Math.ceil(ids.length / 7);
    expect(legalHoldSim(org).counts).toMatchObject({ protectCalls: batches, listCalls: batches });
    expect(ids.every((id) => isRecordingProtected(org, id))).toBe(true);

    // Twice is fine.
    expect((await hold.protect()).confirmed).toBe(true);

    const released = await hold.release();
    expect(released).toMatchObject({ requested: ids.length, released: ids.length, stillProtected: [] });
    expect(ids.some((id) => isRecordingProtected(org, id))).toBe(false);
  });

  it('reports conversations the PUT failed and those the confirming POST does not list', async () => {
    env = await holdEnv();
    const ids = createTruth(env.conn.server.org).conversations({ interval: DAY }).map((x) => x.toLowerCase()).sort();
    const [reported, silent] = [ids[1]!, ids[3]!];
    configureLegalHoldSim(env.conn.server.org, { protectFails: (id) => (id === reported ? 'reported' : id === silent ? 'silent' : undefined) });
    const warnings: string[] = [];
    env.client.on('warning', (w) => warnings.push(w.code));
    const report = await new LegalHold(env.client, { conversationIds: ids }).protect();
    expect(report.confirmed).toBe(false);
    expect(report.protected).toBe(ids.length - 2);
    expect(report.notProtected).toEqual([
      { conversationId: reported, errorMessage: 'Recording protection could not be applied.', errorCode: 'recording.protection.failed' },
      { conversationId: silent, errorMessage: expect.stringMatching(/not listed as protected by POST/) as unknown as string, errorCode: undefined },
    ]);
    expect(warnings).toContain('legal-hold-not-protected');
  });

  it('org.reset() forgets protection and jobs', async () => {
    env = await holdEnv();
    const org = env.conn.server.org;
    const hold = new LegalHold(env.client, { interval: DAY });
    const ids = await hold.conversationIds();
    await hold.protect();
    expect(isRecordingProtected(org, ids[0]!)).toBe(true);
    org.reset();
    expect(isRecordingProtected(org, ids[0]!)).toBe(false);
    expect(legalHoldSim(org).counts.protectCalls).toBe(0);
  });

  it('export({ protect: true }) protects first and reports it in the summary', async () => {
    env = await holdEnv();
    const summary = await new LegalHold(env.client, { interval: DAY, evaluations: false, recordings: false }).export({ out: join(env.dir, 'h'), protect: true });
    expect(summary.protection).toMatchObject({ confirmed: true, protected: summary.conversations });
  });
});

describe('simulated retention job', () => {
  it('deletes an unprotected recording once the clock passes its retention date, but not a protected one', async () => {
    env = await holdEnv({ sim: { retentionMs: 30 * 86_400_000 } });
    const org = env.conn.server.org;
    // Recorded conversations of the day; the first one is put on hold.
    const recorded = createTruth(org)
      .conversations({ interval: DAY })
      .map((id) => id.toLowerCase())
      .filter((id) => recordingsOf(org.data, org.data.core(org.data.conversationIndex(id)!)).length > 0)
      .sort()
      .slice(0, 6);
    expect(recorded.length).toBe(6);
    const a = recorded[0]!;
    const holdA = new LegalHold(env.client, { conversationIds: [a], evaluations: false });
    expect((await holdA.protect()).confirmed).toBe(true);

    // 31 days later on the org's clock (org.advance; nothing waits on the wall clock): the retention job has run.
    org.advance(31 * 86_400_000);
    const summary = await new LegalHold(env.client, { conversationIds: recorded, evaluations: false }).export({ out: join(env.dir, 'after') });
    const deleted = summary.missingRecordings.filter((m) => m.errorMsg === DELETED_ERROR);
    expect(new Set(deleted.map((m) => m.conversationId))).toEqual(new Set(recorded.slice(1)));
    expect(summary.missingRecordings).toEqual(deleted);
    // The protected conversation's recordings were all downloaded.
    const aRecordings = recordingsOf(org.data, org.data.core(org.data.conversationIndex(a)!));
    expect(summary.recordings.received).toBe(aRecordings.length);
    expect(aRecordings.every((r) => recordingDeletedAt(org, a, r) === undefined)).toBe(true);
    // An unprotected one went exactly at its retention date.
    const b = recorded[1]!;
    const bRecording = recordingsOf(org.data, org.data.core(org.data.conversationIndex(b)!))[0]!;
    expect(recordingDeletedAt(org, b, bRecording)).toBe(recordingRetentionDate(org, bRecording));

    // Releasing the hold exposes A to the next run of the retention job.
    await holdA.release();
    org.advance(1);
    const again = await new LegalHold(env.client, { conversationIds: [a], evaluations: false }).export({ out: join(env.dir, 'released') });
    expect(again.recordings.received).toBe(0);
    expect(again.missingRecordings.map((m) => m.errorMsg)).toEqual(aRecordings.map(() => DELETED_ERROR));
  });
});
