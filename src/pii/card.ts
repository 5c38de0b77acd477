/** Payment card numbers: 13-19 digits, bare or grouped, whose issuer prefix and length fit a scheme and pass Luhn. */
import { COLON, COMMA, DASH, DOT, EN_DASH, NBSP, SLASH, SPACE, isAlpha, isDigit, isGroupSep, isWord, rightOk, runEndCapped } from './chars';
import { hit } from './hit';
import { luhnValid } from './luhn';

/**
 * Issuer prefix and length must fit a real scheme (Visa, Mastercard, Amex, Diners, JCB, Discover, UnionPay,
 * Maestro, Mir). Luhn alone passes one random number in ten; this is what keeps IMEIs (15 digits, Luhn-valid),
 * epoch milliseconds and ISBNs out.
 */
function issuerFits(d: string): boolean {
  const len = d.length;
  const two = Number(d.slice(0, 2));
  const three = Number(d.slice(0, 3));
  const four = Number(d.slice(0, 4));
  switch (d.charCodeAt(0) - 48) {
    case 4:
      return len === 13 || len === 16 || len === 19;
    case 3:
      if (two === 34 || two === 37) return len === 15;
      if ((three >= 300 && three <= 305) || three === 309 || two === 36 || two === 38 || two === 39) return len >= 14;
      return four >= 3528 && four <= 3589 && len >= 16;
    case 5:
      if (two >= 51 && two <= 55) return len === 16;
      return two === 50 || two >= 56;
    case 2:
      if (four >= 2221 && four <= 2720) return len === 16;
      return four >= 2200 && four <= 2204 && len >= 16;
    case 6:
      return true;
    default:
      return false;
  }
}

function cardDigitsOk(d: string): boolean {
  return issuerFits(d) && luhnValid(d);
}

const groupEnds = new Int32Array(12);

/**
 * Space-grouped digits right after a short bare digit group are the tail of a longer number (`12 4111 1111 1111 1111`),
 * as are the digits after an IBAN's country and check digits (`DE44 5001 0517 5407 3249 31`, whose last 18 digits
 * pass Luhn with a Maestro prefix). A number that merely follows a date, a version or an address
 * (`12/25 4111 …`, `10.0.0.1 4111 …`) is not continued by it.
 */
export function continuesGroup(t: string, s: number, sep: number): boolean {
  const p = t.charCodeAt(s - 1);
  if (!(p === SPACE || p === NBSP) || !(sep === SPACE || sep === NBSP) || !isDigit(t.charCodeAt(s - 2))) return false;
  let k = s - 2;
  while (k > s - 9 && isDigit(t.charCodeAt(k - 1))) k--;
  // A long run before is a separate id (`order #423383386 6011 …`), not a group of this number.
  if (s - 1 - k > 6) return false;
  const before = t.charCodeAt(k - 1);
  if (isAlpha(before)) return s - 1 - k === 2 && isAlpha(t.charCodeAt(k - 2)) && !isWord(t.charCodeAt(k - 3));
  return !(before === DOT || before === COLON || before === SLASH || before === COMMA || before === DASH || before === EN_DASH);
}

/** 13-19 digits bare, or in groups joined by one kind of single separator (space or dash): 4-4-4-4, 4-6-5, … */
export function card(t: string, s: number, e: number, len: number): boolean {
  if (len >= 13) return len <= 19 && rightOk(t, e) && cardDigitsOk(t.slice(s, e)) && hit('card', s, e);
  if (len < 4 || len > 6) return false;
  const sep = t.charCodeAt(e);
  if (!isGroupSep(sep) || continuesGroup(t, s, sep)) return false;
  let count = len;
  let n = 0;
  let p = e;
  while (t.charCodeAt(p) === sep) {
    const q = p + 1;
    const r = runEndCapped(t, q, 6);
    const g = r - q;
    if (g < 2 || g > 6 || count + g > 19) break;
    count += g;
    p = r;
    if (count >= 13) groupEnds[n++] = r;
  }
  // Longest first: "4111 1111 1111 1111 12/25" should be the card, not nothing.
  for (let k = n - 1; k >= 0; k--) {
    const r = groupEnds[k]!;
    if (!rightOk(t, r)) continue;
    const d = t.slice(s, r).replaceAll(String.fromCharCode(sep), '');
    if (cardDigitsOk(d)) return hit('card', s, r);
  }
  return false;
}
