import { describe, expect, it } from 'vitest';
import type { FilterCondition, FilterNode } from '@org/gc-data/filters';
import { compileFilter, type DetailQueryPredicate } from '../../src/filters/compile';
import { applyResidual } from '@org/gc-data/filters';
import { ValidationError } from '../../src/errors';
import { Q1, conversation } from './filter-fixtures';

const voice: FilterCondition = { field: 'mediaType', op: 'equals', value: 'voice' };
const notSale: FilterCondition = { field: 'wrapUpCode', op: 'notEquals', value: 'sale' };
const dim = (dimension: string, value: string): DetailQueryPredicate => ({ type: 'dimension', dimension, operator: 'matches', value });

describe('compileFilter residual: A and notEquals(B)', () => {
  const out = compileFilter({ and: [voice, notSale] });

  it('sends A to the platform and keeps notEquals for the client', () => {
    expect(out.segmentFilters).toEqual([{ type: 'and', predicates: [dim('mediaType', 'voice')] }]);
    expect(out.residual).toEqual({ filter: notSale, paths: ['and[1]'] });
  });

  it('says why, with the path', () => {
    expect(out.notes).toEqual([
      'and[1]: runs client-side on result conversations: notEquals on segment dimension wrapUpCode: the platform has no negation operator (only matches, exists, notExists).',
      'and[1]: the server query gets no constraint from this part; it is checked client-side.',
    ]);
  });

  it('applyResidual trims what the platform returned', () => {
    const sale = conversation({ mediaType: 'voice', segments: [{ wrapUpCode: 'sale' }] });
    const other = conversation({ mediaType: 'voice', segments: [{ wrapUpCode: 'sale' }, { wrapUpCode: 'refund' }] });
    expect(applyResidual(out.residual, sale)).toBe(false);
    expect(applyResidual(out.residual, other)).toBe(true);
  });
});

describe('compileFilter residual: or with a client-only branch', () => {
  it('moves the whole or client-side and gives the platform no constraint from it', () => {
    const out = compileFilter({ and: [voice, { or: [notSale, { field: 'queueId', op: 'equals', value: Q1 }] }] });
    expect(out.segmentFilters).toEqual([{ type: 'and', predicates: [dim('mediaType', 'voice')] }]);
    expect(out.residual?.paths).toEqual(['and[1]']);
    expect(out.residual?.filter).toEqual({ or: [notSale, { field: 'queueId', op: 'equals', value: Q1 }] });
    expect(out.notes).toContain('and[1]: the server query gets no constraint from this part; it is checked client-side.');
  });

  it('keeps on the platform what every branch implies (or(A and notEquals B, C) -> or(A, C))', () => {
    const out = compileFilter({
      or: [{ and: [voice, notSale] }, { field: 'queueId', op: 'equals', value: Q1 }],
    });
    expect(out.segmentFilters).toEqual([{ type: 'or', predicates: [dim('mediaType', 'voice'), dim('queueId', Q1)] }]);
    expect(out.residual?.paths).toEqual(['']);
    expect(out.notes).toEqual([
      'or[0].and[1]: runs client-side on result conversations: notEquals on segment dimension wrapUpCode: the platform has no negation operator (only matches, exists, notExists).',
      '(root): the server query keeps only what this part implies; the rest is checked client-side.',
    ]);
  });
});

describe('compileFilter residual: or across levels', () => {
  const tree: FilterNode = {
    and: [voice, { or: [{ field: 'originatingDirection', op: 'equals', value: 'outbound' }, { field: 'oTotalScore', op: 'lessThan', value: 50 }] }],
  };

  it('cannot be sent (the lists are ANDed): it runs client-side and the platform gets no constraint', () => {
    const out = compileFilter(tree);
    expect(out.conversationFilters).toBeUndefined();
    expect(out.evaluationFilters).toBeUndefined();
    expect(out.segmentFilters).toHaveLength(1);
    expect(out.residual?.paths).toEqual(['and[1]']);
    expect(out.notes[0]).toBe(
      'and[1]: runs client-side on result conversations: an or across levels (conversation, evaluation) cannot be sent: the platform ANDs the filter lists of different levels.',
    );
  });

  it("is refused with residual: 'error', listing every reason with its path", () => {
    try {
      compileFilter({ and: [tree, { field: 'wrapUpNote', op: 'contains', value: 'refund' }] }, { residual: 'error' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const err = e as ValidationError;
      expect(err.issues.map((i) => [i.path, i.code])).toEqual([
        ['and[0].and[1]', 'not_expressible'],
        ['and[1]', 'not_expressible'],
      ]);
      expect(err.message).toMatch(/Pass residual: 'client'/);
    }
  });
});

describe('compileFilter residual: contains, timestamps, numeric dimensions', () => {
  it('keeps each client-only op in the residual with its own note', () => {
    const out = compileFilter({
      and: [
        voice,
        { field: 'wrapUpNote', op: 'contains', value: 'refund' },
        { field: 'conversationStart', op: 'greaterThan', value: '2024-05-01T00:00:00Z' },
        { field: 'mediaStatsMinConversationMos', op: 'lessThan', value: 3.5 },
      ],
    });
    expect(out.residual?.paths).toEqual(['and[1]', 'and[2]', 'and[3]']);
    expect(out.residual?.filter).toEqual({
      and: [
        { field: 'wrapUpNote', op: 'contains', value: 'refund' },
        { field: 'conversationStart', op: 'greaterThan', value: '2024-05-01T00:00:00Z' },
        { field: 'mediaStatsMinConversationMos', op: 'lessThan', value: 3.5 },
      ],
    });
    const reasons = out.notes.filter((n) => n.includes('runs client-side'));
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/substring matching/);
    expect(reasons[1]).toMatch(/not on timestamp dimensions/);
    expect(reasons[2]).toMatch(/range on metrics, not on dimensions/);
  });

  it('refuses them all at once with residual: error', () => {
    expect(() =>
      compileFilter({ and: [voice, { field: 'wrapUpNote', op: 'contains', value: 'refund' }] }, { residual: 'error' }),
    ).toThrow(/and\[1\]/);
  });

  it('does not throw in error mode when everything is expressible', () => {
    expect(compileFilter({ and: [voice] }, { residual: 'error' }).residual).toBeUndefined();
  });
});

describe('compileFilter residual: nesting that does not distribute', () => {
  // or of 5 ands of 2 distinct conditions distributes into 2^5 = 32 clauses, none absorbing another
  const big: FilterNode = {
    or: ['a', 'b', 'c', 'd', 'e'].map((x) => ({
      and: [
        { field: 'wrapUpCode', op: 'equals', value: x },
        { field: 'flowName', op: 'equals', value: x },
      ],
    })) as FilterNode[],
  };

  it('goes client-side past maxClauses, with a note', () => {
    const out = compileFilter(big);
    expect(out.residual?.paths).toEqual(['']);
    expect(out.segmentFilters).toBeUndefined();
    expect(out.notes[0]).toMatch(/distributes into more than 16 platform clauses/);
  });

  it('compiles with a higher maxClauses', () => {
    const out = compileFilter(big, { maxClauses: 32 });
    expect(out.residual).toBeUndefined();
    expect(out.segmentFilters?.length).toBe(32);
  });

  it('is refused in error mode', () => {
    expect(() => compileFilter(big, { residual: 'error' })).toThrow(/maxClauses/);
  });

  it('absorbs clauses, so a shared condition does not blow up (or(v and a, ..., v and e) -> v and (a or ... or e))', () => {
    const shared: FilterNode = {
      or: ['a', 'b', 'c', 'd', 'e'].map((x) => ({ and: [voice, { field: 'wrapUpCode', op: 'equals', value: x }] })) as FilterNode[],
    };
    const out = compileFilter(shared);
    expect(out.residual).toBeUndefined();
    expect(out.segmentFilters).toEqual([
      { type: 'and', predicates: [dim('mediaType', 'voice')] },
      { type: 'or', predicates: ['a', 'b', 'c', 'd', 'e'].map((x) => dim('wrapUpCode', x)) },
    ]);
  });
});

describe('ResidualFilter', () => {
  it('is plain data: it survives JSON and still applies', () => {
    const out = compileFilter({ and: [voice, notSale] });
    const copy = JSON.parse(JSON.stringify(out.residual)) as typeof out.residual;
    const conv = conversation({ mediaType: 'voice', segments: [{ wrapUpCode: 'refund' }] });
    expect(applyResidual(copy, conv)).toBe(true);
  });

  it('applyResidual(undefined) matches everything', () => {
    expect(applyResidual(undefined, {})).toBe(true);
  });

  it('keeps level-qualified names so the residual reads back the same field', () => {
    const out = compileFilter({ field: 'survey.eventTime', op: 'greaterThan', value: '2024-05-01T00:00:00Z' });
    expect(out.residual?.filter).toEqual({ field: 'survey.eventTime', op: 'greaterThan', value: '2024-05-01T00:00:00Z' });
    expect(applyResidual(out.residual, { surveys: [{ eventTime: '2024-06-01T00:00:00Z' }] } as never)).toBe(true);
    expect(applyResidual(out.residual, { evaluations: [{ eventTime: '2024-06-01T00:00:00Z' }] } as never)).toBe(false);
  });
});
