/**
 * The Quality checkpoint cursor (src/quality/export-checkpoint.ts, discovery.ts): the watermark moves only over
 * pages read in ascending start order, ties at the watermark stay listed, and a cursor never forgets an id whose
 * conversation could come back when discovery restarts at the watermark. Internal units: imported by path.
 */
import { describe, expect, it } from 'vitest';
import { watermark } from '../../src/quality/discovery';
import { CursorTracker } from '../../src/quality/export-checkpoint';

describe('watermark', () => {
  it('is the last start of an ascending page, ties included', () => {
    expect(watermark(undefined, [10, 20, 20, 30])).toBe(30);
    expect(watermark(5, [5, 5, 7])).toBe(7);
  });
  it('does not move over a page out of order, with an unknown start, or starting before it', () => {
    expect(watermark(10, [20, 15, 30])).toBe(10);
    expect(watermark(10, [20, Number.NaN])).toBe(10);
    expect(watermark(10, [5, 20])).toBe(10);
    expect(watermark(undefined, [])).toBeUndefined();
  });
});

describe('CursorTracker', () => {
  it('keeps the ids at the watermark (a tie can straddle two pages) and drops those before it', () => {
    const t = new CursorTracker(undefined);
    t.wrote('a', 10);
    t.wrote('b', 20);
    t.wrote('c', 20);
    t.mark({ mark: true, pass: 0, fromMs: 20 });
    expect(t.toJSON()).toEqual({ pass: 0, fromMs: 20, written: [['b', 20], ['c', 20]] });
    // The next page is in flight: its ids are listed until its own mark.
    t.wrote('d', 25);
    expect(t.toJSON().written.map(([id]) => id)).toEqual(['b', 'c', 'd']);
    t.mark({ mark: true, pass: 0, fromMs: 25 });
    expect(t.toJSON().written).toEqual([['d', 25]]);
  });

  it('never drops an id with an unknown start, and a mark that does not move the watermark drops nothing', () => {
    const t = new CursorTracker({ pass: 0, fromMs: 10, written: [['x', null], ['y', 12]] });
    t.mark({ mark: true, pass: 0, fromMs: undefined });
    t.mark({ mark: true, pass: 0, fromMs: 10 });
    expect(t.toJSON().written).toEqual([['x', null], ['y', 12]]);
    t.mark({ mark: true, pass: 0, fromMs: 50 });
    expect(t.toJSON().written).toEqual([['x', null]]);
  });

  it('a new pass starts with nothing written and no watermark; start says where discovery resumes', () => {
    const t = new CursorTracker({ pass: 0, fromMs: 10, written: [['x', 11]] });
    expect(t.start).toEqual({ pass: 0, fromMs: 10, skip: new Set(['x']) });
    t.mark({ mark: true, pass: 1, fromMs: undefined });
    expect(t.toJSON()).toEqual({ pass: 1, written: [] });
  });
});
