import { ArenaError } from '../core/errors';
import { CHANCE } from '../core/game';
import { applyOrThrow } from '../core/helpers';
import { leducPoker, type LeducState } from './leduc-poker';
import { checkRandomPlaythroughs, deepFreeze, frozenStateAfter } from '../../tests/helpers/play';
import {
  referenceBestResponseValue,
  referenceExpectedReturns,
  referenceNashConv,
  type ReferencePolicy,
} from '../../tests/helpers/reference-nashconv';

const game = leducPoker.create(leducPoker.spec.params.parse({}));
const [FOLD, CALL, RAISE] = [0, 1, 2];

const play = (actions: readonly number[], seed = 1): LeducState => frozenStateAfter(game, actions, game.init(seed));

const uniform: ReferencePolicy = (_info, legal) => legal.map(() => 1 / legal.length);

describe('leduc-poker', () => {
  it('declares OpenSpiel facts', () => {
    expect(leducPoker.spec.id).toBe('leduc-poker');
    expect(leducPoker.spec.players).toEqual({ min: 2, max: 2 });
    expect(leducPoker.spec.params.parse({})).toEqual({ players: 2 });
    expect(leducPoker.spec.params.safeParse({ players: 3 }).success).toBe(false);
    expect(leducPoker.spec.params.safeParse({ foo: 1 }).success).toBe(false);
    expect(game.numPlayers).toBe(2);
    expect(game.actionSpace).toEqual({ kind: 'discrete', n: 3 });
    expect(game.observationShape).toEqual([16]);
    expect(game.maxLength).toBe(11);
    expect([game.minUtility, game.maxUtility]).toEqual([-13, 13]);
  });

  it('deals by chance uniformly over the cards left, then seat 0 acts', () => {
    const s0 = game.init(3);
    expect(game.currentPlayers(s0)).toEqual([CHANCE]);
    expect(game.chanceOutcomes(s0)).toEqual([0, 1, 2, 3, 4, 5].map((action) => ({ action, probability: 1 / 6 })));
    const s1 = play([4]);
    expect(game.legalActions(s1, CHANCE)).toEqual([0, 1, 2, 3, 5]);
    expect(game.apply(s1, [4])).toMatchObject({ code: 'action/illegal' });
    const s2 = play([4, 1]);
    expect(game.currentPlayers(s2)).toEqual([0]);
    expect(game.legalActions(s2, 0)).toEqual([CALL, RAISE]); // nothing to call: no fold
    expect(game.legalActions(s2, 1)).toEqual([]);
    expect(game.legalActions(s2, CHANCE)).toEqual([]);
    const afterRaise = play([4, 1, RAISE]);
    expect(game.legalActions(afterRaise, 1)).toEqual([FOLD, CALL, RAISE]);
    expect(game.legalActions(play([4, 1, RAISE, RAISE]), 0)).toEqual([FOLD, CALL]); // two raises: cap
    const r2 = play([4, 1, CALL, CALL]);
    expect(game.currentPlayers(r2)).toEqual([CHANCE]);
    expect(game.chanceOutcomes(r2)).toEqual([0, 2, 3, 5].map((action) => ({ action, probability: 1 / 4 })));
    expect(game.currentPlayers(play([4, 1, CALL, CALL, 0]))).toEqual([0]);
    expect(game.currentPlayers(play([4, 1, CALL, RAISE, CALL, 0, CALL]))).toEqual([1]);
  });

  it('has the OpenSpiel information-state strings', () => {
    // Seat 0 holds card 1; round 1: seat 0 checks, seat 1 raises.
    const a = play([1, 4, CALL, RAISE]);
    expect(game.informationState(a, 0)).toBe(
      '[Observer: 0][Private: 1][Round 1][Player: 0][Pot: 4][Money: 99 97][Round1: 1 2][Round2: ]',
    );
    expect(game.informationState(a, 1)).toBe(
      '[Observer: 1][Private: 4][Round 1][Player: 0][Pot: 4][Money: 99 97][Round1: 1 2][Round2: ]',
    );
    expect(game.observationText(a, 0)).toBe('[Observer: 0][Private: 1][Round 1][Player: 0][Pot: 4][Money: 99 97][Ante: 1 3]');
    // Seat 1 holds card 0; check, raise, call; public card 3; seat 0 checks.
    const b = play([5, 0, CALL, RAISE, CALL, 3, CALL]);
    expect(game.informationState(b, 1)).toBe(
      '[Observer: 1][Private: 0][Round 2][Player: 1][Pot: 6][Money: 97 97][Public: 3][Round1: 1 2 1][Round2: 1]',
    );
    expect(game.observationText(b, 1)).toBe(
      '[Observer: 1][Private: 0][Round 2][Player: 1][Pot: 6][Money: 97 97][Public: 3][Ante: 3 3]',
    );
    // Before the deal: OpenSpiel prints kInvalidCard and the chance player.
    expect(game.informationState(play([]), 0)).toBe(
      '[Observer: 0][Private: -10000][Round 1][Player: -1][Pot: 2][Money: 99 99][Round1: ][Round2: ]',
    );
    expect(game.informationState(play([2]), 1)).toContain('[Private: -10000]');
    // Between the rounds the chance player is to act.
    expect(game.informationState(play([5, 0, CALL, CALL]), 0)).toBe(
      '[Observer: 0][Private: 5][Round 2][Player: -1][Pot: 2][Money: 99 99][Round1: 1 1][Round2: ]',
    );
    // At a terminal the pot has been paid out; Player stays the seat that acted last (as in OpenSpiel).
    expect(game.informationState(play([5, 0, RAISE, FOLD]), 0)).toBe(
      '[Observer: 0][Private: 5][Round 1][Player: 1][Pot: 0][Money: 101 99][Round1: 2 0][Round2: ]',
    );
  });

  it('has the OpenSpiel observation tensor', () => {
    const b = play([5, 0, CALL, RAISE, CALL, 3, CALL, RAISE]);
    expect(Array.from(game.observationTensor(b, 1))).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 3, 7]);
    expect(Array.from(game.observationTensor(b, 0))).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 3, 7]);
    expect(Array.from(game.observationTensor(play([5]), 1))).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('pays folds, showdowns, splits and the maximum pot', () => {
    const fold = play([5, 0, RAISE, FOLD]);
    expect(game.isTerminal(fold)).toBe(true);
    expect(game.returns(fold)).toEqual([1, -1]);
    expect(game.returns(play([0, 5, CALL, RAISE, FOLD]))).toEqual([-1, 1]);
    expect(game.returns(play([0, 5, CALL, CALL, 2, RAISE, FOLD]))).toEqual([1, -1]);
    // Showdown, checked down: higher private card wins 1.
    expect(game.returns(play([4, 2, CALL, CALL, 0, CALL, CALL]))).toEqual([1, -1]);
    // A pair with the public card beats a higher card.
    expect(game.returns(play([4, 1, CALL, CALL, 0, CALL, CALL]))).toEqual([-1, 1]);
    expect(game.returns(play([2, 4, RAISE, CALL, 3, RAISE, CALL]))).toEqual([7, -7]);
    // Equal ranks split the pot.
    const split = play([4, 5, RAISE, CALL, 0, CALL, CALL]);
    expect(game.returns(split)).toEqual([0, 0]);
    expect(game.informationState(split, 0)).toContain('[Pot: 0][Money: 100 100]');
    // Two raises and a call in both rounds: 1 + 2*2 + 2*4 = 13 each.
    const max = play([4, 0, RAISE, RAISE, CALL, 2, RAISE, RAISE, CALL]);
    expect(game.returns(max)).toEqual([13, -13]);
    expect(game.rewards(max)).toEqual([13, -13]);
    expect(game.apply(max, [CALL])).toMatchObject({ code: 'match/over' });
    // Longest game: 3 deals + check, raise, raise, call in both rounds = 11 steps.
    const longest = [4, 0, CALL, RAISE, RAISE, CALL, 2, CALL, RAISE, RAISE, CALL];
    expect(game.isTerminal(play(longest))).toBe(true);
    expect(longest).toHaveLength(game.maxLength);
    expect(game.rewards(play(longest.slice(0, -1)))).toEqual([0, 0]);
    expect(game.returns(play(longest.slice(0, -1)))).toEqual([0, 0]);
  });

  it('has 936 information sets (468 per seat) and 9,457 histories', () => {
    const counts = { chance: 0, decision: 0, terminal: 0 };
    const info = [new Set<string>(), new Set<string>()] as const;
    const visit = (s: LeducState): void => {
      if (game.isTerminal(s)) {
        counts.terminal++;
        return;
      }
      const [p] = game.currentPlayers(s) as [number];
      if (p === CHANCE) counts.chance++;
      else {
        counts.decision++;
        info[p as 0 | 1].add(game.informationState(s, p));
      }
      for (const a of game.legalActions(s, p)) visit(applyOrThrow(game, s, [a]));
    };
    visit(game.init(0));
    // 9,457 = every node of the tree: root included, chance, decision and terminal nodes alike.
    // Per round the betting tree has 6 decision nodes ("", c, r, cr, rr, crr), 5 round-ending calls
    // (cc, rc, crc, rrc, crrc) and 4 folds. Chance: 1 (root) + 6 (deal seat 1) + 30 deals * 5 * 1 = 157.
    // Decision: 30 * (6 + 5 * 4 public cards * 6) = 3,780. Terminal: 30 * (4 + 20 * 9) = 5,520.
    expect(counts).toEqual({ chance: 157, decision: 3780, terminal: 5520 });
    expect(counts.chance + counts.decision + counts.terminal).toBe(9457);
    expect([info[0].size, info[1].size]).toEqual([468, 468]);
  });

  it('matches the published uniform-policy values (NashConv 4.747222)', () => {
    const onPolicy = referenceExpectedReturns(game, uniform);
    expect(onPolicy[0]).toBeCloseTo(-0.078125, 9);
    expect(onPolicy[1]).toBeCloseTo(0.078125, 9);
    const br0 = referenceBestResponseValue(game, uniform, 0);
    const br1 = referenceBestResponseValue(game, uniform, 1);
    expect(br0).toBeCloseTo(2.0875, 6);
    expect(br1).toBeCloseTo(2.6597222, 6);
    expect(br0 - onPolicy[0] + br1 - onPolicy[1]).toBeCloseTo(4.747222222222222, 9);
    // Always the first legal action (fold when facing a bet, else check): NashConv 2.
    const first: ReferencePolicy = (_i, legal) => legal.map((_a, i) => (i === 0 ? 1 : 0));
    const conv = referenceNashConv(game, first);
    expect(conv).toBeCloseTo(2, 9);
  });

  it('validates actions and never mutates its input', () => {
    const s = deepFreeze(play([0, 1]));
    expect(game.apply(s, [FOLD])).toMatchObject({ code: 'action/illegal' });
    expect(game.apply(s, [3])).toMatchObject({ code: 'action/illegal' });
    expect(game.apply(s, [])).toMatchObject({ code: 'action/malformed' });
    expect(game.apply(s, [1, 1])).toMatchObject({ code: 'action/malformed' });
    expect(game.apply(s, [Number.NaN])).toMatchObject({ code: 'action/malformed' });
    expect(game.serialize(s)).toBe(game.serialize(play([0, 1])));
    expect(game.parseAction(s, 0, 'raise')).toBe(RAISE);
    expect(game.parseAction(s, 0, 'Call')).toBe(CALL);
    expect(game.parseAction(s, 0, '0')).toMatchObject({ code: 'action/illegal' });
    expect(game.parseAction(s, 0, 'allin')).toMatchObject({ code: 'action/malformed' });
    expect(game.parseAction(play([0]), CHANCE, 'Deal:5')).toBe(5);
    expect(['Fold', 'Call', 'Raise'].map((_n, a) => game.actionToString(0, a))).toEqual(['Fold', 'Call', 'Raise']);
    expect(game.actionToString(CHANCE, 3)).toBe('Deal:3');
    expect(game.apply(play([0, 1, CALL, CALL]), [CALL])).toBeInstanceOf(ArenaError); // card 1 is dealt already
  });

  it('round-trips serialization and rejects bad or inconsistent states', () => {
    const s = play([5, 0, CALL, RAISE, CALL, 3, CALL]);
    expect(game.deserialize(game.serialize(s))).toEqual(s);
    const good = JSON.parse(game.serialize(s)) as Record<string, unknown>;
    const bad = [
      'nope',
      '[]',
      JSON.stringify({ ...good, pot: 7 }),
      JSON.stringify({ ...good, money: [97, 98] }),
      JSON.stringify({ ...good, privateCards: [0, 0] }),
      JSON.stringify({ ...good, publicCard: 0 }),
      JSON.stringify({ ...good, round1: [1, 2] }),
      JSON.stringify({ ...good, round2: [0] }),
      JSON.stringify({ ...good, terminal: true }),
      JSON.stringify({ ...good, extra: 1 }),
      JSON.stringify({ ...good, rng: 'x' }),
      JSON.stringify({ ...JSON.parse(game.serialize(play([5, 0, CALL, CALL]))), round2: [1] }),
    ];
    for (const text of bad) {
      expect(() => game.deserialize(text)).toThrow(expect.objectContaining({ code: 'env/bad-serialization' }));
    }
  });

  it('reveals private cards only to their owner until a showdown', () => {
    const mid = play([5, 0, CALL, RAISE, CALL, 3]);
    expect(game.render(mid, 0)).toMatchObject({ cards: [5, null], publicCard: 3, pot: 6, toAct: 0, round: 2 });
    expect(game.render(mid, 1)).toMatchObject({ cards: [null, 0] });
    expect(game.render(mid, null)).toMatchObject({ cards: [null, null] });
    const folded = play([5, 0, RAISE, FOLD]);
    expect(game.render(folded, null)).toMatchObject({ cards: [null, null], terminal: true, showdown: false });
    const showdown = play([5, 0, CALL, CALL, 3, CALL, CALL]);
    expect(game.render(showdown, null)).toMatchObject({ cards: [5, 0], showdown: true, returns: [1, -1] });
    expect(game.renderText(mid, 0)).toContain('Seat 0: K2');
    expect(game.renderText(mid, 0)).toContain('Seat 1: ?');
    expect(game.renderText(mid, 0)).toContain('public Q2');
    expect(game.renderText(showdown, null)).toContain('Over: returns 1 -1');
    // Information strings never show the opponent's card, not even at the end.
    for (const seat of [0, 1]) {
      const other = showdown.privateCards[1 - seat] as number;
      for (const text of [game.informationState(showdown, seat), game.observationText(showdown, seat)]) {
        expect(text).not.toContain(`[Private: ${other}]`);
      }
      expect(game.observationTensor(showdown, seat)[2 + other]).toBe(0);
    }
  });

  it('passes random-simulation checks (clone, serialization, rewards, bounds, determinism)', () => {
    checkRandomPlaythroughs(game, {
      games: 300,
      tensorLength: 16,
      pick: (seed, steps, legal) => legal[(seed * 7 + steps * 3) % legal.length] as number,
    });
  });
});
