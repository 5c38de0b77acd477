import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AsyncConversationQuery, EvaluationResponseSchema } from '@org/gc-data/schemas';
import { lazySchema } from '../../src/internal/lazy-schema';

describe('lazySchema', () => {
  it('builds the schema on first use, once', () => {
    let builds = 0;
    const S = lazySchema(() => {
      builds++;
      return z.object({ id: z.string() });
    });
    expect(builds).toBe(0);
    expect(S.parse({ id: 'a' })).toEqual({ id: 'a' });
    expect(S.safeParse({ id: 1 }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it('stands for the schema: instanceof, keys, shape, nesting in other schemas, methods that derive new ones', () => {
    const Inner = lazySchema(() => z.object({ n: z.number() }));
    const Outer = z.object({ items: z.array(Inner), one: Inner.optional() });
    expect(Inner instanceof z.ZodObject).toBe(true);
    expect(Inner instanceof z.ZodType).toBe(true);
    expect(Object.keys(Inner.shape)).toEqual(['n']);
    expect('parse' in Inner).toBe(true);
    expect(Outer.parse({ items: [{ n: 1 }, { n: 2 }] })).toEqual({ items: [{ n: 1 }, { n: 2 }] });
    expect(Outer.safeParse({ items: [{ n: 'x' }] }).error?.issues[0]?.path).toEqual(['items', 0, 'n']);
    expect(Inner.extend({ s: z.string() }).parse({ n: 1, s: 'a' })).toEqual({ n: 1, s: 'a' });
  });

  it('the exported schemas work as zod schemas', () => {
    expect(AsyncConversationQuery instanceof z.ZodType).toBe(true);
    expect(AsyncConversationQuery.safeParse({ interval: 'not an interval' }).success).toBe(false);
    expect(EvaluationResponseSchema.parse({ id: 'e-1' })).toMatchObject({ id: 'e-1' });
    expect(z.array(EvaluationResponseSchema).parse([{ id: 'e-1' }, { id: 'e-2' }])).toHaveLength(2);
  });
});
