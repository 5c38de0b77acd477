import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenesysClient } from '@org/gc-data';
import {
  configureLegalHoldSim,
  connectSimulated,
  createFakeClock,
  type FakeClock,
  startRecordingFilesServer,
  type LegalHoldSimOptions,
  type RecordingFilesServer,
  type SimulatedConnection,
  type SimulatedServerOptions,
} from '@org/gc-data/testing';
import { ANCHOR, CLIENT_OPTIONS, SERVER_OPTIONS, SIM_OPTIONS } from './env-options';

/** The org's clock: tests move it to make time pass (retention), nothing waits on the wall clock. */
export interface Clock {
  now: number;
}

export { ANCHOR, DAY } from './env-options';

export interface HoldEnv {
  conn: SimulatedConnection;
  client: GenesysClient;
  files: RecordingFilesServer;
  clock: Clock;
  /**
   * The client's clock: fake, advancing by itself to each wait (the batch job polls, the download and transport
   * backoffs), so the default poll schedule costs no real time and no test races the wall clock.
   */
  clientClock: FakeClock;
  dir: string;
  close(): Promise<void>;
}

export async function holdEnv(options: { org?: SimulatedServerOptions; sim?: LegalHoldSimOptions } = {}): Promise<HoldEnv> {
  const clock: Clock = { now: ANCHOR };
  const clientClock = createFakeClock({ autoAdvance: true });
  const conn = await connectSimulated({
    server: { ...SERVER_OPTIONS, now: () => clock.now, ...options.org },
    client: { ...CLIENT_OPTIONS, clock: clientClock },
  });
  configureLegalHoldSim(conn.server.org, { ...SIM_OPTIONS, ...options.sim });
  const files = await startRecordingFilesServer({ org: conn.server.org });
  const dir = mkdtempSync(join(tmpdir(), 'gc-legal-hold-'));
  return {
    conn,
    client: conn.client,
    files,
    clock,
    clientClock,
    dir,
    close: async () => {
      await files.close();
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const manifestLines = (folder: string): string[] => readFileSync(join(folder, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean);

/** A manifest line without what differs between runs by nature: when, and under which correlation id, it was fetched. */
export function stable(line: string): string {
  const e = JSON.parse(line) as Record<string, unknown>;
  delete e.retrievedAt;
  delete e.correlationId;
  return JSON.stringify(e);
}
