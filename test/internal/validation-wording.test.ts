import { describe, expect, it } from 'vitest';
import { GenesysClient, ValidationError } from '@org/gc-data';

function issues(options: unknown) {
  try {
    new GenesysClient(options as never);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('validation messages in the SDK wording', () => {
  it('an unknown key gets the closest real key (typos, swapped letters, a missing s)', () => {
    const got = issues({ clientId: 'a', clientSecret: 'b', rateLimit: { burts: 3, concurency: 2 }, retyr: {} });
    expect(got).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'rateLimit.burts', message: 'unknown key "burts": did you mean "burst"?' }),
        expect.objectContaining({ path: 'retyr', message: 'unknown key "retyr": did you mean "retry"?' }),
      ]),
    );
    // Nothing close: the keys that exist there are listed instead.
    expect(got.find((i) => i.path === 'rateLimit.concurency')?.message).toMatch(/the keys here are .*"maxConcurrent"/);
  });

  it('a bad field inside a union is named at its own path, in plain words with what was received', () => {
    const got = issues({ clientId: 'a', clientSecret: 'b', retry: { budget: { capacity: 'x' } }, timeoutMs: -3 });
    expect(got).toEqual(
      expect.arrayContaining([
        { path: 'retry.budget.capacity', message: 'expected a number, got "x"', code: 'invalid_type' },
        { path: 'timeoutMs', message: 'must be more than 0, got number -3', code: 'too_small' },
      ]),
    );
  });

  it('no message carries zod default wording', () => {
    const got = issues({ clientId: 'a', clientSecret: 'b', timeoutMs: 'x', deadlineMs: 1.5, retry: { limit: -1 }, rateLimit: { headers: { remaining: [] } } });
    for (const i of got) expect(i.message).not.toMatch(/^(Invalid input|Too small|Too big|Invalid option)/);
  });
});
