/**
 * No import cycle in src/ (issue 17 section 5). Type-only imports count too: a cycle of types is the same tangle
 * for a reader (src/filters/ had one: builder -> compile -> builder, ended by the import-free ast.ts), and lazy
 * `import()` counts as well. To break a cycle, move what both files need into a file that imports neither
 * (examples: src/filters/ast.ts, src/testing/data/cores.ts, the query types in src/transport/url-guard.ts).
 */
import { describe, expect, it } from 'vitest';
import { cycles, importEdges, sourceFiles, type Edge } from './source-graph';

describe('the import graph of src/', () => {
  const files = sourceFiles();
  const edges = importEdges(files);

  it('is read from every source file', () => {
    // Guards the test itself: a broken reader would find no edges and so no cycles.
    expect(files.length).toBeGreaterThan(150);
    expect(edges.length).toBeGreaterThan(files.length);
    expect(edges.some((e) => e.kind === 'type')).toBe(true);
    expect(edges.some((e) => e.kind === 'lazy')).toBe(true);
    expect(edges).toContainEqual({ from: 'src/index.ts', to: 'src/client.ts', kind: 'static' });
  });

  it('has no cycle, counting static, type-only and lazy imports', () => {
    const found = cycles(edges).map((files) => files.join(' <-> '));
    expect(found, 'files that import one another in a circle').toEqual([]);
  });

  it('the cycle finder finds a cycle (so the check above can fail)', () => {
    const e = (from: string, to: string): Edge => ({ from, to, kind: 'type' });
    expect(cycles([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd')])).toEqual([['a', 'b', 'c']]);
    expect(cycles([e('a', 'a')])).toEqual([['a']]);
    expect(cycles([e('a', 'b'), e('b', 'c')])).toEqual([]);
  });
});
