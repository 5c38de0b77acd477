/**
 * Issue 18, casing: `evaluationStatus: 'FINISHED'` (the Quality API's spelling) was refused by compileFilter while
 * QualityExporter accepted it. One rule for every enum of the filter catalog now: matched case-insensitively,
 * sent as the platform spells it (the catalog's spelling); the client-side evaluator compares case-insensitively.
 */
import { describe, expect, it } from 'vitest';
import { compileFilter, evaluateFilter, FILTER_FIELDS, FilterBuilder } from '@org/gc-data/filters';
import { expectIssueAt } from './expect-validation';

describe('enum values: any casing in, the platform spelling out', () => {
  it('evaluationStatus FINISHED is sent as Finished', () => {
    expect(compileFilter({ field: 'evaluationStatus', op: 'equals', value: 'FINISHED' }).evaluationFilters).toEqual([
      { type: 'and', predicates: [{ type: 'dimension', dimension: 'evaluationStatus', operator: 'matches', value: 'Finished' }] },
    ]);
  });

  it('in lists, the builder and other levels follow the same rule', () => {
    expect(compileFilter({ field: 'mediaType', op: 'in', value: ['VOICE', 'Callback'] }).segmentFilters?.[0]?.predicates?.map((p) => p.value)).toEqual([
      'voice',
      'callback',
    ]);
    expect(FilterBuilder.interaction('EMAIL').compile().segmentFilters?.[0]?.predicates?.[0]?.value).toBe('email');
    expect(compileFilter({ field: 'disconnectType', op: 'equals', value: 'CONFERENCETRANSFER' }).segmentFilters?.[0]?.predicates?.[0]?.value).toBe(
      'conferenceTransfer',
    );
    expect(compileFilter({ field: 'originatingDirection', op: 'equals', value: 'Inbound' }).conversationFilters?.[0]?.predicates?.[0]?.value).toBe('inbound');
  });

  it('every enum value of the catalog, upper- or lower-cased, compiles to its catalog spelling', () => {
    const enums = FILTER_FIELDS.filter((f) => f.type === 'enum');
    expect(enums.length).toBeGreaterThan(10);
    for (const f of enums) {
      const qualified = f.name === 'queueId' ? `${f.level}.${f.name}` : f.name;
      for (const v of f.values ?? []) {
        for (const spelled of [v.toUpperCase(), v.toLowerCase()]) {
          const out = compileFilter({ field: qualified, op: 'equals', value: spelled });
          const preds = [...(out.conversationFilters ?? []), ...(out.segmentFilters ?? []), ...(out.evaluationFilters ?? []), ...(out.surveyFilters ?? [])].flatMap(
            (x) => x.predicates ?? [],
          );
          expect(preds.map((p) => p.value), `${f.name} ${spelled}`).toEqual([v]);
        }
      }
    }
  });

  it('an unknown value is still refused (strictEnums) or sent as is (strictEnums: false)', () => {
    expectIssueAt(() => compileFilter({ field: 'evaluationStatus', op: 'equals', value: 'DONE' }), 'value', 'invalid_value');
    const out = compileFilter({ field: 'evaluationStatus', op: 'equals', value: 'Archived' }, { strictEnums: false });
    expect(out.evaluationFilters?.[0]?.predicates?.[0]?.value).toBe('Archived');
  });

  it('the evaluator matches enum values case-insensitively on the record too', () => {
    const conv = { evaluations: [{ evaluationStatus: 'FINISHED' }], participants: [{ sessions: [{ mediaType: 'Voice', segments: [{}] }] }] };
    expect(evaluateFilter({ field: 'evaluationStatus', op: 'equals', value: 'Finished' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'evaluationStatus', op: 'in', value: ['pending', 'finished'] }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'mediaType', op: 'equals', value: 'voice' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'mediaType', op: 'notEquals', value: 'VOICE' }, conv)).toBe(false);
  });
});
