/**
 * Issue 18: generated malformed input for the pure helpers (filters, intervals, PII, scorecard, dedupe, regions,
 * media matrix).
 * Every case starts from a valid input (the controls below prove it) and breaks one thing at a known path. For
 * each case: a `ValidationError` (nothing else: no TypeError, RangeError or stack overflow), an issue at that
 * path, a short message (no huge input repeated), and the call returns in bounded time.
 *
 * Fixed seed, so CI is deterministic. FUZZ_SEED picks another seed and FUZZ_SCALE multiplies the runs for a
 * longer local run: `FUZZ_SCALE=20 npx vitest run test/fuzz/helpers.fuzz.test.ts`.
 *
 * Time: each call is measured with performance.now. The issue asks for < 100 ms; the assertion is a generous
 * 1,000 ms so that a loaded 2-core machine cannot flake, and the slowest call seen is printed at the end.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMediaMatrix, normalizeFormat, resolveMediaRules } from '@org/gc-data/media-matrix';
import { compileFilter, createFilterMatcher, evaluateFilter, FILTER_FIELDS, FILTER_OPS, FilterBuilder, lookupField, normalizeFilter } from '@org/gc-data/filters';
import { containsPii, redactPii, scanPii } from '@org/gc-data/pii';
import { dedupeArrayBy, dedupeBy, flattenScorecard, UuidKeySet } from '@org/gc-data/rows';
import { formatInstant, formatInterval, lastFullUtcDay, parseDuration, parseInterval, splitInterval } from '@org/gc-data/intervals';
import { resolveRegion, ValidationError, type FilterNode } from '@org/gc-data';
import { REGION_HOSTS } from '@org/gc-data/schemas';
// not exported from the package index yet (the lead adds it)
import { parseRegion } from '../../src/regions';

const SEED = Number(process.env.FUZZ_SEED ?? 18);
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1));
const runs = (n: number): { seed: number; numRuns: number } => ({ seed: SEED, numRuns: Math.round(n * SCALE) });

/** Cases checked and the slowest call, per target. */
const stats = new Map<string, { cases: number; maxMs: number }>();

type Expected = string | RegExp;

/** The one assertion of this file: `call` is refused with a ValidationError naming `path`, promptly. */
function refused(target: string, call: () => unknown, path: Expected): void {
  let thrown: unknown;
  const t0 = performance.now();
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  const ms = performance.now() - t0;
  const s = stats.get(target) ?? { cases: 0, maxMs: 0 };
  s.cases++;
  s.maxMs = Math.max(s.maxMs, ms);
  stats.set(target, s);
  if (thrown === undefined) throw new Error(`${target}: accepted; expected a ValidationError at ${String(path)}`);
  if (!(thrown instanceof ValidationError)) {
    throw new Error(`${target}: threw ${(thrown as Error)?.name ?? typeof thrown}: ${String((thrown as Error)?.message ?? thrown).slice(0, 300)}`);
  }
  const paths = thrown.issues.map((i) => i.path);
  for (const p of paths) expect(typeof p).toBe('string');
  const named = paths.some((p) => (typeof path === 'string' ? p === path : path.test(p)));
  if (!named) throw new Error(`${target}: no issue at ${String(path)}; issues at ${JSON.stringify(paths.map((p) => p.slice(0, 120)))}`);
  // at most ~100 characters of any bad value are quoted; 100 issues of a few lines each stay well under this
  expect(thrown.message.length).toBeLessThan(40_000);
  for (const i of thrown.issues) expect(i.message.length).toBeLessThan(1_000);
  expect(ms).toBeLessThan(1_000);
}

afterAll(() => {
  let total = 0;
  let max = 0;
  const lines: string[] = [];
  for (const [target, s] of stats) {
    total += s.cases;
    max = Math.max(max, s.maxMs);
    lines.push(`  ${target}: ${s.cases} cases, slowest ${s.maxMs.toFixed(1)} ms`);
  }
  console.log(`helpers fuzz (seed ${SEED}): ${total} malformed inputs, slowest call ${max.toFixed(1)} ms\n${lines.join('\n')}`);
});

// ---------------------------------------------------------------------------------------------------------------
// Shared generators of bad values

const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
/** Longer than every cap (field names 256, values 10,000, interval text 200). */
const hugeString = fc.integer({ min: 10_001, max: 3_000_000 }).map((n) => 'x'.repeat(n));
const nonString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(Number.NaN),
  fc.bigInt(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
  fc.constant(Symbol('s')),
  fc.constant(() => 1),
);
const nonObject = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant(() => 1),
);
/** Object keys that are not in `known`. */
const unknownKey = (known: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(...PROTO_NAMES)).filter((k) => !known.includes(k));
const withOwnKey = (base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> => {
  const o: Record<string, unknown> = { ...base };
  Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
  return o;
};

// ---------------------------------------------------------------------------------------------------------------
// Filters

const Q = '4fbd3bd2-6a3c-4c3e-9d8e-2f0a1b2c3d4e';
type Cond = { field: string; op: string; value?: unknown };

function base(): { and: unknown[] } {
  return {
    and: [
      { field: 'mediaType', op: 'equals', value: 'voice' },
      { or: [{ field: 'queueId', op: 'equals', value: Q }, { field: 'wrapUpCode', op: 'in', value: ['a', 'b'] }] },
      { field: 'oTotalScore', op: 'greaterThan', value: 50 },
      { field: 'recording', op: 'equals', value: true },
    ],
  };
}
const CONDITION_PATHS = ['and[0]', 'and[1].or[0]', 'and[1].or[1]', 'and[2]', 'and[3]'] as const;
type CondPath = (typeof CONDITION_PATHS)[number];

function nodeAt(tree: { and: unknown[] }, path: string): { parent: unknown[]; index: number } {
  const parts = path.split('.');
  let list = tree.and;
  let index = 0;
  for (let i = 0; i < parts.length; i++) {
    const m = /^(and|or)\[(\d+)\]$/.exec(parts[i]!)!;
    index = Number(m[2]);
    if (i < parts.length - 1) list = (list[index] as Record<string, unknown[]>)[/^(and|or)/.exec(parts[i + 1]!)![1]!]!;
  }
  return { parent: list, index };
}
function withCondition(path: CondPath, edit: (c: Cond) => void): { and: unknown[] } {
  const tree = base();
  const { parent, index } = nodeAt(tree, path);
  const c = { ...(parent[index] as Cond) };
  edit(c);
  parent[index] = c;
  return tree;
}

interface FilterCase {
  tree: unknown;
  path: Expected;
  /** Structural: also refused by normalizeFilter / FilterBuilder.from (which do not look into conditions). */
  structural: boolean;
  /** For deep trees: the depth at which the first too-deep node sits, to know which limit it breaks. */
  depth?: number;
}

const catalogNames = new Set(FILTER_FIELDS.flatMap((f) => [f.name, `${f.level}.${f.name}`]));
const badFieldName = fc.oneof(
  fc.constantFrom(...PROTO_NAMES, '', 'queuId', 'evaluationState', 'tTalk', 'segment.', '.mediaType', 'MEDIATYPE'),
  fc.string({ maxLength: 40 }).filter((s) => !catalogNames.has(s)),
  hugeString,
  nonString,
  fc.constant(undefined),
);
const badFieldCase: fc.Arbitrary<FilterCase> = fc.tuple(fc.constantFrom(...CONDITION_PATHS), badFieldName).map(([p, f]) => ({
  tree: withCondition(p, (c) => {
    if (f === undefined) delete (c as Partial<Cond>).field;
    else c.field = f as string;
  }),
  path: `${p}.field`,
  structural: false,
}));

const badOpName = fc.oneof(
  fc.constantFrom(...PROTO_NAMES, '', 'eq', 'EQUALS', 'between', 'matches ', 'not'),
  fc.string({ maxLength: 20 }).filter((s) => !(FILTER_OPS as readonly string[]).includes(s)),
  hugeString,
  nonString,
  fc.constant(undefined),
);
const badOpCase: fc.Arbitrary<FilterCase> = fc.oneof(
  fc.tuple(fc.constantFrom(...CONDITION_PATHS), badOpName).map(([p, op]) => ({
    tree: withCondition(p, (c) => {
      if (op === undefined) delete (c as Partial<Cond>).op;
      else c.op = op as string;
    }),
    path: `${p}.op`,
    structural: false,
  })),
  // real ops the field cannot take: ordering on an enum/uuid/boolean, contains on a non-text field
  fc.tuple(fc.constantFrom('and[0]', 'and[1].or[0]', 'and[3]') as fc.Arbitrary<CondPath>, fc.constantFrom('greaterThan', 'lessThan', 'gte', 'lte', 'contains')).map(([p, op]) => ({
    tree: withCondition(p, (c) => {
      c.op = op;
    }),
    path: `${p}.op`,
    structural: false,
  })),
);

const lowerEnum = (field: string): Set<string> => new Set((lookupField(field)?.values ?? []).map((v) => v.toLowerCase()));
const MEDIA = lowerEnum('mediaType');
const UUIDISH = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
const badValueCase: fc.Arbitrary<FilterCase> = fc.oneof(
  // enum
  fc.oneof(fc.string({ maxLength: 30 }).filter((s) => !MEDIA.has(s.toLowerCase())), hugeString, nonString, fc.constantFrom(...PROTO_NAMES)).map((v) => ({
    tree: withCondition('and[0]', (c) => {
      c.value = v;
    }),
    path: /^and\[0\]\.value/,
    structural: false,
  })),
  // uuid
  fc.oneof(fc.string({ maxLength: 40 }).filter((s) => !UUIDISH.test(s)), hugeString, nonString, fc.constant(`${Q}x`)).map((v) => ({
    tree: withCondition('and[1].or[0]', (c) => {
      c.value = v;
    }),
    path: /^and\[1\]\.or\[0\]\.value/,
    structural: false,
  })),
  // string list for `in`
  fc
    .oneof(
      fc.constant([]),
      fc.string({ maxLength: 5 }),
      fc.integer({ min: 1_001, max: 5_000 }).map((n) => Array.from({ length: n }, (_, i) => `w${i}`)),
      fc.tuple(fc.array(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 3 }), fc.oneof(fc.constant(''), nonString, hugeString)).map(([ok, bad]) => [...ok, bad]),
    )
    .map((v) => ({
      tree: withCondition('and[1].or[1]', (c) => {
        c.value = v;
      }),
      path: /^and\[1\]\.or\[1\]\.value/,
      structural: false,
    })),
  // metric number
  fc.oneof(notFinite, fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 0 }), fc.array(fc.double(), { minLength: 1, maxLength: 2 })).map((v) => ({
    tree: withCondition('and[2]', (c) => {
      c.value = v;
    }),
    path: /^and\[2\]\.value/,
    structural: false,
  })),
  // boolean
  fc.oneof(fc.constantFrom('true', 'false', 0, 1, null), fc.string({ maxLength: 5 }), fc.object({ maxDepth: 0 })).map((v) => ({
    tree: withCondition('and[3]', (c) => {
      c.value = v;
    }),
    path: /^and\[3\]\.value/,
    structural: false,
  })),
  // a value where the op takes none
  fc.constantFrom(...CONDITION_PATHS).map((p) => ({
    tree: withCondition(p, (c) => {
      c.op = 'exists';
    }),
    path: `${p}.value`,
    structural: false,
  })),
);

const badNodeCase: fc.Arbitrary<FilterCase> = fc
  .tuple(fc.constantFrom<string>(...CONDITION_PATHS, 'and[1]'), fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 10 }), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 })))
  .map(([p, v]) => {
    const tree = base();
    const { parent, index } = nodeAt(tree, p);
    parent[index] = v;
    return { tree, path: p, structural: true };
  });

const emptyGroupCase: fc.Arbitrary<FilterCase> = fc.tuple(fc.constantFrom('and', 'or'), fc.boolean()).map(([key, atRoot]) => {
  if (atRoot) return { tree: { [key]: [] }, path: key, structural: true };
  const tree = base();
  tree.and[1] = { [key]: [] };
  return { tree, path: `and[1].${key}`, structural: true };
});

const cycleCase: fc.Arbitrary<FilterCase> = fc.constantFrom('root', 'self', 'or').map((which) => {
  const tree = base();
  const or = (tree.and[1] as { or: unknown[] }).or;
  or.push(which === 'root' ? tree : tree.and[1]);
  if (which === 'or') return { tree, path: 'and[1].or[2]', structural: true };
  return { tree, path: 'and[1].or[2]', structural: true };
});

/** Wraps and[3] in `k` groups (alternating and/or): the node at depth d (root = 1) is known by construction. */
const deepCase: fc.Arbitrary<FilterCase> = fc.integer({ min: 3, max: 12_000 }).map((k) => {
  const tree = base();
  let node: unknown = tree.and[3];
  for (let i = 0; i < k; i++) node = i % 2 === 0 ? { and: [node] } : { or: [node] };
  tree.and[3] = node;
  return { tree, path: 'deep', structural: true, depth: k + 2 };
});
/** Path of the node at `depth` inside and[3]'s wrapping of `k` groups. */
function deepPath(k: number, depth: number): string {
  const segs = ['and[3]'];
  for (let d = 3; d <= depth; d++) {
    const wrapper = k - (d - 2); // wrappers are numbered 0 (innermost) .. k-1 (outermost = and[3])
    segs.push(`${wrapper % 2 === 0 ? 'and' : 'or'}[0]`);
  }
  return segs.join('.');
}

const tooManyCase: fc.Arbitrary<FilterCase> = fc.integer({ min: 1_000, max: 4_000 }).map((n) => {
  const tree = base();
  const or = (tree.and[1] as { or: unknown[] }).or;
  for (let i = 0; i < n; i++) or.push({ field: 'wrapUpCode', op: 'equals', value: `w${i}` });
  return { tree, path: /^and\[1\]\.or\[\d+\]$/, structural: true };
});

const mixedNodeCase: fc.Arbitrary<FilterCase> = fc.tuple(fc.constantFrom(...CONDITION_PATHS), fc.constantFrom('and', 'or')).map(([p, key]) => ({
  tree: withCondition(p, (c) => {
    (c as Record<string, unknown>)[key] = [{ field: 'ani', op: 'exists' }];
  }),
  path: p,
  structural: false,
}));

const filterCase: fc.Arbitrary<FilterCase> = fc.oneof(
  { arbitrary: badFieldCase, weight: 4 },
  { arbitrary: badOpCase, weight: 3 },
  { arbitrary: badValueCase, weight: 5 },
  { arbitrary: badNodeCase, weight: 2 },
  { arbitrary: emptyGroupCase, weight: 1 },
  { arbitrary: cycleCase, weight: 1 },
  { arbitrary: deepCase, weight: 2 },
  { arbitrary: tooManyCase, weight: 1 },
  { arbitrary: mixedNodeCase, weight: 1 },
);

/** The expected path for a target whose depth limit is `limit`; undefined when the case is not an error there. */
function expectedFor(c: FilterCase, limit: number): Expected | undefined {
  if (c.path !== 'deep') return c.path;
  const k = (c.depth ?? 0) - 2;
  return c.depth! > limit ? deepPath(k, limit + 1) : undefined;
}

const CONVERSATION = {
  conversationId: Q,
  participants: [{ purpose: 'agent', sessions: [{ mediaType: 'voice', recording: true, segments: [{ segmentType: 'interact', queueId: Q, wrapUpCode: 'a' }] }] }],
  evaluations: [{ evaluationStatus: 'Finished', oTotalScore: 60 }],
};

describe('filters: valid controls', () => {
  it('the base tree compiles, matches, evaluates, normalises and builds', () => {
    const tree = base() as FilterNode;
    expect(() => compileFilter(tree)).not.toThrow();
    expect(createFilterMatcher(tree)(CONVERSATION)).toBe(true);
    expect(evaluateFilter(tree, CONVERSATION)).toBe(true);
    expect(normalizeFilter(tree)).toEqual(tree);
    expect(FilterBuilder.from(tree).build()).toEqual(tree);
  });

  it('the base tree stays valid with its enum value in any casing, and near the limits', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (upper) => {
        const spelled = [...'voice'].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join('');
        const tree = withCondition('and[0]', (c) => {
          c.value = spelled;
        }) as FilterNode;
        expect(evaluateFilter(tree, CONVERSATION)).toBe(true);
      }),
      runs(30),
    );
    // 998 nodes (the limit is 1,000), 1,000 in values, depth 4 (the default limit)
    const wide = base();
    for (let i = 0; i < 991; i++) (wide.and[1] as { or: unknown[] }).or.push({ field: 'wrapUpCode', op: 'equals', value: `w${i}` });
    expect(() => compileFilter(wide as FilterNode)).not.toThrow();
    expect(() => compileFilter(withCondition('and[1].or[1]', (c) => (c.value = Array.from({ length: 1_000 }, (_, i) => `w${i}`))) as FilterNode)).not.toThrow();
    const deep = base();
    deep.and[3] = { or: [{ and: [deep.and[3]] }] };
    expect(() => compileFilter(deep as FilterNode)).not.toThrow();
  });
});

describe('filters: malformed trees', () => {
  it('compileFilter', () => {
    fc.assert(
      fc.property(filterCase, (c) => {
        const path = expectedFor(c, 4);
        if (path === undefined) return;
        refused('compileFilter', () => compileFilter(c.tree as FilterNode), path);
      }),
      runs(350),
    );
  });

  it('createFilterMatcher and evaluateFilter', () => {
    fc.assert(
      fc.property(filterCase, fc.boolean(), (c, viaEvaluate) => {
        const path = expectedFor(c, 4);
        if (path === undefined) return;
        if (viaEvaluate) refused('evaluateFilter', () => evaluateFilter(c.tree as FilterNode, CONVERSATION), path);
        else refused('createFilterMatcher', () => createFilterMatcher(c.tree as FilterNode), path);
      }),
      runs(150),
    );
  });

  it('normalizeFilter and FilterBuilder.from (structure only)', () => {
    const structural = filterCase.filter((c) => c.structural && (c.path !== 'deep' || c.depth! > 64));
    fc.assert(
      fc.property(structural, fc.boolean(), (c, viaBuilder) => {
        const path = expectedFor(c, 64)!;
        if (viaBuilder) refused('FilterBuilder.from', () => FilterBuilder.from(c.tree as FilterNode).build(), path);
        else refused('normalizeFilter', () => normalizeFilter(c.tree as FilterNode), path);
      }),
      runs(80),
    );
  });

  it('compile options', () => {
    const KEYS = ['residual', 'maxDepth', 'maxClauses', 'strictEnums'];
    const badOption = fc.oneof(
      fc.tuple(unknownKey(KEYS), fc.anything()).map(([k, v]) => ({ options: withOwnKey({}, k, v), path: k })),
      fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), nonString).filter((v) => v !== 'client' && v !== 'error').map((v) => ({ options: { residual: v }, path: 'residual' })),
      fc.oneof(fc.integer({ min: -5, max: 0 }), fc.integer({ min: 65, max: 1e6 }), fc.double({ min: 1.01, max: 3.99, noInteger: true }), notFinite, fc.string({ maxLength: 3 })).map((v) => ({ options: { maxDepth: v }, path: 'maxDepth' })),
      fc.oneof(fc.integer({ min: -5, max: 0 }), fc.integer({ min: 257, max: 1e6 }), notFinite, fc.constant('16')).map((v) => ({ options: { maxClauses: v }, path: 'maxClauses' })),
      fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)).map((v) => ({ options: { strictEnums: v }, path: 'strictEnums' })),
      nonObject.filter((v) => v !== undefined).map((v) => ({ options: v, path: 'options' })),
    );
    fc.assert(
      fc.property(badOption, (o) => refused('compileFilter options', () => compileFilter(base() as FilterNode, o.options as never), o.path)),
      runs(120),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Intervals

const MAX_MS = 8.64e15;
const isoDay = fc.integer({ min: 0, max: 20_000 }).map((d) => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));

describe('intervals: valid controls', () => {
  it('generated intervals inside the Date range parse, split and format', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_MS, max: MAX_MS - 1 }), fc.integer({ min: 1, max: 10 * 86_400_000 }), (start, len) => {
        const end = Math.min(start + len, MAX_MS);
        const p = parseInterval({ start, end });
        expect(parseInterval(formatInterval(p.startMs, p.endMs)).endMs).toBe(end);
        expect(splitInterval({ start, end }, 'P1D', { maxWindows: 20 }).length).toBeGreaterThan(0);
      }),
      runs(50),
    );
    expect(parseInterval('2026-01-01/P1D').endMs - parseInterval('2026-01-01/P1D').startMs).toBe(86_400_000);
    expect(parseDuration('P1DT12H')).toBe(1.5 * 86_400_000);
    expect(lastFullUtcDay(new Date('2024-05-14T01:00:00Z'))).toBe('2024-05-13T00:00:00Z/2024-05-14T00:00:00Z');
  });
});

describe('intervals: malformed input', () => {
  it('parseInterval', () => {
    const badInstant = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, MAX_MS + 1, -MAX_MS - 1, Number.MAX_SAFE_INTEGER, 1.5, '2024-13-01', '2024-02-30', '2024-05-01T10:00', '', 'now', null, true),
      fc.integer({ min: MAX_MS + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.string({ maxLength: 12 }).filter((s) => !/^\d{4}-\d{2}-\d{2}/.test(s)),
      hugeString,
      fc.constant(new Date(Number.NaN)),
      fc.object({ maxDepth: 0 }),
    );
    const badCase = fc.oneof(
      // a duration that runs past the Date range, after a start or before an end
      fc.tuple(isoDay, fc.integer({ min: 110_000_000, max: 1e15 }), fc.boolean()).map(([d, days, after]) => ({
        input: after ? `${d}/P${days}D` : `P${days}D/${d}`,
        path: 'interval',
      })),
      fc.tuple(isoDay, fc.integer({ min: 50, max: 190 })).map(([d, digits]) => ({ input: `${d}/P${'9'.repeat(digits)}D`, path: 'interval' })),
      // not an interval at all
      fc.string({ maxLength: 30 }).filter((s) => !s.includes('/')).map((s) => ({ input: s, path: 'interval' })),
      fc.tuple(isoDay, isoDay, isoDay).map(([a, b, c]) => ({ input: `${a}/${b}/${c}`, path: 'interval' })),
      fc.tuple(isoDay, fc.integer({ min: 0, max: 5 })).map(([d, n]) => ({ input: `${d}/${d}${' '.repeat(n)}`, path: 'interval' })),
      fc.tuple(fc.integer({ min: 13, max: 99 }), fc.integer({ min: 32, max: 99 })).map(([m, day]) => ({ input: `2024-${m}-01/2024-01-${day}`, path: 'interval' })),
      fc.constantFrom('P1D/P2D', 'P1Y/2024-01-01', '2024-01-01/P1M', '2024-01-01T10:00/P1D', '/', '2024-01-02/2024-01-01').map((s) => ({ input: s, path: 'interval' })),
      hugeString.map((s) => ({ input: `2024-01-01/${s}`, path: 'interval' })),
      // the object form: a bad start, or a bad end after a good start
      badInstant.map((v) => ({ input: { start: v, end: '2024-01-02' }, path: 'interval.start' })),
      badInstant.map((v) => ({ input: { start: '2024-01-01', end: v }, path: 'interval.end' })),
      nonObject.filter((v) => typeof v !== 'string').map((v) => ({ input: v, path: 'interval' })),
    );
    fc.assert(
      fc.property(badCase, fc.boolean(), (c, customPath) => {
        if (customPath) {
          const path = c.path.replace(/^interval/, 'query.interval');
          refused('parseInterval', () => parseInterval(c.input as never, 'query.interval'), path);
        } else {
          refused('parseInterval', () => parseInterval(c.input as never), c.path);
        }
      }),
      runs(260),
    );
  });

  it('parseDuration, splitInterval chunks and options', () => {
    const badCase = fc.oneof(
      fc.oneof(
        fc.constantFrom('P1Y', 'P1M', 'PT', 'P', '1D', 'PT1.5', 'P-1D', 'p1y2m', `P${'9'.repeat(250)}D`),
        fc.integer({ min: 50, max: 190 }).map((n) => `P${'9'.repeat(n)}W`),
        fc.string({ maxLength: 12 }).filter((s) => !/^\s*P/i.test(s)),
        hugeString.map((s) => `P${s}`),
        nonString,
      ).map((v) => ({ call: () => parseDuration(v as string), path: 'duration', target: 'parseDuration' })),
      fc
        .oneof(fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 'P1Y', 'x', 'PT0S', ''), fc.object({ maxDepth: 0 }), fc.constant(null), fc.boolean())
        .map((v) => ({ call: () => splitInterval('2024-05-13/P1D', v as string), path: 'chunk', target: 'splitInterval' })),
      fc.tuple(unknownKey(['maxWindows']), fc.anything()).map(([k, v]) => ({
        call: () => splitInterval('2024-05-13/P1D', 'PT6H', withOwnKey({}, k, v) as never),
        path: k,
        target: 'splitInterval',
      })),
      fc
        .oneof(fc.integer({ min: -10, max: 0 }), fc.constantFrom(1.5, Number.NaN, '4', null))
        .map((v) => ({ call: () => splitInterval('2024-05-13/P1D', 'PT6H', { maxWindows: v as number }), path: 'maxWindows', target: 'splitInterval' })),
    );
    fc.assert(
      fc.property(badCase, (c) => refused(c.target, c.call, c.path)),
      runs(160),
    );
  });

  it('formatInstant, formatInterval, lastFullUtcDay', () => {
    const badMs = fc.oneof(fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), fc.double({ min: MAX_MS * 1.0001, max: 1e300 }), fc.string({ maxLength: 8 }), fc.constant(null));
    const badCase = fc.oneof(
      badMs.map((v) => ({ call: () => formatInstant(v as number), path: 'ms', target: 'formatInstant' })),
      badMs.map((v) => ({ call: () => formatInterval(v as number, 0), path: 'startMs', target: 'formatInterval' })),
      badMs.map((v) => ({ call: () => formatInterval(0, v as number), path: 'endMs', target: 'formatInterval' })),
      fc.integer({ min: -1e12, max: 0 }).map((d) => ({ call: () => formatInterval(1e12, 1e12 + d), path: 'interval', target: 'formatInterval' })),
      fc
        .oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null), fc.object({ maxDepth: 0 }), fc.constant(new Date(Number.NaN)), fc.constant(new Date(-MAX_MS)))
        .map((v) => ({ call: () => lastFullUtcDay(v as Date), path: 'now', target: 'lastFullUtcDay' })),
    );
    fc.assert(
      fc.property(badCase, (c) => refused(c.target, c.call, c.path)),
      runs(100),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// PII

const PII_TEXT = 'call 415-555-0134 or mail jo\u200Bhn@example.com';

describe('pii: valid controls', () => {
  it('every subset of types, and a mask, scan the same text', () => {
    fc.assert(
      fc.property(fc.subarray(['phone', 'email', 'card', 'ssn'] as const), fc.string({ maxLength: 5 }), (types, mask) => {
        expect(scanPii(PII_TEXT, { types }).length).toBe(types.filter((t) => t === 'phone' || t === 'email').length);
        expect(containsPii(PII_TEXT, { types })).toBe(types.includes('phone') || types.includes('email'));
        expect(typeof redactPii(PII_TEXT, { types, mask })).toBe('string');
      }),
      runs(30),
    );
  });
});

describe('pii: malformed input', () => {
  it('scanPii, containsPii, redactPii', () => {
    const fns = {
      scanPii: (t: unknown, o: unknown) => scanPii(t as string, o as never),
      containsPii: (t: unknown, o: unknown) => containsPii(t as string, o as never),
      redactPii: (t: unknown, o: unknown) => redactPii(t as string, o as never),
    };
    const badCase = fc.oneof(
      fc.oneof(fc.constantFrom('phone', 'email', 'all', ''), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.constantFrom('phone', 'email'), { maxLength: 2 }), fc.constant(() => 1)).map((o) => ({ text: PII_TEXT, options: o, path: 'options' })),
      fc.tuple(unknownKey(['types', 'mask']), fc.anything()).map(([k, v]) => ({ text: PII_TEXT, options: withOwnKey({}, k, v), path: k })),
      fc.oneof(fc.constantFrom('phone', 'all'), fc.integer(), fc.constant(null), fc.object({ maxDepth: 0 })).map((v) => ({ text: PII_TEXT, options: { types: v }, path: 'types' })),
      fc
        .tuple(fc.subarray(['phone', 'email', 'card', 'ssn']), fc.oneof(fc.constantFrom('iban', 'PHONE', 'Email', '', ...PROTO_NAMES), fc.integer(), fc.constant(null), hugeString))
        .map(([ok, bad]) => ({ text: PII_TEXT, options: { types: [...ok, bad] }, path: `types[${ok.length}]` })),
      nonString.map((t) => ({ text: t, options: undefined, path: 'text' })),
    );
    fc.assert(
      fc.property(badCase, fc.constantFrom('scanPii', 'containsPii', 'redactPii') as fc.Arbitrary<keyof typeof fns>, (c, fn) => {
        // `mask` is a real option of redactPii only
        if (fn === 'redactPii' && c.path === 'mask') return;
        refused(fn, () => fns[fn](c.text, c.options), c.path);
      }),
      runs(150),
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.constant(null), fc.object({ maxDepth: 0 }), fc.boolean()), (mask) =>
        refused('redactPii', () => redactPii(PII_TEXT, { mask: mask as unknown as string }), 'mask'),
      ),
      runs(20),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Scorecard

const EVALUATION = {
  id: 'e1',
  status: 'FINISHED',
  answers: { totalScore: 80, questionGroupScores: [{ questionGroupId: 'g1', totalScore: 80, questionScores: [{ questionId: 'q1', score: 5 }] }] },
};
const FLATTEN_KEYS = ['keyBy', 'perQuestion', 'dates', 'safeColumnNames', 'answersJson', 'extra', 'onInvalid'];

describe('scorecard: valid controls', () => {
  it('every valid combination of options flattens', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            keyBy: fc.constantFrom('id', 'contextId'),
            perQuestion: fc.boolean(),
            dates: fc.constantFrom('iso', 'epochMs'),
            safeColumnNames: fc.boolean(),
            answersJson: fc.constantFrom('string', 'raw', 'omit'),
            extra: fc.dictionary(fc.stringMatching(/^[a-p][a-z0-9]{0,8}$/), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
            onInvalid: fc.constant(() => undefined),
          },
          { requiredKeys: [] },
        ),
        (options) => {
          expect(flattenScorecard(EVALUATION, options as never).evaluation_id).toBe('e1');
        },
      ),
      runs(30),
    );
  });
});

describe('scorecard: malformed options', () => {
  it('flattenScorecard', () => {
    const badCase = fc.oneof(
      nonObject.filter((v) => v !== undefined).map((o) => ({ options: o, path: 'options' })),
      fc.tuple(unknownKey(FLATTEN_KEYS), fc.anything()).map(([k, v]) => ({ options: withOwnKey({}, k, v), path: k })),
      fc.oneof(fc.constantFrom('ID', 'context', '', 'contextid'), fc.integer(), fc.boolean()).map((v) => ({ options: { keyBy: v }, path: 'keyBy' })),
      fc.oneof(fc.constantFrom('ISO', 'epoch', 'ms'), fc.integer(), fc.constant(null)).map((v) => ({ options: { dates: v }, path: 'dates' })),
      fc.oneof(fc.constantFrom('json', 'RAW', ''), fc.boolean()).map((v) => ({ options: { answersJson: v }, path: 'answersJson' })),
      fc.oneof(fc.constantFrom('yes', 'true', 1, 0, null), fc.object({ maxDepth: 0 })).map((v) => ({ options: { perQuestion: v }, path: 'perQuestion' })),
      fc.oneof(fc.constantFrom('yes', 1, null)).map((v) => ({ options: { safeColumnNames: v }, path: 'safeColumnNames' })),
      fc.oneof(fc.constantFrom('log', 'warn', 1, null, true), fc.object({ maxDepth: 0 })).map((v) => ({ options: { onInvalid: v }, path: 'onInvalid' })),
      fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })).map((v) => ({ options: { extra: v }, path: 'extra' })),
      fc
        .tuple(fc.constantFrom('evaluation_id', 'status', 'answers_json', 'score_', 'q_', 'score_g1', 'q_x', '__proto__'), fc.string({ maxLength: 4 }))
        .map(([k, v]) => ({ options: { extra: withOwnKey({}, k, v) }, path: `extra.${k}` })),
    );
    fc.assert(
      fc.property(badCase, (c) => refused('flattenScorecard', () => flattenScorecard(EVALUATION, c.options as never), c.path)),
      runs(120),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Dedupe

describe('dedupe: valid controls', () => {
  it('valid arguments dedupe', async () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 20 }), fc.boolean(), (items, uuidSet) => {
        const out = dedupeArrayBy(items, String, { seen: uuidSet ? new UuidKeySet(8) : new Set<string>(), onDuplicate: () => undefined });
        expect(out).toEqual([...new Set(items)]);
      }),
      runs(30),
    );
    const out: number[] = [];
    for await (const x of dedupeBy([1, 1, 2], String, { seen: new Set() })) out.push(x);
    expect(out).toEqual([1, 2]);
  });
});

describe('dedupe: malformed arguments', () => {
  it('dedupeBy, dedupeArrayBy, UuidKeySet', () => {
    const call = (fn: 'dedupeBy' | 'dedupeArrayBy', source: unknown, key: unknown, options?: unknown) => () =>
      fn === 'dedupeBy' ? dedupeBy(source as number[], key as (n: number) => string, options as never) : dedupeArrayBy(source as number[], key as (n: number) => string, options as never);
    const badCase = fc.oneof(
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 0 }), fc.constant(() => [1])).map((s) => ({ make: (fn: 'dedupeBy' | 'dedupeArrayBy') => call(fn, s, String), path: 'source' })),
      fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.object({ maxDepth: 0 })).map((k) => ({ make: (fn: 'dedupeBy' | 'dedupeArrayBy') => call(fn, [1, 2], k), path: 'key' })),
      nonObject.filter((v) => v !== undefined).map((o) => ({ make: (fn: 'dedupeBy' | 'dedupeArrayBy') => call(fn, [1], String, o), path: 'options' })),
      fc.tuple(unknownKey(['seen', 'onDuplicate']), fc.anything()).map(([k, v]) => ({ make: (fn: 'dedupeBy' | 'dedupeArrayBy') => call(fn, [1], String, withOwnKey({}, k, v)), path: k })),
      fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean()).map((s) => ({ make: (fn: 'dedupeBy' | 'dedupeArrayBy') => call(fn, [1], String, { seen: s }), path: 'seen' })),
      fc.constantFrom<[unknown, string]>([{}, 'seen.has'], [{ has: () => false }, 'seen.add'], [new Map(), 'seen.add'], [{ add: () => 1, has: 1 }, 'seen.has']).map(([s, p]) => ({
        make: (fn: 'dedupeBy' | 'dedupeArrayBy') => call(fn, [1], String, { seen: s }),
        path: p,
      })),
      fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)).map((d) => ({ make: (fn: 'dedupeBy' | 'dedupeArrayBy') => call(fn, [1], String, { onDuplicate: d }), path: 'onDuplicate' })),
    );
    fc.assert(
      fc.property(badCase, fc.constantFrom('dedupeBy', 'dedupeArrayBy') as fc.Arbitrary<'dedupeBy' | 'dedupeArrayBy'>, (c, fn) => refused(fn, c.make(fn), c.path)),
      runs(100),
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 50_000_001 }), fc.constantFrom(1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', null)), (n) =>
        refused('UuidKeySet', () => new UuidKeySet(n as number), 'expectedSize'),
      ),
      runs(20),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Regions

describe('regions: valid controls', () => {
  it('every key, dashed key, host and API/login URL resolves', () => {
    for (const [key, host] of Object.entries(REGION_HOSTS)) {
      for (const spelling of [key, key.replace(/_/g, '-').toUpperCase(), host, `api.${host}`, `https://login.${host}/`]) {
        expect(parseRegion(spelling).key).toBe(key);
      }
    }
  });
});

describe('regions: malformed input', () => {
  it('parseRegion and resolveRegion', () => {
    const badCase = fc.oneof(
      fc.oneof(fc.constantFrom(...PROTO_NAMES, '', 'us-east', 'mypurecloud', 'api.example.com', 'eu_west_9'), fc.string({ maxLength: 30 }), hugeString.map((s) => `${'/'.repeat(s.length)}x`))
        .filter((s) => resolveRegion(s) === undefined)
        .map((s) => ({ call: () => parseRegion(s), path: 'region' })),
      fc.string({ minLength: 1, maxLength: 10 }).filter((s) => resolveRegion(s) === undefined).map((s) => ({ call: () => parseRegion(s, 'target.region'), path: 'target.region' })),
      nonString.map((v) => ({ call: () => resolveRegion(v as unknown as string), path: 'region' })),
    );
    fc.assert(
      fc.property(badCase, (c) => refused('regions', c.call, c.path)),
      runs(100),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Media matrix (pure helper over recording metadata)

describe('media matrix: valid control and malformed rules', () => {
  it('valid overrides resolve', () => {
    expect(resolveMediaRules({ audio: { formats: ['WAV'], transcription: false }, screen: { formats: null } }).audio.formats).toEqual(['wav']);
    expect(buildMediaMatrix([{ id: 'r1', media: 'voice' }], { rules: { audio: { thumbnail: true } } }).rows[0]?.kind).toBe('audio');
  });

  it('resolveMediaRules, buildMediaMatrix, normalizeFormat', () => {
    const KINDS = ['audio', 'screen', 'chat', 'message', 'email', 'unknown'];
    const badCase = fc.oneof(
      fc.tuple(unknownKey(KINDS), fc.object({ maxDepth: 0 })).map(([k, v]) => ({ call: () => resolveMediaRules(withOwnKey({}, k, v) as never), path: k })),
      fc.tuple(fc.constantFrom(...KINDS), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.object({ maxDepth: 0 }))).map(([k, f]) => ({ call: () => resolveMediaRules({ [k]: { formats: f } } as never), path: `${k}.formats` })),
      fc.tuple(fc.constantFrom(...KINDS), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null))).map(([k, b]) => ({ call: () => resolveMediaRules({ [k]: { thumbnail: b } } as never), path: `${k}.thumbnail` })),
      fc.tuple(unknownKey(['rules']), fc.anything()).map(([k, v]) => ({ call: () => buildMediaMatrix([], withOwnKey({}, k, v) as never), path: k })),
      nonString.map((v) => ({ call: () => normalizeFormat(v as unknown as string), path: 'format' })),
    );
    fc.assert(
      fc.property(badCase, (c) => refused('media matrix', c.call, c.path)),
      runs(60),
    );
  });
});

describe('coverage of this run', () => {
  it('checked at least 1,000 malformed inputs', () => {
    let total = 0;
    for (const s of stats.values()) total += s.cases;
    expect(total).toBeGreaterThanOrEqual(1_000);
  });
});
