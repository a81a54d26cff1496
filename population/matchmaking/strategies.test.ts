import { Rng } from '../../environments/core/rng';
import { PayoffTable } from '../payoff';
import { pfspWeights } from './pfsp';
import {
  chooseByStrategy,
  fictitiousSelfPlay,
  fixedByShare,
  latestSelfPlay,
  openAiFiveMix,
  ownSnapshots,
  pfspSelfPlay,
  type PopulationView,
} from './strategies';

const population: PopulationView = {
  self: 'L',
  snapshots: [
    { id: 'L-0', parent: 'L' },
    { id: 'X-0', parent: 'X' },
    { id: 'L-1', parent: 'L' },
    { id: 'L-2', parent: 'L' },
    { id: 'L-3', parent: 'L' },
  ],
};
const fresh: PopulationView = { self: 'L', snapshots: [{ id: 'X-0', parent: 'X' }] };

function frequencies(n: number, draw: () => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = draw();
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, v]) => [k, v / n]));
}

describe('population helpers', () => {
  it('lists own snapshots oldest first', () => {
    expect(ownSnapshots(population)).toEqual(['L-0', 'L-1', 'L-2', 'L-3']);
  });
});

describe('latest self-play', () => {
  it('always returns the latest own snapshot, or self without one', () => {
    expect(latestSelfPlay(population)).toBe('L-3');
    expect(latestSelfPlay(fresh)).toBe('L');
  });
});

describe('fictitious self-play', () => {
  it('is uniform over own snapshots (or all of them)', () => {
    const rng = Rng.fromSeed(11);
    const f = frequencies(40_000, () => fictitiousSelfPlay(population, rng));
    expect([...f.keys()].sort()).toEqual(['L-0', 'L-1', 'L-2', 'L-3']);
    for (const p of f.values()) expect(Math.abs(p - 0.25)).toBeLessThan(0.01);
    const all = frequencies(50_000, () => fictitiousSelfPlay(population, rng, 'all'));
    expect(all.size).toBe(5);
    for (const p of all.values()) expect(Math.abs(p - 0.2)).toBeLessThan(0.01);
    expect(fictitiousSelfPlay(fresh, rng)).toBe('L');
  });
});

describe('PFSP self-play', () => {
  it('weights own snapshots by the learner win rates', () => {
    const payoff = new PayoffTable(1);
    payoff.update('L', 'L-0', 1); // 1.0
    payoff.update('L', 'L-1', 1);
    payoff.update('L', 'L-1', 0); // 0.5
    payoff.update('L', 'L-2', 0); // 0.0; L-3 unplayed: 0.5
    const expected = pfspWeights([1, 0.5, 0, 0.5], 'squared'); // 0, 1/6, 4/6, 1/6
    expect(expected[2]).toBeCloseTo(4 / 6, 14);
    const rng = Rng.fromSeed(5);
    const f = frequencies(40_000, () => pfspSelfPlay(population, payoff, rng));
    expect(f.has('L-0')).toBe(false);
    expect(f.has('X-0')).toBe(false);
    ['L-0', 'L-1', 'L-2', 'L-3'].forEach((id, i) => expect(Math.abs((f.get(id) ?? 0) - (expected[i] as number))).toBeLessThan(0.01));
    expect(pfspSelfPlay(fresh, payoff, rng)).toBe('L');
    // pool 'all' with variance: X-0 (0.5 -> 0.25) competes with L-1 and L-3.
    const g = frequencies(40_000, () => pfspSelfPlay(population, payoff, rng, 'variance', 'all'));
    expect([...g.keys()].sort()).toEqual(['L-1', 'L-3', 'X-0']);
  });
});

describe('OpenAI Five mix', () => {
  it('plays the latest 80% of the time and older snapshots uniformly otherwise', () => {
    const rng = Rng.fromSeed(21);
    const f = frequencies(50_000, () => openAiFiveMix(population, rng));
    expect(Math.abs((f.get('L-3') ?? 0) - 0.8)).toBeLessThan(0.01);
    for (const id of ['L-0', 'L-1', 'L-2']) expect(Math.abs((f.get(id) ?? 0) - 0.2 / 3)).toBeLessThan(0.006);
    expect(f.has('X-0')).toBe(false);
  });

  it('honours ML-Agents-style ratio and window', () => {
    const rng = Rng.fromSeed(22);
    const f = frequencies(40_000, () => openAiFiveMix(population, rng, { latestRatio: 0.5, window: 2 }));
    expect(Math.abs((f.get('L-3') ?? 0) - 0.5)).toBeLessThan(0.01);
    expect(f.has('L-0')).toBe(false);
    expect(Math.abs((f.get('L-1') ?? 0) - 0.25)).toBeLessThan(0.01);
    expect(Math.abs((f.get('L-2') ?? 0) - 0.25)).toBeLessThan(0.01);
    expect(openAiFiveMix({ self: 'L', snapshots: [{ id: 'L-0', parent: 'L' }] }, rng, { latestRatio: 0 })).toBe('L-0');
    expect(openAiFiveMix(fresh, rng)).toBe('L');
    expect(() => openAiFiveMix(population, rng, { latestRatio: 1.2 })).toThrow(RangeError);
    expect(() => openAiFiveMix(population, rng, { window: 0 })).toThrow(RangeError);
  });

  it('draws the same number of values on every branch (seeded replays stay aligned)', () => {
    const a = Rng.fromSeed(9);
    openAiFiveMix(fresh, a);
    const b = Rng.fromSeed(9);
    b.float();
    expect(a.float()).toBe(b.float());
  });
});

describe('chooseByStrategy', () => {
  it('dispatches to each strategy with the same draws as a direct call', () => {
    const payoff = new PayoffTable();
    payoff.update('L', 'L-2', 0);
    expect(chooseByStrategy({ kind: 'latest' }, population, payoff, Rng.fromSeed(1))).toBe('L-3');
    const cases = [
      [{ kind: 'fictitious' }, (r: Rng) => fictitiousSelfPlay(population, r)],
      [{ kind: 'fictitious', pool: 'all' }, (r: Rng) => fictitiousSelfPlay(population, r, 'all')],
      [{ kind: 'pfsp', weighting: 'linear' }, (r: Rng) => pfspSelfPlay(population, payoff, r, 'linear')],
      [{ kind: 'openai-five', latestRatio: 0.3 }, (r: Rng) => openAiFiveMix(population, r, { latestRatio: 0.3 })],
    ] as const;
    for (const [strategy, direct] of cases) {
      const viaStrategy = Rng.fromSeed(4);
      const viaDirect = Rng.fromSeed(4);
      for (let i = 0; i < 20; i++) expect(chooseByStrategy(strategy, population, payoff, viaStrategy)).toBe(direct(viaDirect));
    }
  });
});

describe('fixed shares', () => {
  const fixed = [{ name: 'random', share: 0.1 }, { name: 'learner' }, { name: 'ab2', share: 0.3 }, { name: 'zero', share: 0 }];
  it('maps [0, 0.1) to the first share, [0.1, 0.4) to the next, and the rest to the strategy', () => {
    expect(fixedByShare(fixed, 0)?.name).toBe('random');
    expect(fixedByShare(fixed, 0.0999)?.name).toBe('random');
    expect(fixedByShare(fixed, 0.1)?.name).toBe('ab2');
    expect(fixedByShare(fixed, 0.3999)?.name).toBe('ab2');
    expect(fixedByShare(fixed, 0.4)).toBeUndefined();
    expect(fixedByShare(fixed, 0.9999)).toBeUndefined();
    expect(fixedByShare([], 0)).toBeUndefined();
  });
  it('draws each member with its share over many seeded draws', () => {
    const rng = Rng.fromSeed(7);
    const f = frequencies(20_000, () => fixedByShare(fixed, rng.float())?.name ?? 'strategy');
    // Within 4 standard deviations of a binomial share over 20,000 draws.
    const near = (x: number | undefined, p: number): void => expect(Math.abs(x! - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20_000));
    near(f.get('random'), 0.1);
    near(f.get('ab2'), 0.3);
    near(f.get('strategy'), 0.6);
    expect(f.has('zero')).toBe(false);
  });
});
