import { describe, expect, it } from 'vitest';
import { PII_TYPES } from '@org/gc-data/pii';
import { corpus, negatives, positives } from './pii-corpus';
import { score } from './pii-score';

describe('precision and recall over the labelled corpus (finding level: exact type, start, end)', () => {
  const s = score(corpus);

  it('the corpus is large enough to mean something', () => {
    expect(PII_TYPES.reduce((n, t) => n + positives[t].length, 0)).toBeGreaterThanOrEqual(150);
    expect(negatives.length).toBeGreaterThanOrEqual(150);
    for (const t of PII_TYPES) expect(positives[t].length, t).toBeGreaterThanOrEqual(25);
  });

  it('precision >= 0.98', () => {
    expect(s.precision).toBeGreaterThanOrEqual(0.98);
  });

  it('recall >= 0.98', () => {
    expect(s.recall).toBeGreaterThanOrEqual(0.98);
  });

  it('no detector is carried by the others (each >= 0.95 both ways)', () => {
    for (const t of PII_TYPES) {
      const { tp, fp, fn } = s.byType[t];
      expect(tp / (tp + fp), `${t} precision`).toBeGreaterThanOrEqual(0.95);
      expect(tp / (tp + fn), `${t} recall`).toBeGreaterThanOrEqual(0.95);
    }
  });
});
