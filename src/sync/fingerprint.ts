/**
 * Small fingerprints for change detection: `<window>|<hash>`, where the window is the UTC day (`YYYY-MM-DD`) the
 * key belongs to (so a run can tell a key that vanished inside the look-back from one that aged out of it) and the
 * hash is 53 bits of cyrb53 over the discovery fields. A false "unchanged" needs a collision between two versions of
 * the same key: about 1 in 9e15.
 */
export function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function fingerprint(window: string, fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${window}|${hash53(fields.map((f) => (f === undefined || f === null ? '' : String(f))).join('\u001f'))}`;
}

/** The window part of a fingerprint (`''` for one this module did not write). */
export function windowOf(fp: string): string {
  const i = fp.indexOf('|');
  return i < 0 ? '' : fp.slice(0, i);
}

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a UTC instant. */
export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
