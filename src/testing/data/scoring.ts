/**
 * Answers and scores for one evaluation. The model is a simplification of the platform's (documented in
 * docs/testing.md): a question scores its answer's value; a group scores 100 * points / max over answered, non-NA
 * questions; the form score is the weight-average of group scores (weightMode SCALED); a failed kill question
 * zeroes the total. Totals are rounded to 2 decimals so they survive JSON unchanged.
 */
import { Rng } from './rng';
import type { SimEvaluationForm, SimQuestionGroupScore, SimQuestionScore, SimScoringSet } from './types';

const round2 = (x: number): number => Math.round(x * 100) / 100;
const pct = (got: number, max: number): number => (max > 0 ? round2((100 * got) / max) : 0);

/** `answered`: share of groups filled in (1 for submitted evaluations, partial for in-progress ones). */
export function scoreEvaluation(form: SimEvaluationForm, rng: Rng, answered: number): SimScoringSet {
  const groups: SimQuestionGroupScore[] = [];
  let weighted = 0;
  let weights = 0;
  let critWeighted = 0;
  let critWeights = 0;
  let nonCritWeighted = 0;
  let nonCritWeights = 0;
  let rawMax = 0;
  let rawCritMax = 0;
  let failedKill = false;
  const filledGroups = Math.max(1, Math.round(form.questionGroups.length * answered));
  // Agents differ in skill: one draw biases the whole evaluation, so scores spread realistically.
  const skill = 0.55 + rng.next() * 0.45;

  form.questionGroups.forEach((g, gi) => {
    const filled = gi < filledGroups;
    const scores: SimQuestionScore[] = [];
    let got = 0, max = 0, cGot = 0, cMax = 0, nGot = 0, nMax = 0;
    for (const q of g.questions) {
      const top = Math.max(...q.answerOptions.map((a) => a.value));
      rawMax += top;
      if (q.isCritical) rawCritMax += top;
      if (!filled) {
        scores.push({ questionId: q.id, score: 0, markedNA: false, systemMarkedNA: false });
        continue;
      }
      if (q.naEnabled && rng.chance(0.1)) {
        scores.push({ questionId: q.id, score: 0, markedNA: true, systemMarkedNA: false });
        continue;
      }
      const r = rng.next();
      const options = [...q.answerOptions].sort((a, b) => b.value - a.value);
      const pick = q.isKill ? (r < 0.04 ? options[options.length - 1] : options[0]) : r < skill ? options[0] : options[1 + Math.floor(rng.next() * (options.length - 1))];
      const answer = pick ?? options[0];
      if (!answer) continue;
      const fails = q.isKill && answer.value === 0;
      failedKill ||= fails;
      scores.push({
        questionId: q.id,
        answerId: answer.id,
        score: answer.value,
        markedNA: false,
        systemMarkedNA: false,
        ...(q.isKill ? { failedKillQuestion: fails } : {}),
      });
      got += answer.value;
      max += top;
      if (q.isCritical) {
        cGot += answer.value;
        cMax += top;
      } else {
        nGot += answer.value;
        nMax += top;
      }
    }
    const total = pct(got, max);
    const crit = pct(cGot, cMax);
    const nonCrit = pct(nGot, nMax);
    groups.push({
      questionGroupId: g.id,
      totalScore: total,
      maxTotalScore: 100,
      markedNA: false,
      systemMarkedNA: false,
      totalCriticalScore: crit,
      maxTotalCriticalScore: cMax > 0 ? 100 : 0,
      totalNonCriticalScore: nonCrit,
      maxTotalNonCriticalScore: nMax > 0 ? 100 : 0,
      totalScoreUnweighted: total,
      maxTotalScoreUnweighted: 100,
      totalCriticalScoreUnweighted: crit,
      maxTotalCriticalScoreUnweighted: cMax > 0 ? 100 : 0,
      totalNonCriticalScoreUnweighted: nonCrit,
      maxTotalNonCriticalScoreUnweighted: nMax > 0 ? 100 : 0,
      questionScores: scores,
    });
    if (max > 0) {
      weighted += total * g.weight;
      weights += g.weight;
    }
    if (cMax > 0) {
      critWeighted += crit * g.weight;
      critWeights += g.weight;
    }
    if (nMax > 0) {
      nonCritWeighted += nonCrit * g.weight;
      nonCritWeights += g.weight;
    }
  });

  return {
    totalScore: failedKill ? 0 : weights > 0 ? round2(weighted / weights) : 0,
    totalCriticalScore: critWeights > 0 ? round2(critWeighted / critWeights) : 0,
    totalNonCriticalScore: nonCritWeights > 0 ? round2(nonCritWeighted / nonCritWeights) : 0,
    maxTotalRawScore: rawMax,
    maxTotalRawCriticalScore: rawCritMax,
    anyFailedKillQuestions: failedKill,
    questionGroupScores: groups,
    comments: failedKill ? 'Kill question failed.' : '',
    agentComments: '',
  };
}
