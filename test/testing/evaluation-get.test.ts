import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimEvaluationForm, type SimEvaluationResponse } from '../../src/testing/index';
import { dayInterval, directApi } from './helpers';

const sim = createSimulatedOrg({ seed: 3, rateLimit: false, calibrationShare: 0.25 });
const a = directApi(sim);
const path = (cid: string, eid: string, expand = false) => `/api/v2/quality/conversations/${cid}/evaluations/${eid}${expand ? '?expand=evaluationForm' : ''}`;

describe('GET /api/v2/quality/conversations/{cid}/evaluations/{eid}', () => {
  it('returns the full EvaluationResponse for every evaluation the details query shows', async () => {
    const truth = sim.truth.evaluations({ interval: dayInterval(sim, 1) });
    expect(truth.length).toBeGreaterThan(30);
    expect(truth.some((t) => t.calibration)).toBe(true);
    for (const t of truth) {
      const r = await a.get(path(t.conversationId, t.evaluationId));
      expect(r.status).toBe(200);
      const e = (await r.json()) as SimEvaluationResponse;
      expect(e.id).toBe(t.evaluationId);
      expect(e.conversation.id).toBe(t.conversationId);
      expect(e.status).toBe(t.qualityStatus);
      expect(e.status).toMatch(/^(FINISHED|INPROGRESS|PENDING|INREVIEW|RETRACTED)$/);
      expect(e.evaluationForm.id).toBe(t.formId);
      expect(e.evaluationForm.contextId).toBe(t.contextId);
      expect(e.evaluationForm.questionGroups).toBeUndefined();
      expect(Array.isArray(e.mediaType)).toBe(true);
      expect('isCalibration' in e).toBe(false);
      if (t.calibration) expect(e.calibration).toEqual({ id: t.calibrationId, selfUri: `/api/v2/quality/calibrations/${t.calibrationId}` });
      else expect(e.calibration).toBeUndefined();
      expect(Date.parse(e.createdDate)).toBeGreaterThanOrEqual(Date.parse(e.conversationEndDate));
      if (e.releaseDate) expect(Date.parse(e.releaseDate)).toBeGreaterThanOrEqual(Date.parse(e.submittedDate ?? ''));
      expect(Date.parse(e.changedDate)).toBeLessThanOrEqual(sim.data.end);
      if (t.status === 'Pending') expect(e.answers).toBeUndefined();
      else expect(e.answers?.questionGroupScores.length).toBeGreaterThan(0);
    }
  });

  it('scores against that evaluation’s own form version (expand=evaluationForm)', async () => {
    const t = sim.truth.evaluations({ interval: dayInterval(sim, 2), status: ['FINISHED'] })[0];
    if (!t) throw new Error('no finished evaluation');
    const e = (await (await a.get(path(t.conversationId, t.evaluationId, true))).json()) as SimEvaluationResponse;
    const groups = e.evaluationForm.questionGroups ?? [];
    expect(groups.length).toBeGreaterThan(0);
    const groupIds = new Set(groups.map((g) => g.id));
    const questions = new Map(groups.flatMap((g) => g.questions.map((q) => [q.id, q] as const)));
    for (const gs of e.answers?.questionGroupScores ?? []) {
      expect(groupIds.has(gs.questionGroupId)).toBe(true);
      for (const qs of gs.questionScores) {
        const q = questions.get(qs.questionId);
        expect(q).toBeDefined();
        if (qs.answerId) expect(q?.answerOptions.map((o) => o.id)).toContain(qs.answerId);
      }
    }
    const analytics = sim.truth.conversation(t.conversationId)?.evaluations?.find((x) => x.evaluationId === t.evaluationId);
    expect(analytics?.oTotalScore).toBe(e.answers?.totalScore);
    expect(analytics?.evaluationStatus).toBe('Finished');
    expect(analytics?.contextId).toBe(e.evaluationForm.contextId);
  });

  it('has two form versions with different ids but the same contextIds', async () => {
    const family = sim.data.forms[0];
    const [v1, v2] = family?.versions ?? [];
    if (!v1 || !v2) throw new Error('expected two versions');
    expect(v1.id).not.toBe(v2.id);
    expect(v1.contextId).toBe(v2.contextId);
    v1.questionGroups.forEach((g, i) => {
      const g2 = v2.questionGroups[i];
      expect(g2?.id).not.toBe(g.id);
      expect(g2?.contextId).toBe(g.contextId);
      g.questions.forEach((q, j) => expect(g2?.questions[j]?.contextId).toBe(q.contextId));
    });
    const count = (f: SimEvaluationForm) => f.questionGroups.reduce((n, g) => n + g.questions.length, 0);
    expect(count(v2)).toBe(count(v1) + 1);
    const all = sim.truth.evaluations({ interval: { start: sim.data.start, end: sim.data.end } });
    expect(new Set(all.map((t) => t.formVersion))).toEqual(new Set([0, 1]));
    const got = (await (await a.get(`/api/v2/quality/forms/evaluations/${v2.id}`)).json()) as SimEvaluationForm;
    expect(got).toEqual(v2);
  });

  it('answers 404 with an ErrorBody for unknown or mismatched ids', async () => {
    const [t1, t2] = sim.truth.evaluations({ interval: dayInterval(sim, 1) });
    if (!t1 || !t2) throw new Error('need two evaluations');
    const otherConversation = t1.conversationId === t2.conversationId ? sim.data.conversationId(0) : t2.conversationId;
    for (const p of [
      path(t1.conversationId, '00000000-0000-4000-8000-000000000000'),
      path(otherConversation, t1.evaluationId),
      path('nope', 'nope'),
      `/api/v2/quality/forms/evaluations/${t1.conversationId}`,
    ]) {
      const r = await a.get(p);
      expect(r.status).toBe(404);
      const body = (await r.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ code: 'not.found', status: 404, details: [], errors: [] });
      expect(body.contextId).toBe(r.headers.get('inin-correlation-id'));
    }
  });
});
