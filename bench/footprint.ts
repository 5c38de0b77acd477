/**
 * Workload 3 of the performance report: cold import time of the package in a fresh `node` process, and the
 * installed size of the package with its dependencies, ours vs the official SDK (purecloud-platform-client-v2).
 * Needs a build (`npm run build`) and the npm registry (each side is installed into an empty folder).
 * Run: npx tsx bench/footprint.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, writeResult } from './lib';

const RUNS = 15;
const root = resolve(import.meta.dirname, '..');

function duBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += duBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

function install(spec: string): { dir: string; bytes: number; packages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'gc-footprint-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'footprint', private: true }));
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', spec], { cwd: dir, stdio: 'ignore' });
  const nm = join(dir, 'node_modules');
  const packages = readdirSync(nm).reduce((n, name) => n + (name.startsWith('@') ? readdirSync(join(nm, name)).length : name.startsWith('.') ? 0 : 1), 0);
  return { dir, bytes: duBytes(nm), packages };
}

/**
 * Wall time of `node <file>` with `code` as the file, in `cwd`, alternating sides so machine drift hits both alike.
 * A file, as applications start, not `node -e`: `-e` preloads node:crypto (16 internal modules), which hid the
 * cost of a package requiring it.
 */
function time(cwd: string, code: string, ext: 'cjs' | 'mjs' = 'cjs'): number {
  const file = join(cwd, `start-${createHash('sha1').update(code).digest('hex').slice(0, 8)}.${ext}`);
  writeFileSync(file, `${code}\n`);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [file], { cwd, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${file} (${code}) failed in ${cwd}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmpdir()], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
const ours = install(join(tmpdir(), tarball));
const official = install('purecloud-platform-client-v2@262.0.0');

const bare: number[] = [];
const oursCjs: number[] = [];
const oursEsm: number[] = [];
const officialCjs: number[] = [];
const officialEsm: number[] = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(time(ours.dir, '0'));
  oursCjs.push(time(ours.dir, "require('@org/gc-data')"));
  officialCjs.push(time(official.dir, "require('purecloud-platform-client-v2')"));
  oursEsm.push(time(ours.dir, "import '@org/gc-data';", 'mjs'));
  officialEsm.push(time(official.dir, "import 'purecloud-platform-client-v2';", 'mjs'));
}
const b = median(bare);
// Both ESM figures include Node's ESM loader start-up (~4 ms here), which a bare CommonJS start does not.
const importMs = {
  bareNode: b,
  oursRequire: median(oursCjs) - b,
  officialRequire: median(officialCjs) - b,
  oursImport: median(oursEsm) - b,
  officialImport: median(officialEsm) - b,
};
const importRatio = importMs.oursRequire / importMs.officialRequire;
const esmRatio = importMs.oursImport / importMs.officialImport;
const sizeRatio = ours.bytes / official.bytes;
const mb = (x: number) => Math.round((x / 1e6) * 10) / 10;

const file = writeResult({
  benchmark: 'footprint',
  results: {
    runs: RUNS,
    importMsMedianAboveBareNode: importMs,
    installed: {
      ours: { megabytes: mb(ours.bytes), packages: ours.packages },
      official: { megabytes: mb(official.bytes), packages: official.packages },
    },
  },
  targets: [
    { name: 'cold require time, ours / official', target: '<= 0.20', value: Math.round(importRatio * 1000) / 1000, met: importRatio <= 0.2 },
    { name: 'cold import time (ESM), ours / official', target: '<= 0.20', value: Math.round(esmRatio * 1000) / 1000, met: esmRatio <= 0.2 },
    { name: 'installed size with dependencies, ours / official', target: '<= 0.10', value: Math.round(sizeRatio * 1000) / 1000, met: sizeRatio <= 0.1 },
  ],
  reading:
    `require('@org/gc-data') adds ${Math.round(importMs.oursRequire)} ms to a bare node start vs ${Math.round(importMs.officialRequire)} ms ` +
    `for the official SDK; import (ESM) ${Math.round(importMs.oursImport)} ms vs ${Math.round(importMs.officialImport)} ms; installed, ours is ${mb(ours.bytes)} MB in ${ours.packages} packages vs ${mb(official.bytes)} MB in ${official.packages}.`,
});
console.log(JSON.stringify({ importMs, ours: mb(ours.bytes), official: mb(official.bytes) }));
console.log(`wrote ${file}`);
