import { describe, expect, it } from 'vitest';
import { FIXED_SCORECARD_COLUMNS, flattenScorecard, type EvaluationLike } from '@org/gc-data/rows';

// Publishing a form again gives every group and question a new id; contextIds stay the same.
function formVersion(version: number) {
  return {
    id: `form-v${version}`,
    name: 'Sales QA',
    contextId: 'form-ctx',
    questionGroups: [
      {
        id: `greeting-v${version}`,
        contextId: 'greeting',
        name: 'Greeting',
        questions: [{ id: `q-hello-v${version}`, contextId: 'hello' }],
      },
      {
        id: `closing-v${version}`,
        contextId: 'closing',
        name: 'Closing',
        questions: [{ id: `q-bye-v${version}`, contextId: 'bye' }],
      },
    ],
  };
}

function evaluationOn(version: number, scores: [number, number]): EvaluationLike {
  const form = formVersion(version);
  return {
    id: `e-${version}`,
    evaluationForm: form,
    answers: {
      totalScore: (scores[0] + scores[1]) / 2,
      questionGroupScores: form.questionGroups.map((g, i) => ({
        questionGroupId: g.id,
        totalScore: scores[i],
        questionScores: g.questions.map((q) => ({ questionId: q.id, score: 1 })),
      })),
    },
  };
}

const v1 = evaluationOn(1, [80, 90]);
const v2 = evaluationOn(2, [70, 60]);
const pivots = (row: object) => Object.keys(row).filter((k) => !(FIXED_SCORECARD_COLUMNS as readonly string[]).includes(k));

describe('flattenScorecard across form versions', () => {
  it('keyBy id: each version has its own columns', () => {
    expect(pivots(flattenScorecard(v1))).toEqual(['score_greeting-v1', 'score_closing-v1', 'answers_json']);
    expect(pivots(flattenScorecard(v2))).toEqual(['score_greeting-v2', 'score_closing-v2', 'answers_json']);
  });

  it('keyBy contextId: both versions share the same columns', () => {
    const a = flattenScorecard(v1, { keyBy: 'contextId', perQuestion: true });
    const b = flattenScorecard(v2, { keyBy: 'contextId', perQuestion: true });
    expect(pivots(a)).toEqual(['score_greeting', 'score_closing', 'q_hello', 'q_bye', 'answers_json']);
    expect(pivots(b)).toEqual(pivots(a));
    expect([a.score_greeting, b.score_greeting]).toEqual([80, 70]);
    expect([a.score_closing, b.score_closing]).toEqual([90, 60]);
    expect(a.form_context_id).toBe(b.form_context_id);
    expect(a.form_id).not.toBe(b.form_id);
  });

  it('keyBy contextId falls back to the id, per group, when the form does not list it', () => {
    const partial = {
      ...v2,
      evaluationForm: { ...formVersion(2), questionGroups: formVersion(2).questionGroups.slice(0, 1) },
    };
    expect(pivots(flattenScorecard(partial, { keyBy: 'contextId' }))).toEqual([
      'score_greeting',
      'score_closing-v2',
      'answers_json',
    ]);
    const noForm = { ...v2, evaluationForm: { id: 'form-v2' } };
    expect(pivots(flattenScorecard(noForm, { keyBy: 'contextId' }))).toEqual([
      'score_greeting-v2',
      'score_closing-v2',
      'answers_json',
    ]);
  });

  it('answers_json keeps the version-specific ids, joinable to the exact form version', () => {
    const answers = JSON.parse(flattenScorecard(v2, { keyBy: 'contextId' }).answers_json as string);
    expect(answers.questionGroupScores[0].questionGroupId).toBe('greeting-v2');
  });
});
