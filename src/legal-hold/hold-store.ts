/**
 * The hold folder, its resume state and the manifest entries recorded so far (see legal-hold.ts for the layout).
 * Entries are appended to `.state/entries.jsonl` as each file is finalised, so a killed export knows exactly what it
 * holds. The durability rule (docs/legal-hold.md, "Durability"): a file's entry is appended only once the file is
 * durable under its final name, and both steps go in groups: files through DurableGroups
 * (src/transport/download-durable.ts: temp file written, group fsync, rename, folder fsync), entries through
 * AppendLog (append-log.ts: one write and fsync per group of lines).
 */
import type { Clock } from '../internal/clock';
import { canonicalJson } from '../helpers/canonical-json';
import { ValidationError } from '../errors';
import { fsPromises, nodeCrypto } from '../internal/node-builtins';
import { writeAtomic } from '../sinks/checkpoint';
import { DurableGroups } from '../transport/download-durable';
import { AppendLog } from './append-log';
import { byPath, join, manifestLine, STATE_DIR, type ManifestEntry } from './manifest';

export interface MissingRecording {
  conversationId: string;
  recordingId: string;
  /** The platform's errorMsg, or (reason `not-returned`) why the hold counts it as missing. */
  errorMsg: string;
  reason: 'platform-error' | 'not-returned';
  jobId: string;
  expectedResultCount: number | undefined;
  resultCount: number | undefined;
}

/** The folder, its resume state and the manifest entries recorded so far (durable ones only). */
export class HoldStore {
  readonly #entries = new Map<string, ManifestEntry>();
  readonly #durable = new DurableGroups();
  readonly #entryLog: AppendLog;
  readonly #missingLog: AppendLog;
  resumed = false;
  private constructor(
    readonly folder: string,
    readonly clock: Clock,
  ) {
    this.#entryLog = new AppendLog(join(folder, STATE_DIR, 'entries.jsonl'));
    this.#missingLog = new AppendLog(join(folder, STATE_DIR, 'missing.jsonl'));
  }

  static async open(folder: string, definition: Record<string, unknown>, clock: Clock): Promise<HoldStore> {
    const fs = fsPromises();
    const store = new HoldStore(folder, clock);
    const text = canonicalJson(definition);
    let existing: string | undefined;
    try {
      existing = await fs.readFile(join(folder, 'hold.json'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (existing !== undefined && existing.trim() !== text) {
      throw new ValidationError('LegalHold.export() options', [
        { path: 'out', message: `${folder} holds another hold (its hold.json has another selection or options): use a new folder for this hold, or the same options to resume that one` },
      ]);
    }
    await fs.mkdir(join(folder, STATE_DIR), { recursive: true });
    try {
      const lines = (await fs.readFile(join(folder, STATE_DIR, 'entries.jsonl'), 'utf8')).split('\n');
      for (const line of lines) {
        if (!line) continue;
        try {
          const e = JSON.parse(line) as ManifestEntry;
          store.#entries.set(e.path, e);
        } catch {
          // A line cut by a crash: that file is fetched again.
        }
      }
      store.resumed = store.#entries.size > 0;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    // Written (again) unless recorded: a run killed between the write and its entry writes it once more.
    if (existing === undefined || !store.has('hold.json')) await store.writeText('hold.json', text, {}, null);
    return store;
  }

  /** Now, by the client's clock, as a manifest's retrieval time. */
  retrievedAt(): string {
    return new Date(this.clock.now()).toISOString();
  }

  has(path: string): boolean {
    return this.#entries.has(path);
  }

  entries(): ManifestEntry[] {
    return [...this.#entries.values()].sort(byPath);
  }

  paths(prefix: string): string[] {
    return [...this.#entries.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  count(prefix: string): number {
    return this.paths(prefix).length;
  }

  recordingKeys(): Set<string> {
    const out = new Set<string>();
    for (const e of this.#entries.values()) if (e.source.recordingId && e.path !== 'missing-recordings.json' && !e.path.endsWith('/metadata.json')) out.add(recKey({ conversationId: e.source.conversationId ?? '', recordingId: e.source.recordingId }));
    return out;
  }

  recordingBytes(): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.source.recordingId) n += e.size;
    return n;
  }

  async writeJson(path: string, value: unknown, source: Record<string, string>, correlationId: string | null): Promise<void> {
    await this.writeText(path, `${JSON.stringify(value, null, 2)}\n`, source, correlationId);
  }

  async writeText(path: string, text: string, source: Record<string, string>, correlationId: string | null): Promise<void> {
    await this.writeBytes(path, Buffer.from(text, 'utf8'), source, correlationId);
  }

  /** Writes `path` (temp file, then group fsync and rename), then records its entry. */
  async writeBytes(path: string, bytes: Buffer, source: Record<string, string>, correlationId: string | null): Promise<void> {
    await writeDurably(join(this.folder, path), bytes, this.#durable);
    const sha256 = nodeCrypto().createHash('sha256').update(bytes).digest('hex');
    await this.record({ path, size: bytes.length, sha256, source, retrievedAt: this.retrievedAt(), correlationId });
  }

  /** Records a file that is already durable under its final name (the caller's promise: see the header). */
  async record(entry: ManifestEntry): Promise<void> {
    await this.#entryLog.append(manifestLine(entry));
    this.#entries.set(entry.path, entry);
  }

  async addMissing(m: MissingRecording): Promise<void> {
    await this.#missingLog.append(JSON.stringify(m));
  }

  async missing(): Promise<MissingRecording[]> {
    const text = await this.readRaw('missing.jsonl');
    const out = new Map<string, MissingRecording>();
    for (const line of (text ?? '').split('\n')) {
      if (!line) continue;
      try {
        const m = JSON.parse(line) as MissingRecording;
        out.set(recKey(m), m);
      } catch {
        // cut by a crash: asked again
      }
    }
    return [...out.values()];
  }

  async readState<T>(name: string): Promise<T | undefined> {
    const text = await this.readRaw(name);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async hasState(name: string): Promise<boolean> {
    return (await this.readRaw(name)) !== undefined;
  }

  async writeState(name: string, value: unknown): Promise<void> {
    await writeAtomic(join(this.folder, STATE_DIR, name), JSON.stringify(value));
  }

  private async readRaw(name: string): Promise<string | undefined> {
    try {
      return await fsPromises().readFile(join(this.folder, STATE_DIR, name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
}

/** A temp file beside `path` (the export removes those a killed run left), made durable as `path` in a group. */
async function writeDurably(path: string, bytes: Buffer, durable: DurableGroups): Promise<void> {
  const fs = fsPromises();
  const dir = path.slice(0, path.lastIndexOf('/')) || '.';
  await fs.mkdir(dir, { recursive: true });
  const temp = `${path}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(bytes);
  } catch (e) {
    await handle.close();
    throw e;
  }
  // The group closes the handle after its fsync.
  await durable.commit(temp, path, handle);
}

export const recKey = (r: { conversationId: string; recordingId: string }): string => `${r.conversationId.toLowerCase()}/${r.recordingId.toLowerCase()}`;

/** Ids become file names: anything outside [A-Za-z0-9_-] is percent-encoded, so an id can never leave its folder. */
export function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
