import { describe, expect, it } from 'vitest';
import { FilterBuilder, normalizeFilter, type FilterNode } from '@org/gc-data/filters';
import { compileFilter } from '@org/gc-data/filters';
import { ValidationError } from '../../src/errors';
import { Q1 } from './filter-fixtures';

describe('FilterBuilder.interaction', () => {
  it('starts empty without a media type, and an empty builder is refused (it would match, and export, everything)', () => {
    expect(() => FilterBuilder.interaction().build()).toThrow(ValidationError);
    try {
      FilterBuilder.interaction().compile();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues).toEqual([expect.objectContaining({ path: 'and', code: 'empty_group' })]);
    }
    expect(FilterBuilder.interaction().where('mediaType', 'equals', 'voice').build()).toEqual({ field: 'mediaType', op: 'equals', value: 'voice' });
  });

  it('adds a segment mediaType condition: equals for one, in for several', () => {
    expect(FilterBuilder.interaction('voice').build()).toEqual({ field: 'mediaType', op: 'equals', value: 'voice' });
    expect(FilterBuilder.interaction(['email']).build()).toEqual({ field: 'mediaType', op: 'equals', value: 'email' });
    expect(FilterBuilder.interaction(['voice', 'chat']).build()).toEqual({ field: 'mediaType', op: 'in', value: ['voice', 'chat'] });
  });
});

describe('FilterBuilder fluent API', () => {
  it('builds the plain tree: where adds to the current group, and/or add nested groups', () => {
    const tree = FilterBuilder.interaction('voice')
      .where('queueId', 'equals', Q1)
      .or((b) => b.where('wrapUpCode', 'equals', 'sale').and((a) => a.where('oTotalScore', 'lessThan', 60).where('released', 'equals', true)))
      .where('wrapUpNote', 'exists')
      .build();
    expect(tree).toEqual({
      and: [
        { field: 'mediaType', op: 'equals', value: 'voice' },
        { field: 'queueId', op: 'equals', value: Q1 },
        {
          or: [
            { field: 'wrapUpCode', op: 'equals', value: 'sale' },
            { and: [{ field: 'oTotalScore', op: 'lessThan', value: 60 }, { field: 'released', op: 'equals', value: true }] },
          ],
        },
        { field: 'wrapUpNote', op: 'exists' },
      ],
    });
  });

  it('returns the same builder from each method', () => {
    const b = FilterBuilder.interaction();
    expect(b.where('mediaType', 'equals', 'voice')).toBe(b);
    expect(b.and(() => undefined)).toBe(b);
  });

  it('build() flattens same-type nesting and unwraps one-child groups', () => {
    const tree = FilterBuilder.interaction('voice')
      .and((b) => b.where('queueId', 'equals', Q1).and((c) => c.where('direction', 'equals', 'inbound')))
      .or((b) => b.where('purpose', 'equals', 'agent'))
      .build();
    expect(tree).toEqual({
      and: [
        { field: 'mediaType', op: 'equals', value: 'voice' },
        { field: 'queueId', op: 'equals', value: Q1 },
        { field: 'direction', op: 'equals', value: 'inbound' },
        { field: 'purpose', op: 'equals', value: 'agent' },
      ],
    });
  });

  it('does not validate while building; compile() reports every problem at once', () => {
    const b = FilterBuilder.interaction('voise').where('queueID', 'equals', 'x');
    expect(() => b.build()).not.toThrow();
    const err = (() => {
      try {
        b.compile();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['and[0].value', 'and[1].field']);
  });

  it('from(tree) wraps an existing tree, to extend or to compile it', () => {
    const tree: FilterNode = { or: [{ field: 'mediaType', op: 'equals', value: 'voice' }, { field: 'mediaType', op: 'equals', value: 'chat' }] };
    expect(FilterBuilder.from(tree).build()).toEqual(tree);
    expect(FilterBuilder.from(tree).compile()).toEqual(compileFilter(tree));
    expect(FilterBuilder.from(tree).where('direction', 'equals', 'inbound').build()).toEqual({
      and: [tree, { field: 'direction', op: 'equals', value: 'inbound' }],
    });
  });

  it('normalizeFilter copies: mutating the result leaves the input alone', () => {
    const tree: FilterNode = { and: [{ field: 'mediaType', op: 'in', value: ['voice'] }, { field: 'queueId', op: 'exists' }] };
    const copy = normalizeFilter(tree) as { and: Array<{ value?: unknown }> };
    (copy.and[0]?.value as string[]).push('chat');
    expect(tree).toEqual({ and: [{ field: 'mediaType', op: 'in', value: ['voice'] }, { field: 'queueId', op: 'exists' }] });
  });
});

describe('fluent and tree forms compile to identical output', () => {
  const cases: Array<[string, FilterBuilder, FilterNode]> = [
    [
      'server-only, across levels',
      FilterBuilder.interaction(['voice', 'callback'])
        .where('queueId', 'equals', Q1)
        .where('originatingDirection', 'equals', 'inbound')
        .where('oTotalScore', 'lessThan', 60),
      {
        and: [
          { field: 'mediaType', op: 'in', value: ['voice', 'callback'] },
          { field: 'queueId', op: 'equals', value: Q1 },
          { field: 'originatingDirection', op: 'equals', value: 'inbound' },
          { field: 'oTotalScore', op: 'lessThan', value: 60 },
        ],
      },
    ],
    [
      'nested or with a residual branch',
      FilterBuilder.interaction('voice').or((b) =>
        b.where('wrapUpCode', 'equals', 'sale').and((a) => a.where('tSegmentDuration', 'gte', 1000).where('wrapUpCode', 'notEquals', 'x')),
      ),
      {
        and: [
          { field: 'mediaType', op: 'equals', value: 'voice' },
          {
            or: [
              { field: 'wrapUpCode', op: 'equals', value: 'sale' },
              { and: [{ field: 'tSegmentDuration', op: 'gte', value: 1000 }, { field: 'wrapUpCode', op: 'notEquals', value: 'x' }] },
            ],
          },
        ],
      },
    ],
    [
      'a lone condition',
      FilterBuilder.interaction().where('conversationStart', 'greaterThan', '2024-05-01T00:00:00Z'),
      { field: 'conversationStart', op: 'greaterThan', value: '2024-05-01T00:00:00Z' },
    ],
  ];

  it.each(cases)('%s', (_name, fluent, tree) => {
    expect(fluent.build()).toEqual(tree);
    expect(fluent.compile()).toEqual(compileFilter(tree));
    expect(fluent.compile({ residual: 'client', maxClauses: 4 })).toEqual(compileFilter(tree, { residual: 'client', maxClauses: 4 }));
  });

  it('same-type nesting written by hand compiles like its flat form (server side)', () => {
    const nested: FilterNode = { and: [{ and: [{ field: 'mediaType', op: 'equals', value: 'voice' }] }, { and: [{ field: 'queueId', op: 'equals', value: Q1 }] }] };
    const flat = FilterBuilder.interaction('voice').where('queueId', 'equals', Q1);
    expect(compileFilter(nested)).toEqual(flat.compile());
  });
});
