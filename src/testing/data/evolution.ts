/**
 * Time in the simulated org: what happens to evaluations after the dataset's anchor, when the org is advanced
 * (`org.advance('P2D')`). The generated dataset is the org's state at the anchor; each evaluation (and each
 * conversation, for a late evaluation) draws its later events from streams of its own, so the state at
 * `anchor + elapsed` is a pure function of (seed, options, elapsed): two orgs advanced by the same amounts, in any
 * steps, serve the same data. An org that is never advanced never runs this code (it serves today's dataset).
 *
 * Events, each at `max(anchor, created) + 1 ms + uniform(0, span)`, applied in time order when not later than now:
 * - late evaluation: a conversation gains a new evaluation (next free slot), likelier for recent conversations
 *   (`LATE_SHARE_RECENT` for those ended in the 7 days before the anchor, `LATE_SHARE_OLD` otherwise);
 * - finish: a Pending/InProgress evaluation becomes Finished (submitted), then maybe released a little later;
 * - release: a Finished, unreleased evaluation is released;
 * - rescore: a Finished evaluation is rescored (`rescored: true`, new answers and scores);
 * - retract: a Finished/InReview evaluation becomes Retracted (it leaves a `Finished` filter);
 * - delete: the evaluation is deleted (the details query shows it with `deleted: true`, its GET is a 404, search and
 *   truth no longer list it).
 * Every event moves `changed` (the Quality API's `changedDate`, the analytics `eventTime`).
 */
import { versionAt } from './forms';
import { Rng } from './rng';
import type { ConversationCore, EvaluationCore, EvaluationStatus } from './cores';
import type { FormFamily } from './forms';

/** What evolution reads of the dataset (dataset.ts's `Dataset`, which calls evolution, so it is not imported here). */
interface Dataset {
  readonly seed: number;
  readonly end: number;
  readonly forms: readonly FormFamily[];
  /** The picks a late evaluation shares with a generated one (dataset.ts). */
  evaluationId(index: number, slot: number): string;
  pickForm(c: ConversationCore, rng: Rng): { formIndex: number; family: FormFamily };
  pickEvaluator(c: ConversationCore, slot: number, rng: Rng): number;
}
import { SimulatorOptionsError } from '../engine/options';

const DAY = 86_400_000;
/** Stream number of the lifecycle draws (beside those in streams.ts). */
const EVOLUTION_STREAM = 40;
const LATE_SLOT_KEY = 99;

export const LIFECYCLE = {
  lateShareRecent: 0.2,
  lateShareOld: 0.03,
  lateSpanMs: 10 * DAY,
  finishShare: 0.7,
  finishSpanMs: 6 * DAY,
  releaseShare: 0.8,
  releaseSpanMs: 4 * DAY,
  rescoreShare: 0.12,
  retractShare: 0.03,
  deleteShare: 0.03,
  changeSpanMs: 10 * DAY,
} as const;

type Kind = 'finish' | 'release' | 'rescore' | 'retract' | 'delete';

function at(rng: Rng, from: number, span: number): number {
  return from + 1 + Math.floor(rng.next() * span);
}

/** The evaluation as it stands at `now` (a copy; the input is not changed). */
function evolveEvaluation(ds: Dataset, e: EvaluationCore, now: number): EvaluationCore {
  const rng = Rng.of(ds.seed, EVOLUTION_STREAM, e.conversationIndex, e.slot);
  const base = Math.max(ds.end, e.created);
  const events: Array<[number, Kind]> = [];
  // Every draw happens whatever the outcome, so one event's share never shifts another's time.
  const finish = rng.chance(LIFECYCLE.finishShare);
  const finishAt = at(rng, base, LIFECYCLE.finishSpanMs);
  const release = rng.chance(LIFECYCLE.releaseShare);
  const releaseDelay = Math.floor(rng.next() * DAY);
  const releaseAt = at(rng, base, LIFECYCLE.releaseSpanMs);
  const rescore = rng.chance(LIFECYCLE.rescoreShare);
  const rescoreAt = at(rng, base, LIFECYCLE.changeSpanMs);
  const retract = rng.chance(LIFECYCLE.retractShare);
  const retractAt = at(rng, base, LIFECYCLE.changeSpanMs);
  const del = rng.chance(LIFECYCLE.deleteShare);
  const deleteAt = at(rng, base, LIFECYCLE.changeSpanMs);
  if (finish && (e.status === 'Pending' || e.status === 'InProgress')) events.push([finishAt, 'finish']);
  if (release) events.push([e.status === 'Finished' ? releaseAt : finishAt + 1 + releaseDelay, 'release']);
  if (rescore) events.push([rescoreAt, 'rescore']);
  if (retract) events.push([retractAt, 'retract']);
  if (del) events.push([deleteAt, 'delete']);
  events.sort((a, b) => a[0] - b[0]);
  const out: EvaluationCore = { ...e };
  for (const [t, kind] of events) {
    if (t > now || out.deleted !== undefined) break;
    const status: EvaluationStatus = out.status;
    if (kind === 'finish' && (status === 'Pending' || status === 'InProgress')) {
      out.status = 'Finished';
      out.submitted = t;
    } else if (kind === 'release' && status === 'Finished' && out.released === undefined) {
      out.released = t;
    } else if (kind === 'rescore' && status === 'Finished') {
      out.rescored = t;
    } else if (kind === 'retract' && (status === 'Finished' || status === 'InReview')) {
      out.status = 'Retracted';
      delete out.released;
    } else if (kind === 'delete') {
      out.deleted = t;
    } else {
      continue;
    }
    out.changed = Math.max(out.changed, t);
  }
  return out;
}

/** A late evaluation of conversation `c` (the next free slot), or undefined when it has none or it is not yet created. */
function lateEvaluation(ds: Dataset, c: ConversationCore, slots: number, now: number): EvaluationCore | undefined {
  const slot = c.evaluations.length;
  if (slot >= slots) return undefined;
  const rng = Rng.of(ds.seed, EVOLUTION_STREAM, c.index, LATE_SLOT_KEY);
  const share = ds.end - c.end <= 7 * DAY ? LIFECYCLE.lateShareRecent : LIFECYCLE.lateShareOld;
  const late = rng.chance(share);
  const created = at(rng, ds.end, LIFECYCLE.lateSpanMs);
  if (!late || created > now) return undefined;
  const roll = rng.next();
  const status: EvaluationStatus = roll < 0.6 ? 'Finished' : roll < 0.85 ? 'InProgress' : 'Pending';
  const submitted = status === 'Finished' ? created + Math.floor(rng.next() * DAY) : undefined;
  const released = submitted !== undefined && rng.chance(0.8) ? submitted + Math.floor(rng.next() * DAY) : undefined;
  const { formIndex, family } = ds.pickForm(c, rng);
  const e: EvaluationCore = {
    conversationIndex: c.index,
    slot,
    id: ds.evaluationId(c.index, slot),
    formIndex,
    formVersion: versionAt(family, created),
    evaluatorIndex: ds.pickEvaluator(c, slot, rng),
    status,
    isScoringIndex: false,
    created,
    changed: created,
    agentHasRead: false,
  };
  // Submission and release may still lie ahead of now.
  if (submitted !== undefined && submitted <= now) {
    e.submitted = submitted;
    e.changed = submitted;
    if (released !== undefined && released <= now) {
      e.released = released;
      e.changed = released;
    }
  } else if (submitted !== undefined) {
    e.status = 'InProgress';
  }
  return e;
}

/** Conversation `c` (as generated at the anchor) at `anchor + elapsed`. */
export function evolveConversation(ds: Dataset, c: ConversationCore, elapsed: number, slots: number): ConversationCore {
  const now = ds.end + elapsed;
  const evaluations = c.evaluations.map((e) => evolveEvaluation(ds, e, now));
  const late = lateEvaluation(ds, c, slots, now);
  if (late) evaluations.push(evolveEvaluation(ds, late, now));
  return { ...c, evaluations };
}

/** `P2D`, `PT6H`, `P1DT2H30M`, `PT0.5S` (days and smaller units) or milliseconds -> ms. */
export function durationToMs(input: number | string): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new SimulatorOptionsError('SimulatedOrg.advance() arguments', [{ path: 'duration', message: `needs a duration of 0 ms or more, got ${input}` }]);
    return Math.floor(input);
  }
  const m = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
    typeof input === 'string' ? input.trim() : '',
  );
  if (!m || /^PT?$/i.test(String(input).trim()) || /T$/i.test(String(input).trim())) {
    throw new SimulatorOptionsError('SimulatedOrg.advance() arguments', [
      { path: 'duration', message: `needs an ISO-8601 duration such as 'P2D' or 'PT6H' (weeks, days, hours, minutes, seconds) or ms, got ${JSON.stringify(String(input).slice(0, 100))}` },
    ]);
  }
  const n = (v: string | undefined) => (v === undefined ? 0 : Number(v));
  return Math.floor(n(m[1]) * 7 * DAY + n(m[2]) * DAY + n(m[3]) * 3_600_000 + n(m[4]) * 60_000 + n(m[5]) * 1000);
}
