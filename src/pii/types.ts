/** The shapes every file of the scanner shares (pii.ts re-exports the public ones). Imports nothing. */

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

/** Which detectors run (pii.ts reads it from the `types` option). */
export interface Wanted {
  phone: boolean;
  email: boolean;
  card: boolean;
  ssn: boolean;
}
