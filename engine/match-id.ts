/**
 * Match ids: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then 74 random bits. Time-ordered, so the
 * store's indexes keyed by match id (the matches table's key, the feed, the seats' agents) are appended to instead
 * of written all over: a busy server's commit then dirties a few pages rather than one per index per match.
 */
import { randomBytes } from 'node:crypto';

export function newMatchId(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
