/**
 * Small files with one job (issue 17 section 5): a file in src/ over 400 lines says why in its header, the comments
 * before its first line of code, with the words "over 400 lines". One state machine whose state would leak if cut,
 * or a taxonomy read as one list, are reasons; "not split yet" is not.
 *
 * SPLITTING lists files whose owners were splitting them when this test landed. It may only shrink: the test fails
 * when a listed file is already under the limit or explains itself, so an entry cannot outlive its reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './source-graph';

const LIMIT = 400;

const SPLITTING: Record<string, string> = {};

/** The leading comments of a file (everything before the first line of code). */
function header(text: string): string {
  const code = text.search(/^(?!\s*(\/\*|\*|\/\/|$)).*\S/m);
  return code < 0 ? text : text.slice(0, code);
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

function unexplained(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles()) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    if (lineCount(text) > LIMIT && !/over 400 lines/i.test(header(text))) out.push(file);
  }
  return out;
}

describe(`files in src/ over ${LIMIT} lines`, () => {
  const found = unexplained();

  it('each say why in their header', () => {
    expect(found.filter((f) => !(f in SPLITTING))).toEqual([]);
  });

  it('the files still being split are still too long (remove an entry once its file is split)', () => {
    expect(Object.keys(SPLITTING).filter((f) => !found.includes(f))).toEqual([]);
  });

  it('the header is what comes before the code', () => {
    expect(header('/**\n * Over 400 lines: a table.\n */\nimport x from "y";\n')).toContain('Over 400 lines');
    expect(header('import x from "y";\n/** over 400 lines */\n')).toBe('');
    expect(header('// one\n// two\nexport const a = 1;\n')).toBe('// one\n// two\n');
    expect(lineCount('a\nb\n')).toBe(2);
  });
});
