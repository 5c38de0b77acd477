/**
 * Selection by explicit conversation ids (unknown ids reported, evaluations found through a conversationId filter)
 * and by interval + filter tree; refused download URLs (403) are requested again in a new batch job, then fail.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FilterBuilder } from '@org/gc-data/filters';
import { legalHoldSim } from '@org/gc-data/testing';
import { createTruth } from '../../src/testing/oracle/truth';
import { DownloadError, LegalHold } from './sdk';
import { DAY, holdEnv, manifestLines, type HoldEnv } from './helpers';

let env: HoldEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('selection', () => {
  it('by conversation ids: each detail document, their evaluations (all statuses, calibrations), unknown ids reported', async () => {
    env = await holdEnv({ org: { evaluatedShare: 0.8, calibrationShare: 0.3 } });
    const truth = createTruth(env.conn.server.org);
    const all = truth.conversations({ interval: DAY }).map((id) => id.toLowerCase());
    const picked = all.filter((_, i) => i % 3 === 0);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const summary = await new LegalHold(env.client, { conversationIds: [...picked.map((id) => id.toUpperCase()), unknown], recordings: false }).export({ out: join(env.dir, 'h') });
    expect(summary.conversations).toBe(picked.length);
    expect(summary.unknownConversations).toEqual([unknown]);
    const wanted = new Set(picked);
    const expected = truth.evaluations({ interval: DAY, calibrations: 'include' }).filter((e) => wanted.has(e.conversationId.toLowerCase()));
    expect(expected.length).toBeGreaterThan(0);
    const paths = manifestLines(join(env.dir, 'h')).map((l) => (JSON.parse(l) as { path: string }).path);
    expect(paths.filter((p) => p.startsWith('evaluations/')).sort()).toEqual(expected.map((e) => `evaluations/${e.evaluationId}.json`).sort());
    expect(paths.filter((p) => p.startsWith('conversations/')).sort()).toEqual(picked.map((id) => `conversations/${id}.json`).sort());
  });

  it('by interval + filter tree: only matching conversations, every media type unless excluded', async () => {
    env = await holdEnv();
    const truth = createTruth(env.conn.server.org);
    const voice = await new LegalHold(env.client, { interval: DAY, filters: FilterBuilder.interaction('voice') }).conversationIds();
    const notVoice = await new LegalHold(env.client, { interval: DAY, filters: { field: 'mediaType', op: 'notEquals', value: 'voice' } }).conversationIds();
    const every = await new LegalHold(env.client, { interval: DAY }).conversationIds();
    expect(voice.length).toBeGreaterThan(0);
    expect(notVoice.length).toBeGreaterThan(0);
    expect([...voice, ...notVoice].sort()).toEqual(every);
    expect(every).toEqual(truth.conversations({ interval: DAY }).map((id) => id.toLowerCase()).sort());
    for (const id of voice) expect(truth.conversation(id)?.participants?.some((p) => p.sessions?.some((s) => s.mediaType === 'voice'))).toBe(true);
  });
});

describe('refused download URLs', () => {
  it('are requested again in a new batch job (fresh URL), then downloaded', async () => {
    env = await holdEnv();
    env.files.setFaults({ failStatus: { status: 403, times: 2 } });
    const warnings: string[] = [];
    env.client.on('warning', (w) => warnings.push(w.code));
    const summary = await new LegalHold(env.client, { interval: DAY, evaluations: false, download: { concurrency: 1 } }).export({ out: join(env.dir, 'h') });
    expect(summary.recordings.received).toBe(summary.recordings.expected);
    expect(warnings.filter((w) => w === 'legal-hold-url-refresh')).toHaveLength(2);
    expect(legalHoldSim(env.conn.server.org).counts.batchSubmits).toBe(2);
  });

  it('fail the export with a DownloadError after maxUrlRefreshes', async () => {
    env = await holdEnv();
    env.files.setFaults({ failStatus: { status: 403, times: 1_000 } });
    const err = await new LegalHold(env.client, { interval: DAY, evaluations: false, maxUrlRefreshes: 1 }).export({ out: join(env.dir, 'h') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ status: 403 });
    expect(String((err as Error).message)).not.toMatch(/X-Sim-Signature/);
  });
});
