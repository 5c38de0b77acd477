import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, filesUnder, jsonSummary, ndjson, runCli, startOrg, tempDir, TEST_SECRET, transcript, waitFor, type Org } from './helpers';

let org: Org;
let dir: string;

beforeAll(async () => {
  // Jobs finish fast so the extract test takes seconds.
  org = await startOrg({ jobs: { queuedMs: 100, pendingMs: 200 } });
  dir = tempDir('commands');
});
afterAll(async () => {
  await org?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('gc-data commands', () => {
  it('--help lists every command; no command is exit 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['export-evaluations', 'extract-conversations', 'search', 'media fetch', 'media annotate', 'simulate']) expect(help.stdout).toContain(c);
    expect(help.stdout).toMatch(/Exit codes: 0 ok, 2 bad input, 3 auth\/permission, 4 deadline or rate limit exhausted/);
    const none = await runCli([]);
    expect(none.code).toBe(2);
  });

  it('extract-conversations writes each conversation with activity in the interval once, and says what is complete', async () => {
    const out = join(dir, 'conversations.ndjson');
    const r = await runCli(['extract-conversations', '--interval', DAY, '--out', out, '--poll-interval', '1', '--json'], { org });
    expect(r.code, r.stderr).toBe(0);
    const ids = ndjson<{ conversationId: string; conversationStart: number }>(out).map((x) => x.conversationId);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.sort()).toEqual([...org.handle.truth.conversations({ interval: DAY, activity: true })].sort());
    const summary = jsonSummary<{ ok: boolean; rows: number; complete: string; windowsTotal: number; jobsSubmitted: number }>(r.stdout);
    expect(summary).toMatchObject({ ok: true, rows: ids.length, complete: DAY, windowsTotal: 4, jobsSubmitted: 4 });
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
  });

  it('search compiles the filter tree, applies the client-side part, and writes flat CSV rows', async () => {
    const out = join(dir, 'search.csv');
    const filter = { and: [{ field: 'mediaType', op: 'equals', value: 'voice' }, { field: 'wrapUpCode', op: 'notEquals', value: 'nope' }] };
    const r = await runCli(['search', '--interval', DAY, '--filter', JSON.stringify(filter), '--limit', '7', '--out', out, '--json'], { org });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^conversationId,conversationStart,/);
    expect(lines).toHaveLength(8);
    const mediaCol = (lines[0] as string).split(',').indexOf('mediaType');
    for (const l of lines.slice(1)) expect(l.split(',')[mediaCol]).toBe('voice');
    expect(jsonSummary(r.stdout)).toMatchObject({ ok: true, matched: 7, reason: 'limit' });

    const bad = await runCli(['search', '--interval', DAY, '--filter', '{"field":"mediaTyp","op":"equals","value":"voice"}'], { org });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error: invalid InteractionSearch\.query\(\) input: filter.*Did you mean "mediaType"/);
  });

  it('media fetch lists recordings with their matrix; media annotate writes, and refuses PII before sending', async () => {
    const fetched = await runCli(['media', 'fetch', '--interval', DAY, '--limit', '3', '--json'], { org });
    expect(fetched.code, fetched.stderr).toBe(0);
    const rows = fetched.stdout.trim().split('\n').map((l) => JSON.parse(l) as { conversationId: string; kind: string; expectedFormats: string[] | null });
    expect(new Set(rows.map((x) => x.conversationId)).size).toBe(3);
    expect(rows.every((x) => ['audio', 'screen', 'chat', 'message', 'email'].includes(x.kind))).toBe(true);
    expect(jsonSummary(fetched.stderr)).toMatchObject({ ok: true, conversations: 3, recordings: rows.length });

    const id = (rows[0] as { conversationId: string }).conversationId;
    const audit = join(dir, 'audit.jsonl');
    const archive = join(dir, 'archive');
    const ok = await runCli(['media', 'annotate', id, '--set', 'qa.reviewed=yes', '--set', 'qa.batch=7', '--category', 'qa', '--audit', audit, '--archive-dir', archive, '--json'], { org });
    expect(ok.code, ok.stderr).toBe(0);
    expect(jsonSummary(ok.stdout)).toMatchObject({ ok: true, conversationId: id, written: ['qa.batch', 'qa.reviewed'], attempts: 1 });
    expect(JSON.parse(readFileSync(audit, 'utf8').trim())).toMatchObject({ conversationId: id, status: 'written' });
    expect(filesUnder(archive)).toHaveLength(1);

    const phone = '555-867-5309';
    const pii = await runCli(['media', 'annotate', id, '--set', `qa.note=call me at ${phone}`], { org });
    expect(pii.code).toBe(2);
    expect(pii.stderr).toMatch(/PII: phone/);
    expect(pii.stderr).not.toContain(phone);
  });

  it('simulate serves the org on a port, prints URL and credentials, and stops on Ctrl-C', async () => {
    let token = 0;
    const r = await runCli(['simulate', '--port', '0', '--json'], {
      onStart: (child, output) => {
        void waitFor(() => output.stdout().includes('\n'), 120_000, 'the simulate banner').then(async () => {
          const info = JSON.parse(output.stdout().split('\n')[0] as string) as { url: string; clientId: string; clientSecret: string };
          const res = await fetch(`${info.url}/oauth/token`, {
            method: 'POST',
            headers: { authorization: `Basic ${Buffer.from(`${info.clientId}:${info.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials',
          });
          token = res.status;
          child.kill('SIGINT');
        });
      },
    });
    expect(token).toBe(200);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.split('\n')[0] as string)).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), clientId: 'sim-client-id' });
  });

  it('never prints or writes the client secret', () => {
    for (const text of transcript) expect(text).not.toContain(TEST_SECRET);
    for (const f of filesUnder(dir)) expect(f.text, f.path).not.toContain(TEST_SECRET);
  });
});
