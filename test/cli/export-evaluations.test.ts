import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvIds, DAY, filesUnder, jsonSummary, ndjson, runCli, startOrg, tempDir, TEST_SECRET, transcript, waitFor, type Org } from './helpers';

const THREE_DAYS = '2026-01-03T00:00:00Z/2026-01-06T00:00:00Z';

let org: Org;
let dir: string;

beforeAll(async () => {
  org = await startOrg();
  dir = tempDir('export');
});
afterAll(async () => {
  await org?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const finishedNonCalibration = (interval: string) =>
  org.handle.truth
    .evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' })
    .map((e) => e.evaluationId)
    .sort();

describe('gc-data export-evaluations', () => {
  it('with no credentials says it uses the simulated org, and writes the CSV plus a summary (npm run demo)', async () => {
    const out = join(dir, 'demo', 'evaluations.csv');
    const r = await runCli(['export-evaluations', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no credentials set .*using the built-in simulated org at http:\/\/127\.0\.0\.1:\d+/);
    const rows = Number(/Exported (\d+) evaluation\(s\) to /.exec(r.stdout)?.[1]);
    expect(rows).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/interval: +\d{4}-\d{2}-\d{2}T00:00:00Z\/\d{4}-\d{2}-\d{2}T00:00:00Z/);
    expect(r.stdout).toMatch(/org: +simulated org/);
    const ids = csvIds(out);
    expect(ids).toHaveLength(rows);
    expect(new Set(ids).size).toBe(rows);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^evaluation_id,conversation_id,agent_id,/);
    // The implicit checkpoint served its purpose and is gone.
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
  });

  it('exports exactly the org evaluations; --out - puts rows on stdout and the --json summary on stderr', async () => {
    const r = await runCli(['export-evaluations', '--interval', DAY, '--out', '-', '--json'], { org });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { evaluation_id: string; is_calibration: boolean });
    expect(rows.map((x) => x.evaluation_id).sort()).toEqual(finishedNonCalibration(DAY));
    expect(rows.every((x) => x.is_calibration === false)).toBe(true);
    const summary = jsonSummary<{ ok: boolean; rows: number; requests: number; interval: string; skippedCalibrations: number }>(r.stderr);
    expect(summary).toMatchObject({ ok: true, rows: rows.length, interval: DAY });
    // Details strategy: one token, one page, one GET per evaluation (+ the count for the progress ETA is outside the export).
    expect(summary.requests).toBe(rows.length + 1);
  });

  it('Ctrl-C stops cleanly with a resumable checkpoint; the same command then finishes with every row exactly once', async () => {
    const slow = await startOrg({ latencyMs: 100 });
    try {
      const out = join(dir, 'resume', 'evaluations.ndjson');
      const checkpoint = `${out}.checkpoint.json`;
      const args = ['export-evaluations', '--interval', THREE_DAYS, '--out', out, '--progress-interval', '0.3'];
      const first = await runCli(args, {
        org: slow,
        onStart: (child) => {
          void waitFor(() => existsSync(checkpoint), 120_000, 'the first checkpoint').then(() => child.kill('SIGINT'));
        },
      });
      expect(first.code).toBe(130);
      expect(first.stderr).toMatch(/stopped \(Ctrl-C\): \d+ row\(s\) written to .*evaluations\.ndjson this run; progress is in .*checkpoint\.json/);
      expect(first.stderr).toMatch(/resume with: .*export-evaluations .*--interval 2026-01-03T00:00:00Z\/2026-01-06T00:00:00Z/);
      // Non-TTY progress: plain periodic lines with rows, requests, 429s and ETA; no terminal escapes.
      expect(first.stderr).toMatch(/gc-data: export-evaluations \d+\/(\?|~?\d+) rows( \(\d+%\))? \| \d+ requests \| \d+ 429s waited out \| ETA [^|]+ \| elapsed/);
      expect(first.stderr).not.toContain('\x1b[');
      expect(existsSync(checkpoint)).toBe(true);
      const partial = ndjson<{ evaluation_id: string }>(out).length;
      const expected = finishedNonCalibration(THREE_DAYS);
      expect(partial).toBeLessThan(expected.length);

      const second = await runCli(args, { org: slow });
      expect(second.code).toBe(0);
      expect(second.stderr).toMatch(/resuming from .*checkpoint\.json/);
      expect(second.stdout).toMatch(/already written before the interruption/);
      const ids = ndjson<{ evaluation_id: string }>(out).map((r) => r.evaluation_id);
      expect(ids.length).toBe(new Set(ids).size);
      expect(ids.sort()).toEqual(expected);
      expect(existsSync(checkpoint)).toBe(false);
    } finally {
      await slow.close();
    }
  });

  it('exit codes: 2 for bad input (naming the flag), 3 for refused credentials, 4 when a 429 cannot be waited out', async () => {
    const unknown = await runCli(['export-evaluations', '--intervall', DAY], { org });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^gc-data: error: unknown flag --intervall for export-evaluations/m);

    const flagSecret = await runCli(['export-evaluations', `--client-secret=${TEST_SECRET}`]);
    expect(flagSecret.code).toBe(2);
    expect(flagSecret.stderr).toMatch(/--client-secret is not a flag: credentials are never taken on the command line/);

    const interval = await runCli(['export-evaluations', '--interval', '2026-02-30', '--out', join(dir, 'bad.csv'), '--json'], { org });
    expect(interval.code).toBe(2);
    expect(interval.stderr.trim().split('\n')).toHaveLength(1);
    expect(jsonSummary<{ ok: boolean; error: { exitCode: number } }>(interval.stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });

    const format = await runCli(['export-evaluations', '--out', join(dir, 'x.txt')], { org });
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--out .*x\.txt: cannot tell the format/);

    const auth = await runCli(['export-evaluations', '--interval', DAY], { org, env: { GENESYS_CLIENT_SECRET: 'wrong-secret-of-the-test' } });
    expect(auth.code).toBe(3);
    const authLines = auth.stderr.trim().split('\n').filter((l) => l.includes('error:'));
    expect(authLines).toHaveLength(1);
    expect(authLines[0]).toMatch(/refused the client credentials \(401.*\(correlation id [0-9a-f-]{36}\)/);
    expect(auth.stderr).not.toMatch(/\n\s+at /); // no stack without --verbose
    expect(auth.stdout + auth.stderr).not.toContain('wrong-secret-of-the-test');

    org.handle.setFaults({ storm: { retryAfterSeconds: 900 } });
    try {
      const limited = await runCli(['export-evaluations', '--interval', DAY, '--out', join(dir, 'limited.csv')], { org });
      expect(limited.code).toBe(4);
      expect(limited.stderr).toMatch(/error: .*Retry-After.*correlation id [0-9a-f-]{36}/);
    } finally {
      org.handle.setFaults({ storm: null });
    }
  });

  it('never prints or writes the client secret', () => {
    expect(transcript.length).toBeGreaterThan(0);
    for (const text of transcript) expect(text).not.toContain(TEST_SECRET);
    for (const f of filesUnder(dir)) expect(f.text, f.path).not.toContain(TEST_SECRET);
  });
});

describe('one name per concept', () => {
  it('--split-by-media-type (the SDK option splitByMediaType) splits by channel; --split-by-channel, its old name, still does', async () => {
    const a = await runCli(['export-evaluations', '--interval', DAY, '--split-by-media-type', '--out', join(dir, 'split-a.ndjson'), '--progress', 'off'], { org });
    const b = await runCli(['export-evaluations', '--interval', DAY, '--split-by-channel', '--out', join(dir, 'split-b.ndjson'), '--progress', 'off'], { org });
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const rowsA = ndjson<{ media_type: string }>(join(dir, 'split-a.ndjson'));
    expect(rowsA.length).toBeGreaterThan(0);
    expect(a.stdout).toMatch(/voice/);
    expect(ndjson(join(dir, 'split-b.ndjson'))).toEqual(rowsA);
  });
});
