import { newMatchId } from './match-id';

describe('newMatchId', () => {
  it('is a version 7 UUID whose order follows time, and unique', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => newMatchId(1_800_000_000_000 + Math.floor(i / 10)));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Ids of later milliseconds sort after earlier ones (within one millisecond the order is random).
    for (let i = 10; i < ids.length; i += 10) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(newMatchId(0).startsWith('00000000-0000-7')).toBe(true);
    expect(newMatchId(Date.UTC(2026, 10, 26)).slice(0, 13).replace('-', '')).toBe(Date.UTC(2026, 10, 26).toString(16).padStart(12, '0'));
  });
});
