/**
 * An append-only JSON-lines file with group commit: lines appended while one write + fsync runs go out together in
 * the next, and `append` resolves when its line is durable. The hold's resume state (`.state/entries.jsonl`,
 * `.state/missing.jsonl`, hold-store.ts) is written through it: one fsync per group of lines instead of one per
 * file recorded. Callers append a file's line only after the file itself is durable (src/transport/download-durable.ts),
 * so a line is never durable before the bytes it vouches for.
 */
import { fsPromises } from '../internal/node-builtins';
import { fsyncDir } from '../sinks/durable';
import { dirnameOf } from '../transport/download-durable';

interface Waiting {
  line: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class AppendLog {
  #queue: Waiting[] = [];
  #flushing = false;
  /** The folder is fsynced after the first write of this process (the file may have been created by it). */
  #dirSynced = false;

  constructor(readonly path: string) {}

  /** Appends `line` (without its newline); resolves once it is on disk. A failed write rejects every line of it. */
  append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ line, resolve, reject });
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#flushing || this.#queue.length === 0) return;
    this.#flushing = true;
    const group = this.#queue;
    this.#queue = [];
    try {
      const handle = await fsPromises().open(this.path, 'a');
      try {
        await handle.write(group.map((w) => `${w.line}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (!this.#dirSynced) {
        await fsyncDir(dirnameOf(this.path));
        this.#dirSynced = true;
      }
      for (const w of group) w.resolve();
    } catch (e) {
      for (const w of group) w.reject(e);
    } finally {
      this.#flushing = false;
      void this.#pump();
    }
  }
}
