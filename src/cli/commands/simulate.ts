/**
 * `gc-data simulate`: the simulated org on a port, for other shells, other processes or other languages. Prints its
 * URL and the (public, fixed) credentials it accepts, then serves until Ctrl-C.
 */
import { BASE_OPTIONS, int, str } from '../args';
import type { Command, CommandContext } from '../context';
import { ENV } from '../credentials';
import { UsageError } from '../errors';

const options = {
  ...BASE_OPTIONS,
  port: { type: 'string' },
  seed: { type: 'string' },
  days: { type: 'string' },
  'conversations-per-day': { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'latency-ms': { type: 'string' },
  anchor: { type: 'string' },
} as const;

const help = `Usage: gc-data simulate [flags]

Starts the simulated Genesys Cloud org on 127.0.0.1 and prints its URL and the credentials it accepts
(sim-client-id / sim-client-secret: public test values, not secrets). Serves until Ctrl-C.

  --port N                   default 8787 (0 = any free port)
  --seed N                   dataset seed (default 1): same seed + anchor = same data
  --days N                   days of conversations before the anchor (default 30)
  --conversations-per-day N  default 300
  --anchor ISO               end of the dataset (default: now)
  --requests-per-minute N    the org's per-token rate limit (default 300, like the platform)
  --latency-ms N             added to every request (default 0)
  --json                     print { url, clientId, clientSecret, ... } as one JSON line

Then, in another shell:
  export GENESYS_CLIENT_ID=sim-client-id GENESYS_CLIENT_SECRET=sim-client-secret
  export GENESYS_BASE_URL=http://127.0.0.1:8787 GENESYS_AUTH_URL=http://127.0.0.1:8787
  gc-data export-evaluations --out out/evaluations.csv
`;

async function run(ctx: CommandContext): Promise<number> {
  const { values, out } = ctx;
  const port = int(values, 'port', { min: 0, max: 65_535 }) ?? 8787;
  const seed = int(values, 'seed', { min: 0 });
  const days = int(values, 'days', { min: 1, max: 3650 });
  const perDay = int(values, 'conversations-per-day', { min: 0, max: 10_000_000 });
  const rpm = int(values, 'requests-per-minute', { min: 1, max: 1_000_000 });
  const latencyMs = int(values, 'latency-ms', { min: 0, max: 60_000 });
  const anchor = str(values, 'anchor');
  if (anchor !== undefined && !Number.isFinite(Date.parse(anchor))) throw new UsageError(`--anchor ${anchor.slice(0, 40)}: not an ISO date-time`);

  const { startSimulatedServer } = await import('../../testing/serve/server');
  const { SIM_CLIENT_ID, SIM_CLIENT_SECRET } = await import('../../testing/engine/options');
  let sim;
  try {
    sim = await startSimulatedServer({
      port,
      ...(seed !== undefined ? { seed } : {}),
      ...(days !== undefined ? { days } : {}),
      ...(perDay !== undefined ? { conversationsPerDay: perDay } : {}),
      ...(rpm !== undefined ? { rateLimit: { requests: rpm, windowMs: 60_000 } } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(anchor !== undefined ? { anchor } : {}),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use`, 'pick another with --port, or --port 0 for any free one');
    throw e;
  }
  const info = {
    url: sim.url,
    port: sim.port,
    apiBaseUrl: sim.url,
    authBaseUrl: sim.url,
    clientId: SIM_CLIENT_ID,
    clientSecret: SIM_CLIENT_SECRET,
    env: { [ENV.clientId]: SIM_CLIENT_ID, [ENV.clientSecret]: SIM_CLIENT_SECRET, [ENV.baseUrl]: sim.url, [ENV.authUrl]: sim.url },
  };
  if (out.options.json) out.print(JSON.stringify(info));
  else {
    out.print(
      [
        `Simulated Genesys Cloud org listening on ${sim.url}`,
        `Its credentials are public test values. In another shell:`,
        `  export ${ENV.clientId}=${SIM_CLIENT_ID} ${ENV.clientSecret}=${SIM_CLIENT_SECRET}`,
        `  export ${ENV.baseUrl}=${sim.url} ${ENV.authUrl}=${sim.url}`,
        `  gc-data export-evaluations --out out/evaluations.csv`,
        `Press Ctrl-C to stop.`,
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sim.close();
  const stats = sim.stats.snapshot();
  out.note(`simulated org stopped after ${stats.totalRequests} request(s)`);
  return 0;
}

export const simulate: Command = {
  name: 'simulate',
  summary: 'start the simulated org on a port and print its URL and credentials',
  help,
  options,
  run,
};
