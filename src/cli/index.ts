#!/usr/bin/env node
/**
 * `gc-data`: the command-line entry. Built to dist/cli/index.js (bin `gc-data`); from a clone, run it from source
 * with `npx tsx src/cli/index.ts <command>` (or `npm run gc-data -- <command>`). Guide: docs/cli.md.
 */
import { relative } from 'node:path';
import { runCli } from './run';

function invokedAs(): string {
  const script = process.argv[1] ?? '';
  if (!script.endsWith('.ts')) return 'gc-data';
  const rel = relative(process.cwd(), script) || script;
  return `npx tsx ${rel.startsWith('..') ? script : rel}`;
}

// No top-level await: the same file builds as ESM and CJS.
void runCli({
  argv: process.argv.slice(2),
  env: process.env,
  streams: { stdout: process.stdout, stderr: process.stderr },
  handleSignals: true,
  invokedAs: invokedAs(),
}).then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; if a stray handle (a third-party timer, a lingering socket) kept the process
    // alive, do not hang a cron job over it.
    setTimeout(() => process.exit(code), 3000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`gc-data: error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
