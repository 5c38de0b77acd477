import { PassThrough } from 'node:stream';
import { EventEmitter } from 'eventemitter3';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import { Output } from '../../src/cli/output';
import { Progress } from '../../src/cli/progress';
import type { GenesysClient } from '@org/gc-data';

/** A progress display over a stand-in client whose clock is fake: the test moves time, the line reads it. */
function setup(mode: 'lines' | 'bar') {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  const out = new Output({ stdout: new PassThrough(), stderr }, { json: false, quiet: false, verbose: false, rowsOnStdout: false });
  const clock = createFakeClock({ now: '2026-03-01T00:00:00Z' });
  const client = Object.assign(new EventEmitter(), {
    clock,
    stats: () => ({ requests: 10, responses: 10, retries: 0, rateLimited: 1, paced: 0, tokensIssued: 1, byStatus: {}, limiter: {} }),
  }) as unknown as GenesysClient;
  const progress = new Progress({ mode, out, client, unit: 'rows', label: 'export', intervalMs: 3_600_000 });
  return { progress, client, clock, text: () => text };
}

describe('CLI progress that tells the truth', () => {
  it('a resumed run: the rows restored at once do not count toward the rate, so the ETA is not "0.1 s"', async () => {
    const { progress, clock } = setup('lines');
    progress.start();
    progress.set({ value: 900, total: 1000 }); // restored from the checkpoint
    await clock.advance(57_000);
    progress.set({ value: 914, total: 1000 }); // 14 rows in 57 s
    // 86 rows left at 14 per 57 s: 350.14 s exactly (before the fix: 86 / (914 / 57 s) = 5 s).
    expect(progress.eta()).toBeCloseTo((86 * 57_000) / 14, 6);
    progress.stop();
  });

  it("elapsed and ETA are the client's clock: exact on a fake one", async () => {
    const { progress, clock } = setup('lines');
    progress.start();
    progress.set({ value: 0, total: 100 });
    await clock.advance(10_000);
    progress.set({ value: 50, total: 100 });
    expect(progress.eta()).toBe(10_000);
    expect(progress.line(false)).toContain('ETA 10 s | elapsed 10 s');
    await clock.advance(80_000);
    progress.set({ value: 100, total: 100 });
    expect(progress.eta()).toBe(0);
    expect(progress.line(false)).toContain('elapsed 90 s');
    progress.stop();
  });

  it('a rate-limit hold shows as it happens, in the line and (lines mode) as its own line at once, and adds to the ETA', async () => {
    const { progress, client, clock, text } = setup('lines');
    progress.start();
    progress.set({ value: 0, total: 100 });
    await clock.advance(10_000);
    progress.set({ value: 50, total: 100 });
    const before = progress.eta()!;
    client.emit('rateLimit', { kind: 'retry-after', method: 'GET', path: '/x', pausedForMs: 42_000, status: 429, correlationId: undefined });
    expect(text()).toContain('waiting 42 s for the rate limit (429)');
    expect(progress.line(false)).toContain('waiting 42 s for the rate limit');
    expect(progress.eta()! - before).toBe(42_000);
    await clock.advance(43_000);
    expect(progress.line(false)).not.toContain('waiting');
    progress.stop();
    // After stop, holds are no longer watched.
    const lines = text().split('waiting').length;
    client.emit('rateLimit', { kind: 'retry-after', method: 'GET', path: '/x', pausedForMs: 99_000, status: 429, correlationId: undefined });
    expect(text().split('waiting').length).toBe(lines);
  });
});

describe('--verbose', () => {
  it('prints the events the logger option would log (retries, token refreshes, requests)', async () => {
    const { runCli, DAY } = await import('./helpers');
    const r = await runCli(['export-evaluations', '--interval', DAY, '--out', '-', '--verbose', '--progress', 'off']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/gc-data: token issued \(first use\)/);
    expect(r.stderr).toMatch(/gc-data: POST \/api\/v2\/analytics\/conversations\/details\/query -> 200 in \d+ ms/);
  });
});
