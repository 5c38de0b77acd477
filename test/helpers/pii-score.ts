/** Finding-level scoring of the scanner against the labelled corpus; shared by the precision/recall test and the benchmark. */
import { PII_TYPES, scanPii, type PiiFinding, type PiiType } from '@org/gc-data/pii';
import type { CorpusEntry, ExpectedFinding } from './pii-corpus';

/** Expected findings as spans. Entries without `start` are located after the previous one, so order matters. */
export function expectedSpans(text: string, expected: readonly ExpectedFinding[]): PiiFinding[] {
  let from = 0;
  return expected.map((x) => {
    const start = x.start ?? text.indexOf(x.match, from);
    if (start < 0 || text.slice(start, start + x.match.length) !== x.match) {
      throw new Error(`corpus error: ${JSON.stringify(x.match)} not at ${start} in ${JSON.stringify(text)}`);
    }
    from = start + x.match.length;
    return { type: x.type, start, end: from, match: x.match };
  });
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Score extends Counts {
  precision: number;
  recall: number;
  byType: Record<PiiType, Counts>;
  entries: number;
  expectedFindings: number;
}

const key = (f: PiiFinding): string => `${f.type}:${f.start}:${f.end}`;

/** A predicted finding is a true positive only with the exact type, start and end of an expected one. */
export function score(entries: readonly CorpusEntry[]): Score {
  const byType = Object.fromEntries(PII_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<PiiType, Counts>;
  let expectedFindings = 0;
  for (const e of entries) {
    const want = new Map(expectedSpans(e.text, e.expected).map((f) => [key(f), f]));
    expectedFindings += want.size;
    for (const f of scanPii(e.text)) {
      if (want.delete(key(f))) byType[f.type].tp++;
      else byType[f.type].fp++;
    }
    for (const f of want.values()) byType[f.type].fn++;
  }
  const sum = (k: keyof Counts): number => PII_TYPES.reduce((n, t) => n + byType[t][k], 0);
  const tp = sum('tp');
  const fp = sum('fp');
  const fn = sum('fn');
  return {
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    byType,
    entries: entries.length,
    expectedFindings,
  };
}
