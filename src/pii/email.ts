/** Email addresses, anchored on each '@': a local part (internationalised letters allowed) and a domain of 2+ labels ending in a plausible TLD. */
import { DASH, DOT, PLUS, isAlnum, isAlpha, isWord } from './chars';
import type { PiiFinding } from './types';

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
export function scanEmails(t: string, out: PiiFinding[], firstOnly: boolean): void {
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
