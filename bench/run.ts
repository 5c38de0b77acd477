/**
 * `npm run bench`: builds, runs every benchmark in its own process (so one cannot skew the next), then renders
 * docs/performance.md. Benchmarks needing Redis run only when REDIS_URL is set.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const only = process.argv.slice(2);
const benches = ['transport', 'pii', 'quality', 'pacing/faults', 'report-jobs', 'footprint', 'multi-worker', 'checkpoint-bytes', 'legal-hold/download'].filter(
  (b) => (only.length === 0 || only.includes(b)) && existsSync(resolve(root, 'bench', `${b}.ts`)),
);

run('npm', ['run', 'build']);
for (const b of benches) {
  if (b === 'multi-worker' && !process.env.REDIS_URL) {
    console.warn('skipping bench/multi-worker: set REDIS_URL to a Redis on 127.0.0.1 to run it');
    continue;
  }
  // The load and crash benches need a PostgreSQL server on this machine (.ci/run shows how to start one).
  if ((b === 'warehouse/load' || b === 'warehouse/crash') && !process.env.DATABASE_URL) {
    console.warn(`skipping bench/${b}: set DATABASE_URL to a PostgreSQL server on 127.0.0.1 to run it`);
    continue;
  }
  console.log(`\n== bench/${b}`);
  run(process.execPath, ['--import', 'tsx', `bench/${b}.ts`, ...(b.startsWith('warehouse/') ? ['--save'] : [])]);
}
run(process.execPath, ['--import', 'tsx', 'bench/render.ts']);
