/**
 * CI check: the packed package stands on its own, as a new user meets it. Packs the package, then:
 *
 * 1. Contents: every relative link in README.md and docs/*.md, and every `docs/<file>.md` the built code names
 *    (the CLI's --help and error hints), points at a file inside the tarball.
 * 2. Types: installs the tarball (runtime dependencies only, no zod) into temporary projects and type-checks
 *    consumers without skipLibCheck, as ESM and as CommonJS (module node16/nodenext, and ESM with bundler
 *    resolution):
 *    - the main entry without @types/node: its declarations must not need it (the program is checked to hold none
 *      of Node's types);
 *    - with msw installed, the README's `setupServer(...org.handlers)` snippet and the docs/testing.md pattern
 *      (`@org/gc-data/testing` is for Node test code: its declarations use Node's types, so these have them);
 *    - with @types/node: `requestBytes` is a Buffer there, and Node streams are sink targets;
 *    - with the consumer's own zod 4 / zod 3, passing zod schemas to `request({ schema })`.
 * Run after `npm run build`: node scripts/check-consumer-types.mjs
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packDir = mkdtempSync(join(tmpdir(), 'gc-pack-'));
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();

// ---------------------------------------------------------------------------------------------------------------
// 1. What the tarball's documents link to is in the tarball.

function checkContents() {
  const shipped = new Set(
    execFileSync('tar', ['-tzf', join(packDir, tarball)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((p) => p.replace(/^package\//, '')),
  );
  const dirs = new Set([...shipped].flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  const problems = [];
  const documents = [...shipped].filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));
  if (!documents.includes('README.md')) problems.push('README.md is not in the tarball');
  if (!documents.some((f) => f.startsWith('docs/'))) problems.push('docs/*.md are not in the tarball ("files" in package.json)');
  for (const doc of documents) {
    const text = readFileSync(join(root, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, link] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#')) continue;
      const target = posix.normalize(posix.join(posix.dirname(doc), decodeURI(link.split('#')[0]))).replace(/\/$/, '');
      if (target.startsWith('..') || !(shipped.has(target) || dirs.has(target))) problems.push(`${doc} links to ${link}, which is not in the tarball`);
    }
  }
  const named = new Set();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(c|m)?js$/.test(e.name)) for (const [m] of readFileSync(p, 'utf8').matchAll(/\bdocs\/[\w.-]+\.md\b/g)) named.add(m);
    }
  };
  walk(join(root, 'dist'));
  for (const doc of named) if (!shipped.has(doc)) problems.push(`the built code (CLI help or hints) names ${doc}, which is not in the tarball`);
  if (problems.length > 0) throw new Error(`package contents:\n  ${problems.join('\n  ')}`);
  console.log(`package contents ok: ${documents.length} documents' links and ${named.size} docs/ file(s) named by the code are in the tarball`);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Consumers.

const consumer = `
import { GenesysClient, ReportQueries, type EvaluationResponse, type ResponseSchema } from '@org/gc-data';
import { EvaluationResponseSchema, AsyncConversationQuery } from '@org/gc-data/schemas';
const client = new GenesysClient({ clientId: 'id', clientSecret: 'secret', region: 'us_east_1' });
const ok: boolean = EvaluationResponseSchema.safeParse({}).success;
const q = AsyncConversationQuery.parse({ interval: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z' });
const schema: ResponseSchema<{ id: string }> = { safeParse: (d: unknown) => ({ success: true, data: d as { id: string } }) };
export async function run(e: EvaluationResponse): Promise<string> {
  client.on('retry', (r) => console.log(r.attempt, r.delayMs));
  const me = await client.request({ path: '/api/v2/users/me', schema });
  const bytes: Uint8Array = (await client.requestBytes({ path: '/api/v2/users/me' })).data;
  new ReportQueries(client);
  return me.id + e.id + String(ok) + q.interval + bytes.length;
}
`;
/** Node users keep Node's types: the bytes are a Buffer, any Writable is a sink target. */
const withNode = `
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { GenesysClient } from '@org/gc-data';
import { CsvSink, NdjsonSink } from '@org/gc-data/sinks';
const client = new GenesysClient({ clientId: 'id', clientSecret: 'secret', region: 'us_east_1' });
export async function run(): Promise<string> {
  const bytes: Buffer = (await client.requestBytes({ path: '/api/v2/users/me' })).data;
  new CsvSink(process.stdout);
  new CsvSink(createWriteStream('out.csv'));
  new NdjsonSink(createGzip());
  return bytes.toString('base64');
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

/** The README's "Testing your pipeline" snippet, as written there. */
function readmeSnippet() {
  const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const snippet = blocks.find((b) => b.includes('setupServer(...org.handlers)'));
  if (!snippet) throw new Error('README.md has no ts block with setupServer(...org.handlers) any more: update scripts/check-consumer-types.mjs');
  return `${snippet}\nexport { client };\n`;
}
/** docs/testing.md's msw pattern, without the test runner's globals. */
const testingPattern = `
import { setupServer } from 'msw/node';
import { createSimulatedOrg, type SimulatedOrgHandle } from '@org/gc-data/testing';
import { GenesysClient, QualityExporter } from '@org/gc-data';
const org: SimulatedOrgHandle = createSimulatedOrg({ seed: 7, anchor: '2026-06-01T00:00:00Z' });
const server = setupServer(...org.handlers);
export async function exportOnce(): Promise<number> {
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const client = new GenesysClient({ clientId: org.clientId, clientSecret: org.clientSecret, baseUrl: org.apiBaseUrl, authUrl: org.authBaseUrl });
    const rows: unknown[] = [];
    for await (const row of new QualityExporter(client).rows({ interval: '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z' })) rows.push(row);
    return rows.length + org.stats.bucketEmptyArrivals;
  } finally {
    org.reset();
    server.close();
  }
}
`;

const nodenext = { module: 'nodenext', moduleResolution: 'nodenext' };
const node16 = { module: 'node16', moduleResolution: 'node16' };
const bundler = { module: 'preserve', moduleResolution: 'bundler' };
const noNodeTypes = { types: [] };
const nodeTypes = { types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] };

/**
 * Installs the tarball (and `extraDeps`) into a new project of `type`, writes `files`, then type-checks each
 * config's `files` (default: all) with its compiler options.
 */
function check(label, type, files, extraDeps, configs) {
  const dir = mkdtempSync(join(tmpdir(), 'gc-consumer-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', '--omit=peer', join(packDir, tarball), ...extraDeps], { cwd: dir, stdio: 'ignore' });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    for (const [i, [name, { files: only, ...options }]] of Object.entries(configs).entries()) {
      const config = join(dir, `tsconfig.${i}.json`);
      const checked = only ?? Object.keys(files);
      writeFileSync(config, JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', noEmit: true, skipLibCheck: false, ...options }, files: checked }));
      execFileSync(process.execPath, [tsc, '-p', config], { cwd: dir, stdio: 'inherit' });
      if (options.types?.length === 0) {
        const program = execFileSync(process.execPath, [tsc, '-p', config, '--listFilesOnly'], { cwd: dir, encoding: 'utf8' });
        const nodeFile = program.split('\n').find((f) => f.includes('/@types/node/'));
        if (nodeFile) throw new Error(`${label} (${name}): the program loaded Node's types (${nodeFile}), so it cannot show that the declarations do without them`);
      }
      console.log(`consumer types ok: ${label}, ${name}: ${checked.join(', ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  checkContents();
  const msw = `msw@${pkg.peerDependencies.msw}`;
  const files = { 'consumer.ts': consumer, 'readme-testing.ts': readmeSnippet(), 'testing-pattern.ts': testingPattern, 'with-node.ts': withNode };
  const mainOnly = ['consumer.ts'];
  check('ESM, no zod', 'module', files, [msw], {
    'nodenext, no @types/node': { ...nodenext, ...noNodeTypes, files: mainOnly },
    'bundler, no @types/node': { ...bundler, ...noNodeTypes, files: mainOnly },
    'nodenext, @types/node, msw': { ...nodenext, ...nodeTypes },
    'bundler, @types/node, msw': { ...bundler, ...nodeTypes },
  });
  // nodenext, not node16, with msw: msw's own CommonJS declarations import ESM-only packages (rettime, type-fest),
  // which only a resolution that models require(esm) (Node >= 20.19, our floor) accepts without skipLibCheck.
  check('CommonJS, no zod', 'commonjs', files, [msw], {
    'node16, no @types/node': { ...node16, ...noNodeTypes, files: mainOnly },
    'nodenext, @types/node, msw': { ...nodenext, ...nodeTypes },
  });
  check('ESM, own zod 4 schemas', 'module', { 'consumer.ts': consumer, 'with-zod.ts': withZod, 'with-node.ts': withNode }, ['zod@4'], {
    'node16, @types/node': { ...node16, ...nodeTypes },
  });
  check('CommonJS, own zod 3 schemas', 'commonjs', { 'with-zod.ts': withZod, 'with-node.ts': withNode }, ['zod@3'], {
    'node16, @types/node': { ...node16, ...nodeTypes },
  });
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
