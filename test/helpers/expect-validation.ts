import { expect } from 'vitest';
import { ValidationError, type ValidationIssue } from '@org/gc-data';

/** Runs `fn`, asserts it throws a ValidationError (nothing else), and returns its issues. */
export function validationIssues(fn: () => unknown): ValidationIssue[] {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('expected a ValidationError, but nothing was thrown');
  if (!(thrown instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(thrown)}`);
  return thrown.issues;
}

/** Asserts `fn` throws a ValidationError with an issue at exactly `path` (and `code`, when given); returns that issue. */
export function expectIssueAt(fn: () => unknown, path: string, code?: string): ValidationIssue {
  const issues = validationIssues(fn);
  const hit = issues.find((i) => i.path === path && (code === undefined || i.code === code));
  expect(hit, `issues were ${JSON.stringify(issues)}`).toBeDefined();
  return hit!;
}
