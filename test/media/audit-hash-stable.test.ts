import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '../../src/client';
import { canonicalHash, canonicalJson, sha256Hex } from '../../src/helpers/canonical-json';
import { MediaMetadata } from '../../src/media/media-metadata';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client: newClient } = useSimulatedOrg({ anchor: 'now', conversations: 200, rateLimit: false });
let client: GenesysClient;
beforeEach(() => {
  client = newClient();
});

const NO_MEDIA = { matrix: { rows: [], byKind: {} } };

/** Same keys, values and fields, in another order at every level. */
function shuffledCopy(v: unknown, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffledCopy(x, rnd));
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).sort(() => rnd() - 0.5);
    return Object.fromEntries(entries.map(([k, x]) => [k, shuffledCopy(x, rnd)]));
  }
  return v;
}

describe('audit hash: sha256 of canonical JSON', () => {
  it('is equal for equal payloads given in any order (list order, record order, field order)', async () => {
    const media = new MediaMetadata(client);
    const a = await media.annotate(sim.data.conversationId(20), [
      { key: 'b.second', value: '2', category: 'qa' },
      { key: 'a.first', value: '1', category: 'technical' },
    ]);
    const b = await media.annotate(sim.data.conversationId(21), [
      { category: 'technical', value: '1', key: 'a.first' },
      { value: '2', key: 'b.second', category: 'qa' },
    ]);
    const c = await media.annotate(sim.data.conversationId(22), { 'a.first': { category: 'technical', value: '1' }, 'b.second': { value: '2', category: 'qa' } });
    expect(a.payloadSha256).toBe(b.payloadSha256);
    expect(b.payloadSha256).toBe(c.payloadSha256);
    // The hash is of our payload only, so it does not depend on what else the record held or its version.
    const d = await media.annotate(sim.data.conversationId(20), [{ key: 'a.first', value: '1', category: 'technical' }, { key: 'b.second', value: '2', category: 'qa' }]);
    expect(d.version).toBe(1);
    expect(d.payloadSha256).toBe(a.payloadSha256);
    expect(a.payloadSha256).toBe(
      sha256Hex('{"attributes":{"a.first":{"category":"technical","source":"automated_parser","value":"1"},"b.second":{"category":"qa","source":"automated_parser","value":"2"}},"remove":[]}'),
    );

    const different = await media.annotate(sim.data.conversationId(23), { 'a.first': { category: 'technical', value: '1 ' }, 'b.second': { value: '2', category: 'qa' } });
    expect(different.payloadSha256).not.toBe(a.payloadSha256);

    const log = media.auditLog();
    expect(new Set(log.slice(0, 4).map((e) => e.payloadSha256)).size).toBe(1);
    const lines = media.exportAudit().trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(log);
  });

  it('the audit export carries no token, secret or annotation text', async () => {
    const media = new MediaMetadata(client, { pii: 'redact' });
    await media.annotate(sim.data.conversationId(24), { 'note.text': 'very private words', contact: 'mail a.person@example.com' }, NO_MEDIA);
    const out = media.exportAudit();
    expect(out).not.toContain(sim.clientSecret);
    expect(out).not.toContain(sim.clientId);
    expect(out).not.toMatch(/sim_[A-Za-z0-9]/); // the simulator's bearer tokens
    expect(out).not.toMatch(/[Bb]earer|authorization/);
    expect(out).not.toContain('very private words');
    expect(out).not.toContain('a.person@example.com');
    const entry = JSON.parse(out.trim()) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(
      [
        'accuracyRate',
        'annotations',
        'attempts',
        'callbacks',
        'conversationId',
        'correlationIds',
        'governanceTag',
        'latencyMs',
        'operation',
        'payloadSha256',
        'status',
        'time',
        'totalValidations',
      ],
    );
  });

  it('property: canonicalJson is order-independent and round-trips through JSON.parse', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(shuffledCopy(v, rnd))).toBe(text);
        expect(canonicalHash(JSON.parse(text))).toBe(canonicalHash(v));
        expect(text).not.toMatch(/^\s|\s$/);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses values JSON would silently change', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/not a JSON number/);
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    expect(canonicalJson({ b: undefined, a: [undefined, new Date(0)] })).toBe('{"a":[null,"1970-01-01T00:00:00.000Z"]}');
    expect(canonicalJson({ '\u00e9': 1, e: 2, Z: 3 })).toBe('{"Z":3,"e":2,"\u00e9":1}');
  });
});
