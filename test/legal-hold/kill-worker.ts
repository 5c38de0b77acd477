/**
 * One hold export in a process of its own, for test/legal-hold/kill.test.ts:
 *   node --import tsx test/legal-hold/kill-worker.ts '<KillWorkerConfig JSON>'
 * It builds the same simulated org as helpers.ts (env-options.ts) and exports into `out`. FileHandle's fsync is
 * wrapped: the first fsync of a recording's `.part` (`hangAt: 'file'`), or of a recordings folder after a recording
 * was fsynced (`hangAt: 'folder'`), never returns and prints `syncing <path>` (half a second later, while the rest of
 * the export runs on), so the parent kills the process with SIGKILL with that fsync unfinished: after the file's bytes were written and before its group fsync (or after the group's
 * renames and before the folder's fsync). Linux only (the path of a file descriptor comes from /proc/self/fd).
 */
import { readlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LegalHold } from '../../src/legal-hold/index';
import { configureLegalHoldSim, connectSimulated, createFakeClock, startRecordingFilesServer } from '../../src/testing/index';
import { ANCHOR, CLIENT_OPTIONS, DAY, SERVER_OPTIONS, SIM_OPTIONS } from './env-options';

export interface KillWorkerConfig {
  out: string;
  hangAt: 'file' | 'folder';
  recordingBytes: number;
  concurrency: number;
}

async function main(config: KillWorkerConfig): Promise<void> {
  const probe = await open(process.argv[1]!, 'r');
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const sync = proto.sync;
  let recordingSynced = false;
  let hung = false;
  proto.sync = function (this: FileHandle): Promise<void> {
    const path = readlinkSync(`/proc/self/fd/${this.fd}`);
    const part = /\/recordings\/[^/]+\/[^/]+\.part$/.test(path);
    const hit = config.hangAt === 'file' ? part : recordingSynced && /\/recordings\/[^/]+$/.test(path);
    if (part) recordingSynced = true;
    if (hit && !hung) {
      hung = true;
      // Announced a little later: meanwhile the export goes on as far as it can (a line recorded too early would be
      // written by then). A correct export holds the rule however long this is; only a wrong one is caught sooner.
      setTimeout(() => process.stdout.write(`syncing ${path}\n`), 500);
      return new Promise<void>(() => undefined);
    }
    return sync.call(this);
  };

  const conn = await connectSimulated({
    server: { ...SERVER_OPTIONS, now: () => ANCHOR },
    client: { ...CLIENT_OPTIONS, clock: createFakeClock({ autoAdvance: true }) },
  });
  configureLegalHoldSim(conn.server.org, { ...SIM_OPTIONS, recordingBytes: config.recordingBytes });
  const files = await startRecordingFilesServer({ org: conn.server.org });
  await new LegalHold(conn.client, { interval: DAY, download: { concurrency: config.concurrency } }).export({ out: config.out });
  await files.close();
  await conn.close();
  process.stdout.write('done\n');
}

await main(JSON.parse(process.argv[2] ?? '{}') as KillWorkerConfig);
