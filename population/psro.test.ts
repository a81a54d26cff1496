import type { Action, Game } from '../environments/core/game';
import { Rng } from '../environments/core/rng';
import { kuhnPoker } from '../environments/zero-sum/kuhn-poker';
import { leducPoker } from '../environments/zero-sum/leduc-poker';
import { bestResponseSlots, nashConv, policyValues } from '../agents/solvers/best-response';
import { buildGameTree, uniformSlots, type GameTree, type SlotPolicy } from '../agents/solvers/game-tree';
import { combineProfile, mixPolicies, ownReachByInfoset, payoffMatrix, runPsro } from './psro';

const kuhn = buildGameTree(kuhnPoker.create(kuhnPoker.spec.params.parse({})) as Game<unknown, Action>);
const leduc = buildGameTree(leducPoker.create(leducPoker.spec.params.parse({})) as Game<unknown, Action>);

/** A random behaviour policy; with `pure`, a random deterministic one. Some actions get probability 0. */
function randomSlots(tree: GameTree, rng: Rng, pure = false): SlotPolicy {
  const slots = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const lo = tree.slotStart[i] as number;
    const hi = tree.slotStart[i + 1] as number;
    if (pure) {
      slots[lo + rng.int(hi - lo)] = 1;
      continue;
    }
    let sum = 0;
    for (let s = lo; s < hi; s++) {
      slots[s] = rng.float() < 0.25 ? 0 : rng.float();
      sum += slots[s] as number;
    }
    for (let s = lo; s < hi; s++) slots[s] = sum > 0 ? (slots[s] as number) / sum : 1 / (hi - lo);
  }
  return slots;
}

/** Player 0's value when `player` plays `mine` and the other seat plays `theirs`. */
function valueFor(tree: GameTree, player: number, mine: SlotPolicy, theirs: SlotPolicy): number {
  const profile = player === 0 ? combineProfile(tree, mine, theirs) : combineProfile(tree, theirs, mine);
  return policyValues(tree, profile)[0];
}

/** Mixing without reach weights: the plain weighted average of the action probabilities (wrong in general). */
function naiveMix(tree: GameTree, policies: SlotPolicy[], weights: number[]): SlotPolicy {
  const out = new Float64Array(tree.numSlots);
  const total = weights.reduce((a, b) => a + b, 0);
  policies.forEach((p, k) => p.forEach((x, s) => (out[s] = (out[s] as number) + ((weights[k] as number) / total) * x)));
  return out;
}

describe('ownReachByInfoset', () => {
  test('Kuhn: player 0 reaches "cpb" with P(check at "c"), player 1 reaches every set with 1', () => {
    const rng = Rng.fromSeed(3);
    const slots = randomSlots(kuhn, rng);
    const r0 = ownReachByInfoset(kuhn, slots, 0);
    const r1 = ownReachByInfoset(kuhn, slots, 1);
    const check = (key: string): number => slots[kuhn.slotStart[kuhn.infosetIndex.get(key) as number] as number] as number;
    for (const c of ['0', '1', '2']) {
      expect(r0[kuhn.infosetIndex.get(c) as number]).toBe(1);
      expect(r0[kuhn.infosetIndex.get(`${c}pb`) as number]).toBe(check(c));
      expect(r1[kuhn.infosetIndex.get(`${c}p`) as number]).toBe(1);
      expect(r1[kuhn.infosetIndex.get(`${c}b`) as number]).toBe(1);
      expect(r1[kuhn.infosetIndex.get(c) as number]).toBeNaN();
    }
  });
});

describe('mixPolicies (reach-weighted mixture of behaviour policies)', () => {
  for (const [name, tree] of [['kuhn', kuhn], ['leduc', leduc]] as const) {
    test(`${name}: value against fixed opponents = weighted average of the members' values, for both players`, () => {
      const rng = Rng.fromSeed(11);
      for (const player of [0, 1]) {
        for (const pure of [false, true]) {
          const members = [randomSlots(tree, rng, pure), randomSlots(tree, rng, pure), randomSlots(tree, rng, pure), uniformSlots(tree)];
          const weights = [0.5, 0.2, 1.3, 0]; // unnormalised, one member with weight 0
          const total = 2;
          const mixed = mixPolicies(tree, members, weights, player);
          const naive = naiveMix(tree, members, weights);
          let naiveError = 0;
          const opponents = [uniformSlots(tree), randomSlots(tree, rng), randomSlots(tree, rng, true)];
          for (const opp of opponents) {
            const expected = members.reduce((acc, m, k) => acc + ((weights[k] as number) / total) * valueFor(tree, player, m, opp), 0);
            expect(valueFor(tree, player, mixed, opp)).toBeCloseTo(expected, 12);
            naiveError = Math.max(naiveError, Math.abs(valueFor(tree, player, naive, opp) - expected));
          }
          // The weighted-average shortcut is measurably wrong, so the reach weighting is what makes this pass
          // (except for Kuhn's player 1, who acts once per game: every own reach is 1 and the two agree).
          if (name === 'kuhn' && player === 1) expect(naiveError).toBeLessThan(1e-12);
          else expect(naiveError).toBeGreaterThan(1e-3);
          // Outcome equivalence also holds for an opponent that reacts to the mixture: the best response to the
          // mixed policy scores against it the weighted average of its scores against the members.
          const br = bestResponseSlots(tree, combineProfile(tree, mixed, mixed), 1 - player);
          const brAgainstMembers = members.reduce(
            (acc, m, k) => acc + ((weights[k] as number) / total) * valueFor(tree, 1 - player, br, m),
            0,
          );
          expect(valueFor(tree, 1 - player, br, mixed)).toBeCloseTo(brAgainstMembers, 12);
          // A valid behaviour policy at the mixed player's sets; the other player's slots come from `base`.
          for (let i = 0; i < tree.numInfosets; i++) {
            let sum = 0;
            for (let s = tree.slotStart[i] as number; s < (tree.slotStart[i + 1] as number); s++) sum += mixed[s] as number;
            expect(sum).toBeCloseTo(1, 12);
          }
        }
      }
    });
  }

  test('one member, or all weight on one member, gives that member back at the player\'s sets', () => {
    const rng = Rng.fromSeed(5);
    const a = randomSlots(leduc, rng);
    const b = randomSlots(leduc, rng);
    for (const mixed of [mixPolicies(leduc, [a], [3], 0, b), mixPolicies(leduc, [b, a], [0, 1], 0, b)]) {
      for (let i = 0; i < leduc.numInfosets; i++) {
        const src = leduc.infosetPlayer[i] === 0 ? a : b;
        for (let s = leduc.slotStart[i] as number; s < (leduc.slotStart[i + 1] as number); s++) expect(mixed[s]).toBeCloseTo(src[s] as number, 14);
      }
    }
  });

  test('Kuhn: sets no member reaches get the plain weighted average; explicit numbers', () => {
    // Member A always bets (never reaches "cpb"), member B always checks and then calls.
    const always = (bet: number): SlotPolicy => {
      const s = new Float64Array(kuhn.numSlots);
      for (let i = 0; i < kuhn.numInfosets; i++) s[(kuhn.slotStart[i] as number) + bet] = 1;
      return s;
    };
    const betA = always(1);
    const passB = always(0);
    for (const c of ['0', '1', '2']) {
      const i = kuhn.infosetIndex.get(`${c}pb`) as number;
      passB[kuhn.slotStart[i] as number] = 0;
      passB[(kuhn.slotStart[i] as number) + 1] = 1;
    }
    const mixed = mixPolicies(kuhn, [betA, passB], [0.25, 0.75], 0);
    const pBet = (key: string): number => mixed[(kuhn.slotStart[kuhn.infosetIndex.get(key) as number] as number) + 1] as number;
    expect(pBet('1')).toBeCloseTo(0.25, 15);
    expect(pBet('1pb')).toBe(1);
    // B always checks and folds at "cpb", A (which never reaches "cpb") would call there: the mixture follows B
    // alone (P(call) 0), where the plain weighted average would say 0.9.
    const foldB = always(0);
    const mixed2 = mixPolicies(kuhn, [betA, foldB], [0.9, 0.1], 0);
    expect(mixed2[(kuhn.slotStart[kuhn.infosetIndex.get('2pb') as number] as number) + 1]).toBe(0);
    // Neither member reaches "cpb" when both always bet: the plain weighted average of their (arbitrary) rows.
    const betFold = always(1);
    for (const c of ['0', '1', '2']) {
      const i = kuhn.infosetIndex.get(`${c}pb`) as number;
      betFold[kuhn.slotStart[i] as number] = 1;
      betFold[(kuhn.slotStart[i] as number) + 1] = 0;
    }
    const mixed3 = mixPolicies(kuhn, [betA, betFold], [1, 3], 0);
    expect(mixed3[(kuhn.slotStart[kuhn.infosetIndex.get('0pb') as number] as number) + 1]).toBeCloseTo(0.25, 15);
    expect(() => mixPolicies(kuhn, [betA], [0], 0)).toThrow(/sum to 0/);
    expect(() => mixPolicies(kuhn, [betA], [1, 2], 0)).toThrow(/weights/);
    expect(() => mixPolicies(kuhn, [betA], [-1], 0)).toThrow(/>= 0/);
  });
});

describe('runPsro on Kuhn poker', () => {
  test('nash meta-solver: NashConv 11/12 at the start, below 0.05 at iteration 6 (an exact equilibrium)', () => {
    const t0 = performance.now();
    const seen: number[] = [];
    const r = runPsro(kuhnPoker.create(kuhnPoker.spec.params.parse({})) as Game<unknown, Action>, {
      iterations: 20,
      metaSolver: 'nash',
      onIteration: (i, nc) => seen.push(i, nc),
    });
    const ms = performance.now() - t0;
    // Curve (NashConv of the meta-mixture after k best-response rounds), about 20 ms including building the tree:
    //   k: 0        1        2        3        4        5        6 .. 20
    //      11/12    5/6      1/3      11/60    2/9      13/96    0 (< 4e-16)
    // The meta-game value (player 0) goes 0.125, -1/6, 0, 0.0333, 0.0139, -0.0521, then -1/18 from k = 6.
    const expected = [11 / 12, 5 / 6, 1 / 3, 11 / 60, 2 / 9, 13 / 96];
    expected.forEach((x, k) => expect(r.nashConvCurve[k]).toBeCloseTo(x, 6));
    expect(r.nashConvCurve).toHaveLength(21);
    expect(r.nashConvCurve.findIndex((x) => x < 0.05)).toBe(6);
    for (const x of r.nashConvCurve.slice(6)) expect(Math.abs(x)).toBeLessThan(1e-12);
    expect(r.reports[20]?.metaValue).toBeCloseTo(-1 / 18, 12);
    expect(seen.slice(0, 4)).toEqual([0, r.nashConvCurve[0], 1, r.nashConvCurve[1]]);
    expect(r.populations[0]).toHaveLength(21);
    expect(r.metaWeights[0]).toHaveLength(21);
    // The returned table is the same profile: an equilibrium of the REFERENCES family (P(bet "2") = 3 P(bet "0")).
    expect(nashConv(r.tree, r.policy).nashConv).toBeLessThan(1e-12);
    const bet = (key: string): number => (r.policy.get(key) as readonly number[])[1] as number;
    expect(bet('2')).toBeCloseTo(3 * bet('0'), 9);
    expect(bet('1pb')).toBeCloseTo(1 / 3 + bet('0'), 9);
    expect(bet('1b')).toBeCloseTo(1 / 3, 9);
    expect(bet('0p')).toBeCloseTo(1 / 3, 9);
    expect(ms).toBeLessThan(5000);
  });

  test('uniform meta-solver (fictitious play over the populations): slower, but the NashConv falls', () => {
    const r = runPsro(kuhn, { iterations: 50, metaSolver: 'uniform' });
    // 0.916667 0.625 0.416667 0.354167 0.283333 0.263889 0.22619 0.197917 0.185185 0.166667 (k = 0..9),
    // 0.107143 at k = 20, 0.104839 at 30, 0.083333 at 40, 0.071895 at 50 (not monotone: 0.116667 at 24).
    expect(r.nashConvCurve[1]).toBeCloseTo(0.625, 9);
    expect(r.nashConvCurve[9]).toBeCloseTo(1 / 6, 6);
    expect(r.nashConvCurve[20]).toBeCloseTo(0.107143, 6);
    expect(r.nashConvCurve[50]).toBeCloseTo(0.071895, 6);
    expect(r.metaWeights[0]).toEqual(new Array<number>(51).fill(1 / 51));
  });

  test('payoffs are the exact meta-game; the mixed profile realises the meta-strategies\' value', () => {
    const r = runPsro(kuhn, { iterations: 8, metaSolver: 'nash' });
    const fresh = payoffMatrix(kuhn, r.populations[0], r.populations[1]);
    fresh.forEach((row, i) => row.forEach((x, j) => expect(r.payoffs[i]?.[j]).toBeCloseTo(x, 14)));
    expect(policyValues(kuhn, r.slots)[0]).toBeCloseTo(r.reports[8]?.metaValue as number, 12);
  });
});

describe('runPsro on Leduc poker', () => {
  test('NashConv falls from 4.747222 (30 iterations of each meta-solver)', () => {
    const t0 = performance.now();
    const nash = runPsro(leduc, { iterations: 30, metaSolver: 'nash' });
    const uniform = runPsro(leduc, { iterations: 30, metaSolver: 'uniform' });
    const ms = performance.now() - t0;
    // nash, k = 0..30 (about 0.4 s):
    //   4.7472 6.8333 5.0821 4.9577 3.3000 3.7600 3.3169 3.4648 3.7206 4.0828 4.0251 2.9605 2.5193 3.0638 2.8427
    //   3.3499 2.3464 2.4265 2.3387 2.2504 2.3170 1.9124 2.2129 1.5759 1.6578 1.4325 1.5121 1.5652 1.7430 1.2139
    //   1.5616
    //   (then 0.9250 at 35, 0.5859 at 50, 0.4194 at 65, 0.2350 at 99, 0.3067 at 100: 3.8 s for 100)
    // uniform, k = 0..30 (about 0.2 s):
    //   4.7472 5.2062 5.2613 4.7373 3.9701 3.3941 3.0891 2.9637 2.7855 2.5472 2.3475 2.2122 2.0636 2.0024 1.9133
    //   1.8529 1.7530 1.6980 1.6693 1.6008 1.5545 1.4912 1.4264 1.3669 1.3123 1.2654 1.2186 1.1784 1.1402 1.1134
    //   1.0878   (then 0.7963 at 50, 0.5002 at 100: 2.4 s for 100)
    for (const r of [nash, uniform]) expect(r.nashConvCurve[0]).toBeCloseTo(4.747222222222222, 9);
    expect(nash.nashConvCurve[1]).toBeCloseTo(6.833333, 5); // best responses to uniform are very exploitable
    expect(uniform.nashConvCurve[1]).toBeCloseTo(5.20625, 5);
    expect(nash.nashConvCurve[30]).toBeCloseTo(1.5616, 3);
    expect(Math.min(...nash.nashConvCurve)).toBeCloseTo(1.2139, 3);
    expect(uniform.nashConvCurve[30]).toBeCloseTo(1.0878, 3);
    for (const r of [nash, uniform]) {
      expect(Math.max(...r.nashConvCurve.slice(25))).toBeLessThan(1.8);
      expect(nashConv(leduc, r.policy).nashConv).toBeCloseTo(r.nashConvCurve[30] as number, 12);
      expect(policyValues(leduc, r.slots)[0]).toBeCloseTo(r.reports[30]?.metaValue as number, 12);
    }
    expect(ms).toBeLessThan(15000);
  });
});
