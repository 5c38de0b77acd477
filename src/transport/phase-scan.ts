/**
 * Finding where a fixed window ends when the reset header cannot say, for ServerPacer (server-pacer.ts). A reset in
 * delta seconds is rounded up to a whole second, so the window it announces ends somewhere in the second before it:
 * on 1-s windows aligned to the clock it reads "1" from anywhere in the window, and a client that waits for it opens
 * every window up to a second late (fixed/clock, window-end, 1-s windows: 1.22 x the floor on real time, session 8).
 *
 * Once fixed windows are evident, a few requests of each window (RESERVE) are held back and sent one at a time across
 * that second; one whose answer shows the budget back nearly whole has found the boundary, with no 429: the requests
 * sent before it spent the old window's budget, the ones after it the new window's. On windows opened by the first
 * request the second ends with the window, so they all land in it. The cost: the reserve not yet sent when the
 * boundary is found is that window's budget left unused (at most RESERVE requests, once: later windows' boundaries
 * fall where the found one says). So it is spent only when the requests waiting beyond this window leave room for it
 * in their last window: a demand that fills its last window exactly would need a whole window more for it.
 *
 * A caller that hands requests over as others are answered (the quality export: 5 fetches at once,
 * src/quality/exporter.ts) never shows its demand: on real time answers come back one at a time, so one request
 * waits at the gate, never more than the budget left, and the scan never held anything back (traced with
 * bench/pacing/trace.ts: windows opened 60-620 ms late, 1.115 x the floor). Requests handed over after the window
 * opened say what waits is not all there is: the demand is then open-ended and the reserve is held back. That costs
 * when the stream ends in a scanned window: its requests beyond `limit - RESERVE` spread over its second (up to 0.8 s
 * at the end of a 7-s export). So an open-ended demand scans only while the phase is unknown: until one window's scan
 * is done (the boundary found, or the whole reserve counted in the old window: the window ends within its last
 * step), and again once the round trips since could have moved the windows' openings past a step: every window
 * after opens when the log frees the request that opened the one before (server-pacer.ts), a round trip after it was
 * counted.
 *
 * Never on a sliding log: a request held back there keeps its slot late in every later window. A sliding log never
 * gives budget back nearly whole sooner than a window after a request it counted, which fixed windows do (the
 * evidence: `wholeRefill`). Never on a refilling bucket (ServerPacer paces those at their rate).
 */

/** Requests of a window held back to scan the reset's last second: finds the boundary to within 1/(RESERVE + 1) s. */
export const RESERVE = 10;

/** What a delta-seconds reset leaves unknown: the window ends within this much before it (whole seconds, rounded up). */
const RESET_GRAIN_MS = 1000;

/** How far apart the reserve goes: the boundary is known to within this once a window's scan is done. */
const STEP_MS = RESET_GRAIN_MS / (RESERVE + 1);

export class PhaseScan {
  private fixed = false;
  /** The second in which the current window ends, while requests are held back to find where. */
  private span: { from: number; to: number } | undefined;
  /** The most requests known so far: those sent plus those waiting to go (a caller handing them over raises it). */
  private horizon = 0;
  /** `horizon` when the scanned window opened: if it has grown since, the demand waiting is not the whole demand. */
  private horizonAtOpen = 0;
  /** The current window's reserve reached the scan (requests were held back for it). */
  private held = false;
  /**
   * For an open-ended demand: the round trips of the requests that opened each window since a window's scan was
   * done, which is how much later than the boundary windows can open by now (undefined: no scan done yet).
   */
  private drift: number | undefined;

  /**
   * An answer showed the budget back nearly whole. `gapMs`: how long after a request the previous answer counted its
   * own request was sent; `windowMs`: the longest announced reset; `rttMs`: the longest round trip seen (how much
   * earlier than its send a request can have been counted relative to another). A sliding log keeps every request a
   * whole window, so a refill sooner than that (less the round trip) means fixed windows.
   */
  wholeRefill(gapMs: number | undefined, windowMs: number | undefined, rttMs: number, bucket: boolean): void {
    // A window whose reserve was held has ended: its boundary is now known to within a step.
    if (this.span && this.held) this.drift = 0;
    this.span = undefined;
    this.held = false;
    if (bucket) this.fixed = false;
    else if (gapMs !== undefined && windowMs !== undefined && gapMs < windowMs - rttMs) this.fixed = true;
  }

  /** A refilling bucket (or a 429: the windows were not what they seemed) ends the scanning for good. */
  stop(): void {
    this.fixed = false;
    this.span = undefined;
  }

  /**
   * The first answer of a window, its reset in ms, and its request's round trip: scan its last second if the reset is
   * in whole seconds.
   */
  windowOpened(now: number, resetMs: number | undefined, rttMs: number): void {
    // Called for each answer that finds the budget nearly whole: the first one opens the window.
    if (this.span) return;
    if (this.drift !== undefined) this.drift += rttMs;
    if (!this.fixed || resetMs === undefined || resetMs <= 0 || resetMs % RESET_GRAIN_MS !== 0) return;
    this.span = { from: now + resetMs - RESET_GRAIN_MS, to: now + resetMs };
    this.horizonAtOpen = this.horizon;
  }

  /**
   * Whether one more request may go now. `avail`: the budget left by the newest answer; `demand`: requests waiting to
   * go (this one included); `limit`: the window's allowance; `oneOut`: a request sent after the newest answer is still
   * out (the reserve goes one at a time, each after the answer before it); `sent`: requests sent so far. Undefined:
   * the scan has nothing to say.
   */
  gate(now: number, avail: number, demand: number, limit: number, oneOut: boolean, sent: number): { go: true } | { go: false; until: number } | undefined {
    this.horizon = Math.max(this.horizon, sent + demand);
    const s = this.span;
    if (!s || now >= s.to || avail < 1) return undefined;
    // Open-ended: requests were handed over since the window opened, so the end of the demand is not in sight; scan
    // while the phase is unknown.
    if (this.horizon > this.horizonAtOpen) {
      if (this.drift !== undefined && this.drift < STEP_MS) return undefined;
    } else {
      if (demand <= avail) return undefined;
      // Room in the last window of the demand beyond this one for the reserve it may leave unused.
      const last = (demand - avail) % limit;
      if (last === 0 || last > limit - RESERVE) return undefined;
    }
    if (avail > RESERVE) return { go: true };
    this.held = true;
    // The j-th held request goes j/(RESERVE + 1) of the way through the second.
    const j = RESERVE - avail + 1;
    const at = s.from + ((s.to - s.from) * j) / (RESERVE + 1);
    if (now >= at && !oneOut) return { go: true };
    // Infinity: woken by the answer of the one out.
    return { go: false, until: now >= at ? Infinity : at };
  }
}
