import { ArenaError } from '../core/errors';
import { CHANCE, type Game } from '../core/game';
import { applyOrThrow } from '../core/helpers';
import { kuhnPoker, type KuhnState } from './kuhn-poker';
import { checkRandomPlaythroughs, deepFreeze, frozenStateAfter } from '../../tests/helpers/play';
import { referenceExpectedReturns, referenceNashConv } from '../../tests/helpers/reference-nashconv';

const game = kuhnPoker.create(kuhnPoker.spec.params.parse({}));

const play = (actions: readonly number[], seed = 1): KuhnState => frozenStateAfter(game, actions, game.init(seed));

interface Node {
  state: KuhnState;
  /** Probability of reaching it through chance alone. */
  chance: number;
}

function allNodes(g: Game<KuhnState, number>): Node[] {
  const out: Node[] = [];
  const visit = (state: KuhnState, chance: number): void => {
    out.push({ state, chance });
    if (g.isTerminal(state)) return;
    const [p] = g.currentPlayers(state);
    if (p === CHANCE) {
      for (const o of g.chanceOutcomes(state)) visit(applyOrThrow(g, state, [o.action]), chance * o.probability);
    } else {
      for (const a of g.legalActions(state, p as number)) visit(applyOrThrow(g, state, [a]), chance);
    }
  };
  visit(g.init(0), 1);
  return out;
}

const uniform = (_info: string, legal: readonly number[]): number[] => legal.map(() => 1 / legal.length);

describe('kuhn-poker', () => {
  it('declares OpenSpiel facts', () => {
    expect(kuhnPoker.spec.id).toBe('kuhn-poker');
    expect(kuhnPoker.spec.players).toEqual({ min: 2, max: 2 });
    expect(kuhnPoker.spec.params.parse({})).toEqual({ players: 2 });
    expect(kuhnPoker.spec.params.safeParse({ players: 3 }).success).toBe(false);
    expect(kuhnPoker.spec.params.safeParse({ foo: 1 }).success).toBe(false);
    expect(game.numPlayers).toBe(2);
    expect(game.actionSpace).toEqual({ kind: 'discrete', n: 2 });
    expect(game.observationShape).toEqual([7]);
    expect(game.maxLength).toBe(5);
    expect([game.minUtility, game.maxUtility]).toEqual([-2, 2]);
  });

  it('deals by chance, seat 0 then seat 1, uniformly over the cards left', () => {
    const s0 = game.init(7);
    expect(game.currentPlayers(s0)).toEqual([CHANCE]);
    expect(game.chanceOutcomes(s0)).toEqual([0, 1, 2].map((action) => ({ action, probability: 1 / 3 })));
    expect(game.legalActions(s0, CHANCE)).toEqual([0, 1, 2]);
    expect(game.legalActions(s0, 0)).toEqual([]);
    const s1 = play([1]);
    expect(game.chanceOutcomes(s1)).toEqual([
      { action: 0, probability: 0.5 },
      { action: 2, probability: 0.5 },
    ]);
    expect(game.apply(s1, [1])).toBeInstanceOf(ArenaError);
    const s2 = play([1, 2]);
    expect(game.currentPlayers(s2)).toEqual([0]);
    expect(game.legalActions(s2, 0)).toEqual([0, 1]);
    expect(game.legalActions(s2, 1)).toEqual([]);
    expect(game.chanceOutcomes(s2)).toEqual([]);
  });

  it('pays the OpenSpiel returns for every deal and terminal betting sequence', () => {
    const sequences: [string, number[]][] = [
      ['pp', [0, 0]],
      ['bp', [1, 0]],
      ['pbp', [0, 1, 0]],
      ['bb', [1, 1]],
      ['pbb', [0, 1, 1]],
    ];
    for (const c0 of [0, 1, 2]) {
      for (const c1 of [0, 1, 2]) {
        if (c0 === c1) continue;
        const hi = c0 > c1 ? 1 : -1; // +1 when seat 0 holds the higher card
        const expected: Record<string, number[]> = {
          pp: [hi, -hi],
          bp: [1, -1],
          pbp: [-1, 1],
          bb: [2 * hi, -2 * hi],
          pbb: [2 * hi, -2 * hi],
        };
        for (const [name, bets] of sequences) {
          const s = play([c0, c1, ...bets]);
          expect(game.isTerminal(s)).toBe(true);
          expect(game.currentPlayers(s)).toEqual([]);
          expect(game.returns(s)).toEqual(expected[name]);
          expect(game.rewards(s)).toEqual(expected[name]);
          expect(game.apply(s, [0])).toMatchObject({ code: 'match/over' });
        }
      }
    }
    expect(game.returns(play([2, 0, 1, 1]))).toEqual([2, -2]);
  });

  it('has OpenSpiel information-state and observation strings', () => {
    expect(game.informationState(play([]), 0)).toBe('');
    expect(game.informationState(play([2]), 0)).toBe('2');
    expect(game.informationState(play([2]), 1)).toBe('');
    expect(game.informationState(play([2, 0]), 1)).toBe('0');
    expect(game.informationState(play([1, 0, 0, 1]), 0)).toBe('1pb');
    expect(game.informationState(play([0, 2, 1]), 1)).toBe('2b');
    expect(game.observationText(play([1, 0, 0, 1]), 0)).toBe('112');
    expect(game.observationText(play([1, 0]), 1)).toBe('011');
    expect(Array.from(game.observationTensor(play([1, 0, 0, 1]), 0))).toEqual([1, 0, 0, 1, 0, 1, 2]);
    expect(Array.from(game.observationTensor(play([1, 0, 0, 1]), 1))).toEqual([0, 1, 1, 0, 0, 1, 2]);
    expect(Array.from(game.observationTensor(play([1]), 1))).toEqual([0, 1, 0, 0, 0, 1, 1]);
  });

  it('has 12 information sets and 58 nodes (1 + 3 chance, 24 decision, 30 terminal)', () => {
    const nodes = allNodes(game);
    const infoSets = new Set<string>();
    let chance = 0;
    let decision = 0;
    let terminal = 0;
    for (const { state } of nodes) {
      if (game.isTerminal(state)) terminal++;
      else {
        const [p] = game.currentPlayers(state) as [number];
        if (p === CHANCE) chance++;
        else {
          decision++;
          infoSets.add(game.informationState(state, p));
        }
      }
    }
    // Root chance node (deal seat 0) + 3 chance nodes (deal seat 1) = 4; each of the 6 deals has decision
    // nodes "", "p", "b", "pb" (4) and terminals pp, bp, bb, pbp, pbb (5): 6 * 9 = 54 non-chance states
    // (OpenSpiel's "Kuhn has 54 states": terminals included, chance nodes excluded), 58 nodes in all.
    expect([...infoSets].sort()).toEqual(['0', '0b', '0p', '0pb', '1', '1b', '1p', '1pb', '2', '2b', '2p', '2pb']);
    expect({ chance, decision, terminal, total: nodes.length }).toEqual({
      chance: 4,
      decision: 24,
      terminal: 30,
      total: 58,
    });
  });

  it('matches the published game value and NashConv numbers', () => {
    // Equilibrium family, alpha = 1/4 (REFERENCES.md): game value -1/18 for seat 0.
    const alpha = 0.25;
    const bet: Record<string, number> = {
      '0': alpha, '1': 0, '2': 3 * alpha, '0pb': 0, '1pb': 1 / 3 + alpha, '2pb': 1,
      '0p': 1 / 3, '1p': 0, '2p': 1, '0b': 0, '1b': 1 / 3, '2b': 1,
    };
    const eq = (info: string): number[] => [1 - (bet[info] as number), bet[info] as number];
    const v = referenceExpectedReturns(game, eq);
    expect(v[0]).toBeCloseTo(-1 / 18, 12);
    expect(v[1]).toBeCloseTo(1 / 18, 12);
    expect(referenceNashConv(game, eq)).toBeCloseTo(0, 12);
    expect(referenceNashConv(game, uniform)).toBeCloseTo(11 / 12, 12);
    expect(referenceNashConv(game, () => [1, 0])).toBeCloseTo(2, 12);
  });

  it('validates actions and never mutates its input', () => {
    const s = deepFreeze(play([0, 1]));
    expect(game.apply(s, [2])).toMatchObject({ code: 'action/illegal' });
    expect(game.apply(s, [])).toMatchObject({ code: 'action/malformed' });
    expect(game.apply(s, [0, 1])).toMatchObject({ code: 'action/malformed' });
    expect(game.apply(s, [0.5])).toMatchObject({ code: 'action/malformed' });
    expect(game.serialize(s)).toBe(game.serialize(play([0, 1])));
    expect(game.parseAction(s, 0, 'bet')).toBe(1);
    expect(game.parseAction(s, 0, ' Pass ')).toBe(0);
    expect(game.parseAction(s, 0, '1')).toBe(1);
    expect(game.parseAction(s, 0, '2')).toMatchObject({ code: 'action/illegal' });
    expect(game.parseAction(s, 0, 'raise')).toMatchObject({ code: 'action/malformed' });
    expect(game.parseAction(play([]), CHANCE, 'Deal:2')).toBe(2);
    expect(game.actionToString(CHANCE, 2)).toBe('Deal:2');
    expect(game.actionToString(0, 0)).toBe('Pass');
    expect(game.actionToString(1, 1)).toBe('Bet');
  });

  it('rejects bad serializations', () => {
    const good = JSON.parse(game.serialize(play([0, 1, 0]))) as Record<string, unknown>;
    const bad = [
      'not json',
      '{}',
      JSON.stringify({ ...good, cards: [0, 0] }),
      JSON.stringify({ ...good, cards: [0, 3] }),
      JSON.stringify({ ...good, cards: [0], bets: [0] }),
      JSON.stringify({ ...good, bets: [0, 0, 1] }),
      JSON.stringify({ ...good, bets: [2] }),
      JSON.stringify({ ...good, extra: 1 }),
      JSON.stringify({ ...good, rng: [1, 2] }),
    ];
    for (const text of bad) {
      expect(() => game.deserialize(text)).toThrow(expect.objectContaining({ code: 'env/bad-serialization' }));
    }
  });

  it('reveals cards only to their owner until a showdown', () => {
    const mid = play([2, 0, 1]);
    expect(game.render(mid, 0)).toMatchObject({ cards: [2, null], pot: 3, history: 'b', toAct: 1 });
    expect(game.render(mid, 1)).toMatchObject({ cards: [null, 0] });
    expect(game.render(mid, null)).toMatchObject({ cards: [null, null] });
    const folded = play([2, 0, 1, 0]);
    expect(game.render(folded, null)).toMatchObject({ cards: [null, null], terminal: true, showdown: false });
    expect(game.render(folded, 1)).toMatchObject({ cards: [null, 0] });
    const showdown = play([2, 0, 1, 1]);
    expect(game.render(showdown, null)).toMatchObject({ cards: [2, 0], showdown: true, returns: [2, -2] });
    expect(game.renderText(mid, 0)).toContain('Seat 0: K');
    expect(game.renderText(mid, 0)).toContain('Seat 1: ?');
    expect(game.renderText(showdown, null)).toContain('Over: returns 2 -2');
    // Information strings never name the opponent's card, even at the end.
    for (const seat of [0, 1]) {
      const other = showdown.cards[1 - seat] as number;
      expect(game.informationState(showdown, seat)).not.toContain(String(other));
    }
  });

  it('passes random-simulation checks (clone, serialization, rewards, bounds, determinism)', () => {
    checkRandomPlaythroughs(game, {
      games: 200,
      tensorLength: 7,
      pick: (seed, steps, legal) => legal[(seed * 7 + steps) % legal.length] as number,
    });
  });
});
