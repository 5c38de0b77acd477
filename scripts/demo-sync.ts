/**
 * `npm run demo:sync`: the whole ETL on this machine, no server and no credentials.
 *
 * 1. Serves a simulated org on 127.0.0.1 (fixed seed; its clock starts at the dataset's end).
 * 2. Runs `gc-data sync evaluations` into the embedded PostgreSQL (PGlite) in .gc-data/demo-warehouse (recreated on
 *    each demo run, so the demo always tells the same story).
 * 3. Lets three days pass in the org (late evaluations, releases, rescores, deletions) and syncs again: only the
 *    changes are fetched.
 * 4. Prints one analyst query: the average score per agent over the last week.
 */
import { rmSync } from 'node:fs';
import { createPostgresWarehouse } from '../src/postgres/index';
import { runCli } from '../src/cli/run';
import { createSimulatedOrg, startSimulatedServer } from '../src/testing/index';

const DIR = '.gc-data/demo-warehouse';
const ANCHOR = Date.parse('2026-11-20T00:00:00Z');
const T0 = Date.now();

const sim = createSimulatedOrg({ seed: 2026, anchor: ANCHOR, days: 30, conversationsPerDay: 60, now: () => ANCHOR + (Date.now() - T0), rateLimit: false, clientId: 'demo', clientSecret: 'demo-secret' });
const server = await startSimulatedServer({ org: sim.org });
rmSync(DIR, { recursive: true, force: true });

const env = { ...process.env, GENESYS_CLIENT_ID: 'demo', GENESYS_CLIENT_SECRET: 'demo-secret', GENESYS_BASE_URL: server.url, GENESYS_AUTH_URL: server.url };
for (const k of ['GENESYS_REGION', 'GENESYS_CREDENTIALS_FILE']) delete env[k];
const sync = async (title: string) => {
  console.log(`\n== ${title}`);
  const code = await runCli({
    argv: ['sync', 'evaluations', '--pglite', DIR, '--lookback', 'P30D', '--now', new Date(sim.now()).toISOString(), '--requests-per-minute', '20000', '--progress', 'off'],
    env,
    streams: { stdout: process.stdout, stderr: process.stderr },
    invokedAs: 'gc-data',
  });
  if (code !== 0) throw new Error(`gc-data sync exited with ${code}`);
};

try {
  await sync('first sync: the whole 30-day look-back');
  await sync('again right away: nothing changed, so no evaluation is fetched');
  sim.advance('P3D');
  await sync('three days later: late, released, rescored and deleted evaluations');

  const w = createPostgresWarehouse({ pglite: DIR });
  try {
    // Agent names for the join (a real run loads them with warehouse.loadDimensions from the users API).
    await w.loadDimensions({ users: sim.data.agents.map((a) => ({ id: a.id, name: a.name, email: a.email })) });
    const weekEnd = new Date(sim.now());
    const weekStart = new Date(sim.now() - 7 * 86_400_000);
    const sql = `SELECT u.name AS agent, count(*)::int AS evaluations, round(avg(e.total_score), 1)::text AS avg_score
  FROM evaluations_current e JOIN users u ON u.user_id = e.agent_id
  WHERE e.conversation_date >= $1 AND e.conversation_date < $2
  GROUP BY u.name ORDER BY avg(e.total_score) DESC LIMIT 10`;
    console.log(`\n== average score per agent, ${weekStart.toISOString().slice(0, 10)} to ${weekEnd.toISOString().slice(0, 10)} (top 10)\n${sql}\n`);
    console.table(await w.query(sql, [weekStart, weekEnd]));
  } finally {
    await w.close();
  }
} finally {
  await server.close();
}
