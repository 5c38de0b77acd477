import { describe, expect, it, vi } from 'vitest';

/**
 * Importing the SDK must not build zod schemas: each one costs zod's per-instance set-up, and all of them together
 * were a fifth of `require('@org/gc-data')` (bench/footprint). Schemas are built on first use (lazySchema, or a
 * small function for fragments reused in many schemas).
 *
 * Every zod builder the SDK can call (`z.string`, `z.object`, ...) is counted; classes (`z.ZodType`) are left as they
 * are so `instanceof` still works.
 */
const calls: string[] = [];
vi.mock('zod', async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>();
  const counted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(real)) {
    counted[name] =
      typeof value === 'function' && /^[a-z_]/.test(name)
        ? (...args: unknown[]) => {
            calls.push(name);
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value;
  }
  return counted;
});

describe('importing the SDK', () => {
  it('builds no zod schema; the first use does', async () => {
    const sdk = await import('../../src/index');
    expect(calls).toEqual([]);

    // The count can fail: validating options builds the client's schema through the same builders.
    new sdk.GenesysClient({ clientId: 'id', clientSecret: 'not-a-real-secret', region: 'mypurecloud.com' });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls).toContain('object');
  });
});
