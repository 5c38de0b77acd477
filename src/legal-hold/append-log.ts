/**
 * An append-only JSON-lines file with group commit: lines appended while one write + fsync runs go out together in
 * the next, and `append` resolves when its line is durable. The hold's resume state (`.state/entries.jsonl`,
 * `.state/missing.jsonl`, hold-store.ts) is written through it: one fsync per group of lines instead of one per
 * file recorded. Callers append a file's line only after the file itself is durable (src/transport/download-durable.ts),
 * so a line is never durable before the bytes it vouches for.
 */
import { GroupCommit } from '../internal/group-commit';
import { fsPromises } from '../internal/node-builtins';
import { fsyncDir } from '../sinks/durable';
import { dirnameOf } from '../transport/download-durable';

export class AppendLog {
  /** The folder is fsynced after the first write of this process (the file may have been created by it). */
  #dirSynced = false;
  readonly #lines = new GroupCommit<string>(async (lines) => {
    const handle = await fsPromises().open(this.path, 'a');
    try {
      await handle.write(lines.map((l) => `${l}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!this.#dirSynced) {
      await fsyncDir(dirnameOf(this.path));
      this.#dirSynced = true;
    }
  });

  constructor(readonly path: string) {}

  /** Appends `line` (without its newline); resolves once it is on disk. A failed write rejects every line of it. */
  append(line: string): Promise<void> {
    return this.#lines.commit(line);
  }
}
