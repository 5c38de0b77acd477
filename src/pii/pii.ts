/**
 * PII scanner for annotation text: phone numbers, email addresses, payment card numbers and US SSNs, with
 * positions and a redact mode. Pure and allocation-light; importable alone.
 *
 * Every detector is a hand-written matcher that reads a bounded number of characters from a candidate start
 * (a digit run, an '@'), so the whole scan is linear in the input whatever it contains: no regex with an
 * unbounded quantifier ever runs over the text. The rules (what counts, what deliberately does not) are in
 * docs/pii.md; the comments below say why a rule exists.
 */
import { ValidationError, type ValidationIssue } from '../errors';
import { checkOptionsObject, kindOf, quote } from '../helpers/input-guard';
import { luhnValid } from './luhn';

export { luhnValid } from './luhn';

export type PiiType = 'phone' | 'email' | 'card' | 'ssn';

/**
 * One detected span. `start`/`end` are UTF-16 offsets into the string that was passed in (the original, not its
 * normalised form), `end` exclusive; `match` is that slice of the original.
 */
export interface PiiFinding {
  type: PiiType;
  start: number;
  end: number;
  match: string;
}

export interface ScanPiiOptions {
  /** Which detectors run. Default: all four. An empty list runs none. */
  types?: readonly PiiType[];
}

/** A fixed replacement, or one computed per finding. */
export type PiiMask = string | ((finding: PiiFinding) => string);

export interface RedactPiiOptions extends ScanPiiOptions {
  /** Default: `[REDACTED:<type>]`. */
  mask?: PiiMask;
}

export const PII_TYPES: readonly PiiType[] = ['phone', 'email', 'card', 'ssn'];

/**
 * Spans found by every detector in `text`, overlaps resolved (card > ssn > email > phone), sorted by start.
 * The text is scanned in a normalised form (NFKC, zero-width characters and soft hyphens removed) so that
 * full-width digits or an invisible character inside an address cannot hide it; offsets are the original's.
 */
export function scanPii(text: string, options?: ScanPiiOptions): PiiFinding[] {
  return scanOriginal(text, wanted(text, options, 'scanPii', SCAN_KEYS), false);
}

/** True as soon as any detector fires; does not scan the rest. Same answer as `scanPii(...).length > 0`. */
export function containsPii(text: string, options?: ScanPiiOptions): boolean {
  return scanOriginal(text, wanted(text, options, 'containsPii', SCAN_KEYS), true).length > 0;
}

/**
 * `text` with every finding replaced by the mask; text between findings is kept byte for byte. The mask replaces
 * the finding's span of the original text, invisible characters inside it included.
 */
export function redactPii(text: string, options?: RedactPiiOptions): string {
  const want = wanted(text, options, 'redactPii', REDACT_KEYS);
  const mask = options?.mask === undefined ? defaultMask : options.mask;
  if (typeof mask !== 'string' && typeof mask !== 'function') {
    throw new ValidationError('redactPii options', [{ path: 'mask', code: 'invalid_type', message: `mask must be a string or a function, got ${kindOf(mask)} ${quote(mask)}` }]);
  }
  const findings = scanOriginal(text, want, false);
  if (findings.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + (typeof mask === 'string' ? mask : String(mask(f)));
    at = f.end;
  }
  return out + text.slice(at);
}

function defaultMask(f: PiiFinding): string {
  return `[REDACTED:${f.type}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Wanted {
  phone: boolean;
  email: boolean;
  card: boolean;
  ssn: boolean;
}

const ALL: Wanted = { phone: true, email: true, card: true, ssn: true };

const SCAN_KEYS = ['types'] as const;
const REDACT_KEYS = ['types', 'mask'] as const;

function wanted(text: unknown, options: unknown, where: string, keys: readonly string[]): Wanted {
  if (typeof text !== 'string') {
    throw new ValidationError(`${where} input`, [{ path: 'text', code: 'invalid_type', message: `expected a string, got ${kindOf(text)}` }]);
  }
  const optionIssues: ValidationIssue[] = [];
  // `scanPii(text, 'phone')` must not silently scan for everything: options are an object or nothing
  const o = checkOptionsObject(options, keys, optionIssues);
  if (optionIssues.length > 0) throw new ValidationError(`${where} options`, optionIssues, "Pass the detectors as { types: ['phone'] }.");
  const types = o?.types;
  if (types === undefined) return ALL;
  if (!Array.isArray(types)) {
    throw new ValidationError(`${where} options`, [{ path: 'types', code: 'invalid_type', message: `types must be an array of PII types (${PII_TYPES.join(', ')}), got ${kindOf(types)} ${quote(types)}` }]);
  }
  const w: Wanted = { phone: false, email: false, card: false, ssn: false };
  const issues: ValidationIssue[] = [];
  for (let i = 0; i < types.length; i++) {
    const t: unknown = types[i];
    if (t === 'phone' || t === 'email' || t === 'card' || t === 'ssn') w[t] = true;
    else if (issues.length < 20) issues.push({ path: `types[${i}]`, code: 'invalid_value', message: `unknown PII type ${quote(t)}; expected one of ${PII_TYPES.join(', ')}` });
  }
  if (issues.length > 0) throw new ValidationError(`${where} options`, issues);
  return w;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

/**
 * Characters that render as nothing and so can be slipped into an address or a number to hide it: soft hyphen,
 * Mongolian vowel separator, zero-width space / non-joiner / joiner, word joiner and invisible operators, and the
 * zero-width no-break space (BOM). Removed before scanning.
 */
function isInvisible(c: number): boolean {
  return c === 0xad || c === 0x180e || (c >= 0x200b && c <= 0x200d) || (c >= 0x2060 && c <= 0x2064) || c === 0xfeff;
}
const INVISIBLE = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/;
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * The text the detectors read, and where each of its UTF-16 units came from in the original: unit `i` of `text`
 * stands for `[from[i], to[i])` of the original (several units share a span when one character expands under
 * NFKC, e.g. a ligature). `from` is undefined when nothing changed (all ASCII, the common case: no copy at all).
 */
interface Normalised {
  text: string;
  from: number[] | undefined;
  to: number[] | undefined;
}

/**
 * NFKC (full-width digits and '＠' become ASCII), invisible characters dropped. Linear: ASCII runs are copied,
 * each run of non-ASCII characters is normalised as a whole and kept as is when that changes nothing; only a run
 * that changes is normalised character by character, so that every output unit knows its original span.
 */
function normalise(t: string): Normalised {
  if (!NON_ASCII.test(t)) return { text: t, from: undefined, to: undefined };
  const n = t.length;
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let changed = false;
  let i = 0;
  while (i < n) {
    let j = i;
    const ascii = t.charCodeAt(i) < 0x80;
    if (ascii) while (j < n && t.charCodeAt(j) < 0x80) j++;
    else while (j < n && t.charCodeAt(j) >= 0x80) j++;
    const run = t.slice(i, j);
    if (ascii || (!INVISIBLE.test(run) && run.normalize('NFKC') === run)) {
      parts.push(run);
      for (let k = i; k < j; k++) {
        from.push(k);
        to.push(k + 1);
      }
    } else {
      changed = true;
      for (let k = i; k < j; ) {
        const cp = t.codePointAt(k)!;
        const width = cp > 0xffff ? 2 : 1;
        if (!isInvisible(cp)) {
          const u = nfkcOf(cp);
          parts.push(u);
          for (let m = 0; m < u.length; m++) {
            from.push(k);
            to.push(k + width);
          }
        }
        k += width;
      }
    }
    i = j;
  }
  if (!changed) return { text: t, from: undefined, to: undefined };
  return { text: parts.join(''), from, to };
}

/**
 * NFKC of one code point, cached: `normalize` costs about a microsecond a call, and a text repeats its characters.
 * Bounded: a text of all-distinct characters refills it, which keeps the work linear.
 */
const NFKC_CACHE = new Map<number, string>();
const NFKC_CACHE_LIMIT = 65_536;
function nfkcOf(cp: number): string {
  let u = NFKC_CACHE.get(cp);
  if (u === undefined) {
    u = String.fromCodePoint(cp).normalize('NFKC');
    if (NFKC_CACHE.size >= NFKC_CACHE_LIMIT) NFKC_CACHE.clear();
    NFKC_CACHE.set(cp, u);
  }
  return u;
}

/** Scans the normalised form of `text` and reports findings in the original's offsets. */
function scanOriginal(text: string, want: Wanted, firstOnly: boolean): PiiFinding[] {
  const norm = normalise(text);
  const found = scan(norm.text, want, firstOnly);
  const { from, to } = norm;
  if (from === undefined || to === undefined) return found;
  for (const f of found) {
    const start = from[f.start]!;
    const end = to[f.end - 1]!;
    f.start = start;
    f.end = end;
    f.match = text.slice(start, end);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Scan driver

const RANK: Record<PiiType, number> = { card: 4, ssn: 3, email: 2, phone: 1 };

function scan(text: string, want: Wanted, firstOnly: boolean): PiiFinding[] {
  const emails: PiiFinding[] = [];
  if (want.email) scanEmails(text, emails, firstOnly);
  if (firstOnly && emails.length > 0) return emails;
  const numbers: PiiFinding[] = [];
  if (want.phone || want.card || want.ssn) scanNumbers(text, want, numbers, firstOnly);
  if (emails.length === 0) return numbers;
  if (numbers.length === 0) return emails;
  return merge(emails, numbers);
}

/**
 * Each list is sorted and overlap-free; across lists a digit span can sit inside an email. Keep the higher rank
 * (ties: the longer span). Replacing the last kept span cannot create a new overlap: the one before it ended
 * before the replaced span began.
 */
function merge(a: PiiFinding[], b: PiiFinding[]): PiiFinding[] {
  const out: PiiFinding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const f = j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start) ? a[i++]! : b[j++]!;
    const last = out[out.length - 1];
    if (last === undefined || last.end <= f.start) {
      out.push(f);
      continue;
    }
    const better = RANK[f.type] > RANK[last.type] || (RANK[f.type] === RANK[last.type] && f.end - f.start > last.end - last.start);
    if (better) out[out.length - 1] = f;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Characters

const SPACE = 32;
const PLUS = 43;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const AT = 64;
const LPAREN = 40;
const RPAREN = 41;
const UNDERSCORE = 95;

// charCodeAt past either end is NaN, and every comparison with NaN is false: the helpers need no bounds checks.
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlpha(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}
function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}
function isWord(c: number): boolean {
  return isDigit(c) || isAlpha(c) || c === UNDERSCORE;
}
function isCurrency(c: number): boolean {
  return c === 36 || c === 163 || c === 165 || c === 8364;
}
const NBSP = 160;
const EN_DASH = 8211;
/** Separators inside a grouped number. Word processors turn '-' into an en dash and ' ' into a no-break space. */
function isGroupSep(c: number): boolean {
  return c === SPACE || c === DASH || c === NBSP || c === EN_DASH;
}
/** Phones are also written with dots. */
function isSep(c: number): boolean {
  return isGroupSep(c) || c === DOT;
}

function runEnd(t: string, p: number): number {
  while (isDigit(t.charCodeAt(p))) p++;
  return p;
}
/** Digit run end, but never reads more than `cap` digits: callers only need to know "longer than cap". */
function runEndCapped(t: string, p: number, cap: number): number {
  const lim = p + cap + 1;
  while (p < lim && isDigit(t.charCodeAt(p))) p++;
  return p;
}
/** Exactly `n` digits at `p` (the run is not longer). */
function exactDigits(t: string, p: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (!isDigit(t.charCodeAt(p + k))) return false;
  return !isDigit(t.charCodeAt(p + n));
}

/**
 * A number may not be the tail of a longer token: `INV-2024-…`, `v10.2`, `1,234`, `$415…`, `a@…`, `x4111…`.
 * Label punctuation is fine (`SSN:123-45-6789`, `tel. 415…`): ':' and ',' only glue digits to digits.
 */
function leftOk(t: string, s: number): boolean {
  const p = t.charCodeAt(s - 1);
  if (isWord(p) || p === AT || p === PLUS || isCurrency(p)) return false;
  if (p === DASH || p === DOT || p === SLASH) return !isWord(t.charCodeAt(s - 2));
  if (p === COMMA || p === COLON) return !isDigit(t.charCodeAt(s - 2));
  return true;
}
/** '(' and '+' open a number themselves, so only a glued word or '@' before them disqualifies it. */
function openerOk(t: string, p: number): boolean {
  const c = t.charCodeAt(p - 1);
  return !(isWord(c) || c === AT || isCurrency(c));
}
/** Nor the head of one: `…0134x`, `…0134.5`, `…1120/2`, `…@example.com`. Sentence punctuation is fine. */
function rightOk(t: string, e: number): boolean {
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
const CONTEXT_WINDOW = 40;
const GAP = String.raw`[\s:#.=()'"-]*(?:(?:number|num|no|nr|is|at|me|on|us|was|of|the|my|his|her|their|to)\b[\s:#.=()'"-]*){0,4}$`;
const PHONE_CONTEXT = new RegExp(String.raw`\b(?:phone|telephone|tel|mobile|cell|cellphone|call|fax|sms|text|whatsapp|ani|dnis)` + GAP, 'i');
const SSN_CONTEXT = new RegExp(String.raw`(?:\bssn|\bss#|\bsocial[ -]security|\bsoc\.? ?sec)` + GAP, 'i');
function hasContext(t: string, s: number, re: RegExp): boolean {
  return re.test(t.slice(Math.max(0, s - CONTEXT_WINDOW), s));
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers: phone, card, ssn

let hitType: PiiType = 'phone';
let hitStart = 0;
let hitEnd = 0;

function hit(type: PiiType, start: number, end: number): true {
  hitType = type;
  hitStart = start;
  hitEnd = end;
  return true;
}

function scanNumbers(t: string, want: Wanted, out: PiiFinding[], firstOnly: boolean): void {
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
      out.push({ type: hitType, start: hitStart, end: hitEnd, match: t.slice(hitStart, hitEnd) });
      if (firstOnly) return;
      i = hitEnd;
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

// --- phone -----------------------------------------------------------------------------------------------------

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
function nanpFormatted(t: string, p: number): boolean {
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

function nanpPhone(t: string, s: number, e: number, len: number): boolean {
  if (len === 3) return nanpFormatted(t, s);
  if (len === 10) return hasContext(t, s, PHONE_CONTEXT) && nanpBare(t, s, s);
  if (len === 11 && t.charCodeAt(s) === 49) return hasContext(t, s, PHONE_CONTEXT) && nanpBare(t, s, s + 1);
  if (len === 1 && t.charCodeAt(s) === 49) {
    // Trunk prefix: "1-800-555-0199", "1 (800) 555-0199".
    let q = e;
    if (isSep(t.charCodeAt(q))) q++;
    if (q === e && t.charCodeAt(q) !== LPAREN) return false;
    if (nanpFormatted(t, q)) return hit('phone', s, hitEnd);
    return runEnd(t, q) - q === 10 && hasContext(t, s, PHONE_CONTEXT) && nanpBare(t, s, q);
  }
  return false;
}

/** After '+': country code 1 is NANP (and validated as such); anything else is E.164, 8-15 digits. */
function intlPhone(t: string, s: number, e: number): boolean {
  const plus = s - 1;
  if (!openerOk(t, plus)) return false;
  const len = e - s;
  if (t.charCodeAt(s) === 49) {
    if (len === 11) return nanpBare(t, plus, s + 1);
    if (len !== 1) return false;
    let q = e;
    if (isSep(t.charCodeAt(q))) q++;
    if (nanpFormatted(t, q)) return hit('phone', plus, hitEnd);
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

// --- card ------------------------------------------------------------------------------------------------------

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
function continuesGroup(t: string, s: number, sep: number): boolean {
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
function card(t: string, s: number, e: number, len: number): boolean {
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

// --- ssn -------------------------------------------------------------------------------------------------------

/** Published in advertising or wallet inserts, used by thousands of people, never anyone's. */
const SSN_PUBLICISED = new Set(['078051120', '219099999', '457555462']);

function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  return !SSN_PUBLICISED.has(area + group + serial);
}

/** `123-45-6789`, `123 45 6789` (one separator kind); a bare 9-digit run only after an SSN keyword. */
function ssn(t: string, s: number, e: number, len: number): boolean {
  if (len === 9) {
    return hasContext(t, s, SSN_CONTEXT) && rightOk(t, e) && ssnValid(t.slice(s, s + 3), t.slice(s + 3, s + 5), t.slice(s + 5, e)) && hit('ssn', s, e);
  }
  if (len !== 3) return false;
  const sep = t.charCodeAt(e);
  if (!isGroupSep(sep) || continuesGroup(t, s, sep)) return false;
  if (!exactDigits(t, e + 1, 2) || t.charCodeAt(e + 3) !== sep || !exactDigits(t, e + 4, 4)) return false;
  const end = e + 8;
  return rightOk(t, end) && ssnValid(t.slice(s, e), t.slice(e + 1, e + 3), t.slice(e + 4, end)) && hit('ssn', s, end);
}

// ---------------------------------------------------------------------------------------------------------------
// Email

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;
/** Image and asset names written like addresses (`logo@2x.png`): none of these is a real top-level domain. */
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'tif', 'tiff', 'css', 'js', 'html', 'htm', 'json', 'yaml', 'yml']);

const UNICODE_ALNUM = /[\p{L}\p{N}]/u;
/** Internationalised local parts (RFC 6531: `müller@…`) are addresses too; only letters and digits, not quotes. */
function isLocalAlnum(c: number): boolean {
  return isWord(c) || (c >= 128 && UNICODE_ALNUM.test(String.fromCharCode(c)));
}
function isLocalChar(c: number): boolean {
  return isLocalAlnum(c) || c === DOT || c === DASH || c === PLUS || c === 37 || c === 39;
}
function isLabelChar(c: number): boolean {
  return isAlnum(c) || c === DASH;
}

/**
 * Anchored on each '@' (found with indexOf), expanding by hand at most 64 characters left and 253 right: a run
 * of letters with no '@' costs nothing, and no character is examined more than a constant number of times.
 */
function scanEmails(t: string, out: PiiFinding[], firstOnly: boolean): void {
  let from = 0;
  let floor = 0;
  for (;;) {
    const at = t.indexOf('@', from);
    if (at < 0) return;
    const start = localStart(t, at, floor);
    const end = start < 0 ? -1 : domainEnd(t, at + 1);
    if (end < 0) {
      from = at + 1;
      continue;
    }
    out.push({ type: 'email', start, end, match: t.slice(start, end) });
    if (firstOnly) return;
    from = floor = end;
  }
}

/** Start of the local part ending at `at`, or -1. Leading punctuation belongs to the sentence, not the address. */
function localStart(t: string, at: number, floor: number): number {
  let i = at;
  const lim = Math.max(floor, at - LOCAL_MAX);
  while (i > lim) {
    const c = t.charCodeAt(i - 1);
    if (!isLocalChar(c) || (c === DOT && t.charCodeAt(i) === DOT)) break;
    i--;
  }
  if (i === at - LOCAL_MAX && i > floor && isLocalChar(t.charCodeAt(i - 1))) return -1;
  while (i < at && !isLocalAlnum(t.charCodeAt(i))) i++;
  if (i === at || t.charCodeAt(at - 1) === DOT) return -1;
  return i;
}

/** End of the longest dot-separated label sequence after `p` that has 2+ labels and ends in a plausible TLD. */
function domainEnd(t: string, p: number): number {
  const lim = p + DOMAIN_MAX;
  let labels = 0;
  let best = -1;
  while (p < lim) {
    const ls = p;
    while (p < lim && isLabelChar(t.charCodeAt(p))) p++;
    if (p === lim && isLabelChar(t.charCodeAt(p))) break;
    let le = p;
    while (le > ls && t.charCodeAt(le - 1) === DASH) le--;
    if (le === ls || t.charCodeAt(ls) === DASH || le - ls > 63) break;
    labels++;
    if (labels >= 2 && isTld(t, ls, le)) best = le;
    if (le !== p || t.charCodeAt(p) !== DOT || !isLabelChar(t.charCodeAt(p + 1))) break;
    p++;
  }
  return best;
}

function isTld(t: string, s: number, e: number): boolean {
  if (e - s >= 5 && t.startsWith('xn--', s)) return true;
  if (e - s < 2) return false;
  for (let k = s; k < e; k++) if (!isAlpha(t.charCodeAt(k))) return false;
  return !FILE_EXTENSIONS.has(t.slice(s, e).toLowerCase());
}
