import { describe, expect, it } from 'vitest';
import { FILTER_OPS, type FilterCondition, type FilterOp } from '@org/gc-data/filters';
import { FILTER_FIELDS, lookupField } from '@org/gc-data/filters';
import { compileFilter, type CompiledFilter, type DetailQueryPredicate } from '../../src/filters/compile';
import { ValidationError } from '../../src/errors';
import { Q1, Q2 } from './filter-fixtures';

const T = '2024-05-01T00:00:00Z';

type Expect =
  | { server: Partial<Record<'conversationFilters' | 'segmentFilters' | 'evaluationFilters' | 'surveyFilters', unknown>> }
  | { client: true }
  | { invalid: RegExp };

const dim = (dimension: string, value: string): DetailQueryPredicate => ({ type: 'dimension', dimension, operator: 'matches', value });
const one = (p: DetailQueryPredicate) => [{ type: 'and', predicates: [p] }];
const any = (...p: DetailQueryPredicate[]) => [{ type: 'or', predicates: p }];
const metric = (m: string, range: DetailQueryPredicate['range']): DetailQueryPredicate => ({ type: 'metric', metric: m, range });

/** [field, op, value, expected]: one row per (field kind/type, op) at least, across all four levels. */
const ROWS: Array<[string, FilterOp, FilterCondition['value'], Expect]> = [
  // conversation dimensions
  ['externalTag', 'equals', 'vip', { server: { conversationFilters: one(dim('externalTag', 'vip')) } }],
  ['conversationId', 'equals', Q1.toUpperCase(), { server: { conversationFilters: one(dim('conversationId', Q1)) } }],
  ['originatingDirection', 'equals', 'inbound', { server: { conversationFilters: one(dim('originatingDirection', 'inbound')) } }],
  ['customerParticipation', 'equals', true, { server: { conversationFilters: one(dim('customerParticipation', 'true')) } }],
  ['mediaStatsMinConversationMos', 'equals', 4, { server: { conversationFilters: one(dim('mediaStatsMinConversationMos', '4')) } }],
  ['divisionId', 'in', [Q1, Q2], { server: { conversationFilters: any(dim('divisionId', Q1), dim('divisionId', Q2)) } }],
  ['conversationEnd', 'exists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'conversationEnd', operator: 'exists' }) } }],
  ['externalTag', 'notExists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'externalTag', operator: 'notExists' }) } }],
  ['conversationStart', 'greaterThan', T, { client: true }],
  ['conversationStart', 'lessThan', T, { client: true }],
  ['conversationEnd', 'gte', T, { client: true }],
  ['conversationEnd', 'lte', T, { client: true }],
  ['conversationStart', 'equals', T, { client: true }],
  ['mediaStatsMinConversationMos', 'lessThan', 3.5, { client: true }],
  ['mediaStatsMinConversationMos', 'greaterThan', 3.5, { client: true }],
  ['mediaStatsMinConversationMos', 'gte', 3.5, { client: true }],
  ['mediaStatsMinConversationMos', 'lte', 3.5, { client: true }],
  ['mediaStatsMinConversationMos', 'in', [1, 2], { server: { conversationFilters: any(dim('mediaStatsMinConversationMos', '1'), dim('mediaStatsMinConversationMos', '2')) } }],
  ['externalTag', 'contains', 'vip', { client: true }],
  ['externalTag', 'notEquals', 'vip', { client: true }],
  ['conversationId', 'notEquals', Q1, { client: true }],
  ['originatingDirection', 'notEquals', 'inbound', { client: true }],
  ['customerParticipation', 'notEquals', true, { client: true }],
  ['mediaStatsMinConversationMos', 'notEquals', 4, { client: true }],
  ['conversationStart', 'notEquals', T, { client: true }],
  ['externalTag', 'greaterThan', 'a', { invalid: /greaterThan needs an ordered field/ }],
  ['externalTag', 'lessThan', 'a', { invalid: /lessThan needs an ordered field/ }],
  ['externalTag', 'gte', 'a', { invalid: /gte needs an ordered field/ }],
  ['externalTag', 'lte', 'a', { invalid: /lte needs an ordered field/ }],
  ['conversationId', 'greaterThan', Q1, { invalid: /ordered field/ }],
  ['conversationId', 'lessThan', Q1, { invalid: /ordered field/ }],
  ['conversationId', 'gte', Q1, { invalid: /ordered field/ }],
  ['conversationId', 'lte', Q1, { invalid: /ordered field/ }],
  ['conversationId', 'contains', 'abc', { invalid: /contains applies to free-text/ }],
  ['originatingDirection', 'greaterThan', 'inbound', { invalid: /ordered field/ }],
  ['originatingDirection', 'lessThan', 'inbound', { invalid: /ordered field/ }],
  ['originatingDirection', 'gte', 'inbound', { invalid: /ordered field/ }],
  ['originatingDirection', 'lte', 'inbound', { invalid: /ordered field/ }],
  ['originatingDirection', 'contains', 'in', { invalid: /contains applies to free-text/ }],
  ['customerParticipation', 'greaterThan', true, { invalid: /ordered field/ }],
  ['customerParticipation', 'lessThan', true, { invalid: /ordered field/ }],
  ['customerParticipation', 'gte', true, { invalid: /ordered field/ }],
  ['customerParticipation', 'lte', true, { invalid: /ordered field/ }],
  ['customerParticipation', 'contains', 'x', { invalid: /contains applies to free-text/ }],
  ['customerParticipation', 'in', ['true'], { invalid: /in is not useful on a boolean/ }],
  ['mediaStatsMinConversationMos', 'contains', '4', { invalid: /contains applies to free-text/ }],
  ['conversationStart', 'contains', '2024', { invalid: /contains is not valid on a timestamp/ }],
  ['conversationStart', 'in', [T], { invalid: /in is not valid on a timestamp/ }],
  ['conversationStart', 'exists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'conversationStart', operator: 'exists' }) } }],
  ['customerParticipation', 'exists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'customerParticipation', operator: 'exists' }) } }],
  ['mediaStatsMinConversationMos', 'notExists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'mediaStatsMinConversationMos', operator: 'notExists' }) } }],
  ['originatingSocialMediaPublic', 'notExists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'originatingSocialMediaPublic', operator: 'notExists' }) } }],
  ['mediaStatsMinConversationMos', 'exists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'mediaStatsMinConversationMos', operator: 'exists' }) } }],
  ['originatingDirection', 'exists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'originatingDirection', operator: 'exists' }) } }],
  ['originatingDirection', 'notExists', undefined, { server: { conversationFilters: one({ type: 'dimension', dimension: 'originatingDirection', operator: 'notExists' }) } }],
  ['conversationId', 'in', [Q1], { server: { conversationFilters: one(dim('conversationId', Q1)) } }],
  ['originatingDirection', 'in', ['inbound', 'outbound'], { server: { conversationFilters: any(dim('originatingDirection', 'inbound'), dim('originatingDirection', 'outbound')) } }],
  ['externalTag', 'in', ['a', 'b'], { server: { conversationFilters: any(dim('externalTag', 'a'), dim('externalTag', 'b')) } }],

  // segment dimensions (participant-, session-, flow- and segment-level sources) and the segment metric
  ['wrapUpCode', 'equals', 'sale', { server: { segmentFilters: one(dim('wrapUpCode', 'sale')) } }],
  ['queueId', 'equals', Q1, { server: { segmentFilters: one(dim('queueId', Q1)) } }],
  ['mediaType', 'equals', 'voice', { server: { segmentFilters: one(dim('mediaType', 'voice')) } }],
  ['direction', 'equals', 'outbound', { server: { segmentFilters: one(dim('direction', 'outbound')) } }],
  ['purpose', 'equals', 'agent', { server: { segmentFilters: one(dim('purpose', 'agent')) } }],
  ['userId', 'equals', Q2, { server: { segmentFilters: one(dim('userId', Q2)) } }],
  ['flowName', 'equals', 'Main IVR', { server: { segmentFilters: one(dim('flowName', 'Main IVR')) } }],
  ['recording', 'equals', false, { server: { segmentFilters: one(dim('recording', 'false')) } }],
  ['sipResponseCode', 'equals', 486, { server: { segmentFilters: one(dim('sipResponseCode', '486')) } }],
  ['mediaType', 'in', ['voice', 'callback'], { server: { segmentFilters: any(dim('mediaType', 'voice'), dim('mediaType', 'callback')) } }],
  ['wrapUpCode', 'exists', undefined, { server: { segmentFilters: one({ type: 'dimension', dimension: 'wrapUpCode', operator: 'exists' }) } }],
  ['segmentEnd', 'notExists', undefined, { server: { segmentFilters: one({ type: 'dimension', dimension: 'segmentEnd', operator: 'notExists' }) } }],
  ['segmentEnd', 'lessThan', T, { client: true }],
  ['callbackScheduledTime', 'gte', T, { client: true }],
  ['mediaCount', 'greaterThan', 2, { client: true }],
  ['wrapUpNote', 'contains', 'refund', { client: true }],
  ['wrapUpCode', 'notEquals', 'sale', { client: true }],
  ['queueId', 'greaterThan', Q1, { invalid: /ordered field/ }],
  ['mediaType', 'greaterThan', 'voice', { invalid: /greaterThan needs an ordered field.*mediaType is a enum dimension/ }],
  ['mediaType', 'contains', 'voi', { invalid: /contains applies to free-text/ }],
  ['tSegmentDuration', 'greaterThan', 30000, { server: { segmentFilters: one(metric('tSegmentDuration', { gt: 30000 })) } }],
  ['tSegmentDuration', 'lessThan', 30000, { server: { segmentFilters: one(metric('tSegmentDuration', { lt: 30000 })) } }],
  ['tSegmentDuration', 'gte', 30000, { server: { segmentFilters: one(metric('tSegmentDuration', { gte: 30000 })) } }],
  ['tSegmentDuration', 'lte', 30000, { server: { segmentFilters: one(metric('tSegmentDuration', { lte: 30000 })) } }],
  ['tSegmentDuration', 'equals', 1000, { server: { segmentFilters: one(metric('tSegmentDuration', { gte: 1000, lte: 1000 })) } }],
  ['tSegmentDuration', 'in', [1000, 2000], { server: { segmentFilters: any(metric('tSegmentDuration', { gte: 1000, lte: 1000 }), metric('tSegmentDuration', { gte: 2000, lte: 2000 })) } }],
  ['tSegmentDuration', 'exists', undefined, { server: { segmentFilters: one({ type: 'metric', metric: 'tSegmentDuration', operator: 'exists' }) } }],
  ['tSegmentDuration', 'notExists', undefined, { server: { segmentFilters: one({ type: 'metric', metric: 'tSegmentDuration', operator: 'notExists' }) } }],
  ['tSegmentDuration', 'notEquals', 1000, { client: true }],
  ['tSegmentDuration', 'contains', '10', { invalid: /contains applies to text dimensions; tSegmentDuration is a number metric/ }],

  // evaluation dimensions and metrics
  ['evaluationStatus', 'equals', 'Finished', { server: { evaluationFilters: one(dim('evaluationStatus', 'Finished')) } }],
  ['evaluation.queueId', 'equals', Q1, { server: { evaluationFilters: one(dim('queueId', Q1)) } }],
  ['formName', 'equals', 'QA v2', { server: { evaluationFilters: one(dim('formName', 'QA v2')) } }],
  ['released', 'equals', true, { server: { evaluationFilters: one(dim('released', 'true')) } }],
  ['calibrationId', 'notExists', undefined, { server: { evaluationFilters: one({ type: 'dimension', dimension: 'calibrationId', operator: 'notExists' }) } }],
  ['eventTime', 'greaterThan', T, { client: true }],
  ['oTotalScore', 'lessThan', 60, { server: { evaluationFilters: one(metric('oTotalScore', { lt: 60 })) } }],
  ['oTotalScore', 'gte', 90, { server: { evaluationFilters: one(metric('oTotalScore', { gte: 90 })) } }],
  ['oTotalCriticalScore', 'lte', 0, { server: { evaluationFilters: one(metric('oTotalCriticalScore', { lte: 0 })) } }],
  ['oTotalCriticalScore', 'greaterThan', 0, { server: { evaluationFilters: one(metric('oTotalCriticalScore', { gt: 0 })) } }],
  ['oTotalScore', 'exists', undefined, { server: { evaluationFilters: one({ type: 'metric', metric: 'oTotalScore', operator: 'exists' }) } }],

  // survey dimensions and metric
  ['surveyType', 'equals', 'Voice', { server: { surveyFilters: one(dim('surveyType', 'Voice')) } }],
  ['surveyPromoterScore', 'equals', 9, { server: { surveyFilters: one(dim('surveyPromoterScore', '9')) } }],
  ['surveyPromoterScore', 'lessThan', 7, { client: true }],
  ['surveyStatus', 'equals', 'Finished', { server: { surveyFilters: one(dim('surveyStatus', 'Finished')) } }],
  ['surveyPartialResponse', 'equals', false, { server: { surveyFilters: one(dim('surveyPartialResponse', 'false')) } }],
  ['survey.userId', 'exists', undefined, { server: { surveyFilters: one({ type: 'dimension', dimension: 'userId', operator: 'exists' }) } }],
  ['surveyCompletedDate', 'lte', T, { client: true }],
  ['oSurveyTotalScore', 'greaterThan', 80, { server: { surveyFilters: one(metric('oSurveyTotalScore', { gt: 80 })) } }],
  ['oSurveyTotalScore', 'in', [1], { server: { surveyFilters: one(metric('oSurveyTotalScore', { gte: 1, lte: 1 })) } }],
];

function compileOne(field: string, op: FilterOp, value: FilterCondition['value']): CompiledFilter {
  const cond: FilterCondition = value === undefined ? { field, op } : { field, op, value };
  return compileFilter(cond);
}

describe('compileFilter: one condition per field kind and op', () => {
  it.each(ROWS)('%s %s %j', (field, op, value, expected) => {
    if ('invalid' in expected) {
      expect(() => compileOne(field, op, value)).toThrow(ValidationError);
      expect(() => compileOne(field, op, value)).toThrow(expected.invalid);
      return;
    }
    const out = compileOne(field, op, value);
    if ('server' in expected) {
      const { notes, ...filters } = out;
      expect(filters).toEqual(expected.server);
      expect(notes).toEqual([]);
    } else {
      expect(out.residual?.filter).toMatchObject({ op });
      expect(out.notes.some((n) => n.includes(`${op} on`) && n.includes('client-side'))).toBe(true);
      expect(out.conversationFilters ?? out.segmentFilters ?? out.evaluationFilters ?? out.surveyFilters).toBeUndefined();
    }
  });

  it('covers every op on every (level, kind, type) the catalog has', () => {
    const covered = new Set(ROWS.map(([f, op]) => {
      const def = lookupField(f);
      return `${def?.kind}/${def?.type}/${op}`;
    }));
    const missing: string[] = [];
    for (const f of FILTER_FIELDS) for (const op of FILTER_OPS) if (!covered.has(`${f.kind}/${f.type}/${op}`)) missing.push(`${f.kind}/${f.type}/${op}`);
    expect([...new Set(missing)]).toEqual([]);
    const levels = new Set(ROWS.map(([f]) => lookupField(f)?.level));
    expect([...levels].sort()).toEqual(['conversation', 'evaluation', 'segment', 'survey']);
  });
});

describe('compileFilter: grouping into the platform shapes', () => {
  const c = (field: string, op: FilterOp, value?: FilterCondition['value']): FilterCondition =>
    value === undefined ? { field, op } : { field, op, value };

  it('puts conversation conditions in one and filter: units as predicates, ors as clauses', () => {
    const out = compileFilter({
      and: [
        c('originatingDirection', 'equals', 'inbound'),
        c('externalTag', 'exists'),
        { or: [c('customerParticipation', 'equals', true), c('conversationId', 'equals', Q1)] },
        c('divisionId', 'in', [Q1, Q2]),
      ],
    });
    expect(out.conversationFilters).toEqual([
      {
        type: 'and',
        predicates: [dim('originatingDirection', 'inbound'), { type: 'dimension', dimension: 'externalTag', operator: 'exists' }],
        clauses: [
          { type: 'or', predicates: [dim('customerParticipation', 'true'), dim('conversationId', Q1)] },
          { type: 'or', predicates: [dim('divisionId', Q1), dim('divisionId', Q2)] },
        ],
      },
    ]);
  });

  it('sends a conversation-level or as one or filter', () => {
    const out = compileFilter({ or: [c('originatingDirection', 'equals', 'inbound'), c('externalTag', 'equals', 'x')] });
    expect(out.conversationFilters).toEqual(any(dim('originatingDirection', 'inbound'), dim('externalTag', 'x')));
  });

  it('segment and -> one filter per condition; segment or -> one or filter', () => {
    const out = compileFilter({
      and: [c('mediaType', 'equals', 'voice'), c('queueId', 'equals', Q1), { or: [c('wrapUpCode', 'equals', 'a'), c('wrapUpCode', 'equals', 'b')] }],
    });
    expect(out.segmentFilters).toEqual([
      ...one(dim('mediaType', 'voice')),
      ...one(dim('queueId', Q1)),
      ...any(dim('wrapUpCode', 'a'), dim('wrapUpCode', 'b')),
    ]);
  });

  it('distributes an or of ands on one level into or clauses (CNF)', () => {
    const out = compileFilter({
      or: [{ and: [c('mediaType', 'equals', 'voice'), c('queueId', 'equals', Q1)] }, c('wrapUpCode', 'equals', 'x')],
    });
    expect(out.segmentFilters).toEqual([
      ...any(dim('mediaType', 'voice'), dim('wrapUpCode', 'x')),
      ...any(dim('queueId', Q1), dim('wrapUpCode', 'x')),
    ]);
    expect(out.residual).toBeUndefined();
  });

  it('splits an and across levels into each level list', () => {
    const out = compileFilter({
      and: [c('mediaType', 'equals', 'voice'), c('originatingDirection', 'equals', 'inbound'), c('oTotalScore', 'lessThan', 50), c('oSurveyTotalScore', 'gte', 1)],
    });
    expect(Object.keys(out).sort()).toEqual(['conversationFilters', 'evaluationFilters', 'notes', 'segmentFilters', 'surveyFilters']);
  });

  it('flattens nested same-type groups and removes duplicate conditions and clauses', () => {
    const nested = compileFilter({ and: [{ and: [c('mediaType', 'equals', 'voice'), { and: [c('queueId', 'equals', Q1)] }] }, c('mediaType', 'equals', 'voice')] });
    const flat = compileFilter({ and: [c('mediaType', 'equals', 'voice'), c('queueId', 'equals', Q1)] });
    expect(nested).toEqual(flat);
    expect(compileFilter({ or: [c('wrapUpCode', 'equals', 'a'), { or: [c('wrapUpCode', 'equals', 'a')] }] }).segmentFilters).toEqual(one(dim('wrapUpCode', 'a')));
  });

  it('an empty and (which would match everything) is refused at its path, also inside an or', () => {
    expect(() => compileFilter({ and: [c('mediaType', 'equals', 'voice'), { or: [{ and: [] }, c('queueId', 'equals', Q1)] }] })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'and[1].or[0].and', code: 'empty_group' })] }),
    );
  });

  it('notes a condition absorbed by another (x and (x or y) is x)', () => {
    const out = compileFilter({ and: [c('mediaType', 'equals', 'voice'), { or: [c('mediaType', 'equals', 'voice'), c('queueId', 'equals', Q1)] }] });
    expect(out.segmentFilters).toEqual(one(dim('mediaType', 'voice')));
    expect(out.notes).toEqual(['and[1].or[1]: not sent: redundant given the rest of the filter.']);
  });
});
