/** The text the detectors read: NFKC with invisible characters removed, mapped back to the original's offsets. */

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
export interface Normalised {
  text: string;
  from: number[] | undefined;
  to: number[] | undefined;
}

/**
 * NFKC (full-width digits and '＠' become ASCII), invisible characters dropped. Linear: ASCII runs are copied,
 * each run of non-ASCII characters is normalised as a whole and kept as is when that changes nothing; only a run
 * that changes is normalised character by character, so that every output unit knows its original span.
 */
export function normalise(t: string): Normalised {
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
