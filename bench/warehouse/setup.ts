/** What the warehouse benches (load.ts, crash.ts, sync.ts) share: their flags and the PostgreSQL server they need. */

/** `--name <number>` from the command line, else `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** DATABASE_URL, or exit 2 saying how to get one: these benches measure a real server, never a stand-in. */
export function databaseUrl(bench: string): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`${bench} needs DATABASE_URL (a PostgreSQL server on 127.0.0.1; .ci/run shows how to start one)`);
    process.exit(2);
  }
  return url;
}
