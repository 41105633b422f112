import { describe, expect, it } from 'vitest';
import { meaningfulAddress } from '@/client/device-address';

describe('meaningfulAddress (the IP shown for a device)', () => {
  it('hides loopback and unspecified addresses in every spelling', () => {
    for (const address of [
      '::1',
      '0000:0000:0000:0000:0000:0000:0000:0001',
      '0000:0000:0000:0000:0000:0000:0000:0000',
      '::',
      '127.0.0.1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '',
      null,
      undefined,
    ]) {
      expect(meaningfulAddress(address), String(address)).toBeNull();
    }
  });

  it('keeps a real address', () => {
    expect(meaningfulAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(meaningfulAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(meaningfulAddress('2001:db8::1')).toBe('2001:db8::1');
  });
});
