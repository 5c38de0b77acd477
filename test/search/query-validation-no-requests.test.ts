import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { FilterBuilder } from '@org/gc-data/filters';
import { InteractionSearch } from '../../src/search/interaction-search';
import type { SearchQueryOptions } from '../../src/search/schemas';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client: newClient } = useSimulatedOrg({ seed: 3, anchor: 'now', rateLimit: false });

const DAY = 86_400_000;
const end = Math.floor(sim.data.end / DAY) * DAY;
const interval = `${new Date(end - DAY).toISOString()}/${new Date(end).toISOString()}`;
let search: InteractionSearch;
beforeEach(() => {
  search = new InteractionSearch(newClient());
});
const cond = { field: 'mediaType', op: 'equals', value: 'voice' } as const;
const SECRET = 'a-long-enough-secret-123';

function refusal(options: unknown): ValidationError {
  try {
    search.query(options as SearchQueryOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected query() to throw at the call');
}

describe('query(): bad input fails at the call, before any request', () => {
  it.each<[string, Record<string, unknown>, string, RegExp?]>([
    ['an unknown filter field (with a suggestion)', { filter: { field: 'type', op: 'equals', value: 'voice' } }, 'filter.field', /Did you mean "mediaType"/],
    ['an unknown op', { filter: { field: 'mediaType', op: 'like', value: 'voice' } }, 'filter.op'],
    ['a non-uuid id value', { filter: { field: 'queueId', op: 'equals', value: 'Sales' } }, 'filter.value', /uuid/],
    ['a string for a number', { filter: { field: 'tSegmentDuration', op: 'greaterThan', value: '30' } }, 'filter.value'],
    ['an unknown enum value (any casing of a known one is accepted since the helpers change)', { filter: { field: 'purpose', op: 'equals', value: 'shopper' } }, 'filter.value'],
    ['an op the field cannot take', { filter: { field: 'wrapUpCode', op: 'greaterThan', value: 'a' } }, 'filter.op'],
    ['an empty or', { filter: { or: [] } }, 'filter.or'],
    ['depth 5', { filter: { and: [cond, { or: [{ and: [cond, { or: [cond, cond] }] }] }] } }, 'filter.and[1].or[0].and[1].or[0]', /depth 5 exceeds the maximum of 4/],
    ['a filter that is not a tree', { filter: 'mediaType = voice' }, 'filter'],
    ["a client-side part with residual: 'error'", { filter: { field: 'wrapUpCode', op: 'notEquals', value: 'x' }, residual: 'error' }, 'filter', /cannot express/],
    // No interval at all is the last 24 h (seed 004: test/search/default-window-and-audit.test.ts); null is refused.
    ['a null interval', { interval: null }, 'interval'],
    ['a reversed interval', { interval: `${new Date(end).toISOString()}/${new Date(end - DAY).toISOString()}` }, 'interval', /must be after/],
    ['an interval without a time zone', { interval: '2026-11-01T00:00:00/2026-11-02T00:00:00' }, 'interval', /time zone/],
    ['a range past maxSyncRangeDays', { interval: `${new Date(end - 40 * DAY).toISOString()}/${new Date(end).toISOString()}` }, 'interval', /largeRange: 'split'/],
    ["largeRange 'job' in descending order", { interval: `${new Date(end - 40 * DAY).toISOString()}/${new Date(end).toISOString()}`, largeRange: 'job', order: 'desc' }, 'order', /ascending/],
    ['an unknown job option', { job: { chunks: 'P1D' } }, 'job'],
    ['pageSize 101', { pageSize: 101 }, 'pageSize'],
    ['pageSize 0', { pageSize: 0 }, 'pageSize'],
    ['a fractional pageSize', { pageSize: 2.5 }, 'pageSize'],
    ['limit 0', { limit: 0 }, 'limit'],
    ['an unknown order', { order: 'sideways' }, 'order'],
    ['an unknown option (a typo)', { pagesize: 10 }, ''],
    ['a signal that is not an AbortSignal', { signal: { aborted: false } }, 'signal'],
    ['notify that is not a function', { notify: 'https://x' }, 'notify'],
    ['a callback to plain http on a public host', { callback: { url: 'http://etl.example.com/hook', secret: SECRET } }, 'callback.url', /https/],
    ['a short callback secret', { callback: { url: 'https://etl.example.com/hook', secret: 'short' } }, 'callback.secret'],
    ['a callback overriding a signature header', { callback: { url: 'https://etl.example.com/hook', secret: SECRET, headers: { 'X-GC-Data-Signature': 'x' } } }, 'callback.headers.X-GC-Data-Signature'],
    ['a callback with an unknown option', { callback: { url: 'https://etl.example.com/hook', secret: SECRET, retry: 3 } }, 'callback'],
  ])('%s', (_, patch, path, message) => {
    const err = refusal({ interval, ...patch });
    expect(err.issues.map((i) => i.path)).toContain(path);
    if (message) expect(err.message).toMatch(message);
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('reports every problem at once', () => {
    const err = refusal({
      interval: 'yesterday',
      pageSize: 500,
      filter: { and: [{ field: 'queue', op: 'equals', value: 'x' }, { field: 'mediaType', op: 'equals', value: 'fax' }] },
    });
    expect(err.issues.map((i) => i.path).sort()).toEqual(['filter.and[0].field', 'filter.and[1].value', 'interval', 'pageSize']);
    expect(err.where).toBe('InteractionSearch.query() input');
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('validates a FilterBuilder the same way as a tree', () => {
    const err = refusal({ interval, filter: FilterBuilder.interaction('voice').where('evaluationState', 'equals', 'Finished') });
    expect(err.message).toMatch(/Did you mean "evaluationStatus"/);
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('refuses options that are not an object', () => {
    expect(() => search.query(undefined as never)).toThrow(ValidationError);
    expect(() => search.query('interval' as never)).toThrow(ValidationError);
  });

  it('count(), explain() and ready() validate first too', async () => {
    await expect(search.count({ interval, filter: { field: 'type', op: 'exists' } })).rejects.toBeInstanceOf(ValidationError);
    expect(() => search.explain({ interval, pageSize: -1 })).toThrow(ValidationError);
    await expect(search.ready({ timeoutMs: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(search.ready({ interval: 'nope' })).rejects.toBeInstanceOf(ValidationError);
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('a valid query sends its first request only when iterated', async () => {
    const it = search.query({ interval, filter: cond, pageSize: 1, limit: 1 });
    expect(sim.stats.totalRequests).toBe(0);
    for await (const _ of it) break;
    expect(sim.stats.count('POST /api/v2/analytics/conversations/details/query')).toBe(1);
  });
});
