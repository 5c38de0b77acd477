import { fsPromises } from '../internal/node-builtins';

/** Makes a rename durable on POSIX; directories cannot be opened for sync on Windows, which is fine to skip. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await fsPromises().open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
