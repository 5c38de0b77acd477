/**
 * Checked field readers for the warehouse rows. Keys and change times are checked strictly (a bad one is a
 * ValidationError naming the change and field, before anything is sent); so is every typed column: a value that is
 * present but unusable (an id that is not a UUID, a date that does not parse) would otherwise be lost without a trace.
 */
import type { ValidationIssue } from '../errors';

/** A date as the platform sends it (ISO string), or epoch ms, or a Date. */
export type DateInput = string | number | Date;

/** Where a value sits: built only when there is something to report (paths cost a string per field otherwise). */
export type PathBase = string | { path(): string };

const at = (base: PathBase, suffix: string) => (typeof base === 'string' ? base : base.path()) + suffix;

/**
 * The id in lower case (as PostgreSQL prints uuids, so ids sent and ids returned compare equal), or undefined when
 * it is not a UUID (8-4-4-4-12 hex digits).
 */
export function canonicalUuid(s: string): string | undefined {
  if (s.length !== 36) return undefined;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const ch = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (ch !== 45) return undefined; // -
    } else if (ch >= 65 && ch <= 70) upper = true; // A-F
    else if (!((ch >= 48 && ch <= 57) || (ch >= 97 && ch <= 102))) return undefined; // 0-9 a-f
  }
  return upper ? s.toLowerCase() : s;
}

/** At most ~100 characters of a bad value, for error text. */
export function quote(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}

// Date.parse reads a date-time without offset as local time; the platform means UTC.
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
// The platform's own form: returned as is, saving a Date and a string per date cell. Days 29-31 take the slow path
// so that 2023-02-30 cannot slip through.
const CANONICAL_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** Collects issues (at most 20) while rows are built; the caller throws one ValidationError with all of them. */
export class Checker {
  readonly issues: ValidationIssue[] = [];
  /** Valid uuids seen (as given -> canonical): the ids of a form repeat in every evaluation of a batch. */
  private readonly uuids = new Map<string, string>();

  add(path: string, message: string): void {
    if (this.issues.length < 20) this.issues.push({ path, message });
  }

  uuid(value: unknown, base: PathBase, suffix = '', required = false): string | null {
    if (value === null || value === undefined) {
      if (required) this.add(at(base, suffix), 'is required (the platform id, a UUID)');
      return null;
    }
    if (typeof value === 'string') {
      const seen = this.uuids.get(value);
      if (seen !== undefined) return seen;
      const id = canonicalUuid(value);
      if (id !== undefined) {
        if (this.uuids.size >= 4096) this.uuids.clear();
        this.uuids.set(value, id);
        return id;
      }
    }
    this.add(at(base, suffix), `must be a UUID as the platform's ids are, got ${quote(value)}`);
    return null;
  }

  /** `id` of a reference object such as `agent`. */
  refId(ref: unknown, base: PathBase, suffix = ''): string | null {
    if (ref === null || ref === undefined) return null;
    if (typeof ref !== 'object') {
      this.add(at(base, suffix), `must be an object with an id, got ${quote(ref)}`);
      return null;
    }
    return this.uuid((ref as { id?: unknown }).id, base, `${suffix}.id`);
  }

  /** ISO UTC string, or null. */
  date(value: unknown, base: PathBase, suffix = '', required = false): string | null {
    if (value === null || value === undefined) {
      if (required) this.add(at(base, suffix), 'is required: an ISO-8601 date-time, epoch ms or a Date');
      return null;
    }
    if (typeof value === 'string' && value.length === 24 && CANONICAL_ISO.test(value)) return value;
    let ms = Number.NaN;
    if (typeof value === 'string') ms = Date.parse(LOCAL_DATE_TIME.test(value) ? `${value}Z` : value);
    else if (typeof value === 'number') ms = value;
    else if (value instanceof Date) ms = value.getTime();
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
      this.add(at(base, suffix), `must be an ISO-8601 date-time, epoch ms or a Date, got ${quote(value)}`);
      return null;
    }
    return new Date(ms).toISOString();
  }

  num(value: unknown, base: PathBase, suffix = ''): number | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.add(at(base, suffix), `must be a finite number, got ${quote(value)}`);
    return null;
  }

  int(value: unknown, base: PathBase, suffix = ''): number | null {
    const n = this.num(value, base, suffix);
    return n === null ? null : Math.round(n);
  }

  bool(value: unknown, base: PathBase, suffix = ''): boolean | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'boolean') return value;
    this.add(at(base, suffix), `must be true or false, got ${quote(value)}`);
    return null;
  }

  str(value: unknown, base: PathBase, suffix = ''): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    this.add(at(base, suffix), `must be a string, got ${quote(value)}`);
    return null;
  }

  /** A plain object (not an array), else an issue and false. */
  object(value: unknown, path: string, what: string): boolean {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return true;
    this.add(path, `must be ${what}, got ${quote(value)}`);
    return false;
  }
}
