/**
 * Opaque job-results cursors: base64url of the job id and the scan position, plus a keyed checksum, so a client
 * that edits or invents a cursor gets a 400 instead of silently skipping or repeating data.
 */
import { badRequest } from '../engine/http';
import { hash32, hashString } from '../data/rng';

export interface CursorState {
  jobId: string;
  /** Next conversation index to scan. */
  next: number;
  /** Conversations already returned (for the job's `limit`). */
  emitted: number;
  /** The 1-based number of the page this cursor fetches (the first page, without a cursor, is 1). */
  page?: number;
  /** Bumped by the `cursorLoop` fault so each looping cursor is new; the position does not change. */
  loop?: number;
}

function checksum(seed: number, payload: string): string {
  return hash32(seed, hashString(payload), 0x5eed).toString(36);
}

export function encodeCursor(seed: number, s: CursorState): string {
  const payload = Buffer.from(JSON.stringify([s.jobId, s.next, s.emitted, s.page ?? 1, s.loop ?? 0]), 'utf8').toString('base64url');
  return `${payload}.${checksum(seed, payload)}`;
}

export function decodeCursor(seed: number, cursor: string, jobId: string): CursorState {
  const invalid = () => badRequest('The cursor is invalid or does not belong to this job.', 'cursor');
  const [payload, sum, ...rest] = cursor.split('.');
  if (!payload || !sum || rest.length > 0 || checksum(seed, payload) !== sum) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || (parsed.length !== 3 && parsed.length !== 5)) throw invalid();
  const [id, next, emitted, page = 1, loop = 0] = parsed as unknown[];
  if (id !== jobId || typeof next !== 'number' || typeof emitted !== 'number' || typeof page !== 'number' || typeof loop !== 'number') throw invalid();
  return { jobId, next, emitted, page, loop };
}
