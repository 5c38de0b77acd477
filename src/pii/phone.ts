/**
 * Phone numbers: NANP (formatted, or bare 10/11 digits after a phone keyword, with the trunk prefix) and
 * international numbers after '+' (E.164, 8-15 digits). Called by numbers.ts at the start of a digit run.
 */
import { DASH, EN_DASH, LPAREN, NBSP, PHONE_CONTEXT, RPAREN, SPACE, exactDigits, hasContext, isDigit, isSep, openerOk, rightOk, runEnd, runEndCapped } from './chars';
import { HIT, hit } from './hit';

/** NANP area code and exchange start 2-9; N11 area codes (211…911) are service codes, not areas. */
function nanpValid(t: string, area: number, exchange: number): boolean {
  const a0 = t.charCodeAt(area);
  if (a0 < 50) return false;
  if (t.charCodeAt(area + 1) === 49 && t.charCodeAt(area + 2) === 49) return false;
  return t.charCodeAt(exchange) >= 50;
}

/**
 * `(415) 555-0134`, `(415)555-0134`, `415-555-0134`, `415.555.0134`, `415 555 0134`, `415 555-0134`.
 * At least one separator (or the parentheses): an unformatted run is handled by the callers, with context.
 */
export function nanpFormatted(t: string, p: number): boolean {
  let area: number;
  let q: number;
  let r: number;
  if (t.charCodeAt(p) === LPAREN) {
    area = p + 1;
    if (!exactDigits(t, area, 3) || t.charCodeAt(p + 4) !== RPAREN) return false;
    q = p + 5;
    if (t.charCodeAt(q) === SPACE || t.charCodeAt(q) === NBSP) q++;
    r = q + 3;
    // The parentheses already mark the number, so "(415) 5550134" needs no second separator.
    if (runEndCapped(t, q, 7) - q !== 7) {
      if (!exactDigits(t, q, 3)) return false;
      if (isSep(t.charCodeAt(r))) r++;
    }
  } else {
    area = p;
    if (!exactDigits(t, area, 3)) return false;
    const s1 = t.charCodeAt(p + 3);
    if (!isSep(s1)) return false;
    q = p + 4;
    if (!exactDigits(t, q, 3)) return false;
    const s2 = t.charCodeAt(q + 3);
    // One style per number, plus the common "415 555-0134".
    if (s2 !== s1 && !((s1 === SPACE || s1 === NBSP) && (s2 === DASH || s2 === EN_DASH))) return false;
    r = q + 4;
  }
  if (!exactDigits(t, r, 4) || !nanpValid(t, area, q) || !phoneEndOk(t, r + 4)) return false;
  return hit('phone', p, r + 4);
}

/** An extension written straight after the number (`…0134x12`) ends the number rather than gluing to it. */
function phoneEndOk(t: string, e: number): boolean {
  return rightOk(t, e) || ((t.charCodeAt(e) | 32) === 120 && isDigit(t.charCodeAt(e + 1)));
}

/** Unformatted 10 digits at `a`, already known to be exactly a 10-digit run. */
function nanpBare(t: string, start: number, a: number): boolean {
  return nanpValid(t, a, a + 3) && phoneEndOk(t, a + 10) && hit('phone', start, a + 10);
}

export function nanpPhone(t: string, s: number, e: number, len: number): boolean {
  if (len === 3) return nanpFormatted(t, s);
  if (len === 10) return hasContext(t, s, PHONE_CONTEXT) && nanpBare(t, s, s);
  if (len === 11 && t.charCodeAt(s) === 49) return hasContext(t, s, PHONE_CONTEXT) && nanpBare(t, s, s + 1);
  if (len === 1 && t.charCodeAt(s) === 49) {
    // Trunk prefix: "1-800-555-0199", "1 (800) 555-0199".
    let q = e;
    if (isSep(t.charCodeAt(q))) q++;
    if (q === e && t.charCodeAt(q) !== LPAREN) return false;
    if (nanpFormatted(t, q)) return hit('phone', s, HIT.end);
    return runEnd(t, q) - q === 10 && hasContext(t, s, PHONE_CONTEXT) && nanpBare(t, s, q);
  }
  return false;
}

/** After '+': country code 1 is NANP (and validated as such); anything else is E.164, 8-15 digits. */
export function intlPhone(t: string, s: number, e: number): boolean {
  const plus = s - 1;
  if (!openerOk(t, plus)) return false;
  const len = e - s;
  if (t.charCodeAt(s) === 49) {
    if (len === 11) return nanpBare(t, plus, s + 1);
    if (len !== 1) return false;
    let q = e;
    if (isSep(t.charCodeAt(q))) q++;
    if (nanpFormatted(t, q)) return hit('phone', plus, HIT.end);
    return runEnd(t, q) - q === 10 && nanpBare(t, plus, q);
  }
  if (t.charCodeAt(s) === 48) return false;
  let digits = 0;
  let p = s;
  let end = s;
  // Every turn consumes at least one digit and digits stay <= 15, so this reads a bounded span.
  for (;;) {
    const r = runEndCapped(t, p, 15);
    digits += r - p;
    if (digits > 15) return false;
    end = r;
    const c = t.charCodeAt(r);
    if (isSep(c) && isDigit(t.charCodeAt(r + 1))) {
      p = r + 1;
      continue;
    }
    // A trunk or area part in parentheses: "+44 (0)20 7946 0958".
    const o = c === SPACE && t.charCodeAt(r + 1) === LPAREN ? r + 1 : c === LPAREN ? r : -1;
    if (o < 0) break;
    const inner = runEndCapped(t, o + 1, 4);
    if (inner === o + 1 || inner - o - 1 > 4 || t.charCodeAt(inner) !== RPAREN) break;
    digits += inner - o - 1;
    p = inner + 1;
    if (t.charCodeAt(p) === SPACE || t.charCodeAt(p) === DASH) p++;
    if (!isDigit(t.charCodeAt(p)) || digits > 15) return false;
  }
  if (digits < 8 || !phoneEndOk(t, end)) return false;
  // "+2024-05-13" is a date with a stray sign, not a number.
  if (end - s === 10 && t.charCodeAt(s + 4) === DASH && t.charCodeAt(s + 7) === DASH) return false;
  return hit('phone', plus, end);
}
