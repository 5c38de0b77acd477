/**
 * The simulated org over HTTP plus a GenesysClient pointed at it: what the CLI, the examples and a user's own
 * scripts do when no credentials are set.
 */
import { GenesysClient } from '../../client';
import type { GenesysClientOptions } from '../../client-options';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../engine/options';
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
  const server = await startSimulatedServer(options.server);
  const client = new GenesysClient({
    clientId: options.server?.clientId ?? SIM_CLIENT_ID,
    clientSecret: options.server?.clientSecret ?? SIM_CLIENT_SECRET,
    ...options.client,
    baseUrl: server.url,
    authUrl: server.url,
  });
  return {
    client,
    server,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
