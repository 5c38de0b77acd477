/**
 * `FileSyncStateStore`: sync state in one local file, as an append-only log.
 *
 * Each `commit()` appends ONE line (`{"v":1,"f":[[stream,key,fingerprint|null],...],"w":[[stream,window,watermark|null,state],...]}`)
 * and fsyncs it: a commit costs its own size, not the size of the whole state (50,000 fingerprints are not
 * rewritten for a batch of 10). A line is the unit of atomicity: a process killed mid-append leaves a torn last line
 * without its newline, which the next open drops (that commit never happened; its batch is delivered again). When
 * the log holds more than `compactAfter` entries and twice the live ones, it is compacted: the live state is written
 * to `<file>.tmp`, fsynced and renamed over the file (atomic on POSIX and NTFS), so a crash during compaction leaves
 * either the old log or the new one.
 *
 * One process at a time per file (a second writer would interleave its lines with the first's).
 */
import { dirname } from 'node:path';
import { fsPromises } from '../internal/node-builtins';
import { SyncStateError } from './errors';
import * as z from 'zod';
import { lazySchema } from '../internal/lazy-schema';
import { expected, parseOptions, refuse } from '../internal/parse-options';
import { positiveInt } from '../internal/schema-fragments';

const WHERE = 'FileSyncStateStore arguments';
const OptionsSchema = lazySchema(() => z.strictObject({ compactAfter: positiveInt().optional() }));
import type { SyncStateSnapshot, SyncStateStore, SyncStateWrite } from './types';

export interface FileSyncStateStoreOptions {
  /** Compact when the log holds more than this many entries (and more than twice the live ones). Default 10,000. */
  compactAfter?: number;
}

type FingerprintEntry = [stream: string, key: string, fingerprint: string | null];
type WatermarkEntry = [stream: string, window: string, watermark: string | null, state: unknown];
interface Line {
  v: 1;
  f?: FingerprintEntry[];
  w?: WatermarkEntry[];
}


export class FileSyncStateStore implements SyncStateStore {
  readonly kind = 'file';
  readonly path: string;
  readonly #compactAfter: number;
  #loaded: Promise<void> | undefined;
  readonly #fingerprints = new Map<string, Map<string, string>>();
  readonly #watermarks = new Map<string, Map<string, { watermark: string | null; state: unknown }>>();
  /** Entries in the log file (live or overwritten). */
  #logEntries = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string, options: FileSyncStateStoreOptions = {}) {
    // Bad arguments are a ValidationError like everywhere else (SyncStateError is for the file itself).
    if (typeof path !== 'string' || path.length === 0 || path.includes('\u0000')) {
      throw refuse(WHERE, 'path', `${expected('a file path', path)}, e.g. new FileSyncStateStore(".gc-data/sync-state.log")`);
    }
    const { compactAfter = 10_000 } = parseOptions(OptionsSchema, options, WHERE);
    this.path = path;
    this.#compactAfter = compactAfter;
  }

  /** Live entries (fingerprints + watermarks) over every stream. */
  get size(): number {
    let n = 0;
    for (const m of this.#fingerprints.values()) n += m.size;
    for (const m of this.#watermarks.values()) n += m.size;
    return n;
  }

  /** Entries in the log file, including overwritten ones (compaction brings it back to `size`). */
  get logEntries(): number {
    return this.#logEntries;
  }

  async load(stream: string): Promise<SyncStateSnapshot> {
    if (typeof stream !== 'string' || stream === '') throw refuse(WHERE, 'stream', expected('a stream name', stream));
    await this.#open();
    return {
      fingerprints: new Map(this.#fingerprints.get(stream) ?? []),
      watermarks: new Map(this.#watermarks.get(stream) ?? []),
    };
  }

  commit(write: SyncStateWrite): Promise<void> {
    // Commits are appended one at a time, in call order.
    const run = this.#queue.then(() => this.#commit(write));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Rewrites the file with the live state only. */
  compact(): Promise<void> {
    const run = this.#queue.then(async () => {
      await this.#open();
      await this.#compact();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commit(write: SyncStateWrite): Promise<void> {
    await this.#open();
    const line: Line = { v: 1 };
    const f: FingerprintEntry[] = (write.fingerprints ?? []).map((x) => [x.stream, x.key, x.fingerprint]);
    const w: WatermarkEntry[] = (write.watermarks ?? []).map((x) => [x.stream, x.window, x.watermark, x.state ?? null]);
    if (f.length === 0 && w.length === 0) return;
    if (f.length) line.f = f;
    if (w.length) line.w = w;
    const fs = fsPromises();
    const handle = await fs.open(this.path, 'a');
    try {
      await handle.writeFile(`${JSON.stringify(line)}\n`);
      await handle.sync();
    } catch (e) {
      throw this.#ioError('append to', e);
    } finally {
      await handle.close();
    }
    this.#applyLine(line);
    if (this.#logEntries > this.#compactAfter && this.#logEntries > 2 * this.size) await this.#compact();
  }

  #applyLine(line: Line): void {
    for (const [stream, key, fp] of line.f ?? []) {
      let m = this.#fingerprints.get(stream);
      if (!m) this.#fingerprints.set(stream, (m = new Map()));
      if (fp === null) m.delete(key);
      else m.set(key, fp);
      this.#logEntries++;
    }
    for (const [stream, window, watermark, state] of line.w ?? []) {
      let m = this.#watermarks.get(stream);
      if (!m) this.#watermarks.set(stream, (m = new Map()));
      m.set(window, { watermark, state: state ?? null });
      this.#logEntries++;
    }
  }

  #open(): Promise<void> {
    return (this.#loaded ??= this.#read().catch((e: unknown) => {
      this.#loaded = undefined;
      throw e;
    }));
  }

  async #read(): Promise<void> {
    const fs = fsPromises();
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') {
        await fs.mkdir(dirname(this.path), { recursive: true }).catch(() => undefined);
        return;
      }
      throw this.#ioError('read', e);
    }
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    const lines = complete.split('\n');
    lines.pop();
    lines.forEach((raw, i) => {
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        throw new SyncStateError(`sync state file ${this.path} line ${i + 1} is not JSON (${JSON.stringify(raw.slice(0, 100))}): the file was edited or damaged; delete it to sync from scratch`, { path: this.path });
      }
      if (line === null || typeof line !== 'object' || line.v !== 1 || (line.f !== undefined && !Array.isArray(line.f)) || (line.w !== undefined && !Array.isArray(line.w))) {
        throw new SyncStateError(`sync state file ${this.path} line ${i + 1} is not a sync state entry (expected {"v":1,"f":[...],"w":[...]}): is this the right file?`, { path: this.path });
      }
      this.#applyLine(line);
    });
    if (complete.length !== text.length) {
      // A torn last line (a crash mid-append): that commit did not happen. Cut it so the next append starts clean.
      await fs.truncate(this.path, Buffer.byteLength(complete)).catch((e: unknown) => {
        throw this.#ioError('repair', e);
      });
    }
  }

  async #compact(): Promise<void> {
    const fs = fsPromises();
    const tmp = `${this.path}.tmp`;
    const parts: string[] = [];
    let entries = 0;
    for (const [stream, m] of this.#fingerprints) {
      // In chunks, so one line stays a reasonable size.
      const all = [...m].map(([k, v]): FingerprintEntry => [stream, k, v]);
      for (let i = 0; i < all.length; i += 5000) parts.push(JSON.stringify({ v: 1, f: all.slice(i, i + 5000) }));
      entries += all.length;
    }
    for (const [stream, m] of this.#watermarks) {
      const all = [...m].map(([k, v]): WatermarkEntry => [stream, k, v.watermark, v.state]);
      if (all.length) parts.push(JSON.stringify({ v: 1, w: all }));
      entries += all.length;
    }
    try {
      const handle = await fs.open(tmp, 'w');
      try {
        await handle.writeFile(parts.length ? `${parts.join('\n')}\n` : '');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, this.path);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw this.#ioError('compact', e);
    }
    this.#logEntries = entries;
  }

  #ioError(what: string, e: unknown): SyncStateError {
    const code = (e as { code?: string }).code;
    return new SyncStateError(`could not ${what} the sync state file ${this.path}${code ? ` (${code})` : ''}: ${e instanceof Error ? e.message.slice(0, 200) : String(e).slice(0, 200)}`, {
      path: this.path,
      cause: e,
    });
  }
}

