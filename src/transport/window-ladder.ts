/**
 * Where fixed windows end when the server announces no reset at all, for ServerPacer (server-pacer.ts). The first
 * 429's Retry-After places one window end (to its whole second), and the window the run began in only bounds the
 * window's length from below: on windows aligned to the clock a run that starts partway into one sees what was left
 * of it. The pacer's hold learnt from it is then short of the window, and the probe it sends once the next window's
 * budget is spent is a second 429 (fixed/clock, no reset header, 10-s windows: 2 x 429 from start 0.37, 0.5, 0.8).
 *
 * A ladder: the last requests of a window's budget (its rungs) are held back and sent one at a time, each after the
 * answer before it, at times spread across the range where the window may end. A held request has budget, so it cannot
 * be refused: its answer reads a whole budget (a new window began: the end is placed between the rung before it and
 * it, and what is held goes at once) or one less (the same window: the next rung). What is known is kept as ranges:
 * the current window's start, the window's length (lo, hi], and the latest send of a request the window counted.
 *
 * - After a 429 that leaves the length unbounded above (the window's start was unknown), the rungs climb geometrically
 *   from where the learnt hold says the window ends (OPEN_RUNGS, each OPEN_RATIO further from the window's start):
 *   on windows opened by the first request, or a sliding log, the first rung finds the new window. On a sliding log
 *   a rung can also read budget come back in part: no ladder ever again (a request held back there keeps its slot late
 *   in every later window).
 * - A new window found by a rung after one the old window counted, sooner than the shortest the window can be, shows
 *   fixed windows. From then on each window's end lies in (start.lo + length.lo, start.hi + length.hi]: rungs spread
 *   evenly across it (at most BOUNDED_RUNGS, the last one at the range's end, where the window has surely ended) until
 *   that range is narrower than PRECISION of the window; then the budget is spent at once and one probe goes at the
 *   range's end. Every find narrows the start and the length, so later windows open later than the boundary by at
 *   most the rungs' spacing, instead of a hold's error accumulating window after window.
 *
 * The cost: a window's rungs not yet sent when its end is found are its budget left unused. So, like the phase scan
 * (phase-scan.ts), a window holds rungs back only when the requests waiting leave room for them in their last window:
 * a demand known to fill its windows exactly (models.test.ts: 200 = 4 x 50) would need a whole window more, and there
 * the second 429 stays (the test "fixed/clock, reset none, 10-s windows" shows no client can avoid it on both of two
 * platforms that answer alike). A demand the gate cannot see whole (the export's 5 fetches at a time) holds them:
 * the open rungs always (they are what spares the 429; a run whose last requests fall in that one window waits for
 * them), the bounded ones only while more waits or is on the wire than the budget left (they only buy precision).
 *
 * Pure bookkeeping on the pacer's clock; never on a refilling bucket, and off for good once a reset header appears.
 */

/** Retry-After counts whole seconds (RFC 9110 delta-seconds), rounded up: a window ends in the second before it. */
const RETRY_AFTER_GRAIN_MS = 1000;

/** Rungs of a ladder with no upper bound on the window: they reach OPEN_RATIO^(OPEN_RUNGS - 1) = 11.3 x the hold. */
const OPEN_RUNGS = 8;

/** Each open rung is this much further from the window's start than the one before: a find is at most 41% late once. */
const OPEN_RATIO = Math.SQRT2;

/** Most rungs across a bounded range (the budget a window may leave unused). */
const BOUNDED_RUNGS = 10;

/** A window's end known to within this share of the window needs no rungs: a later window opens at most this late. */
const PRECISION = 1 / 20;

/** (lo, hi]: lo excluded. */
interface Range {
  lo: number;
  hi: number;
}

/** Where a window's rungs go: climbing from `from + base` (open), or spread evenly across (lo, hi] (bounded). */
interface Plan {
  open: boolean;
  from: number;
  base: number;
  lo: number;
  hi: number;
  /** Most rungs. */
  n: number;
  /** Send times, fixed when the window first holds a request back (by the budget left then). */
  at?: number[];
}

/**
 * 'idle': bookkeeping only; 'open': a 429 left the window's length unproven, the next window climbs open rungs
 * (`opening` once they are planned); 'fixed': fixed windows evident, bounded rungs until precise; 'off': never again.
 */
type Mode = 'idle' | 'open' | 'fixed' | 'off';

export class WindowLadder {
  private mode: Mode = 'idle';
  /** The open rungs are planned in the current window. */
  private opening = false;
  private len: Range = { lo: 0, hi: Infinity };
  /** The current window's start (undefined before the first answer). */
  private start: Range | undefined;
  /** The latest send of a request the current window counted: the window ends after it. */
  private sameAt = -Infinity;
  /** The next window starts after this (a 429's Retry-After). */
  private nextFrom = -Infinity;
  private plan: Plan | undefined;

  /** The first answer of the run: the window it counted in began before it. */
  first(sentAt: number, now: number): void {
    if (this.start) return;
    this.start = { lo: -Infinity, hi: now };
    this.sameAt = sentAt;
  }

  /** An answer (not a window's first) counted a request sent at `sentAt` in the current window. */
  counted(sentAt: number): void {
    this.sameAt = Math.max(this.sameAt, sentAt);
  }

  /**
   * An answer read the budget back whole: a new window began before it, after the old one's last counted request.
   * `sentAt`: when its request left; `holdMs`: how long the pacer holds a spent budget (where open rungs start).
   */
  opened(sentAt: number, now: number, holdMs: number): void {
    const prev = this.start;
    // The old window ended after its last counted request, and no sooner than its shortest length after it began.
    const endLo = Math.max(this.sameAt, this.nextFrom, prev ? prev.lo + this.len.lo : -Infinity);
    if (prev) this.bound(endLo - prev.hi, now - prev.lo);
    // A whole budget back sooner after a request the old window counted than a window can last: not a sliding log
    // (it keeps every request a whole window).
    const fixed = prev !== undefined && sentAt - this.sameAt < this.len.lo;
    this.start = { lo: endLo, hi: now };
    this.sameAt = sentAt;
    this.nextFrom = -Infinity;
    this.plan = undefined;
    if (this.mode === 'off') return;
    // After the open rungs: fixed windows evident, or the hold was right (windows opened by the first request, a
    // sliding log): nothing more to find. Before any 429 the pacer's own hold and log rule (a window seen ending in the
    // first burst is evident too, but nothing bounds its length yet).
    if (fixed && this.mode !== 'idle') this.mode = 'fixed';
    else if (this.opening) this.mode = 'idle';
    this.opening = this.mode === 'open';
    this.planWindow(holdMs);
  }

  /** A 429 held everything until `until` (`rttMs`: the longest round trip): the window ended in the second before. */
  refused(until: number, rttMs: number): void {
    const endLo = Math.max(until - RETRY_AFTER_GRAIN_MS - rttMs, this.sameAt);
    if (this.start) this.bound(endLo - this.start.hi, until - this.start.lo);
    this.nextFrom = endLo;
    this.plan = undefined;
    // The pacer learns its hold from this 429; the window it measured may have begun before its first request (a run
    // that began partway into a clock window), so the hold may be short: the next window climbs open rungs.
    if (this.mode === 'idle') this.mode = 'open';
    this.opening = false;
  }

  /** Budget came back in part: a sliding log or a bucket, not fixed windows. */
  partial(): void {
    this.stop();
  }

  /** A reset header or a refilling bucket: the pacer knows better. */
  stop(): void {
    this.mode = 'off';
    this.plan = undefined;
  }

  /** When the next window surely has begun (the end of the range its start lies in), once fixed windows are evident. */
  probeAt(): number | undefined {
    if (this.mode !== 'fixed' || !this.start || this.len.hi === Infinity) return undefined;
    return this.start.hi + this.len.hi;
  }

  /**
   * Whether one more request may go now. `avail`: the budget left; `demand`: requests waiting (this one included);
   * `limit`: a window's budget; `oneOut`: a request sent after the newest answer is still out (rungs go one at a
   * time, each after the answer before it); `inFlight`: our requests on the wire. Undefined: nothing to say.
   */
  gate(now: number, avail: number, demand: number, limit: number, oneOut: boolean, inFlight: number): { go: true } | { go: false; until: number } | undefined {
    const p = this.plan;
    if (!p || avail < 1 || avail > (p.at?.length ?? p.n)) return undefined;
    if (demand > avail) {
      // Room in the last window of the demand beyond this one for the rungs it may leave unused.
      const last = (demand - avail) % limit;
      if (last === 0 || last > limit - avail) {
        this.plan = undefined;
        return undefined;
      }
    } else if (!p.open && (p.at ? inFlight === 0 : demand + inFlight <= avail)) {
      // Bounded rungs only buy precision: while what waits and what is on the wire (in a loop like the export's, each
      // answer brings the next request) fits in the budget left, it goes; once holding, what waits goes when nothing
      // is on the wire to bring more (a run's last requests do not wait for rungs; between rungs the loops' next
      // requests wait, and more of them than the budget left keep it held). The open rungs are what keeps the next
      // probe from a 429: they always hold (with 5 loops waiting, 8 rungs would look like room to spend).
      return undefined;
    }
    p.at ??= rungTimes(p, avail);
    const at = p.at[p.at.length - avail]!;
    if (now >= at && !oneOut) return { go: true };
    // Infinity: woken by the answer of the one out.
    return { go: false, until: now >= at ? Infinity : at };
  }

  /** Narrows the window's length; a contradiction (not fixed windows after all) ends the ladder. */
  private bound(lo: number, hi: number): void {
    this.len = { lo: Math.max(this.len.lo, lo), hi: Math.min(this.len.hi, hi) };
    if (this.len.lo >= this.len.hi) this.stop();
  }

  /** This window's rungs: where its end may be. */
  private planWindow(holdMs: number): void {
    const s = this.start;
    if (!s || (this.mode !== 'open' && this.mode !== 'fixed')) return;
    const lo = Math.max(s.lo + this.len.lo, this.sameAt);
    const hi = s.hi + this.len.hi;
    // Open: from where the hold says (past the shortest the window can be), climbing.
    if (this.mode === 'open') this.plan = { open: true, from: s.hi, base: Math.max(this.len.lo, holdMs), lo, hi, n: OPEN_RUNGS };
    else if (hi < Infinity && hi - lo > PRECISION * this.len.lo) {
      this.plan = { open: false, from: s.hi, base: 0, lo, hi, n: Math.min(BOUNDED_RUNGS, Math.ceil((hi - lo) / (PRECISION * this.len.lo))) };
    }
  }
}

/** `m` rungs of plan `p` (fewer than planned when less budget is left), the last no later than its range's end. */
function rungTimes(p: Plan, budget: number): number[] {
  const m = Math.min(p.n, budget);
  const at: number[] = [];
  for (let j = 0; j < m; j++) {
    at.push(p.open ? Math.min(p.hi, p.from + p.base * OPEN_RATIO ** j) : p.lo + ((p.hi - p.lo) * (j + 1)) / m);
  }
  return at;
}
