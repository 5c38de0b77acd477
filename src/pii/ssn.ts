/** US Social Security numbers: `123-45-6789` / `123 45 6789`, or 9 bare digits after an SSN keyword; invalid areas and publicised numbers excluded. */
import { SSN_CONTEXT, exactDigits, hasContext, isGroupSep, rightOk } from './chars';
import { continuesGroup } from './card';
import { hit } from './hit';

/** Published in advertising or wallet inserts, used by thousands of people, never anyone's. */
const SSN_PUBLICISED = new Set(['078051120', '219099999', '457555462']);

function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  return !SSN_PUBLICISED.has(area + group + serial);
}

/** `123-45-6789`, `123 45 6789` (one separator kind); a bare 9-digit run only after an SSN keyword. */
export function ssn(t: string, s: number, e: number, len: number): boolean {
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
