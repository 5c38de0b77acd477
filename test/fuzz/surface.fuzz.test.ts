/**
 * Issue 18, the whole exported surface: for every exported function and class of every entry (the list is
 * test/fuzz/targets/*; test/fuzz/coverage.test.ts fails when an export has no target), a valid control and
 * generated malformed inputs, each breaking one thing at a known path. For each malformed input:
 * - a ValidationError (or the documented GcError subclass a target names), never a TypeError, RangeError or a value;
 * - an issue at the path of the bad field: exact, or at least its parent/child (both counted; at least 95% exact);
 * - 0 requests at the counting server (the simulated org on 127.0.0.1 counts every request; the client's fetch
 *   counts requests to any other host);
 * - it settles (a hang detector of HANG_MS, not a timing assertion: the machine is loaded);
 * - no unhandled rejection.
 *
 * Fixed seed, so CI is deterministic; `npm run fuzz` (FUZZ_SCALE=20) runs 20 times as many, FUZZ_SEED picks another.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@org/gc-data';
import { probe, type Case, type Outcome, type Target } from './harness';
import { lazyFuzzContext } from './targets/context';
import { allTargets } from './targets/index';

const SEED = Number(process.env.FUZZ_SEED ?? 18);
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1));
/** Runs per unit of weight; about 2,700 malformed inputs in all at scale 1. */
const RUNS = 34;

const { ctx, start } = lazyFuzzContext();
// Started before the targets are declared: their valid option objects hold the server's URL and temp paths.
await start();
const targets = allTargets(ctx);

interface Tally {
  cases: number;
  exact: number;
  near: number;
  slowestMs: number;
}
const tallies = new Map<string, Tally>();
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(() => {
  process.on('unhandledRejection', onRejection);
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await ctx.close();
  const t = total();
  const lines = [...tallies].map(([name, s]) => `  ${name}: ${s.cases} cases, ${s.exact} exact, ${s.near} near, slowest ${s.slowestMs.toFixed(0)} ms`);
  console.log(
    `surface fuzz (seed ${SEED}, scale ${SCALE}): ${t.cases} malformed inputs over ${tallies.size} targets, ${((100 * t.exact) / Math.max(1, t.errors)).toFixed(1)}% name the exact path, slowest ${t.slowestMs.toFixed(0)} ms\n${lines.join('\n')}`,
  );
});

function total(): { cases: number; exact: number; errors: number; slowestMs: number } {
  let cases = 0;
  let exact = 0;
  let near = 0;
  let slowestMs = 0;
  for (const s of tallies.values()) {
    cases += s.cases;
    exact += s.exact;
    near += s.near;
    slowestMs = Math.max(slowestMs, s.slowestMs);
  }
  return { cases, exact, errors: exact + near, slowestMs };
}

const label = (t: Target) => `${t.entry} ${t.name}${t.member ? `.${t.member}` : ''}`;

function describeOutcome(o: Outcome): string {
  if (o.kind === 'error') {
    const e = o.error as Error;
    return `${e?.name ?? typeof e}: ${String(e?.message ?? e).slice(0, 400)}`;
  }
  return o.kind === 'accepted' ? `accepted (returned ${typeof o.value})` : `hung (${o.ms.toFixed(0)} ms)`;
}

/**
 * Exact: an issue at one of the paths, or inside one (`mediaTypes[0]` for a bad `mediaTypes` list names the bad
 * element itself). Near: an issue only at a parent (`rateLimit` for a bad `rateLimit.requests`), or anywhere under a
 * whole argument that was replaced (`interval is required` for options that are a string).
 */
function pathMatch(e: ValidationError, paths: readonly string[]): 'exact' | 'near' | 'none' {
  const got = e.issues.map((i) => i.path);
  const inside = (a: string, b: string) => a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  if (got.some((g) => paths.some((p) => g === p || (p !== '' && inside(g, p))))) return 'exact';
  return got.some((g) => paths.some((p) => g === '' || p === '' || inside(p, g))) ? 'near' : 'none';
}

async function check(t: Target, c: Case, tally: Tally): Promise<void> {
  const o = await probe(c.call, ctx.requests);
  const paths = typeof c.path === 'string' ? [c.path] : c.path;
  const where = `${label(t)} at ${JSON.stringify(paths)}: ${describeOutcome(o)}`;
  tally.cases++;
  tally.slowestMs = Math.max(tally.slowestMs, o.ms);
  if (o.kind === 'hung') throw new Error(`hung: ${where}`);
  if (t.predicate) {
    if (o.kind !== 'accepted' || o.value !== false) throw new Error(`a predicate must answer false: ${where}`);
    return;
  }
  if (o.requests !== 0) throw new Error(`${o.requests} request(s) sent: ${where}`);
  if (o.kind !== 'error') throw new Error(`not refused: ${where}`);
  const typed = o.error instanceof ValidationError || (t.also ?? []).some((cls) => o.error instanceof cls);
  if (!typed) throw new Error(`untyped refusal: ${where}`);
  if (!(o.error instanceof ValidationError)) return;
  const m = pathMatch(o.error, paths);
  if (m === 'none') throw new Error(`no issue names the field (issues at ${JSON.stringify(o.error.issues.map((i) => i.path))}): ${where}`);
  if (m === 'exact') tally.exact++;
  else {
    tally.near++;
    // FUZZ_VERBOSE=1 lists the refusals that name a parent or child of the field, to find what to sharpen.
    if (process.env.FUZZ_VERBOSE) console.log(`near: issues at ${JSON.stringify(o.error.issues.map((i) => i.path))} for ${where.slice(0, 300)}`);
  }
  // At most ~100 characters of a bad value are quoted: messages stay short whatever the input.
  if (o.error.message.length > 20_000) throw new Error(`message of ${o.error.message.length} characters: ${where}`);
}

describe('every export refuses malformed input: typed, named, before any request, settling', () => {
  for (const t of targets) {
    it(label(t), async () => {
      const control = await probe(t.valid, ctx.requests);
      expect(control.kind, `valid control ${describeOutcome(control)}`).not.toBe('hung');
      if (control.kind === 'error') expect(control.error, `valid control refused: ${describeOutcome(control)}`).not.toBeInstanceOf(ValidationError);
      const tally = tallies.get(label(t)) ?? { cases: 0, exact: 0, near: 0, slowestMs: 0 };
      tallies.set(label(t), tally);
      await fc.assert(
        fc.asyncProperty(t.cases, (c) => check(t, c, tally)),
        { seed: SEED, numRuns: Math.round(RUNS * (t.weight ?? 1) * SCALE), endOnFailure: true },
      );
      // A rejection nobody awaited shows up after a turn of the event loop.
      await new Promise((r) => setImmediate(r));
      expect(rejections.map((r) => String((r as Error)?.stack ?? r).slice(0, 300))).toEqual([]);
    });
  }

  it('checked at least 2,000 malformed inputs, at least 95% of them refused at the exact path', () => {
    const t = total();
    expect(t.cases).toBeGreaterThanOrEqual(2_000);
    expect(t.exact / t.errors).toBeGreaterThanOrEqual(0.95);
  });
});
