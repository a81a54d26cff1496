/**
 * API keys for agents: the server shows a key once at creation and stores only its sha256 (ArenaStore keeps
 * `keyHash`). Keys are `sa_` + base64url of 24 random bytes (192 bits), 35 characters.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'sa_';
const KEY_BYTES = 24;

/** A fresh key from the OS CSPRNG: `sa_` followed by 32 base64url characters (192 bits of randomness). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
}

/** Lower-case hex sha256 of the key's UTF-8 bytes (what the store keeps and looks agents up by). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Constant-time equality of two digests (or any two strings) compared as UTF-8 bytes; false when the lengths
 * differ (the length itself is not secret: digests have a fixed length).
 */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
