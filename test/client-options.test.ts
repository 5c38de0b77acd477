import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GenesysClient, ValidationError } from '../src/index';

function issuesOf(options: unknown): ValidationError {
  try {
    new GenesysClient(options as never);
  } catch (e) {
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('GenesysClient options', () => {
  it('names every missing or wrong option at once', () => {
    const err = issuesOf({ clientId: '', timeoutMs: -1, rateLimit: { maxConcurrent: 0 } });
    expect(err).toBeInstanceOf(ValidationError);
    const paths = err.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['clientId', 'clientSecret', 'timeoutMs', 'rateLimit.maxConcurrent']));
    expect(err.message).toMatch(/Invalid GenesysClient options/);
  });

  it('names a bad region or endpoint in the same error as the other bad options', () => {
    const err = issuesOf({ clientId: 'a', clientSecret: 5, region: 'mars_north_1', timeoutMs: 'soon' });
    expect(err.issues.map((i) => i.path).sort()).toEqual(['clientSecret', 'region', 'timeoutMs']);
    const gateway = issuesOf({ clientSecret: 'b', baseUrl: 'http://example.com' });
    expect(gateway.issues.map((i) => i.path).sort()).toEqual(['authUrl', 'baseUrl', 'clientId']);
    expect(gateway.message).toMatch(/https/);
    expect(gateway.message).not.toMatch(/→ at clientSecret/);
  });

  it('rejects unknown options (typos) by name', () => {
    const err = issuesOf({ clientId: 'a', clientSecret: 'b', retries: 3, rateLimit: { requestPerMinute: 60, burts: 5 } });
    expect(err.message).toMatch(/retries/);
    // Each unknown key is its own issue, its path the key itself (top level and nested alike).
    expect(err.issues.map((i) => i.path).sort()).toEqual(['rateLimit.burts', 'rateLimit.requestPerMinute', 'retries']);
    expect(err.issues.find((i) => i.path === 'retries')?.message).toBe('unknown key "retries": did you mean "retry"?');
    expect(err.issues.find((i) => i.path === 'rateLimit.requestPerMinute')?.message).toBe('unknown key "requestPerMinute": did you mean "requestsPerMinute"?');
  });

  it('rejects an unknown region and lists the valid ones', () => {
    const err = issuesOf({ clientId: 'a', clientSecret: 'b', region: 'mars_north_1' });
    expect(err.issues[0]!.path).toBe('region');
    expect(err.message).toMatch(/eu_west_1/);
  });

  it('accepts a region by key, dashed key or host', () => {
    for (const region of ['eu_west_1', 'eu-west-1', 'mypurecloud.ie', 'https://api.mypurecloud.ie/']) {
      const c = new GenesysClient({ clientId: 'a', clientSecret: 'b', region });
      expect(c.apiBaseUrl).toBe('https://api.mypurecloud.ie');
      expect(c.authBaseUrl).toBe('https://login.mypurecloud.ie');
    }
  });

  it('defaults to us_east_1 with 300 requests/min and 5 in flight', () => {
    const c = new GenesysClient({ clientId: 'a', clientSecret: 'b' });
    expect(c.apiBaseUrl).toBe('https://api.mypurecloud.com');
    expect(c.options.requestsPerMinute).toBe(300);
    expect(c.options.maxConcurrent).toBe(5);
    expect(c.options.refreshAheadMs).toBe(300_000);
  });

  it('needs baseUrl and authUrl together, and plain http only on loopback', () => {
    expect(issuesOf({ clientId: 'a', clientSecret: 'b', baseUrl: 'https://gw.example.com' }).issues[0]!.path).toBe('authUrl');
    const err = issuesOf({ clientId: 'a', clientSecret: 'b', baseUrl: 'http://gw.example.com', authUrl: 'http://gw.example.com' });
    expect(err.issues.map((i) => i.path)).toEqual(['baseUrl', 'authUrl']);
    expect(() => new GenesysClient({ clientId: 'a', clientSecret: 'b', baseUrl: 'http://127.0.0.1:8080', authUrl: 'http://localhost:8080' })).not.toThrow();
  });

  it('never echoes the secret in a validation error', () => {
    const err = issuesOf({ clientId: 'a', clientSecret: 'super-secret-value', region: 'nowhere' });
    expect(err.message).not.toContain('super-secret-value');
    expect(JSON.stringify(err)).not.toContain('super-secret-value');
  });

  it('does not expose the secret on the client object', () => {
    const c = new GenesysClient({ clientId: 'a', clientSecret: 'super-secret-value' });
    expect(JSON.stringify(c.options)).not.toContain('super-secret-value');
    expect(inspect(c, { depth: 6, showHidden: true })).not.toContain('super-secret-value');
  });
});

describe('URL options that are not URLs', () => {
  it('baseUrl "not a url" and an authUrl without a scheme are ValidationErrors naming each, not TypeErrors', () => {
    for (const [baseUrl, authUrl, path] of [
      ['not a url', 'https://login.example.test', 'baseUrl'],
      ['https://api.example.test', 'login.example.test', 'authUrl'],
    ] as const) {
      let err: unknown;
      try {
        new GenesysClient({ clientId: 'a', clientSecret: 'b', baseUrl, authUrl });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toContain(path);
    }
  });
});
