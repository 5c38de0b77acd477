/**
 * Every exported function and class of every entry has a fuzz target in test/fuzz/targets/ (so a new export fails
 * here until it gets one), and every target names a real export. Exempt, checked by kind rather than listed:
 * - error classes (they are thrown by the SDK and caught by callers; constructing one is not an input surface);
 * - values that are not functions: constants, and the zod schemas of @org/gc-data/schemas (validators themselves).
 */
import { describe, expect, it } from 'vitest';
import { lazyFuzzContext } from './targets/context';
import { allTargets } from './targets/index';

const ENTRIES: Record<string, () => Promise<Record<string, unknown>>> = {
  '@org/gc-data': () => import('@org/gc-data'),
  '@org/gc-data/testing': () => import('@org/gc-data/testing'),
  '@org/gc-data/redis': () => import('@org/gc-data/redis'),
  '@org/gc-data/postgres': () => import('@org/gc-data/postgres'),
  '@org/gc-data/filters': () => import('@org/gc-data/filters'),
  '@org/gc-data/pii': () => import('@org/gc-data/pii'),
  '@org/gc-data/intervals': () => import('@org/gc-data/intervals'),
  '@org/gc-data/rows': () => import('@org/gc-data/rows'),
  '@org/gc-data/sinks': () => import('@org/gc-data/sinks'),
  '@org/gc-data/media-matrix': () => import('@org/gc-data/media-matrix'),
  '@org/gc-data/batch-callbacks': () => import('@org/gc-data/batch-callbacks'),
  '@org/gc-data/schemas': () => import('@org/gc-data/schemas'),
};

// Targets are only declared here, never run: the context is not started.
const targets = allTargets(lazyFuzzContext().ctx);

const isErrorClass = (v: unknown): boolean => typeof v === 'function' && (v === Error || (v as { prototype?: unknown }).prototype instanceof Error);

describe('fuzz coverage of the exported surface', () => {
  for (const [entry, load] of Object.entries(ENTRIES)) {
    it(`${entry}: every exported function and class has a fuzz target`, async () => {
      const mod = await load();
      const missing = Object.entries(mod)
        .filter(([, v]) => typeof v === 'function' && !isErrorClass(v))
        .map(([name]) => name)
        .filter((name) => !targets.some((t) => t.entry === entry && t.name === name));
      expect(missing, `add a target in test/fuzz/targets/ for ${missing.join(', ')}`).toEqual([]);
    });
  }

  it('every target names an export of its entry (no stale targets)', async () => {
    for (const t of targets) {
      const load = ENTRIES[t.entry];
      expect(load, `unknown entry ${t.entry}`).toBeDefined();
      const mod = await load!();
      expect(typeof mod[t.name], `${t.entry} exports no ${t.name}`).toBe('function');
    }
  });
});
