/** The minimum time for `n` requests on a rate-limit model of the simulated org, the limiter full at the start. */
export interface FloorModel {
  requests: number;
  windowMs: number;
  burst?: number | undefined;
  model?: 'bucket' | 'fixed' | 'sliding' | undefined;
  anchor?: 'clock' | 'first-request' | undefined;
}

export function floorMs(rl: FloorModel, n: number, startMs: number): number {
  const { requests: l, windowMs: w } = rl;
  const model = rl.model ?? 'bucket';
  if (model === 'bucket') return Math.max(0, ((n - (rl.burst ?? l)) * w) / l);
  const windows = Math.floor((n - 1) / l);
  // Clock-aligned windows: the first one is what is left of the clock's current window.
  if (model === 'fixed' && (rl.anchor ?? 'clock') === 'clock' && windows > 0) return w - (startMs % w) + (windows - 1) * w;
  return windows * w;
}
