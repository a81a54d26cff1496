import { Rng } from '../../environments/core/rng';
import {
  PFSP_WEIGHTING_NAMES,
  checkWeighting,
  fHard,
  fLinear,
  fLinearCapped,
  fVar,
  pfspPick,
  pfspWeights,
  weightingFunction,
} from './pfsp';

/** Pearson chi-square statistic of observed counts against expected probabilities. */
function chiSquare(counts: readonly number[], probs: readonly number[]): number {
  const n = counts.reduce((s, c) => s + c, 0);
  return counts.reduce((s, c, i) => {
    const e = n * (probs[i] as number);
    return e === 0 ? (c === 0 ? s : Number.POSITIVE_INFINITY) : s + ((c - e) * (c - e)) / e;
  }, 0);
}

describe('PFSP weighting functions', () => {
  it('match the AlphaStar definitions', () => {
    expect(fHard(0.25)).toBe(0.5625);
    expect(fHard(0.25, 3)).toBe(0.421875);
    expect(fVar(0.25)).toBe(0.1875);
    expect(fVar(0)).toBe(0);
    expect(fVar(1)).toBe(0);
    expect(fLinear(0.25)).toBe(0.75);
    expect(fLinearCapped(0.25)).toBe(0.5);
    expect(fLinearCapped(0.5)).toBe(0.5);
    expect(fLinearCapped(0.75)).toBe(0.25);
    expect(weightingFunction('squared')(0.1)).toBeCloseTo(0.81, 15);
    expect(weightingFunction({ hard: 1 })(0.1)).toBeCloseTo(0.9, 15);
    expect([...PFSP_WEIGHTING_NAMES]).toEqual(['squared', 'variance', 'linear', 'linear_capped']);
    expect(() => weightingFunction({ hard: 0 })).toThrow(RangeError);
    expect(() => weightingFunction('cubic' as 'squared')).toThrow(RangeError);
  });
});

describe('pfspWeights', () => {
  const rates = [0.1, 0.5, 0.75, 1];

  it.each([
    ['squared', [0.81, 0.25, 0.0625, 0], 1.1225],
    ['variance', [0.09, 0.25, 0.1875, 0], 0.5275],
    ['linear', [0.9, 0.5, 0.25, 0], 1.65],
    ['linear_capped', [0.5, 0.5, 0.25, 0], 1.25],
  ] as const)('%s gives f(x) / sum f exactly', (weighting, raw, total) => {
    const p = pfspWeights(rates, weighting);
    p.forEach((v, i) => expect(v).toBeCloseTo((raw[i] as number) / total, 14));
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });

  it('accepts f_hard with another exponent and user functions', () => {
    const p = pfspWeights([0, 0.5], { hard: 3 });
    expect(p[0]).toBeCloseTo(1 / 1.125, 14);
    expect(p[1]).toBeCloseTo(0.125 / 1.125, 14);
    const userFn = (x: number): number => Math.exp(-4 * x);
    const q = pfspWeights([0, 0.5, 1], userFn);
    const raw = [1, Math.exp(-2), Math.exp(-4)];
    const sum = raw.reduce((s, v) => s + v, 0);
    q.forEach((v, i) => expect(v).toBeCloseTo((raw[i] as number) / sum, 14));
  });

  it('falls back to uniform when every weight is (nearly) zero', () => {
    expect(pfspWeights([1, 1, 1, 1], 'squared')).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(pfspWeights([0, 1], 'variance')).toEqual([0.5, 0.5]);
    expect(pfspWeights([0.99999999, 1], 'squared')).toEqual([0.5, 0.5]); // 1e-16 < 1e-10
    expect(pfspWeights([], 'linear')).toEqual([]);
  });

  it('rejects win rates outside [0, 1] and bad user weights', () => {
    expect(() => pfspWeights([1.5], 'linear')).toThrow(RangeError);
    expect(() => pfspWeights([Number.NaN], 'linear')).toThrow(RangeError);
    expect(() => pfspWeights([0.5], () => -1)).toThrow(RangeError);
    expect(() => pfspWeights([0.5], () => Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('checkWeighting', () => {
  it('accepts the named weightings and rejects bad functions with a reason', () => {
    for (const name of PFSP_WEIGHTING_NAMES) expect(checkWeighting(name)).toBeNull();
    expect(checkWeighting((x) => 1 / (1 - x) - 1)).toMatch(/Infinity at x = 1/);
    expect(checkWeighting((x) => x - 0.5)).toMatch(/at x = 0$/);
    expect(checkWeighting(() => {
      throw new Error('boom');
    })).toMatch(/boom/);
    expect(checkWeighting({ hard: -1 })).toMatch(/exponent/);
  });
});

describe('pfspPick', () => {
  it('draws with the PFSP probabilities (chi-square over 40,000 seeded draws)', () => {
    const candidates = ['a', 'b', 'c', 'd'];
    const rates = [0.1, 0.5, 0.75, 0.95];
    for (const weighting of PFSP_WEIGHTING_NAMES) {
      const probs = pfspWeights(rates, weighting);
      const rng = Rng.fromSeed(7);
      const counts = [0, 0, 0, 0];
      const n = 40_000;
      for (let i = 0; i < n; i++) {
        const pick = pfspPick(rng, candidates, rates, weighting);
        counts[candidates.indexOf(pick)]! += 1;
      }
      // 3 degrees of freedom: P(chi2 > 16.27) = 0.001.
      expect(chiSquare(counts, probs)).toBeLessThan(16.27);
      counts.forEach((c, i) => expect(Math.abs(c / n - (probs[i] as number))).toBeLessThan(0.01));
    }
  });

  it('never picks a zero-weight candidate unless all are zero, and replays from a seed', () => {
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 1000; i++) expect(pfspPick(rng, ['x', 'y'], [1, 0.5], 'squared')).toBe('y');
    const a = Rng.fromSeed(3);
    const b = Rng.fromSeed(3);
    const seqA = Array.from({ length: 50 }, () => pfspPick(a, ['x', 'y', 'z'], [0.2, 0.5, 0.8], 'variance'));
    const seqB = Array.from({ length: 50 }, () => pfspPick(b, ['x', 'y', 'z'], [0.2, 0.5, 0.8], 'variance'));
    expect(seqA).toEqual(seqB);
  });

  it('rejects empty or mismatched candidate lists', () => {
    const rng = Rng.fromSeed(1);
    expect(() => pfspPick(rng, [], [], 'linear')).toThrow(RangeError);
    expect(() => pfspPick(rng, ['a'], [0.5, 0.5], 'linear')).toThrow(RangeError);
  });
});
