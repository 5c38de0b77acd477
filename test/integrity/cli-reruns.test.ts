/**
 * What a rerun does to files already on disk: outputs that are the same file are refused, a finished output is never
 * truncated (--overwrite to redo it), a resume removes the temp files a killed run left, and a checkpoint that does
 * not fit the run says which file it is and what to do.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR, DAY, ndjson, runInProcess, startOrg, tempDir, TEST_SECRET, transcript, type Org } from '../cli/helpers';

const OTHER_DAY = '2026-01-06T00:00:00Z/2026-01-07T00:00:00Z';
/** Above any pid_max (Linux allows at most 2^22): a temp file of a process that cannot be running. */
const DEAD_PID = 4_194_305;

let org: Org;
let dir: string;

beforeAll(async () => {
  org = await startOrg({ jobs: { queuedMs: 50, pendingMs: 50 } });
  dir = tempDir('reruns');
});
afterAll(async () => {
  await org?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const requests = () => org.server.stats.snapshot().totalRequests;

async function run(args: string[]) {
  const before = requests();
  const r = await runInProcess(args, { org });
  return { ...r, requests: requests() - before };
}

describe('gc-data reruns and output files', () => {
  it('two outputs of one run that resolve to the same file are refused before any request', async () => {
    const sub = join(dir, 'same');
    mkdirSync(sub, { recursive: true });
    const out = join(sub, 'evaluations.ndjson');
    symlinkSync(out, join(sub, 'link.ndjson')); // dangling until the output exists: still the same file
    const cases: Array<[string[], RegExp]> = [
      [['--calibrations', 'separate', '--calibrations-out', join(sub, '..', 'same', 'evaluations.ndjson')], /--out and --calibrations-out are the same file/],
      [['--calibrations', 'separate', '--calibrations-out', join(sub, 'link.ndjson')], /--out and --calibrations-out are the same file/],
      [['--checkpoint', join(sub, 'link.ndjson')], /--out and --checkpoint are the same file/],
    ];
    for (const [flags, message] of cases) {
      const r = await run(['export-evaluations', '--interval', DAY, '--out', out, ...flags]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.requests).toBe(0);
      expect(existsSync(out)).toBe(false);
    }
    const extract = await run(['extract-conversations', '--interval', DAY, '--out', out, '--checkpoint', join(sub, '.', 'evaluations.ndjson')]);
    expect(extract.code).toBe(2);
    expect(extract.stderr).toMatch(/--out and --checkpoint are the same file/);
    expect(extract.requests).toBe(0);
  });

  it('a finished output is never truncated: a rerun is refused (or nothing to do), --overwrite redoes it', async () => {
    const out = join(dir, 'finished', 'conversations.ndjson');
    const args = ['extract-conversations', '--interval', DAY, '--out', out, '--poll-interval', '1'];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.length).toBeGreaterThan(0);

    const again = await run(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/conversations\.ndjson already exists and no checkpoint .* says it is unfinished.*--overwrite/);
    expect(again.requests).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(text);

    const redo = await run([...args, '--overwrite']);
    expect(redo.code, redo.stderr).toBe(0);
    expect(ndjson(out).length).toBe(text.trim().split('\n').length);

    // export-evaluations: the default checkpoint is removed on completion, so a rerun is refused the same way ...
    const csv = join(dir, 'finished', 'evaluations.csv');
    expect((await run(['export-evaluations', '--interval', DAY, '--out', csv])).code).toBe(0);
    const rows = readFileSync(csv, 'utf8');
    const rerun = await run(['export-evaluations', '--interval', DAY, '--out', csv]);
    expect(rerun.code).toBe(2);
    expect(rerun.stderr).toMatch(/evaluations\.csv already exists/);
    expect(readFileSync(csv, 'utf8')).toBe(rows);
    // ... and a kept (explicit) checkpoint marked done means "nothing to do", without a request.
    const kept = join(dir, 'finished', 'kept.ndjson');
    const keptArgs = ['export-evaluations', '--interval', DAY, '--out', kept, '--checkpoint', join(dir, 'finished', 'kept.json')];
    expect((await run(keptArgs)).code).toBe(0);
    const keptRows = readFileSync(kept, 'utf8');
    const done = await run(keptArgs);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/Nothing to do: .*kept\.json says this export is complete/);
    expect(done.requests).toBe(0);
    expect(readFileSync(kept, 'utf8')).toBe(keptRows);
  });

  /** A run that fails at its first request (a 429 it cannot wait out) and leaves a checkpoint. */
  async function failedRun(out: string) {
    org.handle.setFaults({ storm: { retryAfterSeconds: 900 } });
    try {
      const failed = await run(['export-evaluations', '--interval', DAY, '--out', out]);
      expect(failed.code).toBe(4);
      expect(existsSync(`${out}.checkpoint.json`)).toBe(true);
      return failed;
    } finally {
      org.handle.setFaults({ storm: null });
    }
  }

  it('a resume removes the temp files a killed run left beside the output and the checkpoint', async () => {
    const out = join(dir, 'resume', 'evaluations.csv');
    await failedRun(out);
    // Left by a kill during the CSV header rewrite (and during a checkpoint save): temp files of a dead process.
    const leftovers = [join(dirname(out), `.evaluations.csv.${DEAD_PID}.0badc0de.tmp`), join(dirname(out), `.evaluations.csv.checkpoint.json.${DEAD_PID}.00ff00ff.tmp`)];
    for (const f of leftovers) writeFileSync(f, 'evaluation_id,conversation_id\n'.repeat(1000));
    const unrelated = join(dirname(out), '.other.csv.1.deadbeef.tmp');
    writeFileSync(unrelated, 'x');
    const resumed = await run(['export-evaluations', '--interval', DAY, '--out', out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from/);
    expect(resumed.stderr).toMatch(/removed 2 temp file\(s\) left by an earlier run/);
    for (const f of leftovers) expect(existsSync(f), f).toBe(false);
    expect(statSync(out).size).toBeGreaterThan(0);
    expect(readdirSync(dirname(out)).filter((n) => n.endsWith('.tmp'))).toEqual(['.other.csv.1.deadbeef.tmp']);
  });

  it('a stale checkpoint of a failed run is exit 2 naming the file and both fixes; --overwrite starts over', async () => {
    const out = join(dir, 'stale', 'evaluations.csv');
    const checkpoint = `${out}.checkpoint.json`;
    const failed = await failedRun(out);

    const args = ['export-evaluations', '--interval', OTHER_DAY, '--out', out];
    const other = await run(args);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/evaluations\.csv\.checkpoint\.json .*(different|another) export/);
    expect(other.stderr).toMatch(/rerun .*with the same arguments/);
    expect(other.stderr).toMatch(/delete .*evaluations\.csv\.checkpoint\.json or pass --overwrite/);
    expect(existsSync(checkpoint)).toBe(true);
    // The failed run itself said where its progress is and how to resume.
    expect(failed.stderr).toMatch(/progress is saved in .*evaluations\.csv\.checkpoint\.json; rerun the same command to resume/);

    const over = await run([...args, '--overwrite']);
    expect(over.code, over.stderr).toBe(0);
    expect(over.stderr).toMatch(/--overwrite: removed .*checkpoint\.json; starting over/);
    expect(existsSync(checkpoint)).toBe(false);
    expect(statSync(out).size).toBeGreaterThan(0);
  });

  it('a checkpoint of another kind of job is exit 2 before any request, naming the file and the fixes', async () => {
    const out = join(dir, 'kind', 'conversations.ndjson');
    const checkpoint = join(dir, 'kind', 'state.json');
    mkdirSync(dirname(checkpoint), { recursive: true });
    writeFileSync(checkpoint, JSON.stringify({ version: 1, kind: 'quality-export', savedAt: ANCHOR, state: { fingerprint: 'x', written: [], sinkRows: 0, calibrationSinkRows: 0, done: false } }));
    const r = await run(['extract-conversations', '--interval', DAY, '--out', out, '--checkpoint', checkpoint]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/state\.json .*"quality-export" job/);
    expect(r.stderr).toMatch(/delete .*state\.json or pass --overwrite/);
    expect(r.requests).toBe(0);
    expect(existsSync(out)).toBe(false);
  });

  it('never prints the secret', () => {
    for (const text of transcript) expect(text).not.toContain(TEST_SECRET);
  });
});
