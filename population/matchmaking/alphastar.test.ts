import { Rng } from '../../environments/core/rng';
import { PayoffTable } from '../payoff';
import {
  ALPHASTAR,
  chooseOpponent,
  removeMonotonicSuffix,
  snapshotDecision,
  snapshotRelevantSet,
  type LeagueRole,
  type LeagueSnapshot,
  type LeagueState,
  type OpponentChoice,
} from './alphastar';
import { pfspWeights } from './pfsp';
import type { WinRateSource } from './strategies';

/** Win rates from a table keyed "a>b"; 0.5 for pairs not listed. */
function rates(table: Record<string, number>): WinRateSource {
  return { winRate: (a, b) => table[`${a}>${b}`] ?? 0.5 };
}

function snap(id: string, parent: string, role: LeagueRole): LeagueSnapshot {
  return { id, parent, role };
}

const learners = [
  { id: 'M', role: 'main' },
  { id: 'E', role: 'main-exploiter' },
  { id: 'L', role: 'league-exploiter' },
] as const;

function league(self: string, snapshots: LeagueSnapshot[], extra: LeagueState['learners'] = []): LeagueState {
  return { self, learners: [...learners, ...extra], snapshots };
}

const basic = [snap('M-0', 'M', 'main'), snap('E-0', 'E', 'main-exploiter'), snap('M-1', 'M', 'main'), snap('L-0', 'L', 'league-exploiter')];

function draws(n: number, seed: number, choose: (rng: Rng) => OpponentChoice): OpponentChoice[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, () => choose(rng));
}

function kinds(choices: readonly OpponentChoice[]): string[] {
  return [...new Set(choices.map((c) => c.kind))].sort();
}

function share<T>(items: readonly T[], pred: (x: T) => boolean): number {
  return items.filter(pred).length / items.length;
}

/** Frequencies of each opponent among `choices`, compared with `probs` (same order as `ids`). */
function expectFrequencies(choices: readonly OpponentChoice[], ids: readonly string[], probs: readonly number[], tol: number): void {
  expect(choices.length).toBeGreaterThan(0);
  expect(choices.filter((c) => !ids.includes(c.opponent))).toEqual([]);
  ids.forEach((id, i) => expect(Math.abs(share(choices, (c) => c.opponent === id) - (probs[i] as number))).toBeLessThan(tol));
}

describe('main agent', () => {
  it('splits 50 / 15 / 35 between PFSP, verification and self-play (10,000 seeded draws)', () => {
    const payoff = rates({ 'M>E-0': 0.2 }); // an exploiter snapshot beats M: verification always has work
    const choices = draws(10_000, 1, (rng) => chooseOpponent('main', league('M', basic), payoff, rng));
    expect(Math.abs(share(choices, (c) => c.branch === 'pfsp') - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(share(choices, (c) => c.branch === 'verification') - 0.15)).toBeLessThan(0.015);
    expect(Math.abs(share(choices, (c) => c.branch === 'selfplay') - 0.35)).toBeLessThan(0.02);
    for (const c of choices) {
      if (c.branch === 'pfsp') expect(c.kind).toBe('pfsp');
      if (c.branch === 'verification') expect(c).toEqual({ opponent: 'E-0', kind: 'verification-exploiters', branch: 'verification' });
      if (c.branch === 'selfplay') expect(c).toEqual({ opponent: 'M', kind: 'selfplay', branch: 'selfplay' });
    }
    // PFSP squared over every past player: f = 0.25, 0.64, 0.25, 0.25.
    const pfsp = choices.filter((c) => c.branch === 'pfsp');
    expectFrequencies(pfsp, ['M-0', 'E-0', 'M-1', 'L-0'], pfspWeights([0.5, 0.2, 0.5, 0.5], 'squared'), 0.02);
    expect(pfspWeights([0.5, 0.2, 0.5, 0.5], 'squared')[1]).toBeCloseTo(0.64 / 1.39, 14);
  });

  it('verifies exploiters only below 0.3, then falls through to self-play when nothing needs checking', () => {
    for (const [rate, verifies] of [
      [0.29, true],
      [0.3, false],
    ] as const) {
      const choices = draws(4000, 2, (rng) => chooseOpponent('main', league('M', basic), rates({ 'M>E-0': rate }), rng));
      const verification = choices.filter((c) => c.branch === 'verification');
      expect(verification.length).toBeGreaterThan(400);
      if (verifies) for (const c of verification) expect(c.kind).toBe('verification-exploiters');
      else for (const c of verification) expect(c).toEqual({ opponent: 'M', kind: 'selfplay', branch: 'verification' });
    }
  });

  it('verifies against forgotten snapshots: before the last rise, lowest win rate < 0.7, PFSP squared', () => {
    const snaps = [0, 1, 2, 3].map((i) => snap(`M-${i}`, 'M', 'main'));
    // 0.9, 0.6, 0.8, 0.75: the last rise is 0.6 -> 0.8, so M-0..M-2 stay; min 0.6 < 0.7.
    const payoff = rates({ 'M>M-0': 0.9, 'M>M-1': 0.6, 'M>M-2': 0.8, 'M>M-3': 0.75 });
    const choices = draws(20_000, 3, (rng) => chooseOpponent('main', league('M', snaps), payoff, rng));
    const verification = choices.filter((c) => c.branch === 'verification');
    expect(kinds(verification)).toEqual(['verification-forgotten']);
    expectFrequencies(verification, ['M-0', 'M-1', 'M-2'], [0.01 / 0.21, 0.16 / 0.21, 0.04 / 0.21], 0.03);

    // Falling towards the newest (expected progress): nothing is forgotten.
    const steady = rates({ 'M>M-0': 0.9, 'M>M-1': 0.6, 'M>M-2': 0.55, 'M>M-3': 0.5 });
    for (const c of draws(2000, 4, (rng) => chooseOpponent('main', league('M', snaps), steady, rng))) {
      expect(c.kind).not.toBe('verification-forgotten');
    }
    // A rise, but everything left is beaten at least 70% of the time.
    const fine = rates({ 'M>M-0': 0.75, 'M>M-1': 0.7, 'M>M-2': 0.8, 'M>M-3': 0.5 });
    for (const c of draws(2000, 5, (rng) => chooseOpponent('main', league('M', snaps), fine, rng))) {
      expect(c.kind).not.toBe('verification-forgotten');
    }
  });

  it('falls back to PFSP variance over the opponent snapshots exactly when the win rate is <= 0.3', () => {
    const snaps = [...basic, snap('N-0', 'N', 'main'), snap('N-1', 'N', 'main')];
    const state = league('M', snaps, [{ id: 'N', role: 'main' }]);
    const table = new PayoffTable(1);
    for (let i = 0; i < 10; i++) table.update('M', 'N', i < 3 ? 1 : 0); // exactly 0.3
    table.update('M', 'N-1', 1); // M beats N-1 (1.0); N-0 unplayed (0.5): variance weights 0.25 and 0
    expect(table.winRate('M', 'N')).toBe(0.3);
    const atThreshold = draws(4000, 6, (rng) => chooseOpponent('main', state, table, rng)).filter((c) => c.branch === 'selfplay');
    expect(atThreshold.some((c) => c.opponent === 'N')).toBe(false);
    const curriculum = atThreshold.filter((c) => c.kind === 'curriculum');
    expect(curriculum.length).toBeGreaterThan(500);
    for (const c of curriculum) expect(c.opponent).toBe('N-0');
    for (const c of atThreshold.filter((x) => x.kind === 'selfplay')) expect(c.opponent).toBe('M'); // itself: 0.5

    const above = draws(4000, 6, (rng) => chooseOpponent('main', state, rates({ 'M>N': 0.30000000000000004 }), rng));
    expect(above.some((c) => c.kind === 'curriculum')).toBe(false);
    expect(share(above.filter((c) => c.branch === 'selfplay'), (c) => c.opponent === 'N')).toBeGreaterThan(0.4);
  });

  it('uses self-play when a pool is empty', () => {
    const bare = league('M', []);
    for (const c of draws(500, 7, (rng) => chooseOpponent('main', bare, rates({}), rng))) {
      expect(c.opponent).toBe('M');
      expect(c.kind).toBe('selfplay');
    }
    const state = league('M', [], [{ id: 'N', role: 'main' }]);
    const weak = draws(500, 8, (rng) => chooseOpponent('main', state, rates({ 'M>N': 0 }), rng));
    expect(weak.some((c) => c.opponent === 'N' && c.kind === 'selfplay')).toBe(true); // no N snapshot to fall back to
  });
});

describe('main exploiter', () => {
  const snaps = [...basic, snap('M-2', 'M', 'main')];

  it('plays the main agent while its win rate is > 0.1', () => {
    for (const c of draws(1000, 9, (rng) => chooseOpponent('main-exploiter', league('E', snaps), rates({ 'E>M': 0.10000000000000002 }), rng))) {
      expect(c).toEqual({ opponent: 'M', kind: 'exploit' });
    }
  });

  it('falls back to PFSP variance over that main agent snapshots at <= 0.1', () => {
    const payoff = rates({ 'E>M': 0.1, 'E>M-0': 0.5, 'E>M-1': 0.1, 'E>M-2': 1 });
    const choices = draws(20_000, 10, (rng) => chooseOpponent('main-exploiter', league('E', snaps), payoff, rng));
    expect(kinds(choices)).toEqual(['curriculum']);
    expectFrequencies(choices, ['M-0', 'M-1', 'M-2'], [0.25 / 0.34, 0.09 / 0.34, 0], 0.01);
    // no snapshot of the main agent yet: play it anyway
    for (const c of draws(100, 11, (rng) => chooseOpponent('main-exploiter', league('E', []), rates({ 'E>M': 0 }), rng))) {
      expect(c).toEqual({ opponent: 'M', kind: 'exploit' });
    }
  });
});

describe('league exploiter', () => {
  it('uses PFSP linear_capped over every past player', () => {
    const payoff = rates({ 'L>M-0': 0.2, 'L>E-0': 0.6, 'L>M-1': 0.9, 'L>L-0': 1 });
    const choices = draws(20_000, 12, (rng) => chooseOpponent('league-exploiter', league('L', basic), payoff, rng));
    expect(kinds(choices)).toEqual(['pfsp']);
    // min(0.5, 1 - x): 0.5, 0.4, 0.1, 0 -> / 1.0
    expectFrequencies(choices, ['M-0', 'E-0', 'M-1', 'L-0'], [0.5, 0.4, 0.1, 0], 0.01);
    expect(chooseOpponent('league-exploiter', league('L', []), payoff, Rng.fromSeed(1))).toEqual({ opponent: 'M', kind: 'exploit' });
  });
});

describe('chooseOpponent argument checks', () => {
  it('rejects a self that is not a learner of the role, and a league without a main agent', () => {
    expect(() => chooseOpponent('main', league('E', basic), rates({}), Rng.fromSeed(1))).toThrow(RangeError);
    expect(() => chooseOpponent('main', league('X', basic), rates({}), Rng.fromSeed(1))).toThrow(RangeError);
    const noMain: LeagueState = { self: 'L', learners: [{ id: 'L', role: 'league-exploiter' }], snapshots: basic };
    expect(() => chooseOpponent('league-exploiter', noMain, rates({}), Rng.fromSeed(1))).toThrow(RangeError);
  });

  it('replays the same choices from the same seed', () => {
    const payoff = rates({ 'M>E-0': 0.2, 'M>M-0': 0.4 });
    const a = draws(200, 13, (rng) => chooseOpponent('main', league('M', basic), payoff, rng));
    const b = draws(200, 13, (rng) => chooseOpponent('main', league('M', basic), payoff, rng));
    expect(a).toEqual(b);
  });
});

describe('removeMonotonicSuffix', () => {
  it.each([
    [[], []],
    [[0.4], []],
    [[0.9, 0.8, 0.8, 0.5], []],
    [[0.5, 0.6], [0.5, 0.6]],
    [[0.9, 0.6, 0.8, 0.75], [0.9, 0.6, 0.8]],
    [[0.2, 0.3, 0.1, 0.4, 0.4, 0.3], [0.2, 0.3, 0.1, 0.4]],
  ])('%j keeps %j', (input, kept) => {
    const items = input.map((_, i) => `s${i}`);
    const r = removeMonotonicSuffix(input, items);
    expect(r.winRates).toEqual(kept);
    expect(r.items).toEqual(items.slice(0, kept.length));
  });
});

describe('snapshotDecision', () => {
  const rng = (): Rng => Rng.fromSeed(1);

  it('snapshots when the lowest win rate passes 0.7, not at 0.7', () => {
    expect(ALPHASTAR.snapshotAbove).toBe(0.7);
    expect(snapshotDecision('main', { winRates: [0.9, 0.7], stepsSinceSnapshot: 10 }, rng())).toEqual({ snapshot: false, reset: false });
    expect(snapshotDecision('main', { winRates: [0.9, 0.70000001], stepsSinceSnapshot: 10 }, rng())).toEqual({ snapshot: true, reset: false });
    expect(snapshotDecision('main', { winRates: [], stepsSinceSnapshot: 10 }, rng())).toEqual({ snapshot: false, reset: false });
  });

  it('snapshots after the step budget, never before minSteps', () => {
    const base = { winRates: [0.2], minSteps: 100, maxSteps: 200 };
    expect(snapshotDecision('main', { ...base, stepsSinceSnapshot: 200 }, rng()).snapshot).toBe(false);
    expect(snapshotDecision('main', { ...base, stepsSinceSnapshot: 201 }, rng()).snapshot).toBe(true);
    expect(snapshotDecision('main', { ...base, winRates: [0.9], stepsSinceSnapshot: 99 }, rng()).snapshot).toBe(false);
    expect(snapshotDecision('main', { ...base, winRates: [0.9], stepsSinceSnapshot: 100 }, rng()).snapshot).toBe(true);
  });

  it('resets a main exploiter at every snapshot and a league exploiter with probability 0.25', () => {
    const ready = { winRates: [0.8], stepsSinceSnapshot: 1 };
    expect(snapshotDecision('main-exploiter', ready, rng())).toEqual({ snapshot: true, reset: true });
    expect(snapshotDecision('main-exploiter', { ...ready, winRates: [0.5] }, rng())).toEqual({ snapshot: false, reset: false });
    const r = Rng.fromSeed(14);
    const n = 20_000;
    let resets = 0;
    for (let i = 0; i < n; i++) if (snapshotDecision('league-exploiter', ready, r).reset) resets++;
    expect(Math.abs(resets / n - 0.25)).toBeLessThan(0.01);
  });

  it('draws from the rng only when a league exploiter snapshots', () => {
    const a = Rng.fromSeed(15);
    snapshotDecision('league-exploiter', { winRates: [0.1], stepsSinceSnapshot: 1 }, a);
    snapshotDecision('main-exploiter', { winRates: [0.9], stepsSinceSnapshot: 1 }, a);
    snapshotDecision('main', { winRates: [0.9], stepsSinceSnapshot: 1 }, a);
    expect(a.state()).toEqual(Rng.fromSeed(15).state());
  });

  it('uses each role relevant set', () => {
    const state = league('M', basic, [{ id: 'N', role: 'main' }]);
    expect(snapshotRelevantSet('main', state)).toEqual(['M-0', 'E-0', 'M-1', 'L-0']);
    expect(snapshotRelevantSet('league-exploiter', state)).toEqual(['M-0', 'E-0', 'M-1', 'L-0']);
    expect(snapshotRelevantSet('main-exploiter', state)).toEqual(['M', 'N']);
  });
});
