/**
 * Where the CLI connects. Credentials come only from the environment (`GENESYS_CLIENT_ID`, `GENESYS_CLIENT_SECRET`,
 * `GENESYS_REGION`) or a file (`--credentials-file` / `GENESYS_CREDENTIALS_FILE`, JSON or dotenv style), never from a
 * flag. With none at all, the built-in simulated org is started in this process on 127.0.0.1, and one line on
 * stderr says so.
 */
import { readFileSync, statSync } from 'node:fs';
import { GenesysClient } from '../client';
import type { GenesysClientOptions } from '../client-options';
import { resolveRegion } from '../regions';
import { UsageError } from './errors';
import type { Output } from './output';
import { str, type Values } from './args';

export const ENV = {
  clientId: 'GENESYS_CLIENT_ID',
  clientSecret: 'GENESYS_CLIENT_SECRET',
  region: 'GENESYS_REGION',
  baseUrl: 'GENESYS_BASE_URL',
  authUrl: 'GENESYS_AUTH_URL',
  credentialsFile: 'GENESYS_CREDENTIALS_FILE',
} as const;

/** The simulated org the CLI starts when no credentials are set: fast enough for the demo to finish in seconds. */
export const CLI_SIM_REQUESTS_PER_MINUTE = 3000;

interface Settings {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  region?: string | undefined;
  baseUrl?: string | undefined;
  authUrl?: string | undefined;
}

export interface Connection {
  client: GenesysClient;
  simulated: boolean;
  /** Where we are connected, for summaries: `simulated org`, `region eu_west_1`, or the API origin. */
  target: string;
  close(): Promise<void>;
}

const KEYS: Record<keyof Settings, string[]> = {
  clientId: ['clientId', 'client_id', ENV.clientId],
  clientSecret: ['clientSecret', 'client_secret', ENV.clientSecret],
  region: ['region', ENV.region],
  baseUrl: ['baseUrl', 'base_url', ENV.baseUrl],
  authUrl: ['authUrl', 'auth_url', ENV.authUrl],
};

function fromRecord(record: Record<string, unknown>): Settings {
  const out: Settings = {};
  for (const [field, names] of Object.entries(KEYS) as Array<[keyof Settings, string[]]>) {
    for (const name of names) {
      const v = record[name];
      if (typeof v === 'string' && v.trim() !== '') {
        out[field] = v.trim();
        break;
      }
    }
  }
  return out;
}

/** dotenv style: `KEY=value`, `export KEY=value`, quotes stripped, `#` comments. */
function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = (m[2] ?? '').trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out[m[1] as string] = value;
  }
  return out;
}

/** Reads a credentials file. Errors never quote its content (it holds a secret). */
export function readCredentialsFile(path: string, out?: Output): Settings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the credentials file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      out?.warn(`${path} can be read by other users: chmod 600 ${path}`);
    }
  } catch {
    // the file was readable a moment ago; a stat failure is not worth stopping for
  }
  if (text.trimStart().startsWith('{')) {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      // JSON.parse messages quote the text around the error, which may be the secret: say less.
      throw new UsageError(`the credentials file ${path} starts with "{" but is not valid JSON`);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new UsageError(`the credentials file ${path} must hold a JSON object`);
    return fromRecord(record as Record<string, unknown>);
  }
  return fromRecord(parseDotenv(text));
}

function fromEnv(env: NodeJS.ProcessEnv): Settings {
  return fromRecord(env as Record<string, unknown>);
}

/** Resolves the settings (without connecting); exported for tests and `--help` texts. */
export function resolveSettings(values: Values, env: NodeJS.ProcessEnv, out?: Output): { settings: Settings; source: string | undefined } {
  const file = str(values, 'credentials-file') ?? (env[ENV.credentialsFile]?.trim() || undefined);
  const base = file ? readCredentialsFile(file, out) : fromEnv(env);
  const source = file ? `credentials file ${file}` : 'environment';
  const settings: Settings = { ...base };
  // The connection target may come from the environment even when the credentials come from a file.
  if (file) {
    const e = fromEnv(env);
    settings.region ??= e.region;
    settings.baseUrl ??= e.baseUrl;
    settings.authUrl ??= e.authUrl;
  }
  const flagRegion = str(values, 'region');
  const flagBase = str(values, 'base-url');
  const flagAuth = str(values, 'auth-url');
  if (flagRegion) Object.assign(settings, { region: flagRegion, baseUrl: undefined, authUrl: undefined });
  if (flagBase || flagAuth) Object.assign(settings, { region: undefined, baseUrl: flagBase ?? settings.baseUrl, authUrl: flagAuth ?? settings.authUrl });
  if (flagRegion && (flagBase || flagAuth)) throw new UsageError('give --region or --base-url + --auth-url, not both');
  if (!settings.clientId !== !settings.clientSecret) {
    const missing = settings.clientId ? ENV.clientSecret : ENV.clientId;
    throw new UsageError(`${missing} is missing in the ${source} (both the client id and the client secret are needed)`);
  }
  return { settings, source: settings.clientId ? source : undefined };
}

export interface ConnectOptions {
  values: Values;
  env: NodeJS.ProcessEnv;
  out: Output;
  /** Default 300 (the platform's per-token limit); the simulated org allows more. */
  requestsPerMinute: number | undefined;
  userAgent?: string;
}

/** Connects to the org the environment names, or starts the simulated one. */
export async function connect(o: ConnectOptions): Promise<Connection> {
  const { settings, source } = resolveSettings(o.values, o.env, o.out);
  if (!source) {
    const named = [
      str(o.values, 'region') && '--region',
      str(o.values, 'base-url') && '--base-url',
      str(o.values, 'auth-url') && '--auth-url',
      settings.region && !str(o.values, 'region') && ENV.region,
      settings.baseUrl && !str(o.values, 'base-url') && ENV.baseUrl,
    ].filter(Boolean);
    if (named.length > 0) {
      throw new UsageError(
        `${named.join(' and ')} ${named.length > 1 ? 'are' : 'is'} set but no credentials were found`,
        `set ${ENV.clientId} and ${ENV.clientSecret} (or use --credentials-file FILE), or unset them to use the simulated org`,
      );
    }
    return connectSimulated(o);
  }
  const target: Pick<GenesysClientOptions, 'region' | 'baseUrl' | 'authUrl'> =
    settings.baseUrl || settings.authUrl ? { baseUrl: settings.baseUrl, authUrl: settings.authUrl } : { region: settings.region ?? 'us_east_1' };
  const client = new GenesysClient({
    clientId: settings.clientId as string,
    clientSecret: settings.clientSecret as string,
    ...target,
    rateLimit: { requestsPerMinute: o.requestsPerMinute ?? 300 },
    userAgent: o.userAgent ?? 'gc-data-cli',
  });
  const region = target.region ? resolveRegion(target.region) : undefined;
  const where = region ? `region ${region.key} (${new URL(client.apiBaseUrl).host})` : client.apiBaseUrl;
  o.out.note(`connecting to ${where} with credentials from the ${source}`);
  return { client, simulated: false, target: where, close: () => client.close() };
}

async function connectSimulated(o: ConnectOptions): Promise<Connection> {
  // Loaded only when needed: a real-org run never pays for the simulator.
  const { connectSimulated: start } = await import('../testing/connect');
  const { client, server, close } = await start({
    server: {
      rateLimit: { requests: CLI_SIM_REQUESTS_PER_MINUTE, windowMs: 60_000 },
      // Jobs finish in well under a second so extract-conversations runs in seconds here.
      jobs: { queuedMs: 200, pendingMs: 300, ttlMs: 86_400_000, defaultPageSize: 100, maxPageSize: 1000 },
      controlRoutes: false,
    },
    client: { rateLimit: { requestsPerMinute: o.requestsPerMinute ?? CLI_SIM_REQUESTS_PER_MINUTE }, userAgent: o.userAgent ?? 'gc-data-cli' },
  });
  o.out.notice(
    `no credentials set (${ENV.clientId} / ${ENV.clientSecret}, or --credentials-file): using the built-in simulated org ` +
      `at ${server.url} (seeded sample data; nothing leaves this machine)`,
  );
  return { client, simulated: true, target: 'simulated org', close };
}
