/**
 * Character classes and the boundary and context rules the number detectors share (phone.ts, card.ts, ssn.ts,
 * numbers.ts) and email.ts reads. Every helper reads a bounded number of characters around a position.
 */

export const SPACE = 32;
export const PLUS = 43;
export const COMMA = 44;
export const DASH = 45;
export const DOT = 46;
export const SLASH = 47;
export const COLON = 58;
export const AT = 64;
export const LPAREN = 40;
export const RPAREN = 41;
export const UNDERSCORE = 95;

// charCodeAt past either end is NaN, and every comparison with NaN is false: the helpers need no bounds checks.
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
export function isAlpha(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}
export function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}
export function isWord(c: number): boolean {
  return isDigit(c) || isAlpha(c) || c === UNDERSCORE;
}
export function isCurrency(c: number): boolean {
  return c === 36 || c === 163 || c === 165 || c === 8364;
}
export const NBSP = 160;
export const EN_DASH = 8211;
/** Separators inside a grouped number. Word processors turn '-' into an en dash and ' ' into a no-break space. */
export function isGroupSep(c: number): boolean {
  return c === SPACE || c === DASH || c === NBSP || c === EN_DASH;
}
/** Phones are also written with dots. */
export function isSep(c: number): boolean {
  return isGroupSep(c) || c === DOT;
}

export function runEnd(t: string, p: number): number {
  while (isDigit(t.charCodeAt(p))) p++;
  return p;
}
/** Digit run end, but never reads more than `cap` digits: callers only need to know "longer than cap". */
export function runEndCapped(t: string, p: number, cap: number): number {
  const lim = p + cap + 1;
  while (p < lim && isDigit(t.charCodeAt(p))) p++;
  return p;
}
/** Exactly `n` digits at `p` (the run is not longer). */
export function exactDigits(t: string, p: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (!isDigit(t.charCodeAt(p + k))) return false;
  return !isDigit(t.charCodeAt(p + n));
}

/**
 * A number may not be the tail of a longer token: `INV-2024-…`, `v10.2`, `1,234`, `$415…`, `a@…`, `x4111…`.
 * Label punctuation is fine (`SSN:123-45-6789`, `tel. 415…`): ':' and ',' only glue digits to digits.
 */
export function leftOk(t: string, s: number): boolean {
  const p = t.charCodeAt(s - 1);
  if (isWord(p) || p === AT || p === PLUS || isCurrency(p)) return false;
  if (p === DASH || p === DOT || p === SLASH) return !isWord(t.charCodeAt(s - 2));
  if (p === COMMA || p === COLON) return !isDigit(t.charCodeAt(s - 2));
  return true;
}
/** '(' and '+' open a number themselves, so only a glued word or '@' before them disqualifies it. */
export function openerOk(t: string, p: number): boolean {
  const c = t.charCodeAt(p - 1);
  return !(isWord(c) || c === AT || isCurrency(c));
}
/** Nor the head of one: `…0134x`, `…0134.5`, `…1120/2`, `…@example.com`. Sentence punctuation is fine. */
export function rightOk(t: string, e: number): boolean {
  const c = t.charCodeAt(e);
  if (isWord(c) || c === AT) return false;
  if (c === DASH || c === DOT || c === SLASH || c === COMMA || c === COLON) return !isDigit(t.charCodeAt(e + 1));
  return true;
}

/**
 * Bare digit runs are ambiguous (ids, epochs, order numbers); they count only right after a keyword, with at
 * most a few filler words between ("phone number is …", "call me at …", "SS# …"). A keyword earlier in the
 * sentence is not enough: "SSN verified, order 123456789" is an order. Matched against the 40 characters before
 * the run only, so the bounded repetition costs a constant per candidate.
 */
export const CONTEXT_WINDOW = 40;
export const GAP = String.raw`[\s:#.=()'"-]*(?:(?:number|num|no|nr|is|at|me|on|us|was|of|the|my|his|her|their|to)\b[\s:#.=()'"-]*){0,4}$`;
export const PHONE_CONTEXT = new RegExp(String.raw`\b(?:phone|telephone|tel|mobile|cell|cellphone|call|fax|sms|text|whatsapp|ani|dnis)` + GAP, 'i');
export const SSN_CONTEXT = new RegExp(String.raw`(?:\bssn|\bss#|\bsocial[ -]security|\bsoc\.? ?sec)` + GAP, 'i');
export function hasContext(t: string, s: number, re: RegExp): boolean {
  return re.test(t.slice(Math.max(0, s - CONTEXT_WINDOW), s));
}
