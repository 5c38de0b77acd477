/**
 * Stream numbers: each kind of generated value draws from its own keyed stream, so adding a field to one kind never
 * shifts the values of another (the data of seed 1 stays the same as the generator grows).
 */
export const STREAM = {
  conversationStart: 1,
  conversation: 2,
  evaluation: 3,
  answers: 4,
  pools: 5,
  forms: 6,
  recording: 7,
  faults: 8,
  jobs: 9,
  tokens: 10,
  session: 11,
  wrongBody: 12,
  errorStorm: 13,
  jobMiss: 14,
  multiChannel: 15,
} as const;

/** Id kinds for IdCodec and uuidFor: part of the key, so a conversation id never decodes as an evaluation id. */
export const ID_KIND = {
  conversation: 101,
  evaluation: 102,
  recording: 103,
  participant: 104,
  sessionId: 105,
  agent: 106,
  evaluator: 107,
  queue: 108,
  division: 109,
  form: 110,
  formContext: 111,
  calibration: 112,
  job: 113,
  wrapUp: 114,
  annotation: 115,
  correlation: 116,
} as const;
