/**
 * Our requests that are still out, for ServerPacer (server-pacer.ts): over several connections a request can reach the
 * server before earlier-sent ones, so an answer's `remaining` may not count requests sent before it. Seen on real time
 * (bench/pacing/trace.ts): the newest answer read 5 left while 4 earlier-sent requests were still on their way, and
 * all 4 were 429s. A request sent before another is surely in that one's count only if its own answer came back
 * before the other was sent; one still out then is uncertain until its own answer reads at least as much left.
 */

/** One request past the gate: when it left and when its answer (of any kind) came back. */
export interface Sent {
  seq: number;
  sentAt: number;
  answeredAt: number | undefined;
  /** What its answer said was left (its rate-limit headers), when it said. */
  remaining?: number | undefined;
  /** Our requests still out when it was sent (the server may count them after it); dropped once it is answered. */
  outAtSend?: Sent[] | undefined;
}

export class OutRequests {
  private readonly out = new Set<Sent>();

  /** `sent` has just left: remember what was still out. */
  add(sent: Sent): void {
    sent.outAtSend = [...this.out];
    this.out.add(sent);
  }

  /**
   * `sent` is answered. Its `outAtSend` was read when its budget was observed (that comes first); dropping it keeps
   * each request from holding earlier ones alive.
   */
  answered(sent: Sent): void {
    this.out.delete(sent);
    sent.outAtSend = undefined;
  }

  /** How many of our requests are out. */
  get size(): number {
    return this.out.size;
  }

  /** One of our requests sent after request `seq` is still out. */
  after(seq: number): boolean {
    for (const s of this.out) if (s.seq > seq) return true;
    return false;
  }
}

/**
 * How many of `uncertain` (requests still out when the answered one left) may not be in its `remaining`: all but
 * those whose own answer has since read at least as much left (they were counted before it, or budget came back
 * meanwhile: either way its figure stands). Answered without a budget (a 429, a network error): not in it.
 */
export function uncounted(uncertain: readonly Sent[], remaining: number, afterSeq = 0): number {
  let k = 0;
  for (const s of uncertain) if (s.seq > afterSeq && !(s.remaining !== undefined && s.remaining >= remaining)) k++;
  return k;
}
