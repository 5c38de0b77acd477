/** Evaluation documents for the warehouse benches, shaped as the Quality API returns them. */
const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
// The platform's ids are random (v4) UUIDs: an index sees them in no order. The first 8 digits are a hash of n.
const mix = (n: number) => Math.imul(n ^ (n >>> 15), 0x2c1b3c6d) >>> 0;
export const benchId = (kind: number, n: number) => `${hex(mix(n * 31 + kind), 8)}-${hex(kind, 4)}-4000-8000-${hex(n, 12)}`;
const GROUPS = 3;

/** 3 question groups, `questions` questions (a comment on the first of each group), a ~2.6 KB answers document at 12. */
export function evaluationDoc(n: number, questions: number, changedDate: string) {
  const id = benchId;
  const perGroup = Math.ceil(questions / GROUPS);
  const groups = Array.from({ length: GROUPS }, (_, g) => ({
    questionGroupId: id(7, g),
    totalScore: 70 + ((n + g) % 30),
    maxTotalScore: 100,
    markedNA: false,
    questionScores: Array.from({ length: Math.max(0, Math.min(perGroup, questions - g * perGroup)) }, (_, q) => ({
      questionId: id(8, g * perGroup + q),
      answerId: id(9, (n + q) % 4),
      score: (n + q) % 11,
      markedNA: false,
      failedKillQuestion: false,
      ...(q === 0 ? { comments: `Agent ${n % 97} greeted the customer by name.` } : {}),
    })),
  }));
  return {
    id: id(1, n),
    conversation: { id: id(2, n) },
    agent: { id: id(3, n % 250) },
    evaluator: { id: id(4, n % 20) },
    queue: { id: id(5, n % 12) },
    evaluationForm: { id: id(6, 1), contextId: id(11, 1), name: 'Customer service v3' },
    status: 'FINISHED',
    answers: { totalScore: 70 + (n % 30), totalCriticalScore: 100, totalNonCriticalScore: 65 + (n % 35), anyFailedKillQuestions: false, comments: 'Good call.', questionGroupScores: groups },
    mediaType: ['CALL'],
    conversationDate: new Date(Date.UTC(2024, 4, 1) + n * 37_000).toISOString(),
    assignedDate: '2024-05-13T12:00:00.000Z',
    releaseDate: '2024-05-14T09:00:00.000Z',
    changedDate,
    neverRelease: false,
    rescore: false,
  };
}
