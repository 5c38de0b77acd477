import { describe, expect, it } from 'vitest';
import { REGION_HOSTS, resolveRegion } from '../src/index';

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
