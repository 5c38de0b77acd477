/**
 * The seeded dataset, generated lazily. Conversation i is a pure function of (seed, options, i) and its start time
 * is non-decreasing in i, so the conversations of an interval are an index range found by arithmetic. A
 * million-conversation org therefore costs nothing until read, and a page costs only its own conversations.
 */
import { EVALUATION_SLOTS, type ConversationCore, type EvaluationCore, type EvaluationStatus, type MediaType, type Phases } from './cores';
import { evolveConversation } from './evolution';
import { buildForms, versionAt, type FormFamily } from './forms';
import { IdCodec } from './ids';
import type { ResolvedOptions } from '../engine/options';
import { buildPools, type Pools } from './pools';
import { Rng, unit3, uuidFor, weights, type Weights } from './rng';
import { scoreEvaluation } from './scoring';
import { ID_KIND, STREAM } from './streams';
import type { SimScoringSet } from './types';

export { EVALUATION_SLOTS, MAX_CONVERSATION_MS, MAX_EVALUATION_LAG_MS, QUALITY_STATUS, mediaTypesOf } from './cores';
export type { ConversationCore, EvaluationCore, EvaluationStatus, MediaType, Phases } from './cores';

const RECORDING_SLOTS = 4;

const STATUS_WEIGHTS = weights<EvaluationStatus>({ Finished: 0.75, InProgress: 0.08, Pending: 0.07, InReview: 0.05, Retracted: 0.05 });
const TIER_WEIGHTS = weights({ gold: 0.1, silver: 0.3, bronze: 0.6 });
const MESSAGE_TYPES = ['webmessaging', 'sms', 'whatsapp'];

function phasesFor(media: MediaType, rng: Rng): Phases {
  const acd = 5_000 + rng.int(175_000);
  const alert = 3_000 + rng.int(17_000);
  const acw = 10_000 + rng.int(170_000);
  const r = rng.next() ** 2;
  const talk =
    media === 'voice' ? 60_000 + Math.floor(r * 1_140_000)
    : media === 'chat' ? 180_000 + Math.floor(r * 1_620_000)
    : media === 'message' ? 300_000 + Math.floor(r * 10_500_000)
    : 600_000 + Math.floor(r * 12_000_000);
  return { acd, alert, talk, acw };
}

export class Dataset {
  readonly size: number;
  /** Conversations start in [start, end). */
  readonly start: number;
  readonly end: number;
  readonly pools: Pools;
  readonly forms: FormFamily[];
  readonly conversationIds: IdCodec;
  readonly evaluationIds: IdCodec;
  readonly recordingIds: IdCodec;
  readonly seed: number;
  private readonly step: number;
  private readonly mediaWeights: Weights<MediaType>;
  /** Per first channel: the weights of the other media types, for a multi-channel conversation's second one. */
  private readonly secondWeights: Map<MediaType, Weights<MediaType>>;
  /** How far past the anchor the org's time stands (`org.advance()`); 0: the dataset as generated. */
  elapsedMs = 0;

  constructor(private readonly o: ResolvedOptions) {
    this.seed = o.seed;
    this.size = o.conversations;
    this.end = o.anchor;
    this.start = o.anchor - Math.round(o.days * 86_400_000);
    this.step = this.size > 0 ? (this.end - this.start) / this.size : 0;
    this.mediaWeights = weights<MediaType>(o.mediaMix);
    this.secondWeights = new Map(
      this.mediaWeights.entries.map(([first]) => [first, weights<MediaType>({ ...o.mediaMix, [first]: 0 })] as const),
    );
    this.pools = buildPools(o.seed, o);
    this.forms = buildForms(o.seed, o.forms, o.formVersions, this.start, this.end);
    this.conversationIds = new IdCodec(o.seed, ID_KIND.conversation);
    this.evaluationIds = new IdCodec(o.seed, ID_KIND.evaluation);
    this.recordingIds = new IdCodec(o.seed, ID_KIND.recording);
  }

  /** conversationStart of conversation i (epoch ms); non-decreasing in i. */
  startOf(i: number): number {
    return this.start + Math.floor((i + unit3(this.seed, STREAM.conversationStart, i)) * this.step);
  }

  /** First index whose start is >= t. */
  lowerBound(t: number): number {
    if (this.size === 0 || t <= this.start) return 0;
    if (t > this.end) return this.size;
    let k = Math.min(this.size, Math.max(0, Math.floor((t - this.start) / this.step)));
    while (k > 0 && this.startOf(k - 1) >= t) k--;
    while (k < this.size && this.startOf(k) < t) k++;
    return k;
  }

  /** Indices [lo, hi) of conversations that start in [from, to). */
  indexRange(from: number, to: number): { lo: number; hi: number } {
    const lo = this.lowerBound(from);
    return { lo, hi: Math.max(lo, this.lowerBound(to)) };
  }

  conversationId(i: number): string {
    return this.conversationIds.encode(i);
  }

  conversationIndex(id: string): number | undefined {
    const i = this.conversationIds.decode(id);
    return i !== undefined && i < this.size ? i : undefined;
  }

  core(i: number): ConversationCore {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`no conversation ${i}`);
    const o = this.o;
    const rng = Rng.of(this.seed, STREAM.conversation, i);
    const start = this.startOf(i);
    const mediaType = rng.weighted(this.mediaWeights);
    const direction = rng.chance(mediaType === 'voice' ? 0.2 : 0.05) ? 'outbound' : 'inbound';
    let phases = phasesFor(mediaType, rng);
    const total = phases.acd + phases.alert + phases.talk + phases.acw;
    if (start + total > this.end) {
      // Conversations near the anchor are squeezed so that none ends in the future.
      const f = Math.max(0.001, (this.end - start) / total);
      phases = { acd: Math.floor(phases.acd * f), alert: Math.floor(phases.alert * f), talk: Math.floor(phases.talk * f), acw: Math.floor(phases.acw * f) };
    }
    const end = Math.max(start + 1, start + phases.acd + phases.alert + phases.talk + phases.acw);
    const queueIndex = rng.int(this.pools.queues.length);
    const agentIndex = rng.int(this.pools.agents.length);
    const wrapUpIndex = rng.int(this.pools.wrapUpCodes.length);
    const recorded = mediaType !== 'voice' || rng.chance(o.recordingShare);
    const screenRecorded = mediaType === 'voice' && recorded && rng.chance(o.screenRecordingShare);
    const digits = String(1_000_000 + ((i * 7919 + rng.int(1_000_000)) % 9_000_000));
    const customerAddress =
      mediaType === 'voice' ? `tel:+1555${digits}`
      : mediaType === 'email' ? `customer.${digits}@mail.example.net`
      : `customer-${digits}`;
    const customerTier = rng.weighted(TIER_WEIGHTS);
    const mos = mediaType === 'voice' ? Math.round((3.4 + rng.next() * 1.1) * 100) / 100 : undefined;
    const messageType = mediaType === 'message' ? rng.pick(MESSAGE_TYPES) : undefined;
    const evalCount = rng.chance(o.evaluatedShare) ? 1 + rng.int(o.evaluationsPerConversation) : 0;
    const secondMediaType = this.secondChannel(i, mediaType);

    const core: ConversationCore = {
      index: i,
      id: this.conversationId(i),
      start,
      end,
      phases,
      mediaType,
      direction,
      queueIndex,
      agentIndex,
      wrapUpIndex,
      recorded,
      screenRecorded,
      customerAddress,
      customerTier,
      ...(mos !== undefined ? { mos } : {}),
      ...(messageType !== undefined ? { messageType } : {}),
      ...(secondMediaType !== undefined ? { secondMediaType } : {}),
      evaluations: [],
    };
    for (let slot = 0; slot < evalCount; slot++) core.evaluations.push(this.evaluationCore(core, slot));
    return this.elapsedMs > 0 ? evolveConversation(this, core, this.elapsedMs, EVALUATION_SLOTS) : core;
  }

  /** The second channel of conversation i, if it has one: its own stream, so the share moves no other value. */
  private secondChannel(i: number, first: MediaType): MediaType | undefined {
    const share = this.o.multiChannelShare;
    if (share <= 0) return undefined;
    const w = this.secondWeights.get(first);
    if (!w || w.total <= 0) return undefined;
    const rng = Rng.of(this.seed, STREAM.multiChannel, i);
    if (!rng.chance(share)) return undefined;
    const second = rng.weighted(w);
    // weighted() falls back to the last entry on rounding; that entry may be the first channel (weight 0).
    return second === first ? undefined : second;
  }

  private evaluationCore(c: ConversationCore, slot: number): EvaluationCore {
    const rng = Rng.of(this.seed, STREAM.evaluation, c.index, slot);
    const room = (from: number, cap: number) => Math.max(0, Math.min(cap, this.end - from));
    const created = c.end + Math.floor(rng.next() * room(c.end, 2 * 86_400_000));
    const status = rng.weighted(STATUS_WEIGHTS);
    const submittedAlready = status === 'Finished' || status === 'InReview' || status === 'Retracted';
    const submitted = submittedAlready ? created + Math.floor(rng.next() * room(created, 86_400_000)) : undefined;
    const released = status === 'Finished' && submitted !== undefined && rng.chance(0.8) ? submitted + Math.floor(rng.next() * room(submitted, 86_400_000)) : undefined;
    const calibration = rng.chance(this.o.calibrationShare);
    const { formIndex, family } = this.pickForm(c, rng);
    const firstCalibration = calibration && !c.evaluations.some((e) => e.calibrationId !== undefined);
    return {
      conversationIndex: c.index,
      slot,
      id: this.evaluationId(c.index, slot),
      formIndex,
      formVersion: versionAt(family, created),
      evaluatorIndex: this.pickEvaluator(c, slot, rng),
      status,
      ...(calibration ? { calibrationId: uuidFor(this.seed, ID_KIND.calibration, c.index) } : {}),
      isScoringIndex: firstCalibration,
      created,
      ...(submitted !== undefined ? { submitted } : {}),
      ...(released !== undefined ? { released } : {}),
      changed: Math.max(created, submitted ?? 0, released ?? 0),
      agentHasRead: released !== undefined && rng.chance(0.6),
    };
  }

  /** The id of evaluation `slot` of conversation `index` (generated or late: evolution.ts). */
  evaluationId(index: number, slot: number): string {
    return this.evaluationIds.encode(index * EVALUATION_SLOTS + slot);
  }

  /** An evaluation's form: its queue's or the next one (one draw from `rng`), shared with late evaluations. */
  pickForm(c: ConversationCore, rng: Rng): { formIndex: number; family: FormFamily } {
    const formIndex = (c.queueIndex + rng.int(2)) % this.forms.length;
    const family = this.forms[formIndex];
    if (!family) throw new Error('form index out of range');
    return { formIndex, family };
  }

  /** An evaluation's evaluator (one draw from `rng`): spread by agent and slot, shared with late evaluations. */
  pickEvaluator(c: ConversationCore, slot: number, rng: Rng): number {
    return (c.agentIndex + slot + rng.int(this.pools.evaluators.length)) % this.pools.evaluators.length;
  }

  /** The (conversation index, slot) an evaluation id stands for, if it exists. */
  evaluationRef(id: string): { index: number; slot: number } | undefined {
    const p = this.evaluationIds.decode(id);
    if (p === undefined) return undefined;
    const index = Math.floor(p / EVALUATION_SLOTS);
    const slot = p % EVALUATION_SLOTS;
    if (index >= this.size) return undefined;
    return slot < this.core(index).evaluations.length ? { index, slot } : undefined;
  }

  recordingId(index: number, slot: number): string {
    return this.recordingIds.encode(index * RECORDING_SLOTS + slot);
  }

  recordingRef(id: string): { index: number; slot: number } | undefined {
    const p = this.recordingIds.decode(id);
    if (p === undefined) return undefined;
    const index = Math.floor(p / RECORDING_SLOTS);
    return index < this.size ? { index, slot: p % RECORDING_SLOTS } : undefined;
  }

  formOf(e: EvaluationCore) {
    const form = this.forms[e.formIndex]?.versions[e.formVersion];
    if (!form) throw new Error('evaluation refers to a missing form version');
    return form;
  }

  /** Answers exist once an evaluation is started; pending ones have none. */
  scores(e: EvaluationCore): SimScoringSet | undefined {
    if (e.status === 'Pending') return undefined;
    // A rescored evaluation has other answers (its own stream key).
    const rng = Rng.of(this.seed, STREAM.answers, e.conversationIndex, e.slot + (e.rescored !== undefined ? EVALUATION_SLOTS : 0));
    return scoreEvaluation(this.formOf(e), rng, e.status === 'InProgress' ? 0.5 : 1);
  }
}
