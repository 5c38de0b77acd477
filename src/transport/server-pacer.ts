/**
 * The server-budget model of LocalRateLimiter (src/transport/rate-limiter.ts): its gate in front of every request,
 * on any server rate-limit model (a token bucket, fixed windows aligned to the
 * clock or opened by the first request, a sliding log) and any reset header (delta seconds to a window end or to a
 * full bucket, an epoch time, none). Nothing here depends on knowing the model:
 *
 * - **Budget** = what the newest answer (by when its request was sent) reported as remaining, minus the requests
 *   sent after that request (they are not in its count), minus the requests sent before it that may have reached the
 *   server after it (reorder.ts: requests overtake each other on the way in).
 * - **Own sliding log**: a request of ours counted in that answer, whose own answer came back more than the longest
 *   reset the server ever announced ago, is free again on every model (a sliding log has dropped it, a fixed window
 *   has ended, a bucket has refilled it), capped by the limit less our requests that may still count. So a spent
 *   budget is released as the log ages, not after a whole reset followed by a burst. Until one request the log
 *   freed has been granted, it frees one at a time (a wrong window costs one 429, not one per request in flight).
 *   Without reset headers the hold (1 s) stands in for the window until a 429 or an answer says it is longer.
 * - **Probe**: when the budget is spent and the log frees nothing sooner, one request goes when the server said its
 *   budget returns (its reset; without a reset header, the hold after the budget ran out); its answer tells how much
 *   came back. One probe at a time, and none while a request sent after the newest answer is still out.
 * - **Refilling bucket**: within half a window of a nearly full budget, budget coming back in parts beyond what was
 *   in use then, or a reset growing in step with the requests spent, shows a bucket; requests are then paced
 *   GCRA-style at the refill rate (a lower bound: from the reset announced for a full bucket, else measured),
 *   keeping one request in reserve and re-anchoring on every answer.
 * - **Phase scan** (phase-scan.ts): on fixed windows whose reset comes in whole seconds, a few requests of each window
 *   go one at a time across the reset's last second, so the boundary is found without a 429 (1-s clock windows
 *   announce "1" from anywhere in the window); only when the requests waiting leave room for it.
 * - **Window ladder** (window-ladder.ts): without reset headers, after a 429 whose window began before the run (a
 *   clock window the run started partway into: the hold learnt from it is short), the last requests of the next
 *   window go one at a time across where it may end, so its end is found without a second 429; once fixed windows
 *   are evident, each window's end is kept in a range that later rungs narrow and the probe waits for its end.
 * - A **429** pauses everything for its Retry-After, turns the bucket pacing off for good, makes every announced reset
 *   count at face value, teaches the hold (without reset headers), and after it one request probes the budget.
 *
 * Pure bookkeeping on the times it is given (the limiter's clock): it never waits itself; `gate` says until when.
 *
 * Over 400 lines: one state machine. Every decision reads and updates the same state (the newest answer, the log of
 * our requests, the outstanding probe, the pause, the learnt hold and bucket rate), and each rule's guard depends on
 * the others' (a probe's answer confirms the log, a 429 turns the bucket pacing and the log's trust off, a whole
 * refill re-bases the log): cut apart, that state would be passed around or shared. What stands alone is already
 * out: reorder.ts (requests still out), phase-scan.ts (the window's phase), window-ladder.ts (windows without a reset).
 */
import type { RateLimitSnapshot } from '../events';
import { OutRequests, uncounted, type Sent } from './reorder';
import { PhaseScan } from './phase-scan';
import { WindowLadder } from './window-ladder';

export type { Sent } from './reorder';


/** The newest answer that carried the server's budget (newest by when its request was sent). */
interface Answer {
  /** Sequence number of its request: every request sent after it (a higher seq) is not in `remaining`. */
  seq: number;
  remaining: number;
  at: number;
  /** When the server said budget comes back (its reset header), when it said. */
  resetAt: number | undefined;
  /** Requests sent before it that were still out when it was sent: maybe not in `remaining` (reorder.ts). */
  uncertain: Sent[];
}

export type GateVerdict = { go: true; probe: boolean } | { go: false; until: number };

/**
 * The longest a request can count, from one announced reset. Resets come in whole seconds: delta seconds rounded
 * up bound the window as they are, but an epoch time rounded up to a whole second can overstate it by up to a
 * second (2 x on a 1-s window), so it counts as the whole seconds it surely spans.
 */
function windowCandidate(resetMs: number, now: number): number {
  // Parsed a moment before `now`: an epoch reset lands within a few ms of a whole second.
  const offset = (((now + resetMs) % 1000) + 1000) % 1000;
  const epoch = resetMs % 1000 !== 0 && (offset <= 50 || offset >= 950);
  return epoch ? Math.max(1000, Math.ceil((resetMs - 999) / 1000) * 1000) : resetMs;
}

/** The longest the hold before a probe grows to by itself (a 429's Retry-After may teach more). */
const MAX_HOLD_MS = 120_000;

/** Retry-After counts whole seconds (RFC 9110 delta-seconds), rounded up: the budget reopens in the second before it ends. */
const RETRY_AFTER_GRAIN_MS = 1000;

/** How long a spent budget is held before one request probes it, when the server announces no reset at all. */
const DEFAULT_HOLD_MS = 1000;

export class ServerPacer {
  /** Epoch ms until which a 429's Retry-After holds every request. */
  pausedUntil = 0;
  private seq = 0;
  /** Our requests, oldest first, from `logHead` on. */
  private log: Sent[] = [];
  private logHead = 0;
  private readonly out = new OutRequests();
  /** Some response carried rate-limit headers. */
  announced = false;
  private limit: number | undefined;
  /** The longest reset the server announced: no request of ours is counted longer than this after its answer. */
  private windowMs: number | undefined;
  private newest: Answer | undefined;
  private exhaustedAt: number | undefined;
  private holdMs = DEFAULT_HOLD_MS;
  private probeSeq: number | undefined;
  /** The outstanding probe was sent because the log freed budget (not for a reset). */
  private logProbe = false;
  /** What the log said was free when its probe left. */
  private logClaim = 0;
  /** A request the log freed was granted: the log's window is right, its frees need no probe. Until a 429. */
  private logTrusted = false;
  private afterPause: { until: number; available: number | undefined } | undefined;
  /** Requests up to this one may have left the server's count in a way the log cannot follow (a window ended). */
  private baseSeq = 0;
  /** The longest reset announced, as announced (an epoch reset rounded up to a whole second included). */
  private maxResetMs: number | undefined;
  /** A 429 came although the log said budget was free: take every announced reset at its face value. */
  private resetRefused = false;
  /** Without reset headers, a 429 came: the hold is no stand-in for the window (the log is off). */
  private holdRefused = false;
  /** When the first request since the budget was last seen nearly whole was sent. */
  private batchStartAt: number | undefined;
  /**
   * The earliest the window that batch spends can have begun, as far as we know: its first request, or for a batch
   * begun when a 429's pause ended, a Retry-After grain before that end (the reopening is somewhere in the second
   * before it: Retry-After counts whole seconds, rounded up). A hold learnt from it then bounds the window from above.
   */
  private batchFrom: number | undefined;
  /** When the last 429's pause ended, until an answer shows the budget nearly whole again. */
  private pauseEndedAt: number | undefined;
  /** That end, for the batch begun then (until the next batch). */
  private batchAfterPause: number | undefined;
  /** The newest answer showed the budget nearly whole (a batch is being spent from it). */
  private nearlyWhole = false;
  /** The last answer that showed a nearly full budget: partial refills since, beyond what was in use then, mean a bucket. */
  private ref: { at: number; used: number; refilled: number; remaining: number; resetMs: number | undefined } | undefined;
  /** Lower bound of a bucket's refill (per ms) from `(limit - remaining - 1) / reset`. */
  private headerRate: number | undefined;
  /** Set once a refilling bucket is evident: pace at this rate (per ms). */
  private bucketPerMs: number | undefined;
  private bucketRefused = false;
  /** Where fixed windows end when a whole-seconds reset cannot say (phase-scan.ts). */
  private readonly scan = new PhaseScan();
  /** Where fixed windows end when no reset header says (window-ladder.ts). */
  private readonly ladder = new WindowLadder();
  /** The longest round trip seen (send to answer). */
  private maxRttMs = 0;



  /**
   * `maxConcurrent`: how many of our requests can be on the wire at once (an answer may not count them yet).
   * `notify` wakes every request waiting at the gate to look again.
   */
  constructor(
    private readonly maxConcurrent: number,
    private readonly notify: () => void,
  ) {}

  /**
   * The pause, then the server's budget: go now (perhaps as the one probe), or look again at `until`. `demand`: how
   * many requests wait to go, this one included (the phase scan holds budget back only when more wait than it has).
   */
  gate(now: number, demand = 1): GateVerdict {
    if (this.pausedUntil > now) return { go: false, until: this.pausedUntil };
    if (this.afterPause && now >= this.afterPause.until) this.endPause();
    return this.serverGate(now, demand);
  }

  /** One request leaves now (after `gate` said go). */
  send(now: number, probe: boolean): Sent {
    const sent: Sent = { seq: ++this.seq, sentAt: now, answeredAt: undefined };
    this.log.push(sent);
    this.out.add(sent);
    this.prune(now);
    if (probe) this.probeSeq = sent.seq;
    return sent;
  }

  /** Its answer (of any kind) came back; true when it was the outstanding probe. */
  answered(sent: Sent, now: number): boolean {
    sent.answeredAt = now;
    this.out.answered(sent);
    return this.probeSeq === sent.seq;
  }

  /** A probe's answer brought neither a budget nor a pause: back to not knowing, and let later responses say. */
  probeUnanswered(sent: Sent): void {
    if (this.probeSeq !== sent.seq) return;
    this.probeSeq = undefined;
    this.newest = undefined;
  }

  /** What the server has left as far as we know (undefined until an answer says). */
  available(now: number): number | undefined {
    const n = this.newest;
    return n === undefined ? undefined : Math.max(0, Math.floor(Math.max(this.base(n), this.logBudget(n, now).available)));
  }

  /**
   * One answer's budget headers. `sent` is the request it answers (undefined when called from outside a scheduled
   * job: it is then taken to precede the `inFlight` others).
   */
  observe(snapshot: RateLimitSnapshot, inFlight: number, sent: Sent | undefined, now: number): { exhausted: boolean; pausedForMs: number } {
    const { remaining, limit, resetMs } = snapshot;
    if (remaining === undefined && limit === undefined && resetMs === undefined) return { exhausted: false, pausedForMs: 0 };
    this.announced = true;
    if (this.afterPause && now >= this.afterPause.until) this.endPause();
    if (resetMs !== undefined && resetMs > 0) {
      this.maxResetMs = Math.max(this.maxResetMs ?? 0, resetMs);
      this.ladder.stop();
      this.windowMs = Math.max(this.windowMs ?? 0, this.resetRefused ? this.maxResetMs : windowCandidate(resetMs, now));
    }
    if (remaining === undefined) return { exhausted: false, pausedForMs: 0 };
    this.limit = limit ?? Math.max(this.limit ?? 0, remaining + 1);
    const seq = sent?.seq ?? this.seq - Math.max(0, inFlight);
    if (sent) sent.remaining = remaining;
    if (sent) this.maxRttMs = Math.max(this.maxRttMs, now - sent.sentAt);
    const prev = this.newest;
    if (seq === this.probeSeq) {
      this.probeSeq = undefined;
      // The log is right if about as much came back as it said; else its window is too short (without reset
      // headers, the hold standing in for it doubles).
      // A hold standing in for an unannounced window is confirmed only by a claim larger than what is on the wire.
      const confirms = this.windowMs !== undefined || this.logClaim > 1 + this.maxConcurrent;
      if (this.logProbe && remaining >= this.logClaim - 1 - this.maxConcurrent) this.logTrusted ||= confirms;
      else if (this.logProbe && this.windowMs === undefined) this.holdMs = Math.min(2 * this.holdMs, MAX_HOLD_MS);
    }
    // An older request's answer: the newest one already says more (its `remaining` may settle whether the newest
    // counted it: wake the gate).
    if (prev && seq <= prev.seq) {
      if (sent && prev.uncertain.includes(sent)) this.notify();
      return { exhausted: false, pausedForMs: 0 };
    }
    const uncertain = sent?.outAtSend ?? [];
    if (prev) {
      // More left than the previous answer less the requests sent in between (and counted by this one) explains:
      // budget came back. When it came back nearly whole (a window ended), the requests before this one are no longer
      // counted: the log stops counting them (it would free them twice).
      const between = uncounted(uncertain, remaining, prev.seq);
      const refill = remaining - Math.max(0, prev.remaining - (seq - prev.seq - between));
      if (refill >= 1) {
        if (remaining >= this.limit - 1 - this.maxConcurrent) {
          this.baseSeq = seq - 1;
          const gap = sent ? sent.sentAt - (this.sentAtOf(prev.seq) ?? -Infinity) : undefined;
          this.scan.wholeRefill(gap, this.windowMs, this.maxRttMs, this.bucketPerMs !== undefined || this.bucketRefused);
          this.ladder.opened(sent?.sentAt ?? now, now, this.holdMs);
        } else this.ladder.partial();
        this.noteRefill(refill, remaining, now);
      } else if (sent) this.ladder.counted(sent.sentAt);
    } else if (sent) this.ladder.first(sent.sentAt, now);
    if (this.bucketPerMs !== undefined) this.ladder.stop();
    const lim = this.limit;
    const nearlyWhole = remaining >= lim - 1 - this.maxConcurrent;
    if (nearlyWhole) {
      // In use now, less our own requests of the last half window: a sliding log cannot free those within half a window.
      const half = (this.windowMs ?? this.holdMs) / 2;
      let recent = 0;
      for (let i = this.log.length - 1; i >= this.logHead && this.log[i]!.sentAt > now - half; i--) recent++;
      this.ref = { at: now, used: Math.max(0, lim - remaining + (this.seq - seq) - recent), refilled: 0, remaining, resetMs };
      this.batchStartAt = sent?.sentAt ?? now;
      // A batch begun when a pause ended keeps that end until the budget is spent; any other batch starts afresh.
      if (this.pauseEndedAt !== undefined) this.batchAfterPause = this.pauseEndedAt;
      else if (!this.nearlyWhole) this.batchAfterPause = undefined;
      this.pauseEndedAt = undefined;
      this.batchFrom = this.batchAfterPause !== undefined ? Math.min(this.batchStartAt, this.batchAfterPause - RETRY_AFTER_GRAIN_MS) : this.batchStartAt;
    } else if (this.ref && resetMs !== undefined && this.ref.resetMs !== undefined) {
      this.noteResetGrowth(this.ref, remaining, resetMs, now);
    }
    this.nearlyWhole = nearlyWhole;
    if (limit !== undefined && resetMs !== undefined && resetMs > 0 && remaining < limit - 1) {
      // If the reset is the time to a full bucket, the bucket refills at least this fast (the reset is rounded up).
      this.headerRate = Math.max(this.headerRate ?? 0, (limit - remaining - 1) / resetMs);
    }
    if (this.bucketPerMs !== undefined && this.headerRate !== undefined) this.bucketPerMs = Math.max(this.bucketPerMs, this.headerRate);
    this.newest = { seq, remaining, at: now, resetAt: resetMs === undefined ? undefined : now + resetMs, uncertain };
    if (nearlyWhole) this.scan.windowOpened(now, resetMs, sent ? now - sent.sentAt : 0);
    const budget = this.base(this.newest);
    let newlyExhausted = false;
    if (budget > 0) this.exhaustedAt = undefined;
    else if (this.exhaustedAt === undefined) {
      this.exhaustedAt = now;
      newlyExhausted = this.bucketPerMs === undefined;
    }
    this.notify();
    if (!newlyExhausted) return { exhausted: false, pausedForMs: 0 };
    return { exhausted: true, pausedForMs: Math.max(0, Math.round(this.probeAt(this.newest) - now)) };
  }

  /** Holds every request for `ms` (a 429's Retry-After); `availableAfter` is the server budget once it ends, when known. */
  pause(ms: number, availableAfter: number | undefined, now: number): void {
    const until = Math.max(this.pausedUntil, now + ms);
    this.pausedUntil = until;
    // The budget was not what the refill model said: wait for announced resets from now on.
    this.bucketPerMs = undefined;
    this.bucketRefused = true;
    this.scan.stop();
    if (this.maxResetMs !== undefined) {
      this.resetRefused = true;
      this.windowMs = Math.max(this.windowMs ?? 0, this.maxResetMs);
    }
    // Without reset headers the hold before a probe is learnt from the server: the budget came back this long after it ran out.
    // (from the first request sent since the budget was last nearly whole: no request counts longer than that). A
    // batch begun at a 429's end counts from the earliest its window can have begun (batchFrom): a run that starts
    // partway into a clock window learns a hold short of the window from its first 429, and a second batch timed
    // from its own first request learnt one short of it too (seeded jitter, fixed/clock with no reset header, start
    // 0.37 into a 10-s window: 9.35 s, and a third 429; test/pacing/phases-jitter.test.ts).
    if (this.windowMs === undefined && this.exhaustedAt !== undefined) this.holdMs = Math.max(this.holdMs, until - (this.batchFrom ?? this.exhaustedAt));
    if (this.windowMs === undefined) {
      this.holdRefused = true;
      this.ladder.refused(until, this.maxRttMs);
    }
    this.afterPause = { until, available: availableAfter };
    this.probeSeq = undefined;
    this.logTrusted = false;
    this.notify();
  }

  /** A pause has ended: what the server has now is unknown unless it said. */
  private endPause(): void {
    const a = this.afterPause;
    this.afterPause = undefined;
    if (!a || !this.announced) return;
    this.pauseEndedAt = a.until;
    // What the server has now is unknown (or `available`): one request probes it, unless told.
    this.newest = { seq: this.seq, remaining: a.available ?? 0, at: a.until, resetAt: a.available === undefined ? a.until : undefined, uncertain: [] };
    this.exhaustedAt = (a.available ?? 0) > 0 ? undefined : a.until;
  }

  private serverGate(now: number, demand: number): { go: true; probe: boolean } | { go: false; until: number } {
    const n = this.newest;
    if (!n) return { go: true, probe: false };
    const sentAfter = this.seq - n.seq + uncounted(n.uncertain, n.remaining);
    if (this.bucketPerMs === undefined && this.limit !== undefined) {
      // Budget held back to find where a fixed window ends: phase-scan.ts (whole-seconds resets), window-ladder.ts (none).
      const args = [now, n.remaining - sentAfter, demand, this.limit, this.out.after(n.seq)] as const;
      const held = this.scan.gate(...args, this.seq) ?? this.ladder.gate(...args, this.out.size);
      if (held) return held.go ? { go: true, probe: false } : held;
    }
    if (n.remaining - sentAfter >= 1) return { go: true, probe: false };
    const log = this.logBudget(n, now);
    // What the log frees goes one request at a time until one such request was granted: a log that is wrong about
    // the server (a window longer than announced) costs one 429, not one per request in flight.
    if (log.available >= 1) {
      if (this.logTrusted) return { go: true, probe: false };
      if (this.probeSeq === undefined) {
        this.logProbe = true;
        this.logClaim = log.available;
        return { go: true, probe: true };
      }
    }
    let until = log.available >= 1 ? Infinity : log.next;
    const rate = this.bucketPerMs;
    if (rate !== undefined) {
      // GCRA: what is left plus what refilled since the answer (its arrival, a lower bound), one kept in reserve.
      const left = Math.min(this.limit ?? Infinity, n.remaining + (now - n.at) * rate) - sentAfter - 1;
      if (left >= 1) return { go: true, probe: false };
      until = Math.min(until, n.at + (2 + sentAfter - n.remaining) / rate);
    }
    const probeAt = this.probeAt(n);
    if (now >= probeAt) {
      // A request sent after `n` and still out already spends what `n`'s reset brings back, perhaps all of it (a
      // sliding log's reset frees one request): its answer is the probe. (Traced on real time: the log freed a request
      // at the reset's moment, and the probe sent 1 ms later for the same slot was a 429.)
      if (this.probeSeq === undefined && !this.out.after(n.seq)) {
        this.logProbe = false;
        return { go: true, probe: true };
      }
    } else {
      until = Math.min(until, probeAt);
    }
    // Infinity: woken by the outstanding probe's (or that request's) answer.
    return { go: false, until };
  }

  /** What `n` said is left, less our requests it did not count: sent after it, or maybe counted after it (reorder.ts). */
  private base(n: Answer): number {
    return n.remaining - (this.seq - n.seq) - uncounted(n.uncertain, n.remaining);
  }

  /** When the server said budget comes back: its reset, or without one a hold after the budget ran out. */
  private probeAt(n: Answer): number {
    return n.resetAt ?? this.ladder.probeAt() ?? (this.exhaustedAt ?? n.at) + this.holdMs;
  }

  /**
   * The budget by the log: `n`'s remaining less what was sent after it, plus our requests `n` counted that are free
   * again (sent after `n` minus the longest reset and not before budget last came back whole, so `n` counted them,
   * and answered more than that reset ago). Capped by the limit less our requests that may still count at all (on
   * the wire, or answered within that reset): on a bucket the first term would count a refill twice. Also when the
   * log frees the next request.
   */
  private logBudget(n: Answer, now: number): { available: number; next: number } {
    // Without reset headers the hold (1 s) stands in for the window, until a 429 says it is longer.
    const w = this.windowMs ?? (this.holdRefused ? undefined : this.holdMs);
    const base = this.base(n);
    if (w === undefined || this.limit === undefined) return { available: base, next: Infinity };
    let freed = 0;
    let freedNext = Infinity;
    for (let i = this.firstSentAfter(n.at - w); i < this.log.length; i++) {
      const s = this.log[i]!;
      if (s.seq > n.seq) break;
      if (s.seq <= this.baseSeq || s.answeredAt === undefined) continue;
      if (s.answeredAt <= now - w) freed++;
      else freedNext = Math.min(freedNext, s.answeredAt + w);
    }
    // Answers slower than a minute are not expected (timeoutMs defaults to 30 s).
    let counting = 0;
    let capNext = Infinity;
    for (let i = this.firstSentAfter(now - w - 60_000); i < this.log.length; i++) {
      const a = this.log[i]!.answeredAt;
      if (a !== undefined && a <= now - w) continue;
      counting++;
      if (a !== undefined) capNext = Math.min(capNext, a + w);
    }
    const relative = base + freed;
    const cap = this.limit - counting;
    const next = relative < 1 && cap < 1 ? Math.max(freedNext, capNext) : relative < 1 ? freedNext : capNext;
    return { available: Math.min(relative, cap), next };
  }

  /** When our request `seq` was sent, while the log holds it (sequence numbers are consecutive in it). */
  private sentAtOf(seq: number): number | undefined {
    const head = this.log[this.logHead];
    return head === undefined ? undefined : this.log[this.logHead + seq - head.seq]?.sentAt;
  }

  /** Index of the first logged request sent after `t` (the log is in send order). */
  private firstSentAfter(t: number): number {
    let lo = this.logHead;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid]!.sentAt <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private noteRefill(amount: number, remaining: number, now: number): void {
    const ref = this.ref;
    if (this.bucketPerMs !== undefined || this.bucketRefused || !ref) return;
    // Within half a window of a nearly full budget, a sliding log can free only what was in use then (less our recent
    // requests), and a fixed window gives everything back at once, not in part. More partial refills: a bucket.
    if (now - ref.at >= (this.windowMs ?? this.holdMs) / 2) return;
    if (remaining >= (this.limit ?? Infinity) - 1 - this.maxConcurrent) return;
    ref.refilled += amount;
    if (ref.refilled <= ref.used + 1) return;
    const measured = now > ref.at ? ref.refilled / (now - ref.at) : undefined;
    const rate = this.headerRate ?? measured;
    if (rate !== undefined && rate > 0) this.bucketPerMs = rate;
  }

  /**
   * A bucket announces the time to refill what is used: as the budget is spent its reset grows in step (one refill
   * interval per request). Fixed windows' resets only shrink within a window, and a sliding log's jump when its oldest
   * request leaves is far larger than the requests spent meanwhile explain.
   */
  private noteResetGrowth(ref: NonNullable<ServerPacer['ref']>, remaining: number, resetMs: number, now: number): void {
    if (this.bucketPerMs !== undefined || this.bucketRefused || this.headerRate === undefined) return;
    if (now - ref.at >= (this.windowMs ?? this.holdMs) / 2) return;
    const grew = resetMs - (ref.resetMs ?? resetMs);
    const spent = ref.remaining - remaining;
    if (grew >= 2000 && spent > 0 && grew <= (spent + 2) / this.headerRate) this.bucketPerMs = this.headerRate;
  }

  private prune(now: number): void {
    const keepMs = 2 * Math.max(this.windowMs ?? 0, 60_000);
    while (this.logHead < this.log.length) {
      const s = this.log[this.logHead]!;
      if (s.answeredAt === undefined || s.sentAt > now - keepMs) break;
      this.logHead++;
    }
    if (this.logHead > 1024 && this.logHead * 2 > this.log.length) {
      this.log = this.log.slice(this.logHead);
      this.logHead = 0;
    }
  }
}
