/**
 * Fast ISO-8601 formatting (`2026-11-20T09:30:00.000Z`, as Date#toISOString). Generation formats several instants
 * per conversation and streaming a million of them spent a third of its time in toISOString; the date part changes
 * rarely, so it is cached and the time part is built from lookup tables.
 */
const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY = 86_400_000;
const SLOTS = 8;
const days = new Float64Array(SLOTS).fill(NaN);
const prefixes: string[] = new Array<string>(SLOTS).fill('');
let next = 0;

function prefixOf(day: number): string {
  for (let i = 0; i < SLOTS; i++) if (days[i] === day) return prefixes[i] ?? '';
  const p = new Date(day * DAY).toISOString().slice(0, 11);
  days[next] = day;
  prefixes[next] = p;
  next = (next + 1) % SLOTS;
  return p;
}

export function iso(time: number): string {
  const t = Math.floor(time);
  // Outside years 0..9999 toISOString uses a six-digit year; leave those to it.
  if (t < -62_167_219_200_000 || t >= 253_402_300_800_000) return new Date(t).toISOString();
  const day = Math.floor(t / DAY);
  let ms = t - day * DAY;
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const m = Math.floor(ms / 60_000);
  ms -= m * 60_000;
  const s = Math.floor(ms / 1000);
  ms -= s * 1000;
  return `${prefixOf(day)}${P2[h] ?? ''}:${P2[m] ?? ''}:${P2[s] ?? ''}.${P3[ms] ?? ''}Z`;
}
