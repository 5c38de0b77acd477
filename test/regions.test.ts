import { describe, expect, it } from 'vitest';
import { REGION_HOSTS } from '@org/gc-data/schemas';
import { resolveRegion, ValidationError } from '../src/index';
// parseRegion is not exported from the package index yet (to be added by the lead)
import { parseRegion } from '../src/regions';

describe('regions', () => {
  it('knows the 18 hosts of the official SDK', () => {
    expect(Object.keys(REGION_HOSTS)).toHaveLength(18);
    expect(resolveRegion('eusc_de_east_1')?.apiBaseUrl).toBe('https://api.edee1.eusc-pure.cloud');
    expect(resolveRegion('use2.us-gov-pure.cloud')?.key).toBe('us_east_2');
    expect(resolveRegion('login.mypurecloud.jp')?.key).toBe('ap_northeast_1');
  });
  it('returns undefined for unknown names', () => {
    expect(resolveRegion('example.com')).toBeUndefined();
  });
});

describe('regions: bad input (issue 18)', () => {
  it('prototype names are unknown regions, not Object.prototype members', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(resolveRegion(name)).toBeUndefined();
      expect(() => parseRegion(name)).toThrow(ValidationError);
    }
  });

  it('parseRegion names the path and lists the valid regions', () => {
    expect(parseRegion('eu-west-1').host).toBe('mypurecloud.ie');
    try {
      parseRegion('mars_north_1', 'target.region');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const [issue] = (e as ValidationError).issues;
      expect(issue?.path).toBe('target.region');
      expect(issue?.message).toMatch(/unknown region "mars_north_1".*us_east_1.*eusc_de_east_1/);
    }
  });

  it('a non-string is a ValidationError at region; a huge string is unknown, fast, and quoted short', () => {
    expect(() => resolveRegion(42 as unknown as string)).toThrow(ValidationError);
    expect(() => resolveRegion(null as unknown as string)).toThrow(ValidationError);
    const huge = `${'/'.repeat(2_000_000)}x`;
    const t0 = performance.now();
    expect(resolveRegion(huge)).toBeUndefined();
    expect(() => parseRegion(huge)).toThrow(/unknown region "\/{100}"… \(2000001 characters\)/);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
