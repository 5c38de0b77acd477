/**
 * Where the CLI connects. Credentials come only from the environment (`GENESYS_CLIENT_ID`, `GENESYS_CLIENT_SECRET`,
 * `GENESYS_REGION`) or a file (`--credentials-file` / `GENESYS_CREDENTIALS_FILE`, JSON or dotenv style), never from a
 * flag. A source that is given must be complete and valid: an empty file, unknown keys or variables (with a
 * did-you-mean), a set-but-empty variable or half a pair is exit 2 naming what is wrong, before any request, and
 * never quoting a value. Only with nothing at all configured is the built-in simulated org started in this process
 * on 127.0.0.1, and one line on stderr says so.
 */
import { readFileSync, statSync } from 'node:fs';
import { GenesysClient } from '../client';
import type { GenesysClientOptions } from '../client-options';
import type { Clock } from '../internal/clock';
import { resolveRegion } from '../regions';
import { editDistance } from '../filters/catalog';
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

type Field = keyof Settings;

/** The names each setting may have in a credentials file (the environment takes only the GENESYS_* one). */
const KEYS: Record<Field, string[]> = {
  clientId: ['clientId', 'client_id', ENV.clientId],
  clientSecret: ['clientSecret', 'client_secret', ENV.clientSecret],
  region: ['region', ENV.region],
  baseUrl: ['baseUrl', 'base_url', ENV.baseUrl],
  authUrl: ['authUrl', 'auth_url', ENV.authUrl],
};
const FIELD_OF = new Map<string, Field>(Object.entries(KEYS).flatMap(([field, names]) => names.map((n) => [n, field as Field] as const)));
const ENV_NAMES = new Set<string>(Object.values(ENV));

/** Names other tools use for the same things (Genesys' CLI and Terraform provider, old PureCloud samples). */
const OTHER_TOOL_ENV = /^(GENESYSCLOUD|PURECLOUD)_/;

/** Words that are a setting under another name; the rest is matched by spelling. */
const ALIASES: Record<string, Field | 'credentialsFile'> = {
  secret: 'clientSecret',
  password: 'clientSecret',
  clientpassword: 'clientSecret',
  oauthclientsecret: 'clientSecret',
  oauthsecret: 'clientSecret',
  apisecret: 'clientSecret',
  id: 'clientId',
  client: 'clientId',
  oauthclientid: 'clientId',
  oauthid: 'clientId',
  apikey: 'clientId',
  environment: 'region',
  env: 'region',
  apiurl: 'baseUrl',
  apibaseurl: 'baseUrl',
  loginurl: 'authUrl',
  authbaseurl: 'authUrl',
  credentials: 'credentialsFile',
  credentialfile: 'credentialsFile',
};

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The setting a misspelt or foreign name most likely means (same edit distance as the filter catalog's did-you-mean). */
function nearestField(name: string, withFile: boolean): Field | 'credentialsFile' | undefined {
  const needle = squash(name.replace(/^(GENESYS_CLOUD|GENESYSCLOUD|PURECLOUD|GENESYS)_/i, ''));
  if (!needle) return undefined;
  const alias = ALIASES[needle];
  if (alias && (withFile || alias !== 'credentialsFile')) return alias;
  const fields = [...Object.keys(KEYS), ...(withFile ? ['credentialsFile'] : [])] as Array<Field | 'credentialsFile'>;
  let best: Field | 'credentialsFile' | undefined;
  let bestD = Infinity;
  for (const f of fields) {
    const d = editDistance(needle, squash(f));
    if (d < bestD) [best, bestD] = [f, d];
  }
  return bestD <= Math.max(2, Math.floor(needle.length / 4)) ? best : undefined;
}

/** `"x" (did you mean "clientId"?)` in the style of the name given: GENESYS_*, snake_case or camelCase. */
function didYouMeanKey(key: string): string {
  const field = nearestField(key, false) as Field | undefined;
  if (!field) return '';
  const names = KEYS[field];
  const styled = /^[A-Z0-9_]+$/.test(key) ? names.find((n) => n.startsWith('GENESYS_')) : key.includes('_') ? (names.find((n) => n.includes('_') && !n.startsWith('GENESYS_')) ?? names[0]) : names[0];
  return ` (did you mean "${styled ?? names[0]}"?)`;
}

function didYouMeanEnv(name: string): string {
  const field = nearestField(name, true);
  return field ? ` (did you mean ${ENV[field]}?)` : '';
}

/** Words joined by `_`, `-` or `.`, the first one letters only: a name, not a random string. */
const NAME_LIKE = /^(?=.{1,32}$)[A-Za-z]+(?:[_.-][A-Za-z0-9]+)*$/;

/** At most ~40 characters of a name (a key is not a secret, but a pasted line might be). */
const quoteName = (name: string): string => (name.length > 40 ? `${name.slice(0, 37)}...` : name);

/**
 * Settings from a file's records, strictly: every key must be one gc-data reads (a typo gets a did-you-mean), each
 * setting given once, every value a non-empty string. Messages name keys and lines, never values.
 */
function fromFileRecord(record: Record<string, unknown>, path: string): Settings {
  const problems: string[] = [];
  const out: Settings = {};
  const seen = new Map<Field, string>();
  for (const [key, value] of Object.entries(record)) {
    const field = FIELD_OF.get(key);
    if (!field) {
      const hint = didYouMeanKey(key);
      // A key near no setting that does not read like a name may be a pasted value (`c2VjcmV0==` parses as a key).
      problems.push(hint || NAME_LIKE.test(key) ? `unknown key "${quoteName(key)}"${hint}` : `an unknown key of ${key.length} characters (not shown: it does not read like a name and could be a value)`);
      continue;
    }
    const before = seen.get(field);
    if (before !== undefined) {
      problems.push(`${field} is given twice ("${before}" and "${key}")`);
      continue;
    }
    seen.set(field, key);
    if (typeof value !== 'string') problems.push(`"${key}" must be a string (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`);
    else if (value.trim() === '') problems.push(`"${key}" is empty`);
    else out[field] = value.trim();
  }
  if (problems.length > 0) {
    throw new UsageError(
      `the credentials file ${path}: ${problems.join('; ')}`,
      'accepted keys: clientId, clientSecret, region, baseUrl, authUrl, or their snake_case or GENESYS_* names; see docs/cli.md',
    );
  }
  return out;
}

/**
 * dotenv style: `KEY=value`, `export KEY=value`, quotes stripped, `#` comments and blank lines skipped. Any other
 * line (a bare secret pasted on its own, say) is an error naming its line number, never its content.
 */
function parseDotenv(text: string, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      bad.push(i + 1);
      return;
    }
    let value = (m[2] ?? '').trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    const key = m[1] as string;
    if (key in out) {
      // Reported as a duplicate by fromFileRecord through a second name; the same name twice is reported here.
      throw new UsageError(`the credentials file ${path}: ${key} is given twice (line ${i + 1})`);
    }
    out[key] = value;
  });
  if (bad.length > 0) {
    const lines = bad.length > 5 ? `${bad.slice(0, 5).join(', ')}, ...` : bad.join(', ');
    throw new UsageError(
      `the credentials file ${path}: line${bad.length > 1 ? 's' : ''} ${lines} ${bad.length > 1 ? 'are' : 'is'} not KEY=value (the content is not shown)`,
      `write ${ENV.clientId}=... and ${ENV.clientSecret}=... lines, or JSON {"clientId": "...", "clientSecret": "..."}`,
    );
  }
  return out;
}

/**
 * Reads a credentials file strictly (see fromFileRecord). Errors never quote its content (it holds a secret). It
 * may hold only the connection target; resolveSettings checks that the credentials are there.
 */
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
    return fromFileRecord(record as Record<string, unknown>, path);
  }
  return fromFileRecord(parseDotenv(text, path), path);
}

function fromEnv(env: NodeJS.ProcessEnv): Settings {
  const out: Settings = {};
  for (const [field, names] of Object.entries(KEYS) as Array<[Field, string[]]>) {
    const name = names.find((n) => n.startsWith('GENESYS_')) as string;
    const v = env[name]?.trim();
    if (v) out[field] = v;
  }
  return out;
}

/**
 * The environment's GENESYS_* names must be ones gc-data reads, and set ones must not be empty: a misspelt name or
 * a CI secret that expanded to nothing would otherwise fall back to the simulated org's sample rows, exit 0.
 */
function checkEnvNames(env: NodeJS.ProcessEnv): void {
  const unknown = Object.keys(env)
    .filter((k) => k.startsWith('GENESYS_') && !ENV_NAMES.has(k))
    .sort();
  if (unknown.length > 0) {
    throw new UsageError(
      unknown.map((k) => `${quoteName(k)} is not a variable gc-data reads${didYouMeanEnv(k)}`).join('; '),
      `gc-data reads ${[...ENV_NAMES].join(', ')}: rename or unset the others`,
    );
  }
  const empty = [...ENV_NAMES].filter((k) => env[k] !== undefined && env[k]?.trim() === '');
  if (empty.length > 0) {
    throw new UsageError(
      `${empty.join(' and ')} ${empty.length > 1 ? 'are' : 'is'} set but empty`,
      'give it a value, or unset it (the simulated org is used only when no GENESYS_* variable and no --credentials-file is given)',
    );
  }
}

function checkFlags(values: Values): void {
  for (const flag of ['credentials-file', 'region', 'base-url', 'auth-url']) {
    const v = str(values, flag);
    if (v !== undefined && v.trim() === '') throw new UsageError(`--${flag} is empty`, flag === 'credentials-file' ? 'give the path of the credentials file' : undefined);
  }
}

/**
 * Resolves the settings (without connecting); exported for tests and `--help` texts. Any credential source that is
 * given must be complete: an exit 2 naming what is missing, never a quiet fallback to the simulated org, which is
 * used (source undefined) only when nothing at all is configured.
 */
export function resolveSettings(values: Values, env: NodeJS.ProcessEnv, out?: Output): { settings: Settings; source: string | undefined } {
  checkFlags(values);
  checkEnvNames(env);
  const flagFile = str(values, 'credentials-file')?.trim();
  const envFile = env[ENV.credentialsFile]?.trim() || undefined;
  const file = flagFile ?? envFile;
  const base = file ? readCredentialsFile(file, out) : fromEnv(env);
  const source = file ? `credentials file ${file}${flagFile ? '' : ` (${ENV.credentialsFile})`}` : 'environment';
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
  if (flagRegion && (flagBase || flagAuth)) throw new UsageError('give --region or --base-url + --auth-url, not both');
  if (flagRegion) Object.assign(settings, { region: flagRegion, baseUrl: undefined, authUrl: undefined });
  if (flagBase || flagAuth) Object.assign(settings, { region: undefined, baseUrl: flagBase ?? settings.baseUrl, authUrl: flagAuth ?? settings.authUrl });
  if (file) {
    // A file is a credential source by itself: it must hold both.
    const missing = (['clientId', 'clientSecret'] as const).filter((f) => !base[f]);
    if (missing.length === 2) {
      throw new UsageError(
        `the ${source} holds no credentials: clientId and clientSecret are missing`,
        `put {"clientId": "...", "clientSecret": "..."} (or ${ENV.clientId}=... and ${ENV.clientSecret}=... lines) in it`,
      );
    }
    if (missing.length === 1) {
      const f = missing[0] as 'clientId' | 'clientSecret';
      throw new UsageError(`${f} (${ENV[f]}) is missing in the ${source}`, 'both the client id and the client secret are needed');
    }
    return { settings, source };
  }
  if (!settings.clientId !== !settings.clientSecret) {
    const missing = settings.clientId ? ENV.clientSecret : ENV.clientId;
    throw new UsageError(`${missing} is missing in the ${source} (both the client id and the client secret are needed)`);
  }
  if (settings.clientId) return { settings, source };
  // Nothing that gc-data reads holds credentials: anything else that looks like configuration is refused too.
  const named = [
    flagRegion && '--region',
    flagBase && '--base-url',
    flagAuth && '--auth-url',
    settings.region && !flagRegion && ENV.region,
    settings.baseUrl && !flagBase && ENV.baseUrl,
    settings.authUrl && !flagAuth && ENV.authUrl,
  ].filter(Boolean);
  if (named.length > 0) {
    throw new UsageError(
      `${named.join(' and ')} ${named.length > 1 ? 'are' : 'is'} set but no credentials were found`,
      `set ${ENV.clientId} and ${ENV.clientSecret} (or use --credentials-file FILE), or unset them to use the simulated org`,
    );
  }
  const foreign = Object.keys(env)
    .filter((k) => OTHER_TOOL_ENV.test(k))
    .sort();
  if (foreign.length > 0) {
    throw new UsageError(
      foreign.map((k) => `${quoteName(k)} is not a variable gc-data reads${didYouMeanEnv(k)}`).join('; '),
      `set ${ENV.clientId} and ${ENV.clientSecret} (or use --credentials-file FILE), or unset those to use the simulated org`,
    );
  }
  return { settings, source: undefined };
}

export interface ConnectOptions {
  values: Values;
  env: NodeJS.ProcessEnv;
  out: Output;
  /** Default 300 (the platform's per-token limit); the simulated org allows more. */
  requestsPerMinute: number | undefined;
  userAgent?: string;
  /** The client's clock. @default the system clock */
  clock?: Clock;
}

/** Connects to the org the environment names, or starts the simulated one. */
export async function connect(o: ConnectOptions): Promise<Connection> {
  const { settings, source } = resolveSettings(o.values, o.env, o.out);
  if (!source) {
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
    ...(o.clock ? { clock: o.clock } : {}),
  });
  const region = target.region ? resolveRegion(target.region) : undefined;
  const where = region ? `region ${region.key} (${new URL(client.apiBaseUrl).host})` : client.apiBaseUrl;
  o.out.note(`connecting to ${where} with credentials from the ${source}`);
  return { client, simulated: false, target: where, close: () => client.close() };
}

async function connectSimulated(o: ConnectOptions): Promise<Connection> {
  // Loaded only when needed: a real-org run never pays for the simulator.
  const { connectSimulated: start } = await import('../testing/serve/connect');
  const { client, server, close } = await start({
    server: {
      rateLimit: { requests: CLI_SIM_REQUESTS_PER_MINUTE, windowMs: 60_000 },
      // Jobs finish in well under a second so extract-conversations runs in seconds here.
      jobs: { queuedMs: 200, pendingMs: 300, ttlMs: 86_400_000, defaultPageSize: 100, maxPageSize: 1000 },
      controlRoutes: false,
    },
    client: {
      rateLimit: { requestsPerMinute: o.requestsPerMinute ?? CLI_SIM_REQUESTS_PER_MINUTE },
      userAgent: o.userAgent ?? 'gc-data-cli',
      ...(o.clock ? { clock: o.clock } : {}),
    },
  });
  o.out.notice(
    `no credentials set (${ENV.clientId} / ${ENV.clientSecret}, or --credentials-file): using the built-in simulated org ` +
      `at ${server.url} (seeded sample data; nothing leaves this machine)`,
  );
  return { client, simulated: true, target: 'simulated org', close };
}
