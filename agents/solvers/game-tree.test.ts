import { ArenaError } from '../../environments/core/errors';
import type { Action, Game } from '../../environments/core/game';
import { kuhnPoker } from '../../environments/zero-sum/kuhn-poker';
import { leducPoker } from '../../environments/zero-sum/leduc-poker';
import { connectFour } from '../../environments/zero-sum/connect-four';
import { ticTacToe } from '../../environments/zero-sum/tic-tac-toe';
import { CHANCE_NODE, DECISION, TERMINAL, buildGameTree, estimateTreeSize, infosetActions, type GameTree } from './game-tree';
import { miniKuhn, unevenGame } from './test-games';

const kuhn = kuhnPoker.create(kuhnPoker.spec.params.parse({})) as Game<unknown, Action>;
const leduc = leducPoker.create(leducPoker.spec.params.parse({})) as Game<unknown, Action>;
const KUHN_KEYS = ['0', '1', '2', '0p', '1p', '2p', '0b', '1b', '2b', '0pb', '1pb', '2pb'];

/** Structural invariants every tree must satisfy; returns the violations found. */
function violations(tree: GameTree): string[] {
  const bad: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok && bad.length < 10) bad.push(what);
  };
  let decision = 0;
  for (let n = 0; n < tree.numNodes; n++) {
    const first = tree.firstChild[n] as number;
    const count = tree.numChildren[n] as number;
    if (tree.kind[n] === TERMINAL) {
      check(count === 0, `terminal ${n} has children`);
      continue;
    }
    check(first > n, `children of ${n} precede it`);
    for (let c = first; c < first + count; c++) check(tree.parent[c] === n, `parent of ${c}`);
    if (tree.kind[n] === CHANCE_NODE) {
      let sum = 0;
      for (let c = first; c < first + count; c++) sum += tree.chanceProb[c] as number;
      check(Math.abs(sum - 1) < 1e-12, `chance probabilities at ${n} sum to ${sum}`);
    } else {
      decision++;
      const i = tree.infoset[n] as number;
      check(tree.infosetPlayer[i] === tree.player[n], `player of infoset ${i}`);
      const legal = infosetActions(tree, i).join(',');
      check(Array.from(tree.action.subarray(first, first + count)).join(',') === legal, `child actions of ${n}`);
    }
  }
  check(decision === tree.numDecisionNodes, 'decision count');
  check(tree.numTerminals + tree.numChanceNodes + tree.numDecisionNodes === tree.numNodes, 'node counts');
  for (let i = 0; i < tree.numInfosets; i++) {
    check(tree.infosetIndex.get(tree.infosetKeys[i] as string) === i, `key of ${i}`);
    for (let j = tree.infosetNodeStart[i] as number; j < (tree.infosetNodeStart[i + 1] as number); j++) {
      const n = tree.infosetNodes[j] as number;
      check(tree.kind[n] === DECISION && tree.infoset[n] === i, `node ${n} listed in infoset ${i}`);
    }
  }
  return bad;
}

describe('buildGameTree', () => {
  test.each([
    ['mini-kuhn', miniKuhn as Game<unknown, Action>],
    ['kuhn-poker', kuhn],
  ])('%s: 58 nodes, 30 terminals, 24 decision nodes, the 12 OpenSpiel information sets', (_id, game) => {
    const tree = buildGameTree(game);
    expect([tree.numNodes, tree.numTerminals, tree.numDecisionNodes, tree.numChanceNodes]).toEqual([58, 30, 24, 4]);
    expect([...tree.infosetKeys].sort()).toEqual([...KUHN_KEYS].sort());
    expect(tree.numSlots).toBe(24);
    expect(tree.numActions).toBe(2);
    expect(tree.infosetPlayer[tree.infosetIndex.get('1pb') as number]).toBe(0);
    expect(tree.infosetPlayer[tree.infosetIndex.get('2b') as number]).toBe(1);
    expect(violations(tree)).toEqual([]);
  });

  test('kuhn-poker: terminal returns of the five betting lines', () => {
    const tree = buildGameTree(kuhn);
    const totals = new Map<string, number>();
    for (let n = 0; n < tree.numNodes; n++) {
      if (tree.kind[n] !== TERMINAL) continue;
      expect((tree.returns0[n] as number) + (tree.returns1[n] as number)).toBe(0);
      const path: number[] = [];
      for (let m = n; m > 0; m = tree.parent[m] as number) path.unshift(tree.action[m] as number);
      const key = path.slice(2).map((a) => (a === 1 ? 'b' : 'p')).join('');
      totals.set(key, (totals.get(key) ?? 0) + Math.abs(tree.returns0[n] as number));
    }
    expect(Object.fromEntries(totals)).toEqual({ pp: 6, pbp: 6, pbb: 12, bp: 6, bb: 12 });
  });

  test('information sets may hold histories of different lengths', () => {
    const tree = buildGameTree(unevenGame as Game<unknown, Action>);
    expect(violations(tree)).toEqual([]);
    const guess = tree.infosetIndex.get('?') as number;
    expect(tree.infosetPlayer[guess]).toBe(1);
    expect((tree.infosetNodeStart[guess + 1] as number) - (tree.infosetNodeStart[guess] as number)).toBe(4);
    expect(infosetActions(tree, tree.infosetIndex.get('coin0:') as number)).toEqual([0, 1, 2]);
  });

  test('leduc-poker: 9,457 nodes and 936 information sets (468 per player)', () => {
    const tree = buildGameTree(leduc);
    expect(tree.numNodes).toBe(9457);
    expect(tree.numInfosets).toBe(936);
    expect(tree.infosetPlayer.filter((p) => p === 0).length).toBe(468);
    expect(violations(tree)).toEqual([]);
  });

  test('tic-tac-toe: 549,946 nodes, 294,778 decision nodes, one information set each', () => {
    const game = ticTacToe.create(ticTacToe.spec.params.parse({})) as Game<unknown, Action>;
    const tree = buildGameTree(game);
    expect(tree.numNodes).toBe(549946);
    expect(tree.numDecisionNodes).toBe(294778);
    expect(tree.numInfosets).toBe(294778);
    expect(tree.numTerminals).toBe(255168);
    expect(tree.numChanceNodes).toBe(0);
  });

  test('refuses games it cannot enumerate', () => {
    const threePlayers = { ...miniKuhn, numPlayers: 3 } as Game<unknown, Action>;
    expect(() => buildGameTree(threePlayers)).toThrow(ArenaError);
    const simultaneous = { ...miniKuhn, spec: { ...miniKuhn.spec, dynamics: 'simultaneous' } } as Game<unknown, Action>;
    expect(() => buildGameTree(simultaneous)).toThrow(/sequential/);
    try {
      // 9,457 nodes: under 20x the limit, so the estimate lets it start and enumeration stops at the limit.
      buildGameTree(leduc, { maxNodes: 1000 });
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ArenaError);
      expect((e as ArenaError).code).toBe('agent/unsupported-game');
      expect((e as ArenaError).message).toMatch(/more than 1000 nodes/);
    }
  });
});

describe('estimateTreeSize', () => {
  it('is close to the true size of tic-tac-toe and refuses Connect Four at once', () => {
    const ttt = ticTacToe.create({});
    const est = estimateTreeSize(ttt, 2000);
    expect(est / 549_946).toBeGreaterThan(0.8);
    expect(est / 549_946).toBeLessThan(1.25);
    // Refused by the estimate (the message says so), not after enumerating millions of nodes.
    expect(() => buildGameTree(connectFour.create({}))).toThrow(/random-probe estimate/);
  });
});
