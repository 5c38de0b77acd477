/**
 * CI check: the packed package's declarations stand on their own. Installs the tarball (runtime dependencies
 * only, no zod) into a temporary project and type-checks a consumer, without skipLibCheck, as ESM and as CommonJS
 * (module node16), then again with the consumer's own zod installed, passing zod schemas to `request({ schema })`.
 * (`@org/gc-data/testing` is left out: its declarations name msw, an optional peer the consumer would install.)
 * Run after `npm run build`: node scripts/check-consumer-types.mjs
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const packDir = mkdtempSync(join(tmpdir(), 'gc-pack-'));
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();

const consumer = `
import { GenesysClient, ReportQueries, EvaluationResponseSchema, AsyncConversationQuery, type EvaluationResponse, type ResponseSchema } from '@org/gc-data';
const client = new GenesysClient({ clientId: 'id', clientSecret: 'secret', region: 'us_east_1' });
const ok: boolean = EvaluationResponseSchema.safeParse({}).success;
const q = AsyncConversationQuery.parse({ interval: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z' });
const schema: ResponseSchema<{ id: string }> = { safeParse: (d: unknown) => ({ success: true, data: d as { id: string } }) };
export async function run(e: EvaluationResponse): Promise<string> {
  client.on('retry', (r) => console.log(r.attempt, r.delayMs));
  const me = await client.request({ path: '/api/v2/users/me', schema });
  const bytes: Buffer = (await client.requestBytes({ path: '/api/v2/users/me' })).data;
  new ReportQueries(client);
  return me.id + e.id + String(ok) + q.interval + bytes.length;
}
`;
const withZod = `
import { z } from 'zod';
import { GenesysClient } from '@org/gc-data';
const client = new GenesysClient({ clientId: 'id', clientSecret: 'secret', region: 'us_east_1' });
const User = z.object({ id: z.string(), name: z.string().optional() });
export async function run(): Promise<string> {
  const u = await client.request({ path: '/api/v2/users/me', schema: User });
  return u.id;
}
`;

function check(label, type, files, extraDeps = []) {
  const dir = mkdtempSync(join(tmpdir(), 'gc-consumer-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', '--omit=peer', join(packDir, tarball), ...extraDeps], { cwd: dir, stdio: 'ignore' });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
        files: Object.keys(files),
      }),
    );
    execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, stdio: 'inherit' });
    console.log(`consumer types ok: ${label}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  check('ESM, no zod installed', 'module', { 'consumer.ts': consumer });
  check('CommonJS, no zod installed', 'commonjs', { 'consumer.ts': consumer });
  check('ESM, own zod 4 schemas', 'module', { 'consumer.ts': consumer, 'with-zod.ts': withZod }, ['zod@4']);
  check('CommonJS, own zod 3 schemas', 'commonjs', { 'with-zod.ts': withZod }, ['zod@3']);
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
