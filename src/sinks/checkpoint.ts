/**
 * Where long exports remember how far they got (last finished window, job id and cursor, ...), so a new process
 * resumes instead of starting over. Files are written atomically: temp file, fsync, rename, fsync of the
 * directory; a crash leaves either the previous checkpoint or the new one, never a torn file.
 */
import { basename, dirname, join } from 'node:path';
import { fsPromises, nodeCrypto } from '../internal/node-builtins';
import { ValidationError } from '../errors';
import { fsyncDir } from './durable';
import { checkFileCheckpointOptions } from './options';

/** What exporters take: load the last state, save a new one, clear it when the work is complete. */
export interface Checkpoint<T> {
  load(): Promise<T | undefined>;
  save(state: T): Promise<void>;
  clear(): Promise<void>;
}

/** The file format. `kind` says which job wrote it, so one job never resumes from another's state. */
export interface CheckpointEnvelope<T> {
  version: 1;
  kind: string;
  /** ISO UTC time of the save. */
  savedAt: string;
  state: T;
}

export interface FileCheckpointOptions<T> {
  /** Names the job (e.g. `report-jobs:conversations`); a file of another kind is refused on load. */
  kind: string;
  /** Checks the loaded state (e.g. a zod schema's `parse`); a throw is reported as a ValidationError. */
  parse?: (state: unknown) => T;
  /** Clock for `savedAt` (tests). */
  now?: () => Date;
}

const WHERE = 'checkpoint';

function refuse(path: string, message: string): ValidationError {
  return new ValidationError(
    WHERE,
    [{ path, message }],
    `Delete ${path} to start over, or use another checkpoint path for this job.`,
  );
}

/** A checkpoint stored as one JSON file. Saves are serialized: the last `save()` call wins. */
export class FileCheckpoint<T> implements Checkpoint<T> {
  readonly path: string;
  readonly kind: string;
  private readonly parse: ((state: unknown) => T) | undefined;
  private readonly now: () => Date;
  private queue: Promise<void> = Promise.resolve();

  constructor(path: string, options: FileCheckpointOptions<T>) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new ValidationError(WHERE, [{ path: 'path', message: 'the checkpoint path is empty' }]);
    }
    checkFileCheckpointOptions(options, WHERE);
    this.path = path;
    this.kind = options.kind;
    this.parse = options.parse;
    this.now = options.now ?? (() => new Date());
  }

  async load(): Promise<T | undefined> {
    await this.queue;
    let text: string;
    try {
      text = await fsPromises().readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    let envelope: Partial<CheckpointEnvelope<unknown>>;
    try {
      envelope = JSON.parse(text) as Partial<CheckpointEnvelope<unknown>>;
    } catch {
      throw refuse(this.path, 'is not valid JSON (a checkpoint file is written atomically, so something else wrote it)');
    }
    if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope) || !('state' in envelope)) {
      throw refuse(this.path, 'is not a checkpoint file (expected { version, kind, savedAt, state })');
    }
    if (envelope.version !== 1) {
      throw refuse(this.path, `has checkpoint format version ${String(envelope.version)}; this version of the SDK reads version 1`);
    }
    if (envelope.kind !== this.kind) {
      throw refuse(this.path, `belongs to a "${String(envelope.kind)}" job, not "${this.kind}"`);
    }
    if (!this.parse) return envelope.state as T;
    try {
      return this.parse(envelope.state);
    } catch (err) {
      throw refuse(this.path, `has a state this job cannot use: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  save(state: T): Promise<void> {
    // Serialize now: later mutation of `state` by the caller must not change what this call saves.
    const envelope: CheckpointEnvelope<T> = { version: 1, kind: this.kind, savedAt: this.now().toISOString(), state };
    const text = `${JSON.stringify(envelope, null, 2)}\n`;
    return this.enqueue(() => writeAtomic(this.path, text));
  }

  clear(): Promise<void> {
    return this.enqueue(async () => {
      try {
        await fsPromises().unlink(this.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Writes `text` to `path` so that readers see the old content or the new, never a partial file. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await fsPromises().mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
  const handle = await fsPromises().open(temp, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fsPromises().unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await fsPromises().rename(temp, path);
  } catch (err) {
    await fsPromises().unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/**
 * In-memory checkpoint for tests and for callers that keep state elsewhere. States are copied through JSON on
 * save and load, like the file version, so a test sees exactly what a resumed process would.
 */
export class MemoryCheckpoint<T> implements Checkpoint<T> {
  private text: string | undefined;
  /** How many times `save` was called (handy in tests). */
  saves = 0;

  constructor(initial?: T) {
    if (initial === undefined) return;
    // A state is an object that survives JSON (what a FileCheckpoint stores): `new MemoryCheckpoint(5)` was kept.
    let text: string | undefined;
    try {
      text = typeof initial === 'object' && initial !== null ? JSON.stringify(initial) : undefined;
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      throw new ValidationError('MemoryCheckpoint arguments', [{ path: 'initial', code: 'invalid_type', message: `expected a state object that JSON can hold, got ${Array.isArray(initial) ? 'an array' : typeof initial}` }]);
    }
    this.text = text;
  }

  async load(): Promise<T | undefined> {
    return this.text === undefined ? undefined : (JSON.parse(this.text) as T);
  }

  async save(state: T): Promise<void> {
    this.text = JSON.stringify(state);
    this.saves++;
  }

  async clear(): Promise<void> {
    this.text = undefined;
  }
}
