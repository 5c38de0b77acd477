import { ValidationError } from './errors';

/**
 * Genesys Cloud regions: AWS-style key -> host, from the official SDK's `PureCloudRegionHosts`
 * (docs/platform-notes.md section a). API calls go to `https://api.<host>`, tokens to `https://login.<host>`.
 */
export const REGION_HOSTS = {
  us_east_1: 'mypurecloud.com',
  eu_west_1: 'mypurecloud.ie',
  ap_southeast_2: 'mypurecloud.com.au',
  ap_northeast_1: 'mypurecloud.jp',
  eu_central_1: 'mypurecloud.de',
  us_west_2: 'usw2.pure.cloud',
  ca_central_1: 'cac1.pure.cloud',
  ap_northeast_2: 'apne2.pure.cloud',
  eu_west_2: 'euw2.pure.cloud',
  ap_south_1: 'aps1.pure.cloud',
  us_east_2: 'use2.us-gov-pure.cloud',
  sa_east_1: 'sae1.pure.cloud',
  me_central_1: 'mec1.pure.cloud',
  ap_northeast_3: 'apne3.pure.cloud',
  eu_central_2: 'euc2.pure.cloud',
  mx_central_1: 'mxc1.pure.cloud',
  ap_southeast_1: 'apse1.pure.cloud',
  eusc_de_east_1: 'edee1.eusc-pure.cloud',
} as const;

export type RegionKey = keyof typeof REGION_HOSTS;
export type RegionHost = (typeof REGION_HOSTS)[RegionKey];

export interface ResolvedRegion {
  key: RegionKey;
  host: RegionHost;
  apiBaseUrl: string;
  authBaseUrl: string;
}

const HOST_TO_KEY = new Map<string, RegionKey>(
  Object.entries(REGION_HOSTS).map(([k, h]) => [h, k as RegionKey]),
);

/**
 * Longest spelling looked at. The longest accepted form (`https://login.edee1.eusc-pure.cloud/`) is under 40
 * characters; anything much longer is no region, and is refused before any pattern runs over it.
 */
const MAX_REGION_LENGTH = 256;

/**
 * Accepts a key (`eu_west_1`, `eu-west-1`), a host (`mypurecloud.ie`), or an API/login host or URL
 * (`api.mypurecloud.ie`, `https://login.mypurecloud.ie/`), as the official SDK's environment setting does.
 * Returns undefined for any other string (`constructor` too: only the table's own keys count); a non-string is a
 * ValidationError at `region`.
 */
export function resolveRegion(region: string): ResolvedRegion | undefined {
  if (typeof region !== 'string') throw regionError(region, `expected a string, got ${region === null ? 'null' : Array.isArray(region) ? 'an array' : typeof region}`);
  if (region.length > MAX_REGION_LENGTH) return undefined;
  const s = region.trim().toLowerCase();
  const asKey = s.replace(/-/g, '_');
  let key: RegionKey | undefined = Object.hasOwn(REGION_HOSTS, asKey) ? (asKey as RegionKey) : undefined;
  if (!key) {
    const host = s.replace(/^https?:\/\//, '').replace(/\/+$/, '').replace(/^(api|login)\./, '');
    key = HOST_TO_KEY.get(host);
  }
  if (!key) return undefined;
  const host = REGION_HOSTS[key];
  return { key, host, apiBaseUrl: `https://api.${host}`, authBaseUrl: `https://login.${host}` };
}

/**
 * `resolveRegion`, but an unknown region is a ValidationError at `path` listing the valid ones, for callers that
 * take a region from their user.
 */
export function parseRegion(region: string, path = 'region'): ResolvedRegion {
  const resolved = resolveRegion(region);
  if (resolved) return resolved;
  const shown = region.length > 100 ? `${JSON.stringify(region.slice(0, 100))}… (${region.length} characters)` : JSON.stringify(region);
  throw regionError(region, `unknown region ${shown}`, path);
}

function regionError(_region: unknown, what: string, path = 'region'): ValidationError {
  return new ValidationError('region', [
    { path, code: 'invalid_region', message: `${what}: use one of ${regionNames().join(', ')} or its host (e.g. mypurecloud.ie)` },
  ]);
}

/** Every accepted spelling, for error messages. */
export function regionNames(): string[] {
  return Object.keys(REGION_HOSTS);
}
