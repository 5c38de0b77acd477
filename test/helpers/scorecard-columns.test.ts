import type { Models } from 'purecloud-platform-client-v2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import {
  FIXED_SCORECARD_COLUMNS,
  flattenScorecard,
  type EvaluationLike,
  type ScorecardRow,
} from '@org/gc-data/rows';

const evaluation = {
  id: 'e-1',
  conversation: { id: 'c-1', selfUri: '/api/v2/conversations/c-1' },
  agent: { id: 'u-agent', name: 'Ada' },
  evaluator: { id: 'u-eval' },
  evaluationForm: { id: 'form-v2', name: 'Sales QA', contextId: 'form-ctx' },
  status: 'FINISHED',
  releaseDate: '2024-05-13T10:00:00.000Z',
  assignedDate: '2024-05-12T09:00:00+02:00',
  changedDate: '2024-05-13T10:00:00Z',
  mediaType: ['EMAIL'],
  answers: {
    totalScore: 87.5,
    totalCriticalScore: 100,
    totalNonCriticalScore: 80,
    comments: 'Good call, "mostly"',
    questionGroupScores: [
      { questionGroupId: 'g-1', totalScore: 90, markedNA: false, questionScores: [{ questionId: 'q-1', answerId: 'a-1', score: 1 }] },
      { questionGroupId: 'g-2', totalScore: 0, markedNA: true, questionScores: [{ questionId: 'q-2', score: 0, markedNA: true }] },
    ],
  },
};

describe('flattenScorecard columns', () => {
  it('puts fixed columns first, in order, then score_ pivots, then answers_json', () => {
    const row = flattenScorecard(evaluation);
    expect(Object.keys(row)).toEqual([...FIXED_SCORECARD_COLUMNS, 'score_g-1', 'score_g-2', 'answers_json']);
    expect(row).toMatchObject({
      evaluation_id: 'e-1',
      conversation_id: 'c-1',
      agent_id: 'u-agent',
      evaluator_id: 'u-eval',
      form_id: 'form-v2',
      form_context_id: 'form-ctx',
      form_name: 'Sales QA',
      status: 'FINISHED',
      total_score: 87.5,
      total_critical_score: 100,
      total_non_critical_score: 80,
      release_date: '2024-05-13T10:00:00.000Z',
      assigned_date: '2024-05-12T07:00:00.000Z',
      changed_date: '2024-05-13T10:00:00.000Z',
      media_type: 'email',
      is_calibration: false,
      'score_g-1': 90,
    });
  });

  it('writes N/A groups as null, not 0', () => {
    expect(flattenScorecard(evaluation)['score_g-2']).toBeNull();
  });

  it('keeps the raw answers as JSON', () => {
    const row = flattenScorecard(evaluation);
    expect(JSON.parse(row.answers_json as string)).toEqual(evaluation.answers);
  });

  it('marks calibrations from the calibration reference only', () => {
    expect(flattenScorecard({ ...evaluation, calibration: { id: 'cal-1' } }).is_calibration).toBe(true);
    expect(flattenScorecard({ ...evaluation, calibration: {} }).is_calibration).toBe(false);
    expect(flattenScorecard({ ...evaluation, calibration: null }).is_calibration).toBe(false);
    expect(flattenScorecard({ ...evaluation, isCalibration: true } as EvaluationLike).is_calibration).toBe(false);
  });

  it('joins several media types with a comma', () => {
    // One vocabulary: the Quality API's spelling mapped to the segment media types the filters and splits use.
    expect(flattenScorecard({ ...evaluation, mediaType: ['CALL', 'CALLBACK'] }).media_type).toBe('voice,callback');
    expect(flattenScorecard({ ...evaluation, mediaType: [] }).media_type).toBeNull();
    expect(flattenScorecard({ ...evaluation, mediaType: 'CHAT' }).media_type).toBe('chat');
  });

  it('gives epoch ms with dates: epochMs, and reads offset-less times as UTC', () => {
    const row = flattenScorecard({ ...evaluation, assignedDate: '2024-05-12T07:00:00' }, { dates: 'epochMs' });
    expect(row.release_date).toBe(Date.UTC(2024, 4, 13, 10));
    expect(row.assigned_date).toBe(Date.UTC(2024, 4, 12, 7));
    expect(flattenScorecard({ ...evaluation, releaseDate: new Date(0) }).release_date).toBe('1970-01-01T00:00:00.000Z');
  });

  it('turns missing and mistyped fields into null and reports the mistyped ones', () => {
    const seen: string[] = [];
    const row = flattenScorecard(
      { id: 7, releaseDate: 'yesterday', answers: { totalScore: 'high' } } as unknown as EvaluationLike,
      { onInvalid: (column) => seen.push(column) },
    );
    expect(row.evaluation_id).toBeNull();
    expect(row.release_date).toBeNull();
    expect(row.total_score).toBeNull();
    expect(row.conversation_id).toBeNull();
    expect(row.is_calibration).toBe(false);
    expect(seen.sort()).toEqual(['evaluation_id', 'release_date', 'total_score']);
  });

  it('adds q_ columns with perQuestion, after the score_ columns', () => {
    const row = flattenScorecard(evaluation, { perQuestion: true });
    expect(Object.keys(row).slice(FIXED_SCORECARD_COLUMNS.length)).toEqual([
      'score_g-1',
      'score_g-2',
      'q_q-1',
      'q_q-2',
      'answers_json',
    ]);
    expect(row['q_q-1']).toBe(1);
    expect(row['q_q-2']).toBeNull();
  });

  it('appends extra columns last and refuses ones that shadow computed columns', () => {
    const row = flattenScorecard(evaluation, { extra: { export_run: 'r-9' } });
    expect(Object.keys(row).at(-1)).toBe('export_run');
    expect(row.export_run).toBe('r-9');
    for (const bad of ['status', 'answers_json', 'score_x', 'q_y']) {
      expect(() => flattenScorecard(evaluation, { extra: { [bad]: 1 } })).toThrow(ValidationError);
    }
  });

  it('makes warehouse-safe column names on request', () => {
    const row = flattenScorecard(evaluation, { safeColumnNames: true, perQuestion: true });
    expect(row).toHaveProperty('score_g_1', 90);
    expect(row).toHaveProperty('q_q_1', 1);
  });

  it('can hand answers over unserialized, or leave them out', () => {
    const raw = flattenScorecard(evaluation, { answersJson: 'raw' });
    expect(raw.answers_json).toBe(evaluation.answers);
    expect(flattenScorecard(evaluation, { answersJson: 'omit' }).answers_json).toBeNull();
  });

  it('refuses unknown option values', () => {
    expect(() => flattenScorecard(evaluation, { keyBy: 'name' as 'id' })).toThrow(/keyBy/);
    expect(() => flattenScorecard(evaluation, { dates: 'local' as 'iso' })).toThrow(/dates/);
  });

  it("accepts the official SDK's EvaluationResponse type", () => {
    expectTypeOf<Models.EvaluationResponse>().toExtend<EvaluationLike>();
    expectTypeOf(flattenScorecard(evaluation).answers_json).toEqualTypeOf<string | null>();
    expectTypeOf(flattenScorecard(evaluation)).toEqualTypeOf<ScorecardRow>();
  });
});
