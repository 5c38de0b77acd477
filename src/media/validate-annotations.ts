/**
 * Annotation checks of `MediaMetadata.annotate`, in two stages:
 * - `prepareAnnotations`: everything decidable from the input alone (shape, key, length, category, known media
 *   kind, format vs that kind's rule, duplicates, PII). It runs before any request, so its failures cost 0 requests.
 * - `checkAgainstMatrix`: what needs the conversation's recordings (a recording of the annotated kind exists; a
 *   format given without a kind is expected by some recording present). It runs after the recordingmetadata read.
 * Every problem of a stage is reported at once. No message ever echoes a value, or a key that failed a check.
 */
import type { ValidationIssue } from '../errors';
import { scanPii, redactPii, type PiiFinding, type PiiType } from '../pii/pii';
import {
  expectedFormatsIn,
  formatAllowed,
  isKnownMediaKind,
  mediaKindOf,
  normalizeFormat,
  type MediaKind,
  type MediaKindRule,
  type MediaMatrix,
} from './media-matrix';
import { annotationSchema, chars, issueCode, type ResolvedMediaOptions, type StoredAnnotation } from './schemas';

export interface PreparedAnnotation {
  /** Position in the caller's input (list index, or record entry order). */
  index: number;
  /** Path prefix for issues: `annotations[2]` or `annotations.media.duration_sec`. */
  label: string;
  key: string;
  stored: StoredAnnotation;
  kind: MediaKind | undefined;
  format: string | undefined;
  redacted: boolean;
  /** The value was cut to `maxValueLength` (`longValues: 'truncate'`). */
  truncated: boolean;
}

export interface Preparation {
  /** Annotations that passed (only meaningful when `issues` is empty). */
  prepared: PreparedAnnotation[];
  issues: ValidationIssue[];
  /** Entries in the input. */
  total: number;
  /** Entry indices with at least one issue. */
  failed: Set<number>;
  remove: string[];
}

interface RawEntry {
  index: number;
  label: string;
  item: unknown;
  /** A record entry whose object carries a `key` other than its own. */
  keyMismatch?: boolean;
}

const SAFE_LABEL = /^[A-Za-z0-9_-]+$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function entriesOf(input: unknown, o: ResolvedMediaOptions, piiTypes: readonly PiiType[] | undefined, issues: ValidationIssue[]): RawEntry[] {
  if (Array.isArray(input)) return input.map((item: unknown, index) => ({ index, label: `annotations[${index}]`, item }));
  if (isPlainObject(input)) {
    return Object.entries(input).map(([key, v], index) => {
      // The key names the path only when it is a plain identifier with no PII: a bad key must not be echoed.
      const safe = o.keyPattern.test(key) && scanPii(key, piiTypes ? { types: piiTypes } : undefined).length === 0;
      const label = safe ? (SAFE_LABEL.test(key) ? `annotations.${key}` : `annotations[${JSON.stringify(key)}]`) : `annotations[#${index}]`;
      if (typeof v === 'string') return { index, label, item: { key, value: v } };
      if (!isPlainObject(v)) return { index, label, item: v };
      return { index, label, item: { ...v, key }, keyMismatch: 'key' in v && v.key !== key };
    });
  }
  issues.push({ path: 'annotations', message: 'expected a list of annotations or a record of key -> value', code: 'invalid_type' });
  return [];
}

function piiSummary(findings: PiiFinding[]): string {
  const types = [...new Set(findings.map((f) => f.type))].sort();
  return `${types.join(', ')} (${findings.length} match${findings.length === 1 ? '' : 'es'})`;
}

/** Stage 1: all checks that need no request. */
export function prepareAnnotations(
  input: unknown,
  remove: readonly unknown[] | undefined,
  o: ResolvedMediaOptions,
  rules: Record<MediaKind, MediaKindRule>,
  /** Provenance stored with each annotation; `null`: none. */
  source: string | null = o.source,
): Preparation {
  const issues: ValidationIssue[] = [];
  const failed = new Set<number>();
  const schema = annotationSchema(o);
  const scanOpts = o.piiTypes ? { types: o.piiTypes } : undefined;
  const entries = entriesOf(input, o, o.piiTypes, issues);
  const prepared: PreparedAnnotation[] = [];
  const firstAt = new Map<string, string>();
  const anyFormats = Object.values(rules).some((r) => r.formats === null);
  const allFormats = new Set(Object.values(rules).flatMap((r) => r.formats ?? []));

  for (const { index, label, item, keyMismatch } of entries) {
    const before = issues.length;
    const add = (field: string, message: string, code: string) => issues.push({ path: `${label}${field ? `.${field}` : ''}`, message, code });
    if (keyMismatch) add('key', 'a record entry may not carry a different key than its own', 'key_mismatch');

    if (!isPlainObject(item)) {
      add('', 'expected an annotation object { key, value, category?, format?, mediaType? }', 'invalid_type');
      failed.add(index);
      continue;
    }
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const field = i.path.map(String).join('.');
        add(field, i.message, issueCode(i));
      }
    }
    const key = typeof item.key === 'string' ? item.key : undefined;
    const value = typeof item.value === 'string' ? item.value : undefined;
    const category = typeof item.category === 'string' ? item.category : undefined;
    const mediaType = typeof item.mediaType === 'string' ? item.mediaType : undefined;
    const format = typeof item.format === 'string' ? item.format : undefined;

    // Keys, categories and formats name things; PII there is always a mistake and cannot be redacted in place.
    if (key !== undefined) {
      const f = scanPii(key, scanOpts);
      if (f.length > 0) add('key', `key contains PII: ${piiSummary(f)}; keys are never redacted`, 'pii');
    }
    for (const [field, text] of [['category', category], ['format', format]] as const) {
      if (text === undefined) continue;
      const f = scanPii(text, scanOpts);
      if (f.length > 0) add(field, `${field} contains PII: ${piiSummary(f)}; ${field === 'category' ? 'categories' : 'formats'} are never redacted`, 'pii');
    }
    let finalValue = value;
    let redacted = false;
    let truncatedFrom: number | undefined;
    if (value !== undefined) {
      const f = scanPii(value, scanOpts);
      if (f.length > 0 && o.pii === 'reject') {
        add('value', `value contains PII: ${piiSummary(f)}; rejected (pii: 'reject'), the value is not shown`, 'pii');
      } else if (f.length > 0) {
        finalValue = redactPii(value, { ...scanOpts, ...(o.piiMask !== undefined ? { mask: o.piiMask } : {}) });
        redacted = true;
        if (chars(finalValue) > o.maxValueLength && o.longValues === 'reject') {
          add('value', `value is ${chars(finalValue)} characters after redaction; the maximum is ${o.maxValueLength}`, 'too_big');
        }
      }
      if (issues.length === before && o.longValues === 'truncate' && chars(finalValue!) > o.maxValueLength) {
        const cut = truncateValue(finalValue!, o, scanOpts);
        if (cut.pii) {
          add('value', `value contains PII once truncated to ${o.maxValueLength} characters (the cut made a match the whole value did not have: ${piiSummary(cut.pii)}); rejected (pii: 'reject'), the value is not shown`, 'pii');
        } else {
          truncatedFrom = chars(finalValue!);
          finalValue = cut.value;
          if (cut.redacted) redacted = true;
        }
      }
    }

    let kind: MediaKind | undefined;
    if (mediaType !== undefined && mediaType !== '') {
      if (isKnownMediaKind(mediaType)) kind = mediaKindOf(mediaType);
      else add('mediaType', 'mediaType must be one of audio (voice), screen, chat, message (messaging), email', 'invalid_value');
    }
    if (format !== undefined && format !== '') {
      if (kind !== undefined) {
        const expected = rules[kind].formats;
        if (!formatAllowed(format, expected)) add('format', `format is not expected for ${kind} media; expected one of ${(expected ?? []).join(', ')}`, 'format');
      } else if (mediaType === undefined && !anyFormats && !allFormats.has(normalizeFormat(format))) {
        add('format', `format is not expected for any media kind; known formats: ${[...allFormats].sort().join(', ')}`, 'format');
      }
    }

    if (key !== undefined) {
      const prev = firstAt.get(key);
      if (prev !== undefined) add('key', `duplicate key: the same key is already at ${prev}`, 'duplicate');
      else firstAt.set(key, label);
    }

    if (issues.length > before) {
      failed.add(index);
      continue;
    }
    const stored: StoredAnnotation = { value: finalValue!, category: category ?? o.defaultCategory };
    if (format !== undefined) stored.format = normalizeFormat(format);
    if (kind !== undefined) stored.mediaType = kind;
    if (source !== null) stored.source = source;
    if (truncatedFrom !== undefined) stored.truncatedFrom = truncatedFrom;
    prepared.push({ index, label, key: key!, stored, kind, format, redacted, truncated: truncatedFrom !== undefined });
  }

  const removeKeys: string[] = [];
  if (remove !== undefined) {
    remove.forEach((k, i) => {
      if (typeof k !== 'string' || k === '' || !o.keyPattern.test(k) || chars(k) > o.maxKeyLength) {
        issues.push({ path: `remove[${i}]`, message: `each key to remove must be a non-empty string matching ${String(o.keyPattern)}`, code: 'invalid_format' });
      } else if (firstAt.has(k)) {
        issues.push({ path: `remove[${i}]`, message: `the key is both set (at ${firstAt.get(k)!}) and removed`, code: 'duplicate' });
      } else if (!removeKeys.includes(k)) removeKeys.push(k);
    });
  }
  if (entries.length === 0 && removeKeys.length === 0 && issues.length === 0) {
    issues.push({ path: 'annotations', message: 'nothing to write: no annotations and no keys to remove', code: 'too_small' });
  }
  return { prepared, issues, total: entries.length, failed, remove: removeKeys };
}

/**
 * `longValues: 'truncate'`: `text` cut to `maxValueLength` characters including the marker. The cut falls on a
 * grapheme boundary (never inside a surrogate pair, nor between a letter and its combining mark or inside an emoji
 * sequence), falling back to a code-point boundary when one grapheme alone is longer than the room left.
 *
 * A cut can create PII that the whole value did not have: `555-123-45678` is no phone number, its first 12
 * characters followed by the marker are. So the cut value is scanned again: in redact mode it is redacted (and cut
 * again if the mask made it longer), in reject mode the finding is returned and the caller rejects the value.
 */
function truncateValue(
  text: string,
  o: ResolvedMediaOptions,
  scanOpts: { types: PiiType[] } | undefined,
): { value: string; redacted: boolean; pii?: undefined } | { pii: PiiFinding[] } {
  let value = text;
  let redacted = false;
  for (let round = 0; round < 4; round++) {
    if (chars(value) > o.maxValueLength) value = cutTo(value, o.maxValueLength - chars(o.truncationMarker)) + o.truncationMarker;
    const found = scanPii(value, scanOpts);
    if (found.length === 0) return { value, redacted };
    if (o.pii === 'reject') return { pii: found };
    value = redactPii(value, { ...scanOpts, ...(o.piiMask !== undefined ? { mask: o.piiMask } : {}) });
    redacted = true;
  }
  // Mask, cut, find, mask again...: give up on the text rather than write something unchecked.
  return { value: o.truncationMarker, redacted };
}

let graphemes: Intl.Segmenter | undefined;

/** The longest prefix of `text` with at most `room` characters (code points) that ends on a grapheme boundary. */
function cutTo(text: string, room: number): string {
  if (room <= 0) return '';
  graphemes ??= typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;
  let end = 0;
  let used = 0;
  if (graphemes) {
    for (const { segment, index } of graphemes.segment(text)) {
      const n = chars(segment);
      if (used + n > room) break;
      used += n;
      end = index + segment.length;
    }
    if (end > 0 || used === room) return text.slice(0, end);
  }
  // No segmenter, or the first grapheme alone is too long: cut between code points.
  used = 0;
  end = 0;
  for (const cp of text) {
    if (used === room) break;
    used++;
    end += cp.length;
  }
  return text.slice(0, end);
}

/** Stage 2: checks against the conversation's recordings. Returns the issues and the entries that failed. */
export function checkAgainstMatrix(prepared: readonly PreparedAnnotation[], matrix: MediaMatrix): { issues: ValidationIssue[]; failed: Set<number> } {
  const issues: ValidationIssue[] = [];
  const failed = new Set<number>();
  const present = Object.keys(matrix.byKind).sort();
  const has = present.length ? `it has: ${present.join(', ')}` : 'it has no recordings';
  for (const p of prepared) {
    if (p.kind !== undefined) {
      if (matrix.byKind[p.kind] === undefined) {
        issues.push({ path: `${p.label}.mediaType`, message: `the conversation has no ${p.kind} recording (${has})`, code: 'format' });
        failed.add(p.index);
      }
    } else if (p.format !== undefined) {
      const expected = expectedFormatsIn(matrix);
      if (expected === undefined) {
        issues.push({ path: `${p.label}.format`, message: 'the conversation has no recordings to check the format against', code: 'format' });
        failed.add(p.index);
      } else if (!formatAllowed(p.format, expected)) {
        issues.push({ path: `${p.label}.format`, message: `format is not expected for this conversation's recordings (${has}); expected one of ${(expected ?? []).join(', ')}`, code: 'format' });
        failed.add(p.index);
      }
    }
  }
  return { issues, failed };
}
