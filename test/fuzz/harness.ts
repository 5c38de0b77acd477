/**
 * The fuzz harness of issue 18 (test/fuzz/surface.fuzz.test.ts): targets, mutation helpers, and one `probe` that
 * runs a call and says what happened. Every target names an export of an entry; a case breaks one thing at a known
 * path of a valid input.
 *
 * What a probe measures, per case: the error (a ValidationError, or the documented GcError subclass), whether an
 * issue names the exact path, the requests that reached the counting server or left through the client's fetch,
 * and whether the call settled at all (a hang detector, not a timing assertion: the machine is loaded).
 */
import fc from 'fast-check';

export type Entry = '@org/gc-data' | '@org/gc-data/testing' | '@org/gc-data/redis' | '@org/gc-data/postgres' | `@org/gc-data/${string}`;

/** One malformed input: `call` must be refused, naming `path` (any of them when several are exact). */
export interface Case {
  call: () => unknown;
  path: string | readonly string[];
}

export interface Target {
  entry: Entry;
  /** The export this target exercises (a class or function name); `member` for a method of an instance. */
  name: string;
  member?: string;
  /** The valid control: must not be refused (it may fail later for another reason, e.g. an empty server answer). */
  valid: () => unknown;
  cases: fc.Arbitrary<Case>;
  /** Relative weight of runs (default 1). */
  weight?: number;
  /** A predicate (`isAndNode`): malformed input is not an error, the answer is `false`. */
  predicate?: boolean;
  /** The error class a refusal may be besides ValidationError (documented in docs/errors.md). */
  also?: Array<abstract new (...a: never[]) => Error>;
}

export interface Outcome {
  kind: 'accepted' | 'error' | 'hung';
  value?: unknown;
  error?: unknown;
  ms: number;
  requests: number;
}

/** A call that has not settled after this long is reported as hung (a fixed limit would race a loaded machine). */
export const HANG_MS = 15_000;

/** Runs `call` (awaits a promise; takes the first item of an async iterable) and reports the outcome. */
export async function probe(call: () => unknown, requests: () => number): Promise<Outcome> {
  const before = requests();
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), HANG_MS);
  });
  const run = (async (): Promise<{ value: unknown } | { error: unknown }> => {
    try {
      const r = await call();
      const it = r as AsyncIterable<unknown> | undefined;
      if (it && typeof it[Symbol.asyncIterator] === 'function') for await (const _ of it) break;
      return { value: r };
    } catch (error) {
      return { error };
    }
  })();
  const settled = await Promise.race([run, hung]);
  clearTimeout(timer);
  const ms = performance.now() - t0;
  if (settled === 'hung') return { kind: 'hung', ms, requests: requests() - before };
  if ('value' in settled) return { kind: 'accepted', value: settled.value, ms, requests: requests() - before };
  return { kind: 'error', error: settled.error, ms, requests: requests() - before };
}

// -------------------------------------------------------------------------------------------------------------
// Bad values by expected kind. Each list holds only values the kind refuses.

export const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const someObject = fc.oneof(fc.constant({}), fc.object({ maxDepth: 1, maxKeys: 3 }), fc.constant([]));
const nonNumber = fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null), fc.boolean(), someObject, fc.constant(() => 1), fc.bigInt({ min: 1n, max: 9n }));
const notFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

export const bad = {
  /** For a whole number >= min (and <= max when given). */
  int: (min: number, max?: number): fc.Arbitrary<unknown> =>
    fc.oneof(
      fc.integer({ min: -1e9, max: min - 1 }),
      ...(max !== undefined ? [fc.integer({ min: max + 1, max: max + 1e9 })] : []),
      fc.double({ min: min + 0.01, max: min + 100, noInteger: true, noNaN: true }),
      notFinite,
      nonNumber,
    ),
  /** For a finite number in [min, max]. */
  num: (min: number, max: number): fc.Arbitrary<unknown> =>
    fc.oneof(fc.double({ min: -1e12, max: min - 1e-6, noNaN: true }), fc.double({ min: max + 1e-6, max: 1e12, noNaN: true }), notFinite, nonNumber),
  /** For a finite number >= min with no upper bound. */
  atLeast: (min: number): fc.Arbitrary<unknown> => fc.oneof(fc.double({ min: -1e12, max: min - 1e-6, noNaN: true }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY), nonNumber),
  bool: (): fc.Arbitrary<unknown> => fc.oneof(fc.constantFrom('true', 'yes', 1, 0, null), someObject),
  fn: (): fc.Arbitrary<unknown> => fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null), someObject, fc.boolean()),
  /** For a non-empty string (any content). */
  str: (): fc.Arbitrary<unknown> => fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), someObject, fc.constant(() => 'x'), fc.constant('')),
  /** For one of `values` (case-insensitive where the SDK says so: only values no casing of which is valid). */
  oneOf: (values: readonly string[]): fc.Arbitrary<unknown> => {
    const lower = new Set(values.map((v) => v.toLowerCase()));
    return fc.oneof(
      fc.string({ maxLength: 10 }).filter((s) => !lower.has(s.toLowerCase())),
      fc.constantFrom(...PROTO_NAMES),
      fc.integer(),
      fc.constant(null),
      someObject,
    );
  },
  /** For an http(s) URL. */
  url: (): fc.Arbitrary<unknown> => fc.oneof(fc.constantFrom('not a url', 'api.mypurecloud.com', 'ftp://x.test', '//x.test', 'http://', ''), fc.integer(), fc.constant(null), someObject),
  /** For an object (option bag). */
  obj: (): fc.Arbitrary<unknown> => fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant(() => 1)),
  /** For an AbortSignal. */
  signal: (): fc.Arbitrary<unknown> => fc.oneof(fc.constantFrom('abort', 1, true), someObject, fc.constant(null)),
  /** For an ISO interval (`start/end`). */
  interval: (): fc.Arbitrary<unknown> =>
    fc.oneof(
      fc.constantFrom('', 'yesterday', '2026-01-02T00:00:00Z/2026-01-01T00:00:00Z', '2026-01-01/P999999999D', '2026-13-01/P1D', '2026-01-01T00:00:00Z'),
      fc.string({ maxLength: 12 }).filter((s) => !s.includes('/')),
      fc.integer(),
      fc.constant(null),
      fc.constant({ start: 'x', end: 'y' }),
    ),
};

// -------------------------------------------------------------------------------------------------------------
// Mutations of a valid option object

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    const next = cur[k];
    cur[k] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...(next as object) } : {};
    cur = cur[k] as Record<string, unknown>;
  }
  // defineProperty: a key like `__proto__` must become an own key, as JSON.parse would make it
  Object.defineProperty(cur, parts[parts.length - 1]!, { value, enumerable: true, configurable: true, writable: true });
}

/** A copy of `base` (one level of nested objects copied along `path`) with `value` at `path`. */
export function withField<T extends object>(base: T, path: string, value: unknown): T {
  const copy = { ...base } as Record<string, unknown>;
  setAt(copy, path, value);
  return copy as T;
}

/** A key no schema of ours has: random words, prototype names, near-misses given by the caller. */
export function unknownKeys(known: readonly string[], nearMisses: readonly string[] = []): fc.Arbitrary<string> {
  const k = new Set(known);
  return fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z]{2,10}$/), fc.constantFrom(...PROTO_NAMES.filter((p) => p !== '__proto__'), ...nearMisses, 'zzUnknown')).filter((s) => !k.has(s));
}

/**
 * Cases for an option object at argument `argPath` (`''` when the whole argument is the object; or e.g. 'options'):
 * each listed field set to a bad value, an unknown key, and the whole object replaced by a non-object.
 */
export function optionCases(
  base: Record<string, unknown>,
  fields: Record<string, fc.Arbitrary<unknown>>,
  make: (options: unknown) => () => unknown,
  opts: { argNames?: readonly string[]; nearMisses?: readonly string[]; strict?: boolean; whole?: boolean } = {},
): fc.Arbitrary<Case> {
  const arbs: Array<fc.Arbitrary<Case>> = Object.entries(fields).map(([path, arb]) => arb.map((v) => ({ call: make(withField(base, path, v)), path })));
  if (opts.strict !== false) {
    const topKeys = [...Object.keys(base), ...Object.keys(fields).map((p) => p.split('.')[0]!)];
    arbs.push(unknownKeys(topKeys, opts.nearMisses).map((k) => ({ call: make(withField(base, k, 1)), path: k })));
  }
  if (opts.whole !== false) arbs.push(bad.obj().map((v) => ({ call: make(v), path: ['', ...(opts.argNames ?? ['options'])] })));
  return fc.oneof(...arbs);
}

/** Cases for a positional argument: bad values at `name` (the path a refusal should name). */
export function argCases(name: string | readonly string[], arb: fc.Arbitrary<unknown>, make: (v: unknown) => () => unknown): fc.Arbitrary<Case> {
  return arb.map((v) => ({ call: make(v), path: name }));
}
