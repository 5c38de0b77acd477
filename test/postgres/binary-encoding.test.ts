/**
 * Question scores go to PostgreSQL in the binary COPY format (src/postgres/copy-format.ts): the numeric of every
 * score must be exactly the number the text format would have sent (String(n), read by numeric_in), and comments,
 * uuids and booleans must arrive as they are. Generated numbers (fast-check) of every magnitude and sign, on both
 * backends, compared with the server's own reading of String(n).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends, evaluation, K, T, uuid } from './helpers';

const numbers = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100),
  fc.constantFrom(0, -0, 0.05, 8.5, 10, 100, 1e-7, 1.5e-300, 1e21, 123456789.125, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE),
);

describeBackends('binary COPY of question scores', (db) => {
  it('every generated score reads back as the number String(n) names; comments with tabs, newlines, backslashes and NUL as the text format kept them', async () => {
    const w = db.warehouse();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(numbers, { minLength: 40, maxLength: 40 }), fc.array(fc.string({ unit: 'binary' }), { minLength: 40, maxLength: 40 }), async (scores, comments) => {
        n++;
        const row = evaluation(n, { changedDate: T(10), questions: scores.length });
        const groups = (row.answers as { questionGroupScores: Array<{ questionScores: Array<Record<string, unknown>> }> }).questionGroupScores;
        let i = 0;
        for (const g of groups) for (const q of g.questionScores) {
          q.score = scores[i];
          q.comments = comments[i];
          i++;
        }
        const summary = await w.apply([{ op: 'upsert', row }]);
        expect(summary.questionScores).toBe(scores.length);
        const got = await w.query<{ question_id: string; score: string; comments: string }>(
          `SELECT question_id::text, score::text, comments FROM "${w.schema}".evaluation_question_scores WHERE evaluation_id = $1`,
          [uuid(K.evaluation, n)],
        );
        const expected = await w.query<{ t: string }>(`SELECT v::numeric::text AS t FROM unnest($1::text[]) WITH ORDINALITY AS x(v, i) ORDER BY i`, [scores.map((s) => String(s))]);
        const byQuestion = new Map(got.map((r) => [r.question_id, r]));
        let k = 0;
        for (const g of groups) for (const q of g.questionScores) {
          const r = byQuestion.get(String(q.questionId));
          expect(r?.score).toBe(expected[k]?.t);
          expect(r?.comments).toBe((comments[k] as string).replace(/\0/g, ''));
          k++;
        }
      }),
      { numRuns: 8 },
    );
  });
});
