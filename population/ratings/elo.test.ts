import { ELO_INITIAL, ELO_K_DEFAULT, eloDelta, expectedScore, updateElo } from './elo';

describe('elo', () => {
  test('defaults', () => {
    expect(ELO_INITIAL).toBe(1200);
    expect(ELO_K_DEFAULT).toBe(32);
  });
  test('expected score (hand-computed)', () => {
    expect(expectedScore(1200, 1200)).toBe(0.5);
    expect(expectedScore(1400, 1200)).toBeCloseTo(0.7597469266479578, 12); // 1 / (1 + 10^-0.5)
    expect(expectedScore(1200, 1400)).toBeCloseTo(1 - 0.7597469266479578, 12);
    expect(expectedScore(1500, 1100)).toBeCloseTo(10 / 11, 12); // 400 points = 10:1 odds
  });
  test('equal players, K = 32: win +16, draw 0, loss -16', () => {
    expect(updateElo(1200, 1200, 1)).toEqual({ a: 1216, b: 1184 });
    expect(updateElo(1200, 1200, 0.5)).toEqual({ a: 1200, b: 1200 });
    expect(updateElo(1200, 1200, 0)).toEqual({ a: 1184, b: 1216 });
  });
  test('favourite (1400) vs 1200, hand-computed', () => {
    expect(eloDelta(1400, 1200, 1)).toBeCloseTo(7.688098347265349, 10);
    expect(eloDelta(1400, 1200, 0.5)).toBeCloseTo(-8.311901652734651, 10);
    expect(eloDelta(1400, 1200, 0)).toBeCloseTo(-24.31190165273465, 10);
    expect(eloDelta(1400, 1200, 0.5, 16)).toBeCloseTo(-4.1559508263673255, 10);
    expect(eloDelta(1200, 1300, 1)).toBeCloseTo(20.482079993692324, 10); // underdog win: 32 (1 - 1/(1+10^0.25))
  });
  test('zero-sum', () => {
    for (const [a, b, s] of [[1400, 1200, 1], [1000, 1650, 0.5], [1234.5, 1199, 0]] as const) {
      const next = updateElo(a, b, s, 24);
      expect(next.a + next.b).toBeCloseTo(a + b, 9);
      expect(next.a - a).toBeCloseTo(-(next.b - b), 9);
    }
  });
  test('invalid input is a caller bug', () => {
    expect(() => updateElo(1200, 1200, 1.5)).toThrow();
    expect(() => updateElo(1200, 1200, NaN)).toThrow();
    expect(() => updateElo(1200, 1200, 1, -1)).toThrow();
    expect(() => expectedScore(Infinity, 1200)).toThrow();
  });
});
