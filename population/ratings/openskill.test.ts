import { rate, rating, ordinal as osOrdinal } from 'openskill';
import { initialRating, ordinal, rateMatch, ranksFromReturns, type SkillRating } from './openskill';

const r = (mu: number, sigma: number): SkillRating => ({ mu, sigma });

describe('rateMatch equals openskill rate', () => {
  const cases: { name: string; teams: SkillRating[][]; rank: number[] }[] = [
    { name: '1v1 win', teams: [[r(25, 25 / 3)], [r(25, 25 / 3)]], rank: [1, 2] },
    { name: '1v1 upset', teams: [[r(20, 4)], [r(32, 2.5)]], rank: [1, 2] },
    { name: '1v1 reversed ranks', teams: [[r(20, 4)], [r(32, 2.5)]], rank: [2, 1] },
    { name: '1v1 tie', teams: [[r(20, 4)], [r(32, 2.5)]], rank: [1, 1] },
    { name: '2v2', teams: [[r(25, 8), r(30, 5)], [r(27, 6), r(22, 7)]], rank: [2, 1] },
    { name: '3 teams, uneven sizes', teams: [[r(25, 8)], [r(30, 5), r(18, 7)], [r(27, 6), r(22, 7), r(21, 3)]], rank: [2, 3, 1] },
    { name: '3 teams, tie for second', teams: [[r(25, 8)], [r(30, 5)], [r(27, 6)]], rank: [1, 2, 2] },
    { name: '4 players, all tied', teams: [[r(25, 8)], [r(30, 5)], [r(27, 6)], [r(20, 1)]], rank: [3, 3, 3, 3] },
  ];
  test.each(cases)('$name (ranks)', ({ teams, rank }) => {
    expect(rateMatch(teams, { ranks: rank })).toEqual(rate(teams, { rank }));
  });
  test.each(cases)('$name (scores = -ranks)', ({ teams, rank }) => {
    const score = rank.map((x) => 10 - x);
    expect(rateMatch(teams, { scores: score })).toEqual(rate(teams, { score }));
  });
  test('options pass through (tau, beta, limitSigma)', () => {
    const teams = [[r(25, 8)], [r(30, 5)], [r(27, 6)]];
    const options = { tau: 0.3, beta: 3, limitSigma: true };
    expect(rateMatch(teams, { ranks: [3, 1, 2] }, options)).toEqual(rate(teams, { ...options, rank: [3, 1, 2] }));
  });
  test('winner gains, loser loses, inputs untouched', () => {
    const teams = Object.freeze([Object.freeze([initialRating()]), Object.freeze([initialRating()])]);
    const [[a], [b]] = rateMatch(teams, { ranks: [1, 2] }) as [[SkillRating], [SkillRating]];
    expect(a.mu).toBeGreaterThan(25);
    expect(b.mu).toBeLessThan(25);
    expect(teams[0]?.[0]).toEqual({ mu: 25, sigma: 25 / 3 });
  });
  test('shape mismatches are caller bugs', () => {
    expect(() => rateMatch([[initialRating()]], { ranks: [1] })).toThrow();
    expect(() => rateMatch([[initialRating()], []], { ranks: [1, 2] })).toThrow();
    expect(() => rateMatch([[initialRating()], [initialRating()]], { ranks: [1] })).toThrow();
    expect(() => rateMatch([[initialRating()], [initialRating()]], { scores: [1, NaN] })).toThrow();
    expect(() => rateMatch([[initialRating()], [r(25, 0)]], { ranks: [1, 2] })).toThrow();
  });
});

describe('ratings and ordinal', () => {
  test('initialRating is openskill rating()', () => {
    expect(initialRating()).toEqual(rating());
    expect(initialRating({ mu: 30 })).toEqual(rating({ mu: 30 }));
  });
  test('ordinal = mu - 3 sigma = openskill ordinal', () => {
    expect(ordinal(initialRating())).toBeCloseTo(0, 12);
    expect(ordinal(r(30, 2))).toBe(24);
    expect(ordinal(r(27.5, 4.25))).toBeCloseTo(osOrdinal(r(27.5, 4.25)), 12);
  });
});

describe('ranksFromReturns', () => {
  test.each([
    { returns: [1, -1], ranks: [1, 2] },
    { returns: [-1, 1], ranks: [2, 1] },
    { returns: [0, 0], ranks: [1, 1] },
    { returns: [1, -1, 1, 0], ranks: [1, 4, 1, 3] },
    { returns: [0.5, 2, -3], ranks: [2, 1, 3] },
    { returns: [7], ranks: [1] },
  ])('$returns -> $ranks', ({ returns, ranks }) => {
    expect(ranksFromReturns(returns)).toEqual(ranks);
  });
  test('feeds rateMatch: a tie in returns is a tie in ratings', () => {
    const teams = [[r(25, 8)], [r(30, 5)], [r(27, 6)]];
    expect(rateMatch(teams, { ranks: ranksFromReturns([0, 1, 0]) })).toEqual(rate(teams, { rank: [2, 1, 2] }));
    expect(rateMatch(teams, { ranks: ranksFromReturns([0, 1, 0]) })).toEqual(rateMatch(teams, { scores: [0, 1, 0] }));
  });
  test('rejects non-finite returns', () => {
    expect(() => ranksFromReturns([1, NaN])).toThrow();
  });
});
