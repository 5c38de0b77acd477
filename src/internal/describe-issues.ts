/**
 * Turns zod's issues into the SDK's wording: what was wrong in plain words (no "Invalid input: expected ..."
 * boilerplate), and for an unknown key either where it belongs or the closest real key. Free of a zod import: it
 * reads the issue objects zod 4 produces and, for suggestions, walks a schema's public `_zod.def` duck-typed.
 */

export interface ZodLikeIssue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
  code?: string;
  keys?: unknown;
  expected?: unknown;
  values?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: unknown;
  origin?: unknown;
  format?: unknown;
  /** invalid_union: the issues of each alternative. */
  errors?: unknown;
}

/**
 * A union's failure, as the issues of the alternative the input came closest to: the one whose issues reach deepest
 * into the input (`retry.budget` given an object is the object alternative, so its bad `capacity` is named at
 * `retry.budget.capacity`, not "invalid input at retry.budget"). Other issues pass through.
 */
export function expandUnions(issues: ReadonlyArray<ZodLikeIssue>, depth = 0): ZodLikeIssue[] {
  return issues.flatMap((i) => {
    if (i.code !== 'invalid_union' || !Array.isArray(i.errors) || i.errors.length === 0 || depth > 10) return [i];
    const branches = (i.errors as ZodLikeIssue[][]).filter((b) => Array.isArray(b) && b.length > 0);
    const reach = (b: ZodLikeIssue[]) => Math.max(...b.map((x) => x.path.length + (x.code === 'invalid_type' || x.code === 'invalid_value' ? 0 : 0.5)));
    const best = branches.reduce<ZodLikeIssue[] | undefined>((acc, b) => (acc === undefined || reach(b) > reach(acc) ? b : acc), undefined);
    if (!best || reach(best) === 0) return [i];
    return expandUnions(best.map((x) => ({ ...x, path: [...i.path, ...x.path] })), depth + 1);
  });
}

export interface DescribeContext {
  /** The schema that produced the issues: unknown keys get a did-you-mean from the keys it accepts there. */
  schema?: unknown;
  /** The input that was parsed: messages say what was received ("got a string"). */
  input?: unknown;
  /** Keys that are real options of something else: `{ evaluationStatus: 'new QualityExporter(client, { evaluationStatus })' }`. */
  elsewhere?: Readonly<Record<string, string>>;
}

/** zod's own default wording starts with these; messages the SDK wrote itself are kept as they are. */
const ZOD_DEFAULT = /^(Invalid input|Invalid option|Too small|Too big|Invalid string|Invalid number|Invalid URL|Invalid (?:ISO )?date|Unrecognized key|Invalid element|Invalid key|Invalid value)/;

export function describeIssue(issue: ZodLikeIssue, ctx: DescribeContext): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  const got = receivedAt(ctx.input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return got.present ? `expected ${article(String(issue.expected))}, got ${describeValue(got.value)}` : `is required (${article(String(issue.expected))})`;
    case 'too_small':
      return bound('at least', 'more than', issue, got);
    case 'too_big':
      return bound('at most', 'less than', issue, got);
    case 'invalid_value':
      return Array.isArray(issue.values)
        ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got.present ? `, got ${describeValue(got.value)}` : ''}`
        : issue.message;
    case 'invalid_format':
      return `must be ${article(String(issue.format))}${got.present ? `, got ${describeValue(got.value)}` : ''}`;
    case 'invalid_union':
      return got.present ? `${describeValue(got.value)} is not an accepted value here` : 'is required';
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

/** One message per unknown key: where it belongs, the closest real key, or the keys there are. */
export function describeUnknownKey(key: string, path: ReadonlyArray<PropertyKey>, ctx: DescribeContext): string {
  const shown = JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key);
  const home = ctx.elsewhere && Object.hasOwn(ctx.elsewhere, key) ? ctx.elsewhere[key] : undefined;
  if (home) return `${shown} is not an option here: it belongs to ${home}`;
  const known = ctx.schema === undefined ? [] : keysAt(ctx.schema, path);
  const near = closest(key, known);
  if (near) return `unknown key ${shown}: did you mean "${near}"?`;
  if (known.length > 0) {
    const list = known.slice(0, 12).map((k) => `"${k}"`).join(', ');
    return `unknown key ${shown}: the keys here are ${list}${known.length > 12 ? ', ...' : ''}`;
  }
  return `unknown key ${shown}: check its spelling`;
}

function bound(incl: string, excl: string, issue: ZodLikeIssue, got: { present: boolean; value?: unknown }): string {
  const n = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const word = issue.inclusive === false ? excl : incl;
  const what =
    issue.origin === 'string' ? ` character${n === 1 ? '' : 's'}` : issue.origin === 'array' || issue.origin === 'set' ? ` item${n === 1 ? '' : 's'}` : '';
  const v = got.present ? `, got ${describeValue(got.value)}` : '';
  return `must be ${word} ${String(n)}${what}${v}`;
}

function article(type: string): string {
  return /^[aeiou]/i.test(type) ? `an ${type}` : `a ${type}`;
}

function receivedAt(input: unknown, path: ReadonlyArray<PropertyKey>): { present: boolean; value?: unknown } {
  if (input === undefined) return { present: false };
  let cur: unknown = input;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, p as PropertyKey)) return { present: false };
    cur = (cur as Record<PropertyKey, unknown>)[p as never];
  }
  return cur === undefined ? { present: false } : { present: true, value: cur };
}

/** A short description of a received value: at most ~60 characters of it. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return v.length > 60 ? `${JSON.stringify(v.slice(0, 60))}…` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${String(v)}`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'function') return 'a function';
  return typeof v === 'object' ? 'an object' : typeof v;
}

interface Def {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  options?: unknown[];
  valueType?: unknown;
  getter?: () => unknown;
}
function defOf(schema: unknown): Def | undefined {
  const s = schema as { _zod?: { def?: Def }; def?: Def } | undefined;
  return s?._zod?.def ?? s?.def;
}

/** The keys an object schema accepts at `path` (through optional, default, pipe, array, union, lazy). */
export function keysAt(schema: unknown, path: ReadonlyArray<PropertyKey>, depth = 0): string[] {
  const def = defOf(schema);
  if (!def || depth > 50) return [];
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return keysAt(def.innerType, path, depth + 1);
    case 'pipe':
      return keysAt(def.in, path, depth + 1);
    case 'lazy':
      return def.getter ? keysAt(def.getter(), path, depth + 1) : [];
    case 'union':
      return [...new Set((def.options ?? []).flatMap((o) => keysAt(o, path, depth + 1)))];
    case 'array':
      return path.length > 0 && typeof path[0] === 'number' ? keysAt(def.element, path.slice(1), depth + 1) : [];
    case 'record':
      return path.length > 0 ? keysAt(def.valueType, path.slice(1), depth + 1) : [];
    case 'object': {
      const shape = def.shape ?? {};
      if (path.length === 0) return Object.keys(shape);
      const head = String(path[0]);
      return Object.hasOwn(shape, head) ? keysAt(shape[head], path.slice(1), depth + 1) : [];
    }
    default:
      return [];
  }
}

/** The known key closest to `key` (case, a missing or extra `s`, one or two typos), if close enough. */
function closest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const n = name.toLowerCase();
    if (n === k) return name;
    const d = distance(k.slice(0, 64), n.slice(0, 64));
    if (!best || d < best.d) best = { name, d };
  }
  if (!best) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(best.name.length / 4)));
  // A shared start of four letters makes a wider miss plausible (`retries` for `retry`).
  const n = best.name.toLowerCase();
  let common = 0;
  while (common < k.length && common < n.length && k[common] === n[common]) common++;
  return best.d <= limit || (common >= 4 && best.d <= 3) ? best.name : undefined;
}

/** Edit distance where swapping two neighbours (`burts` for `burst`) is one typo, not two. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
