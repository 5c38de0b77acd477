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
 * Never on a sliding log: a request held back there keeps its slot late in every later window. A sliding log never
 * gives budget back nearly whole sooner than a window after a request it counted, which fixed windows do (the
 * evidence: `wholeRefill`). Never on a refilling bucket (ServerPacer paces those at their rate).
 */

/** Requests of a window held back to scan the reset's last second: finds the boundary to within 1/(RESERVE + 1) s. */
export const RESERVE = 10;

/** What a delta-seconds reset leaves unknown: the window ends within this much before it (whole seconds, rounded up). */
const RESET_GRAIN_MS = 1000;

export class PhaseScan {
  private fixed = false;
  /** The second in which the current window ends, while requests are held back to find where. */
  private span: { from: number; to: number } | undefined;

  /**
   * An answer showed the budget back nearly whole. `gapMs`: how long after a request the previous answer counted its
   * own request was sent; `windowMs`: the longest announced reset; `rttMs`: the longest round trip seen (how much
   * earlier than its send a request can have been counted relative to another). A sliding log keeps every request a
   * whole window, so a refill sooner than that (less the round trip) means fixed windows.
   */
  wholeRefill(gapMs: number | undefined, windowMs: number | undefined, rttMs: number, bucket: boolean): void {
    this.span = undefined;
    if (bucket) this.fixed = false;
    else if (gapMs !== undefined && windowMs !== undefined && gapMs < windowMs - rttMs) this.fixed = true;
  }

  /** A refilling bucket (or a 429: the windows were not what they seemed) ends the scanning for good. */
  stop(): void {
    this.fixed = false;
    this.span = undefined;
  }

  /** The first answer of a window, its reset in ms: scan its last second if the reset is in whole seconds. */
  windowOpened(now: number, resetMs: number | undefined): void {
    if (!this.fixed || this.span || resetMs === undefined || resetMs <= 0 || resetMs % RESET_GRAIN_MS !== 0) return;
    this.span = { from: now + resetMs - RESET_GRAIN_MS, to: now + resetMs };
  }

  /**
   * Whether one more request may go now. `avail`: the budget left by the newest answer; `demand`: requests waiting to
   * go (this one included); `limit`: the window's allowance; `oneOut`: a request sent after the newest answer is still
   * out (the reserve goes one at a time, each after the answer before it). Undefined: the scan has nothing to say.
   */
  gate(now: number, avail: number, demand: number, limit: number, oneOut: boolean): { go: true } | { go: false; until: number } | undefined {
    const s = this.span;
    if (!s || now >= s.to || avail < 1 || demand <= avail) return undefined;
    // Room in the last window of the demand beyond this one for the reserve it may leave unused.
    const last = (demand - avail) % limit;
    if (last === 0 || last > limit - RESERVE) return undefined;
    if (avail > RESERVE) return { go: true };
    // The j-th held request goes j/(RESERVE + 1) of the way through the second.
    const j = RESERVE - avail + 1;
    const at = s.from + ((s.to - s.from) * j) / (RESERVE + 1);
    if (now >= at && !oneOut) return { go: true };
    // Infinity: woken by the answer of the one out.
    return { go: false, until: now >= at ? Infinity : at };
  }
}
