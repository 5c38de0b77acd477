/**
 * Group durability under a real kill (src/transport/download-durable.ts, docs/legal-hold.md "Durability"): a hold
 * export in a child process (kill-worker.ts) is SIGKILLed exactly when a recording's group fsync starts (its bytes
 * written, not yet durable), or when the group's folder fsync starts (files renamed, not yet durable, no line yet).
 * Then: no resume-state line names a file that is not on disk with the bytes it vouches for, the file in flight is
 * not trusted (the rerun confirms a complete .part with the server and re-hashes it, or downloads a renamed file
 * again), and the rerun ends with the manifest of an uninterrupted run. The kill point is chosen by the child's own
 * fsync call, not by timing. Linux only (kill-worker.ts reads /proc/self/fd).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256File, verifyHold } from './sdk';
import { holdEnv, manifestLines, stable, type HoldEnv } from './helpers';
import { DAY } from './env-options';
import type { KillWorkerConfig } from './kill-worker';
import { LegalHold } from './sdk';

const root = fileURLToPath(new URL('../..', import.meta.url));
const worker = fileURLToPath(new URL('./kill-worker.ts', import.meta.url));
const BYTES = 150_000;

/** Runs the worker until it announces the fsync it hangs in, then SIGKILLs it; resolves with that path. */
function runUntilSync(config: KillWorkerConfig): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, JSON.stringify(config)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let path: string | undefined;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^syncing (.+)$/.exec(line);
      if (m && path === undefined) {
        path = m[1]!;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && path !== undefined) resolve(path);
      else reject(new Error(`kill worker ended without reaching the fsync (code ${code}, signal ${signal}): ${stderr.slice(0, 2000)}`));
    });
  });
}

interface Entry {
  path: string;
  size: number;
  sha256: string;
}
const entriesOf = (out: string): Entry[] =>
  readFileSync(join(out, '.state', 'entries.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry);

let env: HoldEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe.skipIf(process.platform !== 'linux')('a hold export killed between a file write and its group fsync', () => {
  it.each(['file', 'folder'] as const)('killed in the %s fsync: nothing trusted that is not durable; the rerun ends identical', async (hangAt) => {
    env = await holdEnv({ sim: { recordingBytes: BYTES } });
    const options = { interval: DAY, download: { concurrency: 3 } };
    const reference = await new LegalHold(env.client, options).export({ out: join(env.dir, 'a') });
    const out = join(env.dir, 'b');
    const at = await runUntilSync({ out, hangAt, recordingBytes: BYTES, concurrency: 3 });

    // The rule, on what the kill left: every line names a file on disk with exactly the bytes it vouches for.
    const entries = entriesOf(out);
    expect(entries.some((e) => e.path.startsWith('evaluations/'))).toBe(true);
    for (const e of entries) expect(await sha256File(join(out, e.path))).toEqual({ sha256: e.sha256, bytes: e.size });
    const recorded = new Set(entries.map((e) => e.path));

    // The file(s) in flight: written, not durable, so not recorded.
    let inFlight: Array<{ rel: string; rid: string }>;
    if (hangAt === 'file') {
      const rel = at.slice(out.length + 1).replace(/\.part$/, '');
      expect(at.endsWith('.part')).toBe(true);
      expect(statSync(at).size).toBe(BYTES);
      inFlight = [{ rel, rid: rel.split('/').pop()!.replace(/\.[a-z0-9]+$/, '') }];
    } else {
      const folder = at.slice(out.length + 1);
      inFlight = readdirSync(at)
        .filter((f) => !f.endsWith('.part') && f !== 'metadata.json' && !f.endsWith('.tmp'))
        .map((f) => ({ rel: `${folder}/${f}`, rid: f.replace(/\.[a-z0-9]+$/, '') }))
        .filter((f) => !recorded.has(f.rel));
      expect(inFlight.length).toBeGreaterThan(0);
    }
    for (const f of inFlight) expect(recorded.has(f.rel)).toBe(false);

    // The rerun does not trust them: a complete .part is confirmed with the server (416 to a Range from its size)
    // and re-hashed; a file renamed without its line is downloaded again in full.
    const before = env.files.requests.length;
    const final = await new LegalHold(env.client, options).export({ out });
    expect(final.resumed).toBe(true);
    const rerun = env.files.requests.slice(before);
    for (const f of inFlight) {
      const asked = rerun.filter((r) => r.path.toLowerCase().endsWith(`/${f.rid.toLowerCase()}`));
      if (hangAt === 'file') expect(asked.map((r) => [r.headers.range, r.status])).toEqual([[`bytes=${BYTES}-`, 416]]);
      else expect(asked.map((r) => [r.headers.range, r.status])).toEqual([[undefined, 200]]);
      expect(existsSync(join(out, `${f.rel}.part`))).toBe(false);
    }

    expect(manifestLines(out).map(stable)).toEqual(manifestLines(join(env.dir, 'a')).map(stable));
    expect(final.recordings).toEqual(reference.recordings);
    expect(await verifyHold(out)).toMatchObject({ ok: true, added: [], missing: [], altered: [] });
  });
});
