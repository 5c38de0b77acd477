/** LegalHold options and export() options: ValidationError naming the field, before any request. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenesysClient, ValidationError } from '@org/gc-data';
import { LegalHold, verifyHold } from './sdk';

function client() {
  let calls = 0;
  const c = new GenesysClient({
    clientId: 'id',
    clientSecret: 'secret',
    baseUrl: 'https://api.example.com',
    authUrl: 'https://login.example.com',
    fetch: (async () => {
      calls++;
      throw new Error('no request expected');
    }) as typeof fetch,
  });
  return { c, calls: () => calls };
}

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('LegalHold options', () => {
  it.each([
    [{}, 'interval'],
    [{ interval: '2026-11-01/2026-12-01', conversationIds: ['a'] }, 'interval'],
    [{ conversationIds: [] }, 'conversationIds'],
    [{ conversationIds: ['ok-id', '../etc'] }, 'conversationIds[1]'],
    [{ conversationIds: ['a'], filters: { field: 'mediaType', op: 'equals', value: 'voice' } }, 'filters'],
    [{ interval: 'not an interval' }, 'interval'],
    [{ interval: '2026-11-01/2026-12-01', batchSize: 101 }, 'batchSize'],
    [{ interval: '2026-11-01/2026-12-01', protectionBatchSize: 0 }, 'protectionBatchSize'],
    [{ interval: '2026-11-01/2026-12-01', poll: { maxWaitMs: -1 } }, 'poll.maxWaitMs'],
    [{ interval: '2026-11-01/2026-12-01', poll: { initialDelayMs: 0 } }, 'poll.initialDelayMs'],
    [{ interval: '2026-11-01/2026-12-01', poll: { maxDelayMs: 999 } }, 'poll.maxDelayMs'],
    [{ interval: '2026-11-01/2026-12-01', recordigns: false }, 'recordigns'],
    [{ interval: '2026-11-01/2026-12-01', download: { concurency: 2 } }, 'download.concurency'],
    [{ interval: '2026-11-01/2026-12-01', filters: { field: 'noSuchField', op: 'equals', value: 1 } }, 'filters'],
  ])('%j is refused at %s', (options, path) => {
    const { c, calls } = client();
    const issues = issuesOf(() => new LegalHold(c, options as never));
    expect(issues.map((i) => i.path).some((p) => p === path || p.startsWith(`${path}.`))).toBe(true);
    expect(calls()).toBe(0);
  });

  it('export() options are checked before any request', async () => {
    const { c, calls } = client();
    const hold = new LegalHold(c, { conversationIds: ['a'] });
    for (const [options, path] of [
      [{}, 'out'],
      [{ out: '' }, 'out'],
      [{ out: 'x', key: '' }, 'key'],
      [{ out: 'x', protect: 'yes' }, 'protect'],
      [{ out: 'x', outt: 'y' }, 'outt'],
    ] as const) {
      const err = await hold.export(options as never).catch((e: unknown) => e);
      expect(err, JSON.stringify(options)).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toContain(path);
    }
    expect(calls()).toBe(0);
  });

  it('a folder holding another hold is refused (out) before any request', async () => {
    const { c, calls } = client();
    const dir = mkdtempSync(join(tmpdir(), 'gc-hold-opt-'));
    try {
      writeFileSync(join(dir, 'hold.json'), '{"kind":"gc-data.legal-hold","selection":{"conversationIds":["zzz"]}}');
      const err = await new LegalHold(c, { conversationIds: ['a'] }).export({ out: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0]).toMatchObject({ path: 'out' });
      expect((err as ValidationError).issues[0]!.message).toMatch(/holds another hold/);
      expect(calls()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifyHold refuses a folder without a manifest, naming it', async () => {
    const err = await verifyHold('/nonexistent/hold').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]).toMatchObject({ path: 'folder' });
    expect(((err as ValidationError).issues[0]!.message)).toMatch(/manifest\.jsonl does not exist/);
  });
});
