import { describe, expect, it } from 'vitest';
import { PII_TYPES, scanPii } from '@org/gc-data/pii';
import { limitations, mixed, negatives, positives, type CorpusEntry } from './pii-corpus';
import { expectedSpans } from './pii-score';

const title = (e: CorpusEntry): string => JSON.stringify(e.text.length > 70 ? `${e.text.slice(0, 67)}...` : e.text);

describe.each(PII_TYPES)('%s detector', (type) => {
  for (const e of positives[type]) {
    it(`finds ${title(e)}`, () => {
      expect(scanPii(e.text)).toEqual(expectedSpans(e.text, e.expected));
    });
  }

  it('finds the same spans when it runs alone', () => {
    for (const e of positives[type]) expect(scanPii(e.text, { types: [type] }), e.text).toEqual(expectedSpans(e.text, e.expected));
  });

  it('reports nothing on the other detectors\u2019 positives', () => {
    for (const other of PII_TYPES.filter((t) => t !== type)) {
      for (const e of positives[other]) expect(scanPii(e.text, { types: [type] }), e.text).toEqual([]);
    }
  });
});

describe('tricky negatives', () => {
  for (const e of negatives) {
    it(`ignores ${title(e)} (${e.note})`, () => {
      expect(scanPii(e.text)).toEqual([]);
    });
  }
});

describe('mixed sentences', () => {
  for (const e of mixed) {
    it(`locates every finding in ${title(e)}`, () => {
      expect(scanPii(e.text)).toEqual(expectedSpans(e.text, e.expected));
    });
  }
});

describe('known limitations (pinned, see docs/pii.md)', () => {
  for (const e of limitations) {
    it(`${e.note}: ${title(e)}`, () => {
      expect(scanPii(e.text)).toEqual(expectedSpans(e.text, e.scannerSays ?? []));
    });
  }
});

describe('overlaps and options', () => {
  it('reports a digit run inside an address once, as the address', () => {
    expect(scanPii('4155550134@txt.example.net').map((f) => f.type)).toEqual(['email']);
  });

  it('runs no detector for an empty type list', () => {
    expect(scanPii('jane@example.com 415-555-0134', { types: [] })).toEqual([]);
  });

  it('returns [] for empty text', () => {
    expect(scanPii('')).toEqual([]);
  });

  it('rejects an unknown type with a ValidationError naming it', () => {
    expect(() => scanPii('x', { types: ['passport' as never] })).toThrowError(/types\[0\]/);
  });

  it('rejects a non-string input with a ValidationError', () => {
    expect(() => scanPii(undefined as never)).toThrowError(/expected a string/);
  });
});
