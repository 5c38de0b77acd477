import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UuidKeySet } from '@org/gc-data/rows';

describe('UuidKeySet', () => {
  it('behaves like a Set<string> for UUIDs and other keys (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uuid(), fc.string({ maxLength: 8 }), fc.constant('00000000-0000-0000-0000-000000000000')), {
          maxLength: 200,
        }),
        (keys) => {
          const compact = new UuidKeySet();
          const plain = new Set<string>();
          for (const k of keys) {
            expect(compact.has(k)).toBe(plain.has(k));
            compact.add(k);
            plain.add(k);
            expect(compact.has(k)).toBe(true);
          }
          expect(compact.size).toBe(plain.size);
        },
      ),
    );
  });

  it('treats case and dashes as spelling: one UUID, one key', () => {
    const s = new UuidKeySet();
    s.add('3FA85F64-5717-4562-B3FC-2C963F66AFA6');
    expect(s.has('3fa85f64-5717-4562-b3fc-2c963f66afa6')).toBe(true);
    expect(s.has('3fa85f6457174562b3fc2c963f66afa6')).toBe(true);
    expect(s.has('3fa85f64-5717-4562-b3fc-2c963f66afa7')).toBe(false);
    expect(s.size).toBe(1);
  });

  it('grows past its initial capacity without losing keys', () => {
    const s = new UuidKeySet();
    const keys = Array.from({ length: 20_000 }, () => randomUUID());
    for (const k of keys) s.add(k);
    expect(s.size).toBe(20_000);
    expect(keys.every((k) => s.has(k))).toBe(true);
    expect(s.has(randomUUID())).toBe(false);
    // 17 bytes per slot, load <= 0.8: well under a Set<string>'s ~80 bytes per key.
    expect(s.byteLength / s.size).toBeLessThan(45);
  });

  it('can be pre-sized', () => {
    const s = new UuidKeySet(100_000);
    const before = s.byteLength;
    for (let i = 0; i < 100_000; i++) s.add(randomUUID());
    expect(s.byteLength).toBe(before);
  });
});
