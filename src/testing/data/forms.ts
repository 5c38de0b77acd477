/**
 * Evaluation forms and their published versions. As on the platform, every version has its own ids for the form,
 * question groups, questions and answer options, while each `contextId` stays the same across versions: this is
 * what breaks exporters that pivot on question-group ids, so the simulator must reproduce it.
 * Version v (v >= 1) adds one question to the last group: a real form change, not just new ids.
 */
import { Rng, uuidFor } from './rng';
import { ID_KIND, STREAM } from './streams';
import type { SimEvaluationForm, SimQuestion, SimQuestionGroup } from './types';

export interface FormFamily {
  index: number;
  contextId: string;
  name: string;
  /** Oldest first. */
  versions: SimEvaluationForm[];
  /** versionStarts[v]: evaluations created at or after this time (epoch ms) use version v. */
  versionStarts: number[];
}

const FORM_NAMES = ['Customer Service Standard', 'Sales Quality', 'Compliance Review', 'Digital Care', 'Collections Script', 'Onboarding Check'];
const GROUPS = ['Opening', 'Discovery', 'Resolution', 'Compliance', 'Closing', 'Soft Skills'];
const QUESTIONS = [
  'Did the agent greet the customer by name?',
  'Did the agent verify the customer identity?',
  'Did the agent ask open questions?',
  'Did the agent confirm the issue before acting?',
  'Was the resolution correct?',
  'Did the agent set expectations for next steps?',
  'Was the required disclosure read?',
  'Did the agent avoid prohibited language?',
  'Did the agent summarise the interaction?',
  'Did the agent offer further help?',
  'Was the tone empathetic?',
  'Did the agent offer the satisfaction survey?',
];

function answerOptions(seed: number, f: number, v: number, g: number, q: number, kill: boolean) {
  const labels: [string, number][] = kill ? [['Yes', 1], ['No', 0]] : [['Yes', 10], ['Partially', 5], ['No', 0]];
  return labels.map(([text, value], a) => ({
    id: uuidFor(seed, ID_KIND.form, f, v, g, q, a, 3),
    contextId: uuidFor(seed, ID_KIND.formContext, f, g, q, a, 3),
    text,
    value,
  }));
}

function question(seed: number, f: number, v: number, g: number, q: number, rng: Rng, isKill: boolean): SimQuestion {
  return {
    id: uuidFor(seed, ID_KIND.form, f, v, g, q, 2),
    contextId: uuidFor(seed, ID_KIND.formContext, f, g, q, 2),
    text: QUESTIONS[(f * 7 + g * 3 + q) % QUESTIONS.length] ?? 'Question',
    helpText: '',
    type: 'multipleChoiceQuestion',
    naEnabled: !isKill && rng.chance(0.3),
    commentsRequired: false,
    isKill,
    isCritical: isKill || rng.chance(0.2),
    answerOptions: answerOptions(seed, f, v, g, q, isKill),
  };
}

function version(seed: number, f: number, v: number, modifiedDate: number): SimEvaluationForm {
  // Structure comes from a per-form stream, so every version shares it; ids come from (f, v, ...).
  const shape = Rng.of(seed, STREAM.forms, f);
  const groupCount = 3 + shape.int(2);
  const groups: SimQuestionGroup[] = [];
  for (let g = 0; g < groupCount; g++) {
    const base = 2 + shape.int(3);
    const count = g === groupCount - 1 ? base + v : base;
    const qrng = Rng.of(seed, STREAM.forms, f, g);
    const questions: SimQuestion[] = [];
    for (let q = 0; q < count; q++) questions.push(question(seed, f, v, g, q, qrng, g === groupCount - 1 && q === 0));
    groups.push({
      id: uuidFor(seed, ID_KIND.form, f, v, g, 1),
      contextId: uuidFor(seed, ID_KIND.formContext, f, g, 1),
      name: GROUPS[(f + g) % GROUPS.length] ?? `Group ${g + 1}`,
      type: 'questionGroup',
      defaultAnswersToHighest: false,
      defaultAnswersToNA: false,
      naEnabled: false,
      weight: 1,
      manualWeight: false,
      questions,
    });
  }
  const id = uuidFor(seed, ID_KIND.form, f, v, 0);
  return {
    id,
    name: FORM_NAMES[f % FORM_NAMES.length] + (f >= FORM_NAMES.length ? ` ${Math.floor(f / FORM_NAMES.length) + 1}` : ''),
    contextId: uuidFor(seed, ID_KIND.formContext, f, 0),
    published: true,
    modifiedDate: new Date(modifiedDate).toISOString(),
    weightMode: 'SCALED',
    questionGroups: groups,
    selfUri: `/api/v2/quality/forms/evaluations/${id}`,
  };
}

/** Builds every form family; versions split [start, end) into equal eras. */
export function buildForms(seed: number, forms: number, versions: number, start: number, end: number): FormFamily[] {
  const era = (end - start) / versions;
  return Array.from({ length: forms }, (_, f) => {
    const versionStarts = Array.from({ length: versions }, (_, v) => (v === 0 ? -Infinity : Math.floor(start + v * era)));
    const list = versionStarts.map((vs, v) => version(seed, f, v, Number.isFinite(vs) ? vs - 86_400_000 : start - 7 * 86_400_000));
    const first = list[0];
    if (!first) throw new Error('a form needs a version');
    return { index: f, contextId: first.contextId, name: first.name, versions: list, versionStarts };
  });
}

/** The version in force at time t. */
export function versionAt(family: FormFamily, t: number): number {
  let v = 0;
  for (let i = 1; i < family.versionStarts.length; i++) if (t >= (family.versionStarts[i] ?? Infinity)) v = i;
  return v;
}
