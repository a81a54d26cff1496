import { DEFAULT_RATING_WINDOW, acceptanceWindow, pairRatedQueue, type RatedEntry, type RatingWindow } from './rated-queue';

const W: RatingWindow = { base: 2, perSecond: 0.5, max: 10 };

function e(id: string, rating: number, waitSeconds = 0): RatedEntry {
  return { id, rating, waitSeconds };
}

describe('acceptanceWindow', () => {
  it('widens linearly with waiting and stops at the cap', () => {
    expect(acceptanceWindow(e('a', 0, 0), W)).toBe(2);
    expect(acceptanceWindow(e('a', 0, 10), W)).toBe(7);
    expect(acceptanceWindow(e('a', 0, 16), W)).toBe(10);
    expect(acceptanceWindow(e('a', 0, 1000), W)).toBe(10);
    expect(acceptanceWindow(e('a', 0, -5), W)).toBe(2);
    expect(acceptanceWindow(e('a', 0, 60))).toBe(DEFAULT_RATING_WINDOW.max);
  });
});

describe('pairRatedQueue', () => {
  it('pairs within the window, closest first', () => {
    // a-b differ by 1.5, b-c by 1, c-d by 3: b-c goes first (closest), then a and d are 4.5 apart: no pair.
    const r = pairRatedQueue([e('a', 10), e('b', 11.5), e('c', 12.5), e('d', 15.5)], W);
    expect(r.pairs).toEqual([['b', 'c']]);
    expect(r.waiting).toEqual(['a', 'd']);
  });

  it('needs the difference within both windows, which widen with waiting', () => {
    const queue = (waitA: number, waitB: number): RatedEntry[] => [e('a', 0, waitA), e('b', 5, waitB)];
    expect(pairRatedQueue(queue(0, 0), W).pairs).toEqual([]);
    expect(pairRatedQueue(queue(100, 0), W).pairs).toEqual([]); // b accepts only 2
    expect(pairRatedQueue(queue(100, 5), W).pairs).toEqual([]); // b accepts 4.5
    expect(pairRatedQueue(queue(100, 6), W).pairs).toEqual([['a', 'b']]); // b accepts exactly 5
    expect(pairRatedQueue(queue(6, 6), W).pairs).toEqual([['a', 'b']]);
    expect(pairRatedQueue([e('a', 0, 1e6), e('b', 10.5, 1e6)], W).pairs).toEqual([]); // past the cap
  });

  it('breaks equal differences by the longest waiter, then total wait, then ids', () => {
    // b is 1 from both a and c; a has waited longer than c.
    expect(pairRatedQueue([e('c', 2, 1), e('b', 1, 0), e('a', 0, 3)], W).pairs).toEqual([['a', 'b']]);
    // equal waits: the smaller ids win.
    expect(pairRatedQueue([e('c', 2), e('b', 1), e('a', 0)], W).pairs).toEqual([['a', 'b']]);
    // longest equal, total decides: a (3) & b (2) beat b & c (0).
    expect(pairRatedQueue([e('a', 0, 3), e('b', 1, 3), e('c', 2, 0)], W).pairs).toEqual([['a', 'b']]);
    expect(pairRatedQueue([e('a', 0, 0), e('b', 1, 3), e('c', 2, 2)], W).pairs).toEqual([['b', 'c']]);
  });

  it('puts the longer waiter first in a pair', () => {
    expect(pairRatedQueue([e('a', 0, 1), e('b', 0, 4)], W).pairs).toEqual([['b', 'a']]);
  });

  it('is deterministic and independent of the input order', () => {
    let s = 12345;
    const next = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const entries = Array.from({ length: 60 }, (_, i) => e(`p${i}`, Math.round(next() * 400) / 10, Math.floor(next() * 30)));
    const base = pairRatedQueue(entries, W);
    const reversed = pairRatedQueue([...entries].reverse(), W);
    expect(reversed.pairs).toEqual(base.pairs);
    expect([...reversed.waiting].sort()).toEqual([...base.waiting].sort());
    // every pair respects both windows; nobody is paired twice; everyone is accounted for
    const byId = new Map(entries.map((x) => [x.id, x]));
    const seen = new Set<string>();
    for (const [x, y] of base.pairs) {
      const a = byId.get(x)!;
      const b = byId.get(y)!;
      expect(Math.abs(a.rating - b.rating)).toBeLessThanOrEqual(Math.min(acceptanceWindow(a, W), acceptanceWindow(b, W)));
      expect(seen.has(x) || seen.has(y)).toBe(false);
      seen.add(x);
      seen.add(y);
    }
    expect(seen.size + base.waiting.length).toBe(entries.length);
    // no two waiting entries could still have been paired
    for (const x of base.waiting) {
      for (const y of base.waiting) {
        if (x >= y) continue;
        const a = byId.get(x)!;
        const b = byId.get(y)!;
        expect(Math.abs(a.rating - b.rating)).toBeGreaterThan(Math.min(acceptanceWindow(a, W), acceptanceWindow(b, W)));
      }
    }
  });

  it('handles empty and single queues, and rejects caller bugs', () => {
    expect(pairRatedQueue([], W)).toEqual({ pairs: [], waiting: [] });
    expect(pairRatedQueue([e('a', 1)], W)).toEqual({ pairs: [], waiting: ['a'] });
    expect(() => pairRatedQueue([e('a', 1), e('a', 2)], W)).toThrow(RangeError);
    expect(() => pairRatedQueue([e('a', Number.NaN)], W)).toThrow(RangeError);
    expect(() => pairRatedQueue([], { base: 5, perSecond: 1, max: 1 })).toThrow(RangeError);
  });
});
