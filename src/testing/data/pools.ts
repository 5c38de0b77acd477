/**
 * The org's people and places: agents, evaluators, queues, wrap-up codes, one division. Small and fixed per seed,
 * so they are built once; conversations refer to them by index.
 */
import { Rng, uuidFor } from './rng';
import { ID_KIND, STREAM } from './streams';

export interface Person {
  id: string;
  name: string;
  email: string;
}

export interface Named {
  id: string;
  name: string;
}

export interface Pools {
  agents: Person[];
  evaluators: Person[];
  queues: Named[];
  wrapUpCodes: Named[];
  division: Named;
}

const FIRST = ['Ada', 'Ben', 'Chloé', 'Dev', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jon', 'Kira', 'Luis', 'Mia', 'Noor', 'Omar', 'Pia', 'Quinn', 'Ravi', 'Sara', 'Tom', 'Uma', 'Vik', 'Wen', 'Yara', 'Zoe'];
const LAST = ['Okafor', 'Schmidt', 'Nguyen', 'Garcia', 'Kowalski', 'Tanaka', 'Dubois', 'Singh', 'Rossi', 'Murphy', 'Haddad', 'Larsen', 'Costa', 'Ivanova', 'Brown'];
const QUEUES = ['Sales', 'Support Tier 1', 'Support Tier 2', 'Billing', 'Retention', 'Claims', 'Onboarding', 'Collections', 'VIP', 'Technical'];
const WRAP_UPS = ['Resolved', 'Follow-up Required', 'Transferred', 'Billing Question', 'Complaint', 'Sale Made', 'No Answer', 'Case-Closed'];

function people(seed: number, kind: number, n: number, domain: string): Person[] {
  const out: Person[] = [];
  for (let i = 0; i < n; i++) {
    const rng = Rng.of(seed, STREAM.pools, kind, i);
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const name = `${first} ${last}`;
    const email = `${first}.${last}.${i}@${domain}`.toLowerCase().normalize('NFD').replace(/[^\x20-\x7e]/g, '');
    out.push({ id: uuidFor(seed, kind, i), name, email });
  }
  return out;
}

export function buildPools(seed: number, sizes: { agents: number; evaluators: number; queues: number }): Pools {
  return {
    agents: people(seed, ID_KIND.agent, sizes.agents, 'agents.example.com'),
    evaluators: people(seed, ID_KIND.evaluator, sizes.evaluators, 'quality.example.com'),
    queues: Array.from({ length: sizes.queues }, (_, i) => ({
      id: uuidFor(seed, ID_KIND.queue, i),
      name: QUEUES[i % QUEUES.length] + (i >= QUEUES.length ? ` ${Math.floor(i / QUEUES.length) + 1}` : ''),
    })),
    wrapUpCodes: WRAP_UPS.map((name, i) => ({ id: uuidFor(seed, ID_KIND.wrapUp, i), name })),
    division: { id: uuidFor(seed, ID_KIND.division, 0), name: 'Home' },
  };
}
