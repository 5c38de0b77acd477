/**
 * Deterministic warehouse fixtures (no vitest import: the crash worker and the bench load this file in plain Node).
 */
import type { EvaluationChange, WarehouseEvaluation } from '../../src/postgres/index';

/** A deterministic UUID: `kind` tells entities apart (1 evaluation, 2 conversation, 3 agent, ...). */
export const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const K = { evaluation: 1, conversation: 2, agent: 3, evaluator: 4, queue: 5, form: 6, group: 7, question: 8, answer: 9, calibration: 10, formContext: 11 } as const;

export interface EvalSpec {
  changedDate: string;
  totalScore?: number;
  /** Questions (scores 0..n-1 + offset); default 3. */
  questions?: number;
  calibration?: boolean;
  status?: string;
  comment?: string;
}

/** An evaluation document shaped as the Quality API returns it (EvaluationResponse with expand=evaluationForm). */
export function evaluation(n: number, spec: EvalSpec): WarehouseEvaluation & Record<string, unknown> {
  const questions = spec.questions ?? 3;
  const groupId = uuid(K.group, 1);
  const doc = {
    id: uuid(K.evaluation, n),
    name: `Evaluation ${n}`,
    conversation: { id: uuid(K.conversation, n) },
    agent: { id: uuid(K.agent, n % 7) },
    evaluator: { id: uuid(K.evaluator, 1) },
    queue: { id: uuid(K.queue, n % 3) },
    evaluationForm: {
      id: uuid(K.form, 1),
      contextId: uuid(K.formContext, 1),
      name: 'Customer service',
      questionGroups: [
        {
          id: groupId,
          contextId: uuid(K.formContext, 100),
          name: 'Greeting',
          questions: Array.from({ length: questions }, (_, q) => ({ id: uuid(K.question, q), contextId: uuid(K.formContext, 200 + q), text: `Question ${q}?` })),
        },
      ],
    },
    ...(spec.calibration ? { calibration: { id: uuid(K.calibration, n) } } : {}),
    status: spec.status ?? 'FINISHED',
    answers: {
      totalScore: spec.totalScore ?? 80.5,
      totalCriticalScore: 100,
      totalNonCriticalScore: 75.25,
      anyFailedKillQuestions: false,
      comments: spec.comment ?? 'ok',
      questionGroupScores: [
        {
          questionGroupId: groupId,
          totalScore: spec.totalScore ?? 80.5,
          questionScores: Array.from({ length: questions }, (_, q) => ({
            questionId: uuid(K.question, q),
            answerId: uuid(K.answer, q),
            score: q + (spec.totalScore ?? 0),
            markedNA: false,
            comments: q === 0 ? (spec.comment ?? 'tab\there, line\nbreak, back\\slash') : undefined,
          })),
        },
      ],
    },
    mediaType: ['CALL'],
    conversationDate: '2024-05-13T10:00:00.000Z',
    assignedDate: '2024-05-13T12:00:00.000Z',
    releaseDate: '2024-05-14T09:00:00.000Z',
    changedDate: spec.changedDate,
    neverRelease: false,
    rescore: false,
  };
  return doc;
}

export const T = (day: number, hour = 0) => `2024-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

/**
 * `batches` batches of `perBatch` changes over `universe` evaluations, from a seed: mostly upserts with a change time
 * that grows with the batch, some arriving late (an older change after a newer one), some deletions.
 */
export function changeBatches(seed: number, batches: number, perBatch: number, universe: number): EvaluationChange[][] {
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  const out: EvaluationChange[][] = [];
  for (let b = 0; b < batches; b++) {
    const batch: EvaluationChange[] = [];
    for (let i = 0; i < perBatch; i++) {
      const n = Math.floor(rnd() * universe);
      // Minutes since 2024-05-01, growing with the batch; 1 in 5 is late (up to 3 batches old).
      const minute = (b - (rnd() < 0.2 ? Math.floor(rnd() * 3) : 0)) * 60 + Math.floor(rnd() * 60);
      const at = new Date(Date.UTC(2024, 4, 1) + minute * 60_000).toISOString();
      if (rnd() < 0.08) batch.push({ op: 'delete', evaluationId: uuid(K.evaluation, n), at });
      else batch.push({ op: 'upsert', row: evaluation(n, { changedDate: at, totalScore: Math.round(rnd() * 1000) / 10, questions: 1 + Math.floor(rnd() * 5) }) });
    }
    out.push(batch);
  }
  return out;
}
