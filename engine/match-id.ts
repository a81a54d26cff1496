/**
 * Match ids: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then 74 random bits. Time-ordered, so the
 * store's indexes keyed by match id (the matches table's key, the feed, the seats' agents) are appended to instead
 * of written all over: a busy server's commit then dirties a few pages rather than one per index per match.
 * Random bytes come from a pool refilled 256 ids at a time, as node's randomUUID does (a call per id cost 3 us).
 */
import { randomFillSync } from 'node:crypto';

const BYTES_PER_ID = 10;
const pool = Buffer.alloc(BYTES_PER_ID * 256);
let used = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function newMatchId(now = Date.now()): string {
  if (used + BYTES_PER_ID > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const r = used;
  used += BYTES_PER_ID;
  const b = (i: number): number => pool[r + i]!;
  const t = Math.floor(now).toString(16).padStart(12, '0').slice(-12);
  return (
    `${t.slice(0, 8)}-${t.slice(8, 12)}-7${(b(0) & 0x0f).toString(16)}${HEX[b(1)]}-` + // version 7, 12 random bits
    `${HEX[(b(2) & 0x3f) | 0x80]}${HEX[b(3)]}-` + // RFC 9562 variant, 14 random bits
    `${HEX[b(4)]}${HEX[b(5)]}${HEX[b(6)]}${HEX[b(7)]}${HEX[b(8)]}${HEX[b(9)]}` // 48 random bits
  );
}
