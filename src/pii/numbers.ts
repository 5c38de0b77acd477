/**
 * The number detectors' driver: walks the digit runs of the text once and tries phone, card and SSN at each
 * (phone.ts, card.ts, ssn.ts); a match resumes the walk after its end.
 */
import { card } from './card';
import { LPAREN, PLUS, leftOk, openerOk, runEnd } from './chars';
import { HIT } from './hit';
import { intlPhone, nanpFormatted, nanpPhone } from './phone';
import { ssn } from './ssn';
import type { PiiFinding, Wanted } from './types';

export function scanNumbers(t: string, want: Wanted, out: PiiFinding[], firstOnly: boolean): void {
  const n = t.length;
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) {
      i++;
      continue;
    }
    // i starts a digit run: we only ever stop at non-digits or at the end of a match (never followed by a digit).
    const e = runEnd(t, i);
    if (matchNumber(t, i, e, want)) {
      out.push({ type: HIT.type, start: HIT.start, end: HIT.end, match: t.slice(HIT.start, HIT.end) });
      if (firstOnly) return;
      i = HIT.end;
    } else {
      i = e;
    }
  }
}

/** Tries the detectors that can start at digit run [s, e). Their shapes barely overlap; order is the tie-break. */
function matchNumber(t: string, s: number, e: number, want: Wanted): boolean {
  const prev = t.charCodeAt(s - 1);
  // Digits after '+' belong to an international number or to nothing: never a card or an SSN.
  if (prev === PLUS) return want.phone && intlPhone(t, s, e);
  if (prev === LPAREN && want.phone && openerOk(t, s - 1) && nanpFormatted(t, s - 1)) return true;
  if (!leftOk(t, s)) return false;
  const len = e - s;
  if (want.card && card(t, s, e, len)) return true;
  if (want.ssn && ssn(t, s, e, len)) return true;
  return want.phone && nanpPhone(t, s, e, len);
}
