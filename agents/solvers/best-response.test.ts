import type { Action, Game } from '../../environments/core/game';
import { Rng } from '../../environments/core/rng';
import { kuhnPoker } from '../../environments/zero-sum/kuhn-poker';
import { leducPoker } from '../../environments/zero-sum/leduc-poker';
import { ticTacToe } from '../../environments/zero-sum/tic-tac-toe';
import { PolicyTable, firstLegalPolicy, uniformPolicy } from '../tabular-policy';
import { bestResponse, bestResponseSlots, nashConv, policyValues } from './best-response';
import { buildGameTree, uniformSlots, type GameTree } from './game-tree';
import { miniKuhn, unevenGame } from './test-games';

const kuhnTree = buildGameTree(kuhnPoker.create(kuhnPoker.spec.params.parse({})) as Game<unknown, Action>);
const miniTree = buildGameTree(miniKuhn as Game<unknown, Action>);
const unevenTree = buildGameTree(unevenGame as Game<unknown, Action>);

/** REFERENCES.md: the Kuhn equilibrium family, P(bet) per information set, alpha in [0, 1/3]. */
function kuhnEquilibrium(alpha: number): PolicyTable {
  const bet: Record<string, number> = {
    '0': alpha, '1': 0, '2': 3 * alpha, '0pb': 0, '1pb': 1 / 3 + alpha, '2pb': 1,
    '0p': 1 / 3, '1p': 0, '2p': 1, '0b': 0, '1b': 1 / 3, '2b': 1,
  }; // prettier-ignore
  return new PolicyTable(2, Object.entries(bet).map(([k, p]) => [k, [1 - p, p]] as const));
}

/** A random behaviour policy (some actions at probability 0), per slot. */
function randomSlots(tree: GameTree, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const slots = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const lo = tree.slotStart[i] as number;
    const hi = tree.slotStart[i + 1] as number;
    let sum = 0;
    for (let s = lo; s < hi; s++) {
      slots[s] = rng.float() < 0.2 ? 0 : rng.float();
      sum += slots[s] as number;
    }
    for (let s = lo; s < hi; s++) slots[s] = sum > 0 ? (slots[s] as number) / sum : 1 / (hi - lo);
  }
  return slots;
}

/** Best-response value by brute force: the best of all pure strategies of `player` (small trees only). */
function bruteForceBestValue(tree: GameTree, slots: Float64Array, player: number): number {
  const mine = [...Array(tree.numInfosets).keys()].filter((i) => tree.infosetPlayer[i] === player);
  const widths = mine.map((i) => (tree.slotStart[i + 1] as number) - (tree.slotStart[i] as number));
  const choice = widths.map(() => 0);
  let best = -Infinity;
  for (;;) {
    const joint = Float64Array.from(slots);
    mine.forEach((i, j) => {
      const lo = tree.slotStart[i] as number;
      for (let k = 0; k < (widths[j] as number); k++) joint[lo + k] = k === choice[j] ? 1 : 0;
    });
    best = Math.max(best, policyValues(tree, joint)[player] as number);
    let j = 0;
    while (j < choice.length && (choice[j] = ((choice[j] as number) + 1) % (widths[j] as number)) === 0) j++;
    if (j === choice.length) return best;
  }
}

describe('nashConv on Kuhn poker (REFERENCES.md)', () => {
  test.each([
    ['kuhn-poker', kuhnTree],
    ['mini-kuhn', miniTree],
  ])('%s: uniform 11/12, always action 0 = 2, the equilibrium family 0 with value -1/18', (_id, tree) => {
    expect(nashConv(tree, uniformPolicy(tree)).nashConv).toBeCloseTo(11 / 12, 12);
    expect(nashConv(tree, firstLegalPolicy(tree)).nashConv).toBeCloseTo(2, 12);
    for (const alpha of [0, 1 / 6, 1 / 3]) {
      const r = nashConv(tree, kuhnEquilibrium(alpha));
      expect(Math.abs(r.nashConv)).toBeLessThan(1e-12);
      expect(r.exploitability).toBeCloseTo(r.nashConv / 2, 15);
      expect(r.onPolicyValues[0]).toBeCloseTo(-1 / 18, 12);
      expect(r.onPolicyValues[1]).toBeCloseTo(1 / 18, 12);
      expect(r.brValues[0]).toBeCloseTo(-1 / 18, 12);
    }
  });

  test('the best response to the equilibrium never gains; to uniform it is a pure policy with the BR value', () => {
    const eq = kuhnEquilibrium(1 / 6);
    for (const p of [0, 1]) {
      const br = bestResponseSlots(kuhnTree, uniformSlots(kuhnTree), p);
      expect(policyValues(kuhnTree, br)[p]).toBeCloseTo(bestResponse(kuhnTree, uniformSlots(kuhnTree), p).value, 12);
      expect(bestResponse(kuhnTree, eq, p).value).toBeCloseTo(p === 0 ? -1 / 18 : 1 / 18, 12);
    }
    // Against uniform, player 1 holding the king always calls a bet.
    const { actions } = bestResponse(kuhnTree, uniformPolicy(kuhnTree), 1);
    expect(actions[kuhnTree.infosetIndex.get('2b') as number]).toBe(1);
    expect(actions[kuhnTree.infosetIndex.get('0') as number]).toBe(-1);
  });
});

describe('bestResponse agrees with brute force over pure strategies', () => {
  test.each([
    ['kuhn-poker', kuhnTree],
    ['uneven (infosets with histories of different lengths)', unevenTree],
  ])('%s: random opponent policies', (_id, tree) => {
    for (let seed = 1; seed <= 6; seed++) {
      const slots = randomSlots(tree, seed);
      for (const p of [0, 1]) {
        expect(bestResponse(tree, slots, p).value).toBeCloseTo(bruteForceBestValue(tree, slots, p), 12);
      }
    }
  });
});

describe('nashConv on Leduc poker (REFERENCES.md)', () => {
  const tree = buildGameTree(leducPoker.create(leducPoker.spec.params.parse({})) as Game<unknown, Action>);

  test('uniform: NashConv 4.747222222222222, BR values 2.0875 / 2.6597222, on-policy -0.078125 / 0.078125', () => {
    const r = nashConv(tree, uniformPolicy(tree));
    expect(r.nashConv).toBeCloseTo(4.747222222222222, 9);
    expect(r.exploitability).toBeCloseTo(4.747222222222222 / 2, 9);
    expect(r.brValues[0]).toBeCloseTo(2.0875, 9);
    expect(r.brValues[1]).toBeCloseTo(2.659722222222222, 9);
    expect(r.onPolicyValues[0]).toBeCloseTo(-0.078125, 9);
    expect(r.onPolicyValues[1]).toBeCloseTo(0.078125, 9);
  });

  test('always fold (the first legal action): NashConv 2', () => {
    expect(nashConv(tree, firstLegalPolicy(tree)).nashConv).toBeCloseTo(2, 9);
  });
});

describe('nashConv on tic-tac-toe', () => {
  test('uniform random: finite, each best response at least its on-policy value', () => {
    const game = ticTacToe.create(ticTacToe.spec.params.parse({})) as Game<unknown, Action>;
    const tree = buildGameTree(game);
    const r = nashConv(tree, uniformSlots(tree));
    expect(Number.isFinite(r.nashConv)).toBe(true);
    expect(r.nashConv).toBeGreaterThanOrEqual(0);
    for (const p of [0, 1]) expect(r.brValues[p]).toBeGreaterThanOrEqual(r.onPolicyValues[p] as number);
    // Uniform play: X wins 58.5%, O 28.8% of games (value 0.296 for X); a best response never loses to it.
    expect(r.onPolicyValues[0] + r.onPolicyValues[1]).toBeCloseTo(0, 12);
    expect(r.brValues[0]).toBeLessThanOrEqual(1);
    expect(r.brValues[1]).toBeGreaterThan(0);
    // Independent check of the on-policy value: expectation under uniform play straight through the game API.
    const expected = (s: unknown): number => {
      if (game.isTerminal(s)) return game.returns(s)[0] as number;
      const seat = game.currentPlayers(s)[0] as number;
      const legal = game.legalActions(s, seat);
      let v = 0;
      for (const a of legal) v += expected(game.apply(s, [a])) / legal.length;
      return v;
    };
    expect(r.onPolicyValues[0]).toBeCloseTo(expected(game.init(0)), 12);
    // Regression value (no published oracle; our own exact computation, cross-checked above and by brute force
    // on the small games): a change here means best response or the tree changed.
    expect(r.nashConv).toBeCloseTo(1.9196593915343914, 10);
  });
});
