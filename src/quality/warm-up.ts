/**
 * Work moved off a quality export's critical path (issue 19, start-up): done while the export waits on the network
 * for its first discovery page instead of between that page and the evaluation GETs. Measured by
 * bench/quality-startup.ts.
 */
import { EvaluationResponse } from './schemas';

/** A small evaluation that reaches every nested part of EvaluationResponse (answers, question scores, form refs). */
const WARM_EVALUATION = {
  id: 'warm-up',
  conversation: { id: 'c' },
  evaluationForm: { id: 'f', questionGroups: [{ id: 'g', questions: [{ id: 'q' }] }] },
  evaluator: { id: 'e' },
  agent: { id: 'a' },
  calibration: null,
  answers: { totalScore: 0, questionGroupScores: [{ questionGroupId: 'g', questionScores: [{ questionId: 'q', score: 0 }] }] },
  mediaType: ['Call'],
};

/**
 * Builds the evaluation schema (lazy-schema.ts) and lets zod compile it while the first discovery page is on its way
 * (issue 19, start-up). Done on the first evaluation's answer instead, it cost 5-10 ms of CPU on a cold process
 * (bench/quality-startup.ts) while that GET's slot stayed taken and the sixth GET waited for it. A timer, so it runs
 * once the export is waiting on the network (the token call or the first page), not before the first request leaves;
 * once built, the schema is kept and this costs nothing.
 */
export function warmEvaluationDecode(): void {
  const timer = setTimeout(() => void EvaluationResponse.safeParse(WARM_EVALUATION), 0);
  (timer as { unref?: () => void }).unref?.();
}
