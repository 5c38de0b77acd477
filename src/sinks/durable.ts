import { open } from 'node:fs/promises';

/** Makes a rename durable on POSIX; directories cannot be opened for sync on Windows, which is fine to skip. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
