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

// Times as PostgreSQL reads their ISO text, from year 1 to 9999: inside and outside the ±2^53 µs around 2000 where
// a double holds the microseconds exactly (before 1715 and after 2285 the encoder counts in BigInt).
const instants = fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });

describeBackends('binary COPY of the evaluations row', (db) => {
  it('dates, total scores, texts and the answers jsonb read back as the server reads their text (NUL dropped; the text \\u0000 kept)', async () => {
    const w = db.warehouse();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(instants, { minLength: 7, maxLength: 7 }),
        numbers,
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }),
        async (dates, total, name, comment) => {
          n++;
          const [conversationDate, conversationEndDate, createdDate, assignedDate, submittedDate, releaseDate, changedDate] = dates.map((d) => (d as Date).toISOString());
          const row = evaluation(n, { changedDate: changedDate as string, totalScore: total, comment: `${comment} \\u0000 \u0000 \\` });
          Object.assign(row, { conversationDate, conversationEndDate, createdDate, assignedDate, submittedDate, releaseDate });
          (row.evaluationForm as { name: string }).name = name;
          await w.apply([{ op: 'upsert', row }]);
          const [got] = await w.query<Record<string, string>>(
            `SELECT conversation_date::text AS a, conversation_end_date::text AS b, created_date::text AS c, assigned_date::text AS d,
                    submitted_date::text AS e, release_date::text AS f, changed_date::text AS g, changed_at::text AS h,
                    total_score::text AS score, form_name, answers->>'comments' AS comment, answers->'questionGroupScores'->0->>'totalScore' AS group_total
               FROM "${w.schema}".evaluations WHERE evaluation_id = $1`,
            [uuid(K.evaluation, n)],
          );
          const [want] = await w.query<Record<string, string>>(
            `SELECT $1::timestamptz::text AS a, $2::timestamptz::text AS b, $3::timestamptz::text AS c, $4::timestamptz::text AS d,
                    $5::timestamptz::text AS e, $6::timestamptz::text AS f, $7::timestamptz::text AS g, $7::timestamptz::text AS h,
                    $8::numeric::text AS score, $9::numeric::text AS group_total`,
            [conversationDate, conversationEndDate, createdDate, assignedDate, submittedDate, releaseDate, changedDate, String(total), String(total)],
          );
          expect(got).toEqual({ ...want, form_name: name.replace(/\0/g, ''), comment: `${comment.replace(/\0/g, '')} \\u0000  \\` });
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
