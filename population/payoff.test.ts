import { ArenaError } from '../environments/core/errors';
import { PAYOFF_JSON_VERSION, PayoffTable } from './payoff';

describe('PayoffTable', () => {
  it('is 0.5 with no games, and between a player and itself', () => {
    const t = new PayoffTable();
    expect(t.winRate('a', 'b')).toBe(0.5);
    expect(t.counts('a', 'b')).toEqual({ wins: 0, draws: 0, losses: 0, games: 0 });
    t.update('a', 'a', 1);
    expect(t.winRate('a', 'a')).toBe(0.5);
    expect(t.players()).toEqual([]);
  });

  it('decays the updated pair by 0.99 before adding the game (exact numbers)', () => {
    const t = new PayoffTable();
    expect(t.decay).toBe(0.99);
    t.update('a', 'b', 1);
    expect(t.counts('a', 'b')).toEqual({ wins: 1, draws: 0, losses: 0, games: 1 });
    expect(t.winRate('a', 'b')).toBe(1);
    expect(t.winRate('b', 'a')).toBe(0);

    t.update('a', 'b', 0); // wins 0.99, losses 1, games 1.99
    let c = t.counts('a', 'b');
    expect(c.wins).toBeCloseTo(0.99, 15);
    expect(c.losses).toBeCloseTo(1, 15);
    expect(c.games).toBeCloseTo(1.99, 15);
    expect(t.winRate('a', 'b')).toBeCloseTo(0.99 / 1.99, 15);

    t.update('b', 'a', 0.5); // a draw recorded from b's side: wins 0.9801, draws 1, losses 0.99, games 2.9701
    c = t.counts('a', 'b');
    expect(c.wins).toBeCloseTo(0.9801, 15);
    expect(c.draws).toBeCloseTo(1, 15);
    expect(c.losses).toBeCloseTo(0.99, 15);
    expect(c.games).toBeCloseTo(2.9701, 15);
    expect(t.winRate('a', 'b')).toBeCloseTo((0.9801 + 0.5) / 2.9701, 15);
    expect(t.winRate('b', 'a')).toBeCloseTo((0.99 + 0.5) / 2.9701, 15);
    expect(t.winRate('a', 'b') + t.winRate('b', 'a')).toBeCloseTo(1, 15);
    expect(t.counts('b', 'a').wins).toBeCloseTo(0.99, 15);
  });

  it('decays only the updated pair, as in the AlphaStar pseudocode', () => {
    const t = new PayoffTable();
    t.update('a', 'b', 1);
    t.update('a', 'c', 0);
    t.update('a', 'c', 0);
    t.update('c', 'b', 0.5);
    expect(t.counts('a', 'b')).toEqual({ wins: 1, draws: 0, losses: 0, games: 1 });
    expect(t.counts('a', 'c').games).toBeCloseTo(1.99, 15);
    expect(t.counts('b', 'c')).toEqual({ wins: 0, draws: 1, losses: 0, games: 1 });
    expect(t.winRates('a', ['b', 'c', 'z'])).toEqual([1, 0, 0.5]);
    expect(t.players()).toEqual(['a', 'b', 'c']);
  });

  it('converges to a steady state of about 1 / (1 - decay) games', () => {
    const t = new PayoffTable(0.9);
    for (let i = 0; i < 500; i++) t.update('a', 'b', i % 4 === 0 ? 1 : 0);
    expect(t.counts('a', 'b').games).toBeCloseTo(10, 9);
    const exact = new PayoffTable(1);
    for (let i = 0; i < 10; i++) exact.update('x', 'y', i < 3 ? 1 : 0);
    expect(exact.winRate('x', 'y')).toBe(0.3);
  });

  it('rejects bad scores, ids and decays', () => {
    const t = new PayoffTable();
    expect(() => t.update('a', 'b', 0.7 as 1)).toThrow(RangeError);
    expect(() => t.update('', 'b', 1)).toThrow(RangeError);
    expect(() => new PayoffTable(0)).toThrow(RangeError);
    expect(() => new PayoffTable(1.01)).toThrow(RangeError);
    expect(() => new PayoffTable(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips through JSON, sorted and independent of insertion order', () => {
    const t = new PayoffTable(0.95);
    t.update('snap-2', 'main', 1);
    t.update('main', 'snap-1', 0.5);
    t.update('main', 'snap-1', 0);
    const json = t.toJSON();
    expect(json.payoffVersion).toBe(PAYOFF_JSON_VERSION);
    expect(json.decay).toBe(0.95);
    expect(json.pairs.map((p) => [p.a, p.b])).toEqual([
      ['main', 'snap-1'],
      ['main', 'snap-2'],
    ]);
    expect(json.pairs[1]).toEqual({ a: 'main', b: 'snap-2', wins: 0, draws: 0, losses: 1, games: 1 });
    const back = PayoffTable.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.toJSON()).toEqual(json);
    expect(back.winRate('main', 'snap-1')).toBe(t.winRate('main', 'snap-1'));
    back.update('main', 'snap-2', 1);
    expect(t.counts('main', 'snap-2').games).toBe(1); // independent copies
    const copy = t.clone();
    copy.update('main', 'snap-2', 1);
    expect(t.counts('main', 'snap-2').games).toBe(1);
  });

  it.each([
    ['not an object', 42],
    ['wrong version', { payoffVersion: 99, decay: 0.99, pairs: [] }],
    ['bad decay', { payoffVersion: 1, decay: 0, pairs: [] }],
    ['unordered pair', { payoffVersion: 1, decay: 0.99, pairs: [{ a: 'b', b: 'a', wins: 0, draws: 0, losses: 0, games: 0 }] }],
    ['self pair', { payoffVersion: 1, decay: 0.99, pairs: [{ a: 'a', b: 'a', wins: 0, draws: 0, losses: 0, games: 0 }] }],
    ['negative count', { payoffVersion: 1, decay: 0.99, pairs: [{ a: 'a', b: 'b', wins: -1, draws: 0, losses: 0, games: 0 }] }],
    [
      'duplicate pair',
      {
        payoffVersion: 1,
        decay: 0.99,
        pairs: [
          { a: 'a', b: 'b', wins: 1, draws: 0, losses: 0, games: 1 },
          { a: 'a', b: 'b', wins: 1, draws: 0, losses: 0, games: 1 },
        ],
      },
    ],
  ])('rejects malformed JSON: %s', (_name, value) => {
    let caught: unknown;
    try {
      PayoffTable.fromJSON(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ArenaError);
    expect((caught as ArenaError).code).toBe('record/malformed');
  });
});
