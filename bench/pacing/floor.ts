/** The minimum time for `n` requests on a rate-limit model of the simulated org, the limiter full at the start. */
export interface FloorModel {
  requests: number;
  windowMs: number;
  burst?: number | undefined;
  model?: 'bucket' | 'fixed' | 'sliding' | undefined;
  anchor?: 'clock' | 'first-request' | undefined;
}

/**
 * How fast any client can put requests on the wire: `maxConcurrent` at once, each connection free again a
 * `latencyMs` round trip later. Only the first clock-aligned window needs it: when the run starts a few ms before
 * that window ends, the floor would otherwise count a whole window's budget as spent in those ms (at 50 requests,
 * 5 connections and 10 ms, a window ending 30 ms after the start takes at most 15, whatever the client does).
 */
export interface FloorClient {
  maxConcurrent: number;
  latencyMs: number;
  /**
   * When the run's requests depend on its first one (the quality export fetches what its first query page lists):
   * ms from that request's arrival to its answer, before which it is the only request. On real time the page takes
   * 100-250 ms at the org, so a first clock window ending 86 ms after the start holds that one request whatever the
   * client does (bench/pacing/matrix.ts measures it at the org; the fake-time harness sends independent requests).
   */
  firstAnswerMs?: number;
}

export function floorMs(rl: FloorModel, n: number, startMs: number, client?: FloorClient): number {
  const { requests: l, windowMs: w } = rl;
  const model = rl.model ?? 'bucket';
  if (model === 'bucket') return Math.max(0, ((n - (rl.burst ?? l)) * w) / l);
  const windows = Math.floor((n - 1) / l);
  // Clock-aligned windows: the first one is what is left of the clock's current window.
  if (model === 'fixed' && (rl.anchor ?? 'clock') === 'clock' && windows > 0) {
    const first = w - (startMs % w);
    // Round trips that can start within the first window (one at its start), `maxConcurrent` requests each.
    const fits = !client || client.latencyMs <= 0
      ? l
      : client.firstAnswerMs !== undefined
        ? Math.min(l, 1 + client.maxConcurrent * Math.max(0, Math.ceil((first - client.firstAnswerMs) / client.latencyMs)))
        : Math.min(l, client.maxConcurrent * Math.ceil(first / client.latencyMs));
    if (n <= fits) return 0;
    return first + (Math.ceil((n - fits) / l) - 1) * w;
  }
  return windows * w;
}
