/**
 * For random trees over a small field set and random conversations:
 *   platform-match(compiled) && applyResidual(compiled.residual) === evaluateFilter(tree)
 * where platform-match is a tiny reference of how the details query applies the compiled filter lists
 * (written here independently of the compiler and the evaluator), and compile never drops a condition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilterBuilder, type FilterCondition, type FilterNode, type FilterOp } from '@org/gc-data/filters';
import { compileFilter, type CompiledFilter, type DetailQueryFilter, type DetailQueryPredicate } from '../../src/filters/compile';
import { applyResidual, evaluateFilter, type AnalyticsConversationLike } from '@org/gc-data/filters';
import { ValidationError } from '../../src/errors';

const Q1 = '11111111-1111-4111-8111-111111111111';
const Q2 = '22222222-2222-4222-8222-222222222222';
const T0 = Date.parse('2024-05-01T00:00:00Z');
const iso = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();

// ---- the small field set: [field, level, ops, value domain]
type Level = 'conversation' | 'segment' | 'evaluation' | 'survey';
interface Spec {
  field: string;
  level: Level;
  ops: FilterOp[];
  values: Array<string | number | boolean>;
}
const DIM_OPS: FilterOp[] = ['equals', 'notEquals', 'in', 'exists', 'notExists'];
const ORDERED: FilterOp[] = ['greaterThan', 'lessThan', 'gte', 'lte'];
const SPECS: Spec[] = [
  { field: 'originatingDirection', level: 'conversation', ops: DIM_OPS, values: ['inbound', 'outbound'] },
  { field: 'customerParticipation', level: 'conversation', ops: ['equals', 'notEquals', 'exists', 'notExists'], values: [true, false] },
  { field: 'conversationStart', level: 'conversation', ops: [...ORDERED, 'equals', 'exists'], values: [iso(0), iso(60_000)] },
  { field: 'externalTag', level: 'conversation', ops: [...DIM_OPS, 'contains'], values: ['vip', 'VIP-x', 'std'] },
  { field: 'mediaType', level: 'segment', ops: DIM_OPS, values: ['voice', 'chat', 'email'] },
  { field: 'purpose', level: 'segment', ops: DIM_OPS, values: ['agent', 'customer'] },
  { field: 'queueId', level: 'segment', ops: DIM_OPS, values: [Q1, Q2, Q1.toUpperCase()] },
  { field: 'wrapUpCode', level: 'segment', ops: [...DIM_OPS, 'contains'], values: ['sale', 'refund'] },
  { field: 'tSegmentDuration', level: 'segment', ops: [...ORDERED, ...DIM_OPS], values: [500, 1000, 2000] },
  { field: 'segmentEnd', level: 'segment', ops: ['lessThan', 'exists', 'notExists'], values: [iso(1000)] },
  { field: 'oTotalScore', level: 'evaluation', ops: [...ORDERED, ...DIM_OPS], values: [40, 60, 80] },
  { field: 'evaluationStatus', level: 'evaluation', ops: DIM_OPS, values: ['Finished', 'InProgress'] },
  { field: 'oSurveyTotalScore', level: 'survey', ops: [...ORDERED, 'equals', 'exists'], values: [50, 90] },
  { field: 'surveyPromoterScore', level: 'survey', ops: ['equals', 'greaterThan', 'notExists', 'in'], values: [6, 9] },
];
const SPEC = new Map(SPECS.map((s) => [s.field, s]));

function conditionOver(specs: Spec[]): fc.Arbitrary<FilterCondition> {
  return fc
    .constantFrom(...specs)
    .chain((s) =>
      fc.tuple(fc.constant(s), fc.constantFrom(...s.ops), fc.constantFrom(...s.values), fc.subarray(s.values, { minLength: 1 })),
    )
    .map(([s, op, v, list]): FilterCondition => {
      if (op === 'exists' || op === 'notExists') return { field: s.field, op };
      if (op === 'in') return { field: s.field, op, value: list as Array<string | number> };
      if (op === 'contains') return { field: s.field, op, value: String(v).slice(0, 3).toLowerCase() };
      return { field: s.field, op, value: v };
    });
}

/** Trees up to the default depth limit: the root is depth 1, conditions sit at depth <= 4. */
function treeOver(specs: Spec[], depth = 1): fc.Arbitrary<FilterNode> {
  if (depth >= 4) return conditionOver(specs);
  const kids = fc.array(treeOver(specs, depth + 1), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 2, arbitrary: conditionOver(specs) },
    { weight: 1, arbitrary: kids.map((and) => ({ and })) },
    { weight: 1, arbitrary: kids.map((or) => ({ or })) },
  );
}
// mixed-level trees exercise ors across levels; one-level trees exercise distribution, relaxation and absorption
const trees: fc.Arbitrary<FilterNode> = fc.oneof(
  treeOver(SPECS),
  fc.constantFrom<Level>('conversation', 'segment', 'evaluation', 'survey').chain((l) => treeOver(SPECS.filter((s) => s.level === l))),
);
const maxClauses = fc.constantFrom(1, 2, 4, 16);

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const segment = fc
  .record({
    queueId: maybe(fc.constantFrom(Q1, Q2)),
    wrapUpCode: maybe(fc.constantFrom('sale', 'refund', 'other')),
    start: maybe(fc.constant(0)),
    duration: maybe(fc.constantFrom(500, 1000, 2000)),
  })
  .map(({ start, duration, ...rest }) => ({
    ...rest,
    ...(start !== undefined ? { segmentStart: iso(start) } : {}),
    ...(start !== undefined && duration !== undefined ? { segmentEnd: iso(start + duration) } : {}),
  }));
const conversations: fc.Arbitrary<AnalyticsConversationLike> = fc.record({
  originatingDirection: maybe(fc.constantFrom('inbound', 'outbound')),
  customerParticipation: maybe(fc.boolean()),
  conversationStart: maybe(fc.constantFrom(iso(0), iso(30_000), iso(60_000))),
  externalTag: maybe(fc.constantFrom('vip', 'VIP-x', 'standard')),
  participants: fc.array(
    fc.record({
      purpose: maybe(fc.constantFrom('agent', 'customer')),
      sessions: fc.array(fc.record({ mediaType: maybe(fc.constantFrom('voice', 'chat', 'email')), segments: fc.array(segment, { maxLength: 3 }) }), { maxLength: 2 }),
    }),
    { maxLength: 2 },
  ),
  evaluations: fc.array(fc.record({ oTotalScore: maybe(fc.constantFrom(40, 60, 80)), evaluationStatus: maybe(fc.constantFrom('Finished', 'InProgress')) }), { maxLength: 2 }),
  surveys: fc.array(fc.record({ oSurveyTotalScore: maybe(fc.constantFrom(50, 90)), surveyPromoterScore: maybe(fc.constantFrom(6, 9)) }), { maxLength: 2 }),
});

// ---- reference model of the platform applying compiled filter lists
type Item = Record<string, unknown>;

function itemsOf(conv: AnalyticsConversationLike, level: Level): Item[] {
  if (level === 'conversation') return [conv as Item];
  if (level === 'evaluation') return (conv.evaluations ?? []) as Item[];
  if (level === 'survey') return (conv.surveys ?? []) as Item[];
  const out: Item[] = [];
  for (const p of conv.participants ?? [])
    for (const s of p.sessions ?? [])
      for (const g of s.segments ?? []) {
        const start = g.segmentStart ? Date.parse(g.segmentStart) : undefined;
        const end = g.segmentEnd ? Date.parse(g.segmentEnd) : undefined;
        out.push({
          purpose: p.purpose,
          mediaType: s.mediaType,
          ...g,
          tSegmentDuration: start !== undefined && end !== undefined ? end - start : undefined,
        });
      }
  return out;
}

function predicateHolds(p: DetailQueryPredicate, item: Item): boolean {
  const v = item[p.dimension ?? p.metric ?? ''];
  const present = v !== undefined && v !== null;
  if (p.operator === 'exists') return present;
  if (p.operator === 'notExists') return !present;
  if (!present) return false;
  if (p.range) {
    const r = p.range;
    return typeof v === 'number' && (r.gt === undefined || v > r.gt) && (r.gte === undefined || v >= r.gte) && (r.lt === undefined || v < r.lt) && (r.lte === undefined || v <= r.lte);
  }
  return String(v) === p.value;
}

function filterHolds(f: DetailQueryFilter, item: Item): boolean {
  const results = [
    ...(f.predicates ?? []).map((p) => predicateHolds(p, item)),
    ...(f.clauses ?? []).map((c) => {
      const r = c.predicates.map((p) => predicateHolds(p, item));
      return c.type === 'and' ? r.every(Boolean) : r.some(Boolean);
    }),
  ];
  return f.type === 'and' ? results.every(Boolean) : results.some(Boolean);
}

const LISTS = [
  ['conversation', 'conversationFilters'],
  ['segment', 'segmentFilters'],
  ['evaluation', 'evaluationFilters'],
  ['survey', 'surveyFilters'],
] as const;

/** Every list is ANDed; a filter matches when some item of its level satisfies the whole filter. */
function platformMatch(compiled: CompiledFilter, conv: AnalyticsConversationLike): boolean {
  return LISTS.every(([level, key]) => (compiled[key] ?? []).every((f) => itemsOf(conv, level).some((item) => filterHolds(f, item))));
}

// ---- "never drops a condition"
function conditionsWithPaths(node: FilterNode, path = ''): Array<[FilterCondition, string]> {
  const join = (k: string): string => (path ? `${path}.${k}` : k);
  if ('and' in node) return node.and.flatMap((c, i) => conditionsWithPaths(c, join(`and[${i}]`)));
  if ('or' in node) return node.or.flatMap((c, i) => conditionsWithPaths(c, join(`or[${i}]`)));
  return [[node, path]];
}

const under = (path: string, parent: string): boolean => parent === '' || path === parent || path.startsWith(`${parent}.`);

function predicatesFor(c: FilterCondition): DetailQueryPredicate[] {
  const spec = SPEC.get(c.field);
  const isMetric = ['tSegmentDuration', 'oTotalScore', 'oSurveyTotalScore'].includes(c.field);
  const norm = (v: string | number | boolean): string => (c.field === 'queueId' ? String(v).toLowerCase() : String(v));
  if (c.op === 'exists' || c.op === 'notExists')
    return [isMetric ? { type: 'metric', metric: c.field, operator: c.op } : { type: 'dimension', dimension: c.field, operator: c.op }];
  const values = Array.isArray(c.value) ? c.value : [c.value as string | number | boolean];
  if (isMetric) {
    const n = c.value as number;
    const range = { equals: { gte: n, lte: n }, greaterThan: { gt: n }, lessThan: { lt: n }, gte: { gte: n }, lte: { lte: n } }[c.op as string];
    if (c.op === 'in') return values.map((v) => ({ type: 'metric', metric: c.field, range: { gte: v as number, lte: v as number } }));
    return [{ type: 'metric', metric: c.field, ...(range ? { range } : {}) }];
  }
  expect(spec).toBeDefined();
  return values.map((v) => ({ type: 'dimension', dimension: c.field, operator: 'matches', value: norm(v) }));
}

function serverPredicates(compiled: CompiledFilter): string[] {
  return LISTS.flatMap(([, key]) =>
    (compiled[key] ?? []).flatMap((f) => [...(f.predicates ?? []), ...(f.clauses ?? []).flatMap((c) => c.predicates)]).map((p) => JSON.stringify(p)),
  );
}

describe('filter properties (fast-check)', () => {
  it('platform-match(compiled) && residual === evaluateFilter(tree), for every conversation', () => {
    fc.assert(
      fc.property(trees, maxClauses, fc.array(conversations, { minLength: 1, maxLength: 6 }), (t, max, convs) => {
        const compiled = compileFilter(t, { maxClauses: max });
        for (const conv of convs) {
          const expected = evaluateFilter(t, conv);
          const server = platformMatch(compiled, conv);
          // the platform's answer is a superset; the residual trims it exactly
          if (expected) expect(server).toBe(true);
          expect(server && applyResidual(compiled.residual, conv)).toBe(expected);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('never drops a condition: each is sent to the platform, lies inside a residual part, or is noted as implied', () => {
    fc.assert(
      fc.property(trees, maxClauses, (t, max) => {
        const compiled = compileFilter(t, { maxClauses: max });
        const sent = new Set(serverPredicates(compiled));
        const residualPaths = compiled.residual?.paths ?? [];
        const redundant = new Set(compiled.notes.filter((n) => n.endsWith('not sent: redundant given the rest of the filter.')).map((n) => n.split(':')[0]));
        for (const [c, path] of conditionsWithPaths(t)) {
          if (residualPaths.some((r) => under(path, r))) continue;
          if (redundant.has(path || '(root)')) continue;
          for (const p of predicatesFor(c)) expect(sent.has(JSON.stringify(p)), `${path} ${JSON.stringify(c)}`).toBe(true);
        }
        // and every residual part is one of the input's nodes
        for (const r of residualPaths) expect(conditionsWithPaths(t).some(([, p]) => under(p, r))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("residual: 'error' either refuses with not_expressible or gives the same server filters and no residual", () => {
    fc.assert(
      fc.property(trees, (t) => {
        const client = compileFilter(t);
        try {
          const strict = compileFilter(t, { residual: 'error' });
          expect(client.residual).toBeUndefined();
          expect(strict).toEqual(client);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          expect((e as ValidationError).issues.every((i) => i.code === 'not_expressible')).toBe(true);
          expect(client.residual).toBeDefined();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the builder form of a tree compiles identically', () => {
    fc.assert(
      fc.property(trees, (t) => {
        expect(FilterBuilder.from(t).compile().segmentFilters).toEqual(compileFilter(t).segmentFilters);
        const { notes: _a, residual: _r, ...serverA } = FilterBuilder.from(t).compile();
        const { notes: _b, residual: _s, ...serverB } = compileFilter(t);
        expect(serverA).toEqual(serverB);
      }),
      { numRuns: 200 },
    );
  });
});
