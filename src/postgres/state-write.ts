/** Sync state (fingerprints, watermarks) checked before a batch, and written inside the batch's transaction. */
import { lockKey } from './batch-order';
import { quote, type Checker } from './checker';
import { textCopy } from './copy-format';
import type { Session } from './driver';
import type { SyncStateWrite } from './types';

export interface StateRows {
  fingerprints: Array<[stream: string, key: string, fingerprint: string | null]>;
  watermarks: Array<[stream: string, window: string, watermark: string | null, state: unknown]>;
}

/** Checks `state`; the last write of a key (or window) in the batch wins. */
export function stateRows(state: SyncStateWrite | undefined, c: Checker, path: string): StateRows {
  const fingerprints = new Map<string, StateRows['fingerprints'][number]>();
  const watermarks = new Map<string, StateRows['watermarks'][number]>();
  if (state === undefined) return { fingerprints: [], watermarks: [] };
  if (state === null || typeof state !== 'object') {
    c.add(path, `must be { fingerprints?, watermarks? }, got ${quote(state)}`);
    return { fingerprints: [], watermarks: [] };
  }
  const text = (v: unknown, p: string) => {
    if (typeof v === 'string' && v.length > 0) return true;
    c.add(p, `must be a non-empty string, got ${quote(v)}`);
    return false;
  };
  (state.fingerprints ?? []).forEach((f, i) => {
    const p = `${path}.fingerprints[${i}]`;
    if (!text(f?.stream, `${p}.stream`) || !text(f.key, `${p}.key`)) return;
    if (f.fingerprint !== null && typeof f.fingerprint !== 'string') return c.add(`${p}.fingerprint`, `must be a string or null, got ${quote(f.fingerprint)}`);
    fingerprints.set(`${f.stream}\u0000${f.key}`, [f.stream, f.key, f.fingerprint]);
  });
  (state.watermarks ?? []).forEach((w, i) => {
    const p = `${path}.watermarks[${i}]`;
    if (!text(w?.stream, `${p}.stream`) || !text(w.window, `${p}.window`)) return;
    const at = w.watermark === null ? null : c.date(w.watermark, p, '.watermark', true);
    watermarks.set(`${w.stream}\u0000${w.window}`, [w.stream, w.window, at, w.state === undefined ? null : w.state]);
  });
  return { fingerprints: [...fingerprints.values()], watermarks: [...watermarks.values()] };
}

/** The sync-state rows a batch writes (src/postgres/batch-order.ts). */
export function stateLockKeys(rows: StateRows): Set<string> {
  const keys = new Set<string>();
  for (const [stream, key] of rows.fingerprints) keys.add(lockKey('sync_fingerprints', `${stream}\u0000${key}`));
  for (const [stream, window] of rows.watermarks) keys.add(lockKey('sync_watermarks', `${stream}\u0000${window}`));
  return keys;
}

/** Writes checked state rows in the caller's transaction (`s`: the quoted schema). */
export async function writeStateIn(q: Session, s: string, rows: StateRows): Promise<void> {
  if (rows.fingerprints.length > 0) {
    await q.exec(`CREATE TEMP TABLE gc_stage_fingerprints (stream text NOT NULL, key text NOT NULL, fingerprint text) ON COMMIT DROP`);
    await q.copyFrom('gc_stage_fingerprints', ['stream', 'key', 'fingerprint'], textCopy(rows.fingerprints));
    await q.exec(`DELETE FROM ${s}.sync_fingerprints f USING gc_stage_fingerprints g
  WHERE g.fingerprint IS NULL AND f.stream = g.stream AND f.key = g.key;
INSERT INTO ${s}.sync_fingerprints (stream, key, fingerprint)
  SELECT stream, key, fingerprint FROM gc_stage_fingerprints WHERE fingerprint IS NOT NULL
  ON CONFLICT (stream, key) DO UPDATE SET fingerprint = excluded.fingerprint, updated_at = now();`);
  }
  for (const [stream, window, watermark, state] of rows.watermarks) {
    await q.query(
      `INSERT INTO ${s}.sync_watermarks (stream, window_key, watermark, state) VALUES ($1, $2, $3, $4::jsonb)
  ON CONFLICT (stream, window_key) DO UPDATE SET watermark = excluded.watermark, state = excluded.state, updated_at = now()`,
      [stream, window, watermark, state === null ? null : JSON.stringify(state)],
    );
  }
}
