/**
 * `gc-data legal-hold create|verify|release` as a user runs it (child process) against a simulated org served by
 * this test process; the org starts its own recording files origin for the pre-signed URLs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRecordingProtected } from '@org/gc-data/testing';
import { DAY, jsonSummary, runCli, startOrg, tempDir, TEST_SECRET, type Org } from '../cli/helpers';

let org: Org;
beforeAll(async () => {
  org = await startOrg({ conversations: 200, rateLimit: false });
});
afterAll(async () => {
  await org.close();
});

describe('gc-data legal-hold', () => {
  it('create (protect, recordings, signed) -> verify -> tamper -> verify fails -> release', async () => {
    const dir = tempDir('legal-hold-cli');
    const out = join(dir, 'hold');
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, 'a court-grade key\n');
    const created = await runCli(['legal-hold', 'create', '--interval', DAY, '--protect', '--recordings', '--key-file', keyFile, '--out', out, '--json', '--progress', 'off'], { org });
    expect(created.code, created.stderr).toBe(0);
    const summary = jsonSummary<{ ok: boolean; conversations: number; evaluations: number; recordings: { expected: number; received: number; missing: number }; protection: { confirmed: boolean }; signed: boolean }>(created.stdout);
    expect(summary).toMatchObject({ ok: true, signed: true, protection: { confirmed: true } });
    expect(summary.conversations).toBeGreaterThan(0);
    expect(summary.recordings.received).toBe(summary.recordings.expected);
    const ids = JSON.parse(readFileSync(join(out, 'conversations.json'), 'utf8')) as string[];
    expect(ids.every((id) => isRecordingProtected(org.handle.org, id))).toBe(true);

    const ok = await runCli(['legal-hold', 'verify', out, '--key-file', keyFile]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/is intact/);
    expect(ok.stdout).toMatch(/signature: +valid/);

    const firstDoc = readFileSync(join(out, 'manifest.jsonl'), 'utf8').split('\n').map((l) => (l ? (JSON.parse(l) as { path: string }).path : '')).find((p) => p.startsWith('conversations/'))!;
    writeFileSync(join(out, firstDoc), '{"tampered":true}\n');
    const bad = await runCli(['legal-hold', 'verify', out]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/does NOT verify/);
    expect(bad.stdout).toContain(firstDoc);

    const released = await runCli(['legal-hold', 'release', out, '--json'], { org });
    expect(released.code, released.stderr).toBe(0);
    expect(jsonSummary<{ released: number; stillProtected: string[] }>(released.stdout)).toMatchObject({ released: ids.length, stillProtected: [] });
    expect(ids.some((id) => isRecordingProtected(org.handle.org, id))).toBe(false);

    for (const r of [created, ok, bad, released]) expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
  });

  it('refuses what it cannot run, with exit 2 and no request', async () => {
    const r1 = await runCli(['legal-hold', 'create', '--out', tempDir('lh')], { org });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/--interval I \[--filter FILE\], or --ids/);
    const r2 = await runCli(['legal-hold', 'shred'], { org });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/unknown legal-hold action "shred"/);
    const r3 = await runCli(['legal-hold', 'create', '--interval', DAY, '--ids', 'a,b', '--out', tempDir('lh')], { org });
    expect(r3.code).toBe(2);
  });
});
