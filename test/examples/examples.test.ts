/**
 * Runs every example the way the docs say (`npx tsx examples/<name>.ts`, here `node --import tsx`), with no
 * credentials so each one starts the simulated org, and checks what it prints and writes. A new example without a
 * check here fails the first test: examples cannot rot.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatInterval, lastFullUtcDay, parseInterval } from '@org/gc-data/intervals';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = mkdtempSync(join(tmpdir(), 'gc-data-examples-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runExample(name: string, args: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GENESYS_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', `${name}.ts`), ...args], {
      cwd: ROOT,
      env: { ...clean, EXAMPLES_OUT_DIR: OUT, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A hang guard (real time), not a speed bound: an example that takes seconds alone took far longer beside other suites.
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

// The day is chosen once here and handed to the examples that take one, so a run that crosses midnight UTC between
// this line and an example's start (or between the nightly example and its rerun) still checks one and the same day.
const day = lastFullUtcDay();
const date = day.slice(0, 10);

const checks: Record<string, () => Promise<void>> = {
  'nightly-evaluations': async () => {
    const r = await runExample('nightly-evaluations', [date]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/using the simulated org/);
    const rows = Number(/evaluations +(\d+) new row\(s\)/.exec(r.stdout)?.[1]);
    expect(rows).toBeGreaterThan(0);
    const file = join(OUT, 'nightly', `evaluations-${date}.ndjson`);
    const evaluations = lines(file).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(evaluations).toHaveLength(rows);
    expect(evaluations.every((e) => e.is_calibration === false && e.status === 'FINISHED')).toBe(true);
    const calibrations = lines(join(OUT, 'nightly', `qm_calibrations-${date}.ndjson`)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(calibrations.every((e) => e.is_calibration === true)).toBe(true);
    expect(r.stdout).toMatch(/COPY INTO qm_evaluations/);
    // A rerun of the same day writes nothing (the checkpoint says done).
    const again = await runExample('nightly-evaluations', [date]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/evaluations +0 new row\(s\)/);
    expect(again.stdout).toMatch(/nothing was written twice/);
    expect(lines(file)).toHaveLength(rows);
  },

  'legal-hold-export': async () => {
    const r = await runExample('legal-hold-export');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Refused before sending \(0 requests\): filters\.value\[1\]: "webrtc" is not a mediaType value/);
    expect(r.stdout).toMatch(/protection +confirmed for \d+ conversation\(s\)/);
    expect(r.stdout).toMatch(/verify +intact \(signature valid\)/);
    const m = /recordings +(\d+) expected, (\d+) received, 0 missing/.exec(r.stdout);
    expect(Number(m?.[1])).toBeGreaterThan(0);
    expect(m?.[2]).toBe(m?.[1]);
    expect(existsSync(join(OUT, 'legal-hold', 'hold', 'manifest.jsonl'))).toBe(true);
  },
  'media-annotate': async () => {
    const r = await runExample('media-annotate');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PII \(reject\) +blocked with 0 request\(s\) sent: value contains PII: phone/);
    expect(r.stdout).toMatch(/PII \(redact\) +wrote qa\.note; redacted: qa\.note/);
    expect(r.stdout).not.toContain('555-867-5309');
    expect(r.stdout).toMatch(/callbacks: toArchive ok, flakyWebhook error/);
    expect(r.stderr).toMatch(/archive callback flakyWebhook failed on annotations\.written; the write stands/);
    const archived = readdirSync(join(OUT, 'media', 'archive'));
    expect(archived.length).toBe(5);
    const audit = lines(join(OUT, 'media', 'audit.jsonl')).map((l) => JSON.parse(l) as { status: string });
    expect(audit.filter((a) => a.status === 'written')).toHaveLength(5);
    expect(audit.filter((a) => a.status === 'rejected')).toHaveLength(1);
  },

  'conversation-extract': async () => {
    // Half a day of the million-conversation org keeps the test quick; the crash comes after 3,000 rows.
    const { startMs } = parseInterval(day);
    const r = await runExample('conversation-extract', [formatInterval(startMs, startMs + 12 * 3_600_000)], { CRASH_AFTER: '3000' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/first run +stopped after 3000 rows \(simulated crash\), checkpoint kept/);
    expect(r.stdout).toMatch(/resumed run +\d+ more rows/);
    const m = /file +(\d+) rows, (\d+) unique conversationIds/.exec(r.stdout);
    expect(Number(m?.[1])).toBeGreaterThan(10_000);
    expect(m?.[1]).toBe(m?.[2]);
    expect(r.stdout).toMatch(/duplicates +0 in the file/);
    expect(existsSync(join(OUT, 'extract', 'conversations.checkpoint.json'))).toBe(false);
  },

  'interaction-search': async () => {
    const r = await runExample('interaction-search');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/filter +depth 3 \(max 4\); server filters: segmentFilters/);
    expect(r.stdout).toMatch(/client-side +and\[2\], and\[3\]/);
    const matched = Number(/matched +(\d+) conversation\(s\)/.exec(r.stdout)?.[1]);
    const scanned = Number(/scanned +(\d+) returned by the platform/.exec(r.stdout)?.[1]);
    expect(matched).toBeGreaterThan(0);
    expect(scanned).toBeGreaterThanOrEqual(matched); // the client-side part can only narrow the server's answer
    const rows = lines(join(OUT, 'search', 'long-voice-calls.ndjson')).map((l) => JSON.parse(l) as { conversationId: string });
    expect(rows).toHaveLength(matched);
    expect(r.stdout).toMatch(/callbacks +\d+ delivered and verified \(\d+ batch\(es\) \+ complete\), 0 rejected/);
  },
};

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('examples', () => {
  it('every example in examples/ has a check here', () => {
    const names = readdirSync(join(ROOT, 'examples'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
    expect(names).toEqual(Object.keys(checks).sort());
  });

  for (const [name, check] of Object.entries(checks)) it(`${name} runs on the simulated org and does its job`, check, 60_000);
});
