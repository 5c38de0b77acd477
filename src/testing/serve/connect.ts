/**
 * The simulated org over HTTP plus a GenesysClient pointed at it: what the CLI, the examples and a user's own
 * scripts do when no credentials are set.
 */
import { GenesysClient } from '../../client';
import { ValidationError } from '../../errors';
import type { GenesysClientOptions } from '../../client-options';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SimulatorOptionsError } from '../engine/options';
import * as z from 'zod';
import { parseOptions } from '../../internal/parse-options';

/** Shape only: `server` is checked by startSimulatedServer, `client` by GenesysClient (both before any I/O). */
const connectSchema = z.strictObject({ server: z.record(z.string(), z.unknown()).optional(), client: z.record(z.string(), z.unknown()).optional() });
import { startSimulatedServer, type SimulatedServer, type SimulatedServerOptions } from './server';

export interface SimulatedConnection {
  client: GenesysClient;
  server: SimulatedServer;
  /** Closes the client, then stops the server. */
  close(): Promise<void>;
}

export interface ConnectSimulatedOptions {
  /** Options of the simulated org (seed, size, limits, faults, ...). */
  server?: SimulatedServerOptions;
  /** Client options on top of the org's credentials and address (rateLimit, retry, userAgent, ...). */
  client?: Partial<Omit<GenesysClientOptions, 'clientId' | 'clientSecret' | 'baseUrl' | 'authUrl' | 'region'>>;
}

/**
 * Starts the simulated org on 127.0.0.1 (`startSimulatedServer`) and returns a client for it, with the org's own
 * client credentials (or those set in `server`).
 *
 * ```ts
 * const { client, close } = await connectSimulated({ server: { seed: 7 } });
 * try { ... } finally { await close(); }
 * ```
 */
export async function connectSimulated(options: ConnectSimulatedOptions = {}): Promise<SimulatedConnection> {
  // Checked before the server starts: a bad client option would otherwise leave a listening server behind.
  parseOptions(connectSchema, options, 'connectSimulated options', { error: SimulatorOptionsError });
  let server: SimulatedServer;
  try {
    server = await startSimulatedServer(options.server);
  } catch (e) {
    // Named where the caller wrote it: `server.port`, not `port`.
    if (e instanceof SimulatorOptionsError) throw new SimulatorOptionsError('connectSimulated options', e.issues.map((i) => ({ ...i, path: i.path ? `server.${i.path}` : 'server' })));
    throw e;
  }
  let client: GenesysClient;
  try {
    client = new GenesysClient({
      clientId: options.server?.clientId ?? SIM_CLIENT_ID,
      clientSecret: options.server?.clientSecret ?? SIM_CLIENT_SECRET,
      ...options.client,
      baseUrl: server.url,
      authUrl: server.url,
    });
  } catch (e) {
    // A bad client option: no server is left listening behind the error, which names it as written (`client.retry`).
    await server.close();
    if (e instanceof ValidationError) throw new ValidationError('connectSimulated options', e.issues.map((i) => ({ ...i, path: i.path ? `client.${i.path}` : 'client' })));
    throw e;
  }
  return {
    client,
    server,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
