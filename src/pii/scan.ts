/** One scan: normalise, run the email and number detectors, merge their findings, map offsets back to the original. */
import { scanEmails } from './email';
import { normalise } from './normalise';
import { scanNumbers } from './numbers';
import type { PiiFinding, PiiType, Wanted } from './types';

/** Scans the normalised form of `text` and reports findings in the original's offsets. */
export function scanOriginal(text: string, want: Wanted, firstOnly: boolean): PiiFinding[] {
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
