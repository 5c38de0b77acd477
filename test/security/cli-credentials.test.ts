/**
 * A credential source that is given must be complete and valid (exit 2 naming what is wrong, before any request);
 * the simulated org is used only when nothing at all is configured. Never echoes the secret.
 */
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, jsonSummary, runInProcess, startOrg, tempDir, TEST_CLIENT_ID, TEST_SECRET, transcript, type Org } from '../cli/helpers';

let org: Org;
let dir: string;

beforeAll(async () => {
  org = await startOrg();
  dir = tempDir('credentials');
});
afterAll(async () => {
  await org?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, 0o600);
  return path;
}

/** A secret in base64 with padding: `KEY=value` to a dotenv parser. Never shown. */
const B64_SECRET = 'Zm9vYmFyYmF6cXV4c2VjcmV0MTIz==';

const SIM = /using the built-in simulated org/;

describe('gc-data credentials', () => {
  const cases: Array<[string, () => { args: string[]; env: Record<string, string> }, RegExp]> = [
    ['an empty --credentials-file', () => ({ args: ['--credentials-file', file('empty.json', '')], env: {} }), /credentials file .*empty\.json holds no credentials: clientId and clientSecret are missing/],
    ['a --credentials-file holding {}', () => ({ args: ['--credentials-file', file('braces.json', '{}\n')], env: {} }), /credentials file .*braces\.json holds no credentials: clientId and clientSecret are missing/],
    [
      'unknown keys in a JSON file (did you mean)',
      () => ({ args: ['--credentials-file', file('typos.json', JSON.stringify({ clientID: TEST_CLIENT_ID, secret: TEST_SECRET }))], env: {} }),
      /typos\.json: unknown key "clientID" \(did you mean "clientId"\?\); unknown key "secret" \(did you mean "clientSecret"\?\)/,
    ],
    [
      'an unknown key next to complete credentials',
      () => ({ args: ['--credentials-file', file('extra.json', JSON.stringify({ clientId: TEST_CLIENT_ID, clientSecret: TEST_SECRET, regoin: 'eu_west_1' }))], env: {} }),
      /extra\.json: unknown key "regoin" \(did you mean "region"\?\)/,
    ],
    ['a bare secret string', () => ({ args: ['--credentials-file', file('bare.env', `${TEST_SECRET}\n`)], env: {} }), /bare\.env: line 1 is not KEY=value/],
    [
      'a bare base64 secret (its "=" padding parses as KEY=value)',
      () => ({ args: ['--credentials-file', file('b64.env', `${B64_SECRET}\n`)], env: {} }),
      /b64\.env: an unknown key of 28 characters \(not shown/,
    ],
    [
      'a dotenv file with a misspelt name',
      () => ({ args: ['--credentials-file', file('typo.env', `GENESYS_CLIENT_ID=${TEST_CLIENT_ID}\nGENESYS_CLIENT_SECRT=${TEST_SECRET}\n`)], env: {} }),
      /typo\.env: unknown key "GENESYS_CLIENT_SECRT" \(did you mean "GENESYS_CLIENT_SECRET"\?\)/,
    ],
    [
      'GENESYS_CREDENTIALS_FILE with only a client id',
      () => ({ args: [], env: { GENESYS_CREDENTIALS_FILE: file('half.json', JSON.stringify({ clientId: TEST_CLIENT_ID })) } }),
      /clientSecret \(GENESYS_CLIENT_SECRET\) is missing in the credentials file .*half\.json/,
    ],
    ['an empty --credentials-file value', () => ({ args: ['--credentials-file', ''], env: {} }), /--credentials-file is empty/],
    ['GENESYS_CREDENTIALS_FILE set but empty', () => ({ args: [], env: { GENESYS_CREDENTIALS_FILE: '' } }), /GENESYS_CREDENTIALS_FILE is set but empty/],
    ['credential variables set but empty (a missing CI secret)', () => ({ args: [], env: { GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '' } }), /GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET are set but empty/],
    [
      'misspelt environment variables',
      () => ({ args: [], env: { GENESYS_CLIENTID: TEST_CLIENT_ID, GENESYS_SECRET: TEST_SECRET } }),
      /GENESYS_CLIENTID is not a variable gc-data reads \(did you mean GENESYS_CLIENT_ID\?\); GENESYS_SECRET is not a variable gc-data reads \(did you mean GENESYS_CLIENT_SECRET\?\)/,
    ],
    [
      "another tool's variables (Terraform/CLI names)",
      () => ({ args: [], env: { GENESYSCLOUD_OAUTHCLIENT_ID: TEST_CLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET: TEST_SECRET } }),
      /GENESYSCLOUD_OAUTHCLIENT_ID is not a variable gc-data reads \(did you mean GENESYS_CLIENT_ID\?\)/,
    ],
  ];

  it.each(cases)('%s: exit 2 naming the problem, no simulated org, no output, secret not echoed', async (_name, setup, message) => {
    const { args, env } = setup();
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}.ndjson`);
    const r = await runInProcess(['export-evaluations', '--interval', DAY, '--out', out, '--json', ...args], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(SIM);
    expect(jsonSummary<{ ok: boolean; error: { exitCode: number } }>(r.stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });
    expect(existsSync(out)).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(TEST_SECRET);
    expect(r.stdout + r.stderr).not.toContain(B64_SECRET.slice(0, 8));
  });

  it('a complete file (JSON or dotenv, any accepted key style) connects to the org it names', async () => {
    for (const [name, text] of [
      ['ok.json', JSON.stringify({ clientId: TEST_CLIENT_ID, clientSecret: TEST_SECRET, baseUrl: org.url, authUrl: org.url })],
      ['ok.env', `# comment\nexport GENESYS_CLIENT_ID=${TEST_CLIENT_ID}\nclient_secret="${TEST_SECRET}"\nGENESYS_BASE_URL=${org.url}\nGENESYS_AUTH_URL=${org.url}\n`],
    ] as const) {
      const out = join(dir, `ok-${name}.ndjson`);
      const r = await runInProcess(['export-evaluations', '--interval', DAY, '--out', out, '--credentials-file', file(name, text)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(SIM);
      expect(r.stderr).toMatch(/with credentials from the credentials file/);
    }
  });

  it('never prints the secret', () => {
    for (const text of transcript) expect(text).not.toContain(TEST_SECRET);
  });
});
