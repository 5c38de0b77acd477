/**
 * Client-side residual ops must give exactly what a full server filter would. For each atom we build an
 * equivalent filter the simulator CAN run (notEquals as an `or` of every other value of a finite vocabulary,
 * contains as an `or` of the matching names, comparisons on dimensions as ranges or intervals), and take the
 * simulator's ground truth for it. Conditions are independent per item (docs/filters.md), so and/or of atoms is
 * intersection/union of their truth sets: random trees are checked against that set algebra.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '../../src/client';
import type { ProgressEvent } from '../../src/events';
import type { FilterNode } from '@org/gc-data/filters';
import { InteractionSearch } from '../../src/search/interaction-search';
import type { DetailsFilters } from '../../src/testing/index';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client: newClient } = useSimulatedOrg(
  { seed: 2024, anchor: 'now', rateLimit: false, evaluatedShare: 0.6, evaluationsPerConversation: 3 },
  { client: { retry: { maxDelayMs: 10 } } },
);

const DAY = 86_400_000;
const end = Math.floor(sim.data.end / DAY) * DAY - DAY;
const start = end - DAY;
const interval = `${new Date(start).toISOString()}/${new Date(end).toISOString()}`;
let client: GenesysClient;
let search: InteractionSearch;
beforeEach(() => {
  client = newClient();
  search = new InteractionSearch(client);
});

const all = sim.truth.conversations({ interval });
const truth = (filters: DetailsFilters, within = interval) => new Set(sim.truth.conversations({ interval: within, filters }));
const or = (predicates: object[]) => ({ type: 'or', predicates });
const one = (predicate: object) => ({ type: 'and', predicates: [predicate] });

const W0 = sim.data.wrapUpCodes[0]!.id;
const Q0 = sim.data.queues[0]!.id;
const names = [...sim.data.queues, ...sim.data.agents].map((n) => n.name);
const midpoint = new Date(start + DAY / 2).toISOString();

interface Atom {
  name: string;
  node: FilterNode;
  /** The simulator's ground truth for an equivalent filter it can run server-side. */
  ids: Set<string>;
}

const atoms: Atom[] = [
  { name: 'mediaType = voice', node: { field: 'mediaType', op: 'equals', value: 'voice' }, ids: truth({ segmentFilters: [one({ dimension: 'mediaType', value: 'voice' })] }) },
  {
    name: 'mediaType in voice, chat',
    node: { field: 'mediaType', op: 'in', value: ['voice', 'chat'] },
    ids: truth({ segmentFilters: [or([{ dimension: 'mediaType', value: 'voice' }, { dimension: 'mediaType', value: 'chat' }])] }),
  },
  { name: 'queueId = Q0', node: { field: 'queueId', op: 'equals', value: Q0 }, ids: truth({ segmentFilters: [one({ dimension: 'queueId', value: Q0 })] }) },
  {
    name: 'wrapUpCode != W0',
    node: { field: 'wrapUpCode', op: 'notEquals', value: W0 },
    ids: truth({ segmentFilters: [or(sim.data.wrapUpCodes.filter((w) => w.id !== W0).map((w) => ({ dimension: 'wrapUpCode', value: w.id })))] }),
  },
  {
    name: 'participantName contains "SUPPORT"',
    node: { field: 'participantName', op: 'contains', value: 'SUPPORT' },
    ids: truth({ segmentFilters: [or(names.filter((n) => n.toLowerCase().includes('support')).map((n) => ({ dimension: 'participantName', value: n })))] }),
  },
  { name: 'tSegmentDuration >= 10 min', node: { field: 'tSegmentDuration', op: 'gte', value: 600_000 }, ids: truth({ segmentFilters: [one({ metric: 'tSegmentDuration', range: { gte: 600_000 } })] }) },
  { name: 'originatingDirection = outbound', node: { field: 'originatingDirection', op: 'equals', value: 'outbound' }, ids: truth({ conversationFilters: [one({ dimension: 'originatingDirection', value: 'outbound' })] }) },
  {
    name: 'mediaStatsMinConversationMos > 4',
    node: { field: 'mediaStatsMinConversationMos', op: 'greaterThan', value: 4 },
    ids: truth({ conversationFilters: [one({ dimension: 'mediaStatsMinConversationMos', range: { gt: 4 } })] }),
  },
  {
    name: 'conversationStart < midpoint',
    node: { field: 'conversationStart', op: 'lessThan', value: midpoint },
    ids: truth({}, `${new Date(start).toISOString()}/${midpoint}`),
  },
  { name: 'oTotalScore < 50', node: { field: 'oTotalScore', op: 'lessThan', value: 50 }, ids: truth({ evaluationFilters: [one({ metric: 'oTotalScore', range: { lt: 50 } })] }) },
  {
    name: 'evaluationStatus != Finished',
    node: { field: 'evaluationStatus', op: 'notEquals', value: 'Finished' },
    ids: truth({ evaluationFilters: [or(['InProgress', 'InReview', 'Pending', 'Retracted'].map((v) => ({ dimension: 'evaluationStatus', value: v })))] }),
  },
  { name: 'released = true', node: { field: 'released', op: 'equals', value: true }, ids: truth({ evaluationFilters: [one({ dimension: 'released', value: 'true' })] }) },
];
const A = Object.fromEntries(atoms.map((a) => [a.name, a.node])) as Record<string, FilterNode>;
const atomOf = new Map(atoms.map((a) => [JSON.stringify(a.node), a]));

function expected(node: FilterNode): Set<string> {
  if ('and' in node) return node.and.map(expected).reduce((acc, s) => new Set([...acc].filter((x) => s.has(x))), new Set(all));
  if ('or' in node) return node.or.map(expected).reduce((acc, s) => new Set([...acc, ...s]), new Set<string>());
  const a = atomOf.get(JSON.stringify(node));
  if (!a) throw new Error(`no atom for ${JSON.stringify(node)}`);
  return a.ids;
}

async function run(filter: FilterNode): Promise<{ ids: string[]; last: ProgressEvent | undefined }> {
  const progress: ProgressEvent[] = [];
  const listener = (e: ProgressEvent) => progress.push(e);
  client.on('progress', listener);
  try {
    const ids: string[] = [];
    for await (const c of search.query({ filter, interval })) ids.push(c.conversationId);
    return { ids, last: progress.filter((e) => e.operation === 'search.query').at(-1) };
  } finally {
    client.off('progress', listener);
  }
}

const inOrder = (s: Set<string>) => all.filter((id) => s.has(id));

describe('query(): client-side residual vs a full server filter (simulator ground truth)', () => {
  it('the atoms are meaningful: each selects some but not all conversations', () => {
    for (const a of atoms) {
      expect(a.ids.size, a.name).toBeGreaterThan(0);
      expect(a.ids.size, a.name).toBeLessThan(all.length);
    }
  });

  it.each([
    ['notEquals with a server part', { and: [A['mediaType in voice, chat']!, A['wrapUpCode != W0']!] }],
    ['contains (case-insensitive)', A['participantName contains "SUPPORT"']!],
    ['an or across levels', { or: [A['originatingDirection = outbound']!, A['oTotalScore < 50']!] }],
    ['a comparison on a number dimension', A['mediaStatsMinConversationMos > 4']!],
    ['a comparison on a datetime dimension', { and: [A['conversationStart < midpoint']!, A['mediaType = voice']!] }],
    ['notEquals on evaluations next to a server evaluation condition', { and: [A['evaluationStatus != Finished']!, A['released = true']!] }],
    [
      'an or whose branch mixes server and client conditions',
      { and: [A['mediaType = voice']!, { or: [{ and: [A['queueId = Q0']!, A['wrapUpCode != W0']!] }, A['tSegmentDuration >= 10 min']!] }] },
    ],
  ] as Array<[string, FilterNode]>)('%s', async (_, filter) => {
    const want = inOrder(expected(filter));
    const plan = search.explain({ filter, interval });
    expect(plan.residual, 'the case must exercise the client-side residual').toBeDefined();
    const { ids, last } = await run(filter);
    expect(ids).toEqual(want);
    expect(last?.matched).toBe(want.length);
    expect(last?.scanned as number).toBeGreaterThan(want.length);
  });

  it('random and/or trees over server and client atoms give exactly the set algebra of the ground truth', async () => {
    const leaf = fc.constantFrom(...atoms.map((a) => a.node));
    const tree = fc.letrec<{ node: FilterNode }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
      ),
    })).node.filter((t) => depth(t) <= 4);
    await fc.assert(
      fc.asyncProperty(tree, async (filter) => {
        const { ids } = await run(filter);
        expect(ids).toEqual(inOrder(expected(filter)));
      }),
      { numRuns: 30 },
    );
  });
});

function depth(n: FilterNode): number {
  if ('and' in n) return 1 + Math.max(0, ...n.and.map(depth));
  if ('or' in n) return 1 + Math.max(0, ...n.or.map(depth));
  return 1;
}
