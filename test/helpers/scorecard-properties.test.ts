import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXED_SCORECARD_COLUMNS, flattenScorecard, type EvaluationLike } from '@org/gc-data/rows';
import { ValidationError } from '@org/gc-data';

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const ref = maybe(fc.oneof(fc.constant(null), fc.record({ id: maybe(fc.oneof(fc.uuid(), fc.constant(''))) })));
const isoDate = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const score = maybe(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)));

const questionScore = fc.record(
  { questionId: fc.uuid(), answerId: maybe(fc.uuid()), score, markedNA: maybe(fc.boolean()) },
  { requiredKeys: ['questionId'] },
);
const groupScore = fc.record(
  {
    questionGroupId: fc.uuid(),
    totalScore: score,
    markedNA: maybe(fc.boolean()),
    questionScores: maybe(fc.array(questionScore, { maxLength: 4 })),
  },
  { requiredKeys: ['questionGroupId'] },
);

// Partial on purpose: any field may be missing, as in `expand`-less or drifted responses.
const evaluation: fc.Arbitrary<EvaluationLike> = fc.record(
  {
    id: maybe(fc.uuid()),
    conversation: ref,
    agent: ref,
    evaluator: ref,
    calibration: ref,
    status: maybe(fc.constantFrom('PENDING', 'INPROGRESS', 'FINISHED', 'INREVIEW', 'RETRACTED')),
    releaseDate: maybe(fc.oneof(isoDate, fc.constant('not a date'), fc.constant(null))),
    assignedDate: maybe(isoDate),
    changedDate: maybe(isoDate),
    mediaType: maybe(fc.array(fc.constantFrom('CALL', 'EMAIL', 'CHAT', 'MESSAGE'), { maxLength: 3 })),
    evaluationForm: maybe(
      fc.record({ id: maybe(fc.uuid()), name: maybe(fc.string()), contextId: maybe(fc.uuid()) }, { requiredKeys: [] }),
    ),
    answers: maybe(
      fc.record(
        {
          totalScore: score,
          totalCriticalScore: score,
          totalNonCriticalScore: score,
          questionGroupScores: maybe(fc.uniqueArray(groupScore, { selector: (g) => g.questionGroupId, maxLength: 6 })),
          comments: maybe(fc.string()),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('flattenScorecard properties', () => {
  it('never throws, always has the fixed columns first, and never leaves undefined', () => {
    fc.assert(
      fc.property(evaluation, fc.constantFrom('id' as const, 'contextId' as const), fc.boolean(), (e, keyBy, perQuestion) => {
        const row = flattenScorecard(e, { keyBy, perQuestion });
        expect(Object.keys(row).slice(0, FIXED_SCORECARD_COLUMNS.length)).toEqual([...FIXED_SCORECARD_COLUMNS]);
        for (const v of Object.values(row)) expect(v).not.toBeUndefined();
        expect(typeof row.is_calibration).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('gives every question group a score_ column', () => {
    fc.assert(
      fc.property(evaluation, (e) => {
        const row = flattenScorecard(e);
        for (const g of e.answers?.questionGroupScores ?? []) {
          expect(row).toHaveProperty([`score_${g.questionGroupId}`]);
          const v = row[`score_${g.questionGroupId}`];
          expect(v === null || typeof v === 'number').toBe(true);
          if (g.markedNA) expect(v).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers_json round-trips to the answers', () => {
    fc.assert(
      fc.property(evaluation, (e) => {
        const row = flattenScorecard(e);
        if (e.answers == null) expect(row.answers_json).toBeNull();
        else expect(JSON.parse(row.answers_json as string)).toEqual(JSON.parse(JSON.stringify(e.answers)));
      }),
      { numRuns: 300 },
    );
  });

  it('dates come out as normalized ISO UTC or null', () => {
    fc.assert(
      fc.property(evaluation, (e) => {
        const row = flattenScorecard(e);
        for (const col of ['release_date', 'assigned_date', 'changed_date'] as const) {
          const v = row[col];
          if (v !== null) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        }
      }),
    );
  });

  it('survives garbage fields; an evaluation that is not an object is a ValidationError (not a row of nulls)', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        if (typeof junk !== 'object' || junk === null || Array.isArray(junk)) {
          expect(() => flattenScorecard(junk as EvaluationLike)).toThrow(ValidationError);
          return;
        }
        const row = flattenScorecard(junk as EvaluationLike);
        expect(Object.keys(row)).toContain('answers_json');
      }),
      { numRuns: 300 },
    );
  });
});
