import { describe, expect, it } from 'vitest';
import type { FilterNode } from '@org/gc-data/filters';
import { compileFilter, type CompileFilterOptions } from '@org/gc-data/filters';
import { ValidationError, type ValidationIssue } from '../../src/errors';
import { Q1 } from './filter-fixtures';

function issuesOf(tree: unknown, options?: CompileFilterOptions): ValidationIssue[] {
  try {
    compileFilter(tree as FilterNode, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected compileFilter to throw');
}

describe('compileFilter validation: unknown fields', () => {
  it('names the nearest real fields', () => {
    const [issue] = issuesOf({ field: 'wrapupcode', op: 'equals', value: 'x' });
    expect(issue).toMatchObject({ path: 'field', code: 'unknown_field' });
    expect(issue?.message).toBe('Unknown filter field "wrapupcode". Did you mean "wrapUpCode", "wrapUpNote", "errorCode"?');
  });

  it("points the seed's invented fields at the real ones", () => {
    expect(issuesOf({ field: 'type', op: 'equals', value: 'voice' })[0]?.message).toMatch(/Did you mean "mediaType"/);
    expect(issuesOf({ field: 'evaluationState', op: 'equals', value: 'Finished' })[0]?.message).toMatch(/Did you mean "evaluationStatus"/);
    expect(issuesOf({ field: 'durationSeconds', op: 'greaterThan', value: 30 })[0]?.message).toMatch(/Did you mean "tSegmentDuration"/);
  });

  it('an unknown metric name says metrics cannot be filtered on and points at tSegmentDuration', () => {
    const [issue] = issuesOf({ field: 'tTalk', op: 'greaterThan', value: 180000 });
    expect(issue).toMatchObject({ path: 'field', code: 'unknown_field' });
    expect(issue?.message).toMatch(/^Unknown filter field "tTalk": conversation metrics .* cannot be filtered on.*use tSegmentDuration\.$/);
    // A known metric-shaped field is still a field (evaluation score).
    expect(() => compileFilter({ field: 'oTotalScore', op: 'lessThan', value: 60 } as FilterNode)).not.toThrow();
  });

  it('refuses a level that does not have the field', () => {
    expect(issuesOf({ field: 'conversation.queueId', op: 'exists' })[0]).toMatchObject({ code: 'unknown_field', path: 'field' });
  });
});

describe('compileFilter validation: values', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['string for tSegmentDuration', { field: 'tSegmentDuration', op: 'greaterThan', value: '30' }, /tSegmentDuration expects a number \(milliseconds\); got string "30"/],
    ['non-uuid queueId', { field: 'queueId', op: 'equals', value: 'Sales' }, /queueId expects a uuid/],
    ['enum value not in values', { field: 'mediaType', op: 'equals', value: 'phone' }, /"phone" is not a mediaType value; use one of callback, chat/],
    ['enum value not in the catalog', { field: 'purpose', op: 'equals', value: 'Customers' }, /"Customers" is not a purpose value; use one of acd, .* \(any casing\)/],
    ['string for a boolean', { field: 'recording', op: 'equals', value: 'true' }, /recording expects a boolean; got string "true"/],
    ['date without a zone', { field: 'conversationStart', op: 'greaterThan', value: '2024-05-01' }, /expects an ISO-8601 date-time with a zone/],
    ['non-finite number', { field: 'oTotalScore', op: 'greaterThan', value: Number.POSITIVE_INFINITY }, /oTotalScore expects a finite number/],
    ['empty string', { field: 'wrapUpCode', op: 'equals', value: '' }, /expects a non-empty string/],
    ['missing value', { field: 'wrapUpCode', op: 'equals' }, /equals on wrapUpCode needs a value/],
    ['value on exists', { field: 'wrapUpCode', op: 'exists', value: 'x' }, /exists takes no value/],
    ['array for equals', { field: 'wrapUpCode', op: 'equals', value: ['a'] }, /use op "in" for a list/],
    ['empty in', { field: 'wrapUpCode', op: 'in', value: [] }, /in needs a non-empty array/],
    ['scalar for in', { field: 'wrapUpCode', op: 'in', value: 'a' }, /in needs a non-empty array/],
    ['empty contains', { field: 'wrapUpNote', op: 'contains', value: '' }, /contains needs a non-empty string/],
  ];

  it.each(cases)('%s', (_name, tree, message) => {
    const issues = issuesOf(tree);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe('invalid_value');
    expect(issues[0]?.path).toBe('value');
    expect(issues[0]?.message).toMatch(message);
  });

  it('gives each bad element of an in list its own path', () => {
    const issues = issuesOf({ field: 'queueId', op: 'in', value: [Q1, 'x', Q1, 'y'] });
    expect(issues.map((i) => i.path)).toEqual(['value[1]', 'value[3]']);
  });

  it('accepts an unknown enum value with strictEnums: false, and says so', () => {
    const out = compileFilter({ field: 'mediaType', op: 'equals', value: 'hologram' }, { strictEnums: false });
    expect(out.segmentFilters).toEqual([{ type: 'and', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'hologram' }] }]);
    expect(out.notes).toEqual(['value: "hologram" is not among the known values of mediaType; sent as is']);
  });
});

describe('compileFilter validation: ops', () => {
  it('refuses greaterThan on a string dimension and contains on a metric', () => {
    const issues = issuesOf({
      and: [
        { field: 'wrapUpCode', op: 'greaterThan', value: 'a' },
        { field: 'oTotalScore', op: 'contains', value: '9' },
      ],
    });
    expect(issues).toEqual([
      { path: 'and[0].op', code: 'invalid_op', message: expect.stringMatching(/greaterThan is not valid on wrapUpCode: .*string dimension/) },
      { path: 'and[1].op', code: 'invalid_op', message: expect.stringMatching(/contains is not valid on oTotalScore: .*number metric/) },
    ]);
  });

  it('refuses an unknown op and guesses the intended one', () => {
    expect(issuesOf({ field: 'oTotalScore', op: 'gt', value: 1 })[0]?.message).toMatch(/Unknown op "gt" \(did you mean "greaterThan"\?\)/);
    expect(issuesOf({ field: 'oTotalScore', op: 'greater_than', value: 1 })[0]?.message).toMatch(/did you mean "greaterThan"/);
    expect(issuesOf({ field: 'oTotalScore', value: 1 })[0]).toMatchObject({ path: 'op', message: expect.stringMatching(/Unknown op \(missing\)/) });
  });
});

describe('compileFilter validation: tree shape', () => {
  it('refuses nodes that are neither a group nor a condition', () => {
    expect(issuesOf(null)[0]).toMatchObject({ path: '', code: 'invalid_node' });
    expect(issuesOf({ and: [42] })[0]).toMatchObject({ path: 'and[0]', code: 'invalid_node' });
    expect(issuesOf({ and: 'x' })[0]).toMatchObject({ path: 'and', code: 'invalid_node' });
    expect(issuesOf({ and: [], field: 'x' })[0]).toMatchObject({ path: '', message: expect.stringMatching(/has and and field/) });
  });

  it('refuses an empty or (it would match nothing)', () => {
    expect(issuesOf({ and: [{ or: [] }] })[0]).toMatchObject({ path: 'and[0].or', code: 'empty_group' });
  });
});

describe('compileFilter validation: every problem at once', () => {
  it('lists all issues with their paths in the input tree, in document order', () => {
    const tree = {
      and: [
        { field: 'mediaType', op: 'equals', value: 'Voicemail' },
        {
          or: [
            { field: 'queuId', op: 'equals', value: Q1 },
            { and: [{ field: 'tSegmentDuration', op: 'gte', value: '1000' }, { field: 'wrapUpCode', op: 'lessThan', value: 'b' }] },
          ],
        },
        { field: 'oTotalScore', op: 'between', value: [1, 2] },
        { or: [] },
      ],
    };
    const issues = issuesOf(tree);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['and[0].value', 'invalid_value'],
      ['and[1].or[0].field', 'unknown_field'],
      ['and[1].or[1].and[0].value', 'invalid_value'],
      ['and[1].or[1].and[1].op', 'invalid_op'],
      ['and[2].op', 'invalid_op'],
      ['and[3].or', 'empty_group'],
    ]);
  });

  it('throws a ValidationError whose message lists each issue and whose JSON keeps them', () => {
    try {
      compileFilter({ and: [{ field: 'queuId', op: 'exists' }, { field: 'queueId', op: 'equals', value: 'x' }] });
      expect.unreachable();
    } catch (e) {
      const err = e as ValidationError;
      expect(err.where).toBe('filter');
      expect(err.message).toMatch(/^Invalid filter:/);
      expect(err.message).toMatch(/→ at and\[0\]\.field/);
      expect(err.message).toMatch(/→ at and\[1\]\.value/);
      expect(err.toJSON()).toMatchObject({ name: 'ValidationError', issues: err.issues });
    }
  });
});

describe('compileFilter validation: fields not on the record', () => {
  it('sends canonicalExternalContactId to the platform but refuses to check it client-side', () => {
    expect(compileFilter({ field: 'canonicalExternalContactId', op: 'equals', value: 'abc' }).segmentFilters).toHaveLength(1);
    const issues = issuesOf({ field: 'canonicalExternalContactId', op: 'notEquals', value: 'abc' });
    expect(issues).toEqual([{ path: '', code: 'not_evaluable', message: expect.stringMatching(/not on the analytics conversation record/) }]);
  });
});
