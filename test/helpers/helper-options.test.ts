/**
 * Issue 18, options objects of helpers: unknown keys and wrong types were ignored (compile options with unknown
 * keys, `scanPii(text, 'phone')` scanned for everything), or failed later as TypeErrors (flattenScorecard
 * `onInvalid: 'log'` at the first bad field, `FilterBuilder.from(null)` at build, dedupe `seen: {}` at the first
 * item). Each is now a ValidationError at the exact path, when the function is called.
 */
import { describe, expect, it } from 'vitest';
import { compileFilter, createFilterMatcher, evaluateFilter, FilterBuilder, suggestFields, validateFilterDepth } from '@org/gc-data/filters';
import { containsPii, redactPii, scanPii } from '@org/gc-data/pii';
import { dedupeArrayBy, dedupeBy, flattenScorecard, UuidKeySet } from '@org/gc-data/rows';
import { splitInterval } from '@org/gc-data/intervals';
import { type FilterNode } from '@org/gc-data';
import { expectIssueAt } from './expect-validation';

const c: FilterNode = { field: 'mediaType', op: 'equals', value: 'voice' };
const bad = <T>(v: unknown): T => v as T;

describe('compile and evaluate options', () => {
  it('compileFilter: unknown keys, wrong types and out-of-range numbers, each at its path', () => {
    expect(expectIssueAt(() => compileFilter(c, bad({ maxDepht: 5 })), 'maxDepht', 'unrecognized_keys').message).toMatch(/unknown option "maxDepht"/);
    expectIssueAt(() => compileFilter(c, bad({ maxDepth: '5' })), 'maxDepth');
    expectIssueAt(() => compileFilter(c, bad({ maxDepth: 0 })), 'maxDepth');
    expectIssueAt(() => compileFilter(c, bad({ maxDepth: 100_000 })), 'maxDepth');
    expectIssueAt(() => compileFilter(c, bad({ maxClauses: Number.NaN })), 'maxClauses');
    expectIssueAt(() => compileFilter(c, bad({ residual: 'server' })), 'residual');
    expectIssueAt(() => compileFilter(c, bad({ strictEnums: 'no' })), 'strictEnums');
    expectIssueAt(() => compileFilter(c, bad(null)), 'options', 'invalid_type');
    expectIssueAt(() => compileFilter(c, bad('strict')), 'options', 'invalid_type');
    expect(() => compileFilter(c, { residual: 'error', maxDepth: 6, maxClauses: 8, strictEnums: false })).not.toThrow();
  });

  it('FilterBuilder.compile passes its options through the same check', () => {
    expectIssueAt(() => FilterBuilder.interaction('voice').compile(bad({ strict: true })), 'strict', 'unrecognized_keys');
  });

  it('createFilterMatcher / evaluateFilter: options, and the conversation', () => {
    expectIssueAt(() => createFilterMatcher(c, bad({ strict: true })), 'strict', 'unrecognized_keys');
    expectIssueAt(() => evaluateFilter(c, {}, bad({ maxDepth: -1 })), 'maxDepth');
    expectIssueAt(() => evaluateFilter(c, bad(null)), 'conversation', 'invalid_type');
    expectIssueAt(() => createFilterMatcher(c)(bad('conv')), 'conversation', 'invalid_type');
  });

  it('validateFilterDepth max and suggestFields arguments', () => {
    expectIssueAt(() => validateFilterDepth(c, 0), 'max');
    expectIssueAt(() => validateFilterDepth(c, bad('4')), 'max');
    expectIssueAt(() => suggestFields(bad(42)), 'name');
    expectIssueAt(() => suggestFields('queu', -1), 'n');
  });

  it('FilterBuilder.from and the group callbacks', () => {
    expectIssueAt(() => FilterBuilder.from(bad(null)), 'tree', 'invalid_type');
    expectIssueAt(() => FilterBuilder.from(bad([c])), 'tree', 'invalid_type');
    expectIssueAt(() => FilterBuilder.from(bad('mediaType = voice')), 'tree', 'invalid_type');
    expectIssueAt(() => FilterBuilder.from(bad({ and: [c, null] })), 'and[1]', 'invalid_node');
    expectIssueAt(() => FilterBuilder.interaction('voice').and(bad('x')), 'fn', 'invalid_type');
    expectIssueAt(() => FilterBuilder.interaction('voice').or(bad(undefined)), 'fn', 'invalid_type');
  });
});

describe('PII options', () => {
  it("scanPii(text, 'phone'): options must be an object, not a type name", () => {
    const issue = expectIssueAt(() => scanPii('call 415-555-0134', bad('phone')), 'options', 'invalid_type');
    expect(issue.message).toMatch(/got string "phone"/);
    expectIssueAt(() => containsPii('x', bad(['phone'])), 'options', 'invalid_type');
    expectIssueAt(() => redactPii('x', bad(42)), 'options', 'invalid_type');
  });

  it('unknown keys and bad values, at their paths', () => {
    expectIssueAt(() => scanPii('x', bad({ type: ['phone'] })), 'type', 'unrecognized_keys');
    expectIssueAt(() => scanPii('x', bad({ mask: 'x' })), 'mask', 'unrecognized_keys');
    expectIssueAt(() => containsPii('x', bad({ types: 'phone' })), 'types', 'invalid_type');
    expectIssueAt(() => redactPii('x', bad({ types: ['phone', 'iban'] })), 'types[1]', 'invalid_value');
    expectIssueAt(() => redactPii('x', bad({ mask: 5 })), 'mask', 'invalid_type');
    expect(redactPii('call 415-555-0134', { types: ['phone'], mask: '#' })).toBe('call #');
  });
});

describe('flattenScorecard options', () => {
  it('wrong types are refused at their path instead of being ignored or failing at the first row', () => {
    expectIssueAt(() => flattenScorecard({}, bad({ perQuestion: 'yes' })), 'perQuestion', 'invalid_type');
    expectIssueAt(() => flattenScorecard({}, bad({ safeColumnNames: 1 })), 'safeColumnNames', 'invalid_type');
    expectIssueAt(() => flattenScorecard({}, bad({ onInvalid: 'log' })), 'onInvalid', 'invalid_type');
    expectIssueAt(() => flattenScorecard({}, bad({ extra: 'run-1' })), 'extra', 'invalid_type');
    expectIssueAt(() => flattenScorecard({}, bad({ extra: ['a'] })), 'extra', 'invalid_type');
    expectIssueAt(() => flattenScorecard({}, bad({ dates: 'ISO' })), 'dates', 'invalid_value');
    expectIssueAt(() => flattenScorecard({}, bad(null)), 'options', 'invalid_type');
    expectIssueAt(() => flattenScorecard({}, bad('iso')), 'options', 'invalid_type');
    expect(flattenScorecard({ id: 'e1' }, { perQuestion: true, extra: { run: 'r1' }, onInvalid: () => undefined }).run).toBe('r1');
  });
});

describe('dedupe options', () => {
  it('dedupeBy checks its arguments when called, not at the first item', () => {
    expectIssueAt(() => dedupeBy([1], bad('id')), 'key', 'invalid_type');
    expectIssueAt(() => dedupeBy(bad<number[]>(42), String), 'source', 'invalid_type');
    expectIssueAt(() => dedupeBy([1], String, bad({ seen: {} })), 'seen.has', 'invalid_type');
    expectIssueAt(() => dedupeBy([1], String, bad({ seen: new Map() })), 'seen.add', 'invalid_type');
    expectIssueAt(() => dedupeBy([1], String, bad({ onDupe: () => undefined })), 'onDupe', 'unrecognized_keys');
    expectIssueAt(() => dedupeBy([1], String, bad({ onDuplicate: 'count' })), 'onDuplicate', 'invalid_type');
    expectIssueAt(() => dedupeBy([1], String, bad(null)), 'options', 'invalid_type');
  });

  it('dedupeArrayBy and UuidKeySet', async () => {
    expectIssueAt(() => dedupeArrayBy(bad<number[]>(null), String), 'source', 'invalid_type');
    expectIssueAt(() => dedupeArrayBy(bad<number[]>((async function* () {})()), String), 'source', 'invalid_type');
    expectIssueAt(() => dedupeArrayBy([1], String, bad({ seen: 'x' })), 'seen', 'invalid_type');
    expectIssueAt(() => new UuidKeySet(-1), 'expectedSize');
    expectIssueAt(() => new UuidKeySet(1e12), 'expectedSize');
    expectIssueAt(() => new UuidKeySet(bad('10')), 'expectedSize');
    expect(dedupeArrayBy([1, 1, 2], String, { seen: new UuidKeySet(10) })).toEqual([1, 2]);
    const out: number[] = [];
    for await (const x of dedupeBy([1, 2, 2], String)) out.push(x);
    expect(out).toEqual([1, 2]);
  });
});

describe('splitInterval options', () => {
  it('unknown keys and bad maxWindows', () => {
    expectIssueAt(() => splitInterval('2024-05-13/P1D', 'PT6H', bad({ maxWindow: 2 })), 'maxWindow', 'unrecognized_keys');
    expectIssueAt(() => splitInterval('2024-05-13/P1D', 'PT6H', bad({ maxWindows: 0 })), 'maxWindows');
    expectIssueAt(() => splitInterval('2024-05-13/P1D', bad({ hours: 6 })), 'chunk', 'invalid_type');
    expect(splitInterval('2024-05-13/P1D', 'PT6H', { maxWindows: 4 })).toHaveLength(4);
  });
});
