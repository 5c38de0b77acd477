import { describe, expect, it } from 'vitest';
import { ReportQueries, type ExtractOptions } from '../../src/analytics/report-jobs';
import { ValidationError } from '../../src/index';
import { simClient, useSimulatedOrg } from './helpers';

const { sim } = useSimulatedOrg();
const good = '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z';

function rejected(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('bad input is a ValidationError before any request', () => {
  it.each<[string, Partial<ExtractOptions>, string]>([
    ['malformed ISO interval', { interval: 'yesterday' }, 'interval'],
    ['malformed date in the interval', { interval: '2026-02-30T00:00:00Z/2026-03-02T00:00:00Z' }, 'interval'],
    ['a date-time without a time zone', { interval: '2026-01-01T00:00:00/2026-01-02T00:00:00Z' }, 'interval'],
    ['end before start', { interval: '2026-01-02T00:00:00Z/2026-01-01T00:00:00Z' }, 'interval'],
    ['zero-length interval', { interval: '2026-01-02T00:00:00Z/2026-01-02T00:00:00Z' }, 'interval'],
    ['zero-length chunk', { chunk: 'PT0S' }, 'chunk'],
    ['zero ms chunk', { chunk: 0 }, 'chunk'],
    ['calendar-month chunk', { chunk: 'P1M' }, 'chunk'],
    ['malformed chunk', { chunk: '6 hours' }, 'chunk'],
    ['paging in the query', { query: { paging: { pageSize: 100, pageNumber: 1 } } as never }, 'query.paging'],
    ['order in the query', { query: { order: 'desc' } }, 'query.order'],
    ['a predicate testing nothing', { query: { segmentFilters: [{ type: 'and', predicates: [{ value: 'x' }] }] } as never }, 'query.segmentFilters[0].predicates[0]'],
    ['unknown availability policy', { availability: 'maybe' as never }, 'availability'],
    ['zero concurrency', { concurrency: 0 }, 'concurrency'],
    ['unknown option', { chunks: 'PT6H' } as never, 'chunks'],
  ])('%s', (_name, patch, path) => {
    const client = simClient(sim);
    const reports = new ReportQueries(client);
    const err = rejected(() => reports.extract({ interval: good, ...patch }));
    if (path) expect(err.issues.map((i) => i.path)).toContain(path);
    expect(client.stats().requests).toBe(0);
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('submit() validates the AsyncConversationQuery first', async () => {
    const client = simClient(sim);
    const reports = new ReportQueries(client);
    for (const query of [
      { interval: 'not/an interval' },
      { interval: '2026-01-02T00:00:00Z/2026-01-01T00:00:00Z' },
      { interval: good, paging: { pageSize: 10, pageNumber: 1 } },
      { interval: good, limit: 0 },
      { interval: good, order: 'sideways' },
      {},
    ]) {
      await expect(reports.submit(query as never)).rejects.toBeInstanceOf(ValidationError);
    }
    expect(client.stats().requests).toBe(0);
    expect(sim.stats.totalRequests).toBe(0);
  });

  it('ReportQueries options are validated too', () => {
    const client = simClient(sim);
    const err = rejected(() => new ReportQueries(client, { poll: { factor: 0.5 }, maxWaitMs: -1 }));
    expect(err.issues.map((i) => i.path).sort()).toEqual(['maxWaitMs', 'poll.factor']);
    expect(rejected(() => new ReportQueries(client, { pollInterval: 5 } as never)).where).toBe('ReportQueries options');
  });
});
