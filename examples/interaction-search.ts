/**
 * Seed 004 (docs/design-intent.md): interaction search with a filter tree, and a batch callback to the downstream pipeline.
 *
 * The seed's tree ({ and | or: [...] } of { field, op, value }, at most 4 deep) is validated against the catalog of
 * real dimensions and metrics, compiled to details-query predicates, and what the platform cannot express runs on
 * the results (explain() shows which part, before anything is sent). The seed's readiness probe becomes
 * search.ready(). Its webhook registration (no such endpoint) becomes a signed POST to your own URL after each batch:
 * here a receiver on 127.0.0.1 verifies every signature with verifyBatchSignature.
 *
 *   npx tsx examples/interaction-search.ts [INTERVAL]        default: the last full UTC day
 *
 * With no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET it runs against the simulated org.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSinkForPath } from '@org/gc-data/sinks';
import { DEFAULT_MAX_FILTER_DEPTH, validateFilterDepth } from '@org/gc-data/filters';
import { InteractionSearch, type FilterNode, type SearchNotification } from '@org/gc-data';
import { lastFullUtcDay } from '@org/gc-data/intervals';
import { verifyBatchSignature } from '@org/gc-data/batch-callbacks';
import { connect, outDir, report } from './lib/connect';

const interval = process.argv[2] ?? lastFullUtcDay();
const file = join(outDir('search'), 'long-voice-calls.ndjson');

// The seed's search: voice interactions longer than 180 s; inbound ones, or any longer than 10 minutes; not timed out.
const filter: FilterNode = {
  and: [
    { field: 'mediaType', op: 'equals', value: 'voice' },
    { field: 'tSegmentDuration', op: 'greaterThan', value: 180_000 }, // the seed's durationSeconds > 180, in ms
    { or: [{ field: 'originatingDirection', op: 'equals', value: 'inbound' }, { field: 'tSegmentDuration', op: 'greaterThan', value: 600_000 }] },
    { field: 'wrapUpCode', op: 'notEquals', value: 'ININ-WRAP-UP-TIMEOUT' },
  ],
};

// The downstream pipeline's receiver: verifies the signature on the raw body, dedupes on the delivery id.
const secret = process.env.GC_DATA_HOOK_SECRET ?? randomBytes(24).toString('hex');
const received = new Map<string, SearchNotification>();
let rejected = 0;
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const ok = verifyBatchSignature(secret, req.headers['x-gc-data-timestamp'] as string, raw, req.headers['x-gc-data-signature'] as string);
    if (!ok) {
      rejected++;
      res.writeHead(401).end();
      return;
    }
    received.set(String(req.headers['x-gc-data-delivery']), JSON.parse(raw.toString('utf8')) as SearchNotification);
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/gc-data`;

const { client, target, close } = await connect();
try {
  const depth = validateFilterDepth(filter);
  const search = new InteractionSearch(client);
  const plan = search.explain({ filter, interval }); // sends nothing
  const { latencyMs } = await search.ready({ timeoutMs: 30_000 });

  const sink = createSinkForPath(file);
  let batches = 0;
  for await (const conversation of search.query({
    filter,
    interval,
    callback: { url: hookUrl, secret },
    notify: (n) => {
      if (n.type === 'batch') batches++;
    },
  })) {
    await sink.write(conversation as unknown as Record<string, unknown>);
  }
  await sink.close();

  const complete = [...received.values()].find((n) => n.type === 'complete');
  report(`Interaction search on the ${target}`, [
    ['interval', plan.interval],
    ['filter', `depth ${depth.depth} (max ${DEFAULT_MAX_FILTER_DEPTH}${depth.ok ? '' : `: ${depth.message}`}); server filters: ${Object.keys(plan.query).filter((k) => k.endsWith('Filters')).join(', ')}`],
    ['client-side', plan.residual ? `${plan.residual.paths.join(', ')} (the platform cannot express them)` : 'nothing'],
    ['index ready', `in ${latencyMs} ms`],
    ['matched', `${sink.rowsWritten} conversation(s) -> ${file}`],
    ['scanned', complete?.type === 'complete' ? `${complete.scanned} returned by the platform on ${complete.pages} page(s)` : '?'],
    ['callbacks', `${received.size} delivered and verified (${batches} batch(es) + complete), ${rejected} rejected`],
  ]);
  for (const note of plan.notes) console.log(`  note: ${note}`);
} finally {
  await close();
  receiver.close();
}
