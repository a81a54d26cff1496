import { API_KEY_PREFIX, generateApiKey, hashApiKey, sameDigest } from './api-keys';

describe('generateApiKey', () => {
  const keys = Array.from({ length: 10_000 }, generateApiKey);

  test('sa_ + 32 base64url characters (24 bytes), all distinct over 10k keys', () => {
    for (const key of keys) expect(key).toMatch(/^sa_[A-Za-z0-9_-]{32}$/);
    expect(Buffer.from(keys[0]!.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(24);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('looks uniformly random: every bit position near 1/2, all 64 characters used', () => {
    const bytes = keys.map((k) => Buffer.from(k.slice(API_KEY_PREFIX.length), 'base64url'));
    // 10k samples per bit: the share of ones has sd 0.005, so 0.45..0.55 is 10 sd (a stuck or biased bit fails).
    for (let bit = 0; bit < 24 * 8; bit++) {
      let ones = 0;
      for (const b of bytes) ones += (b[bit >> 3]! >> (bit & 7)) & 1;
      expect(ones / bytes.length).toBeGreaterThan(0.45);
      expect(ones / bytes.length).toBeLessThan(0.55);
    }
    const chars = new Set(keys.flatMap((k) => [...k.slice(API_KEY_PREFIX.length)]));
    expect(chars.size).toBe(64);
  });
});

describe('hashApiKey', () => {
  test('hex sha256, stable, different keys differ', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toBe(hashApiKey(generateApiKey()));
  });
});

describe('sameDigest', () => {
  const a = hashApiKey('one');
  test('true for equal digests, false otherwise', () => {
    expect(sameDigest(a, hashApiKey('one'))).toBe(true);
    expect(sameDigest(a, hashApiKey('two'))).toBe(false);
    expect(sameDigest(a, `${a.slice(0, -1)}${a.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(sameDigest('', '')).toBe(true);
  });

  test('false for different lengths (no throw)', () => {
    expect(sameDigest(a, a.slice(0, 63))).toBe(false);
    expect(sameDigest(a, `${a}0`)).toBe(false);
    expect(sameDigest(a, '')).toBe(false);
  });
});
