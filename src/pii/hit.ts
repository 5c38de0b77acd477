/**
 * Where the last number detector matched. Detectors return a boolean (so `a && b && hit(...)` reads as the rule)
 * and record the span here instead of allocating a result per candidate; numbers.ts reads it right after a match.
 */
import type { PiiType } from './types';

export const HIT: { type: PiiType; start: number; end: number } = { type: 'phone', start: 0, end: 0 };

export function hit(type: PiiType, start: number, end: number): true {
  HIT.type = type;
  HIT.start = start;
  HIT.end = end;
  return true;
}
