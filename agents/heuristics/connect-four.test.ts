import { Rng } from '../../environments/core/rng';
import { connectFour, type ConnectFourState } from '../../environments/zero-sum/connect-four';
import { stateAfter } from '../../tests/helpers/play';
import { CONNECT_FOUR_ORDER, CONNECT_FOUR_WINDOWS, connectFourHeuristic, connectFourOrder } from './connect-four';

const game = connectFour.create({});

describe('connectFourHeuristic', () => {
  it('has the 69 windows of Connect Four', () => {
    expect(CONNECT_FOUR_WINDOWS).toBe(69);
  });

  it('is 0 on the empty board and antisymmetric between the seats', () => {
    expect(connectFourHeuristic(game.init(0), 0)).toBe(0);
    const rng = Rng.fromSeed(2);
    let s = game.init(0);
    while (!game.isTerminal(s)) {
      const v = connectFourHeuristic(s, 0);
      expect(Number.isInteger(v)).toBe(true);
      expect(Math.abs(v)).toBeLessThan(500);
      expect(connectFourHeuristic(s, 1) + v).toBe(0);
      const legal = game.legalActions(s, s.toMove);
      s = game.apply(s, [legal[rng.int(legal.length)] as number]) as ConnectFourState;
    }
  });

  it('prefers the centre and open threes', () => {
    expect(connectFourHeuristic(stateAfter(game, [3]), 0)).toBeGreaterThan(
      connectFourHeuristic(stateAfter(game, [0]), 0),
    );
    // The same o discs; x has an open three (1, 2, 3) on the bottom row versus 1, 2, 5.
    const three = connectFourHeuristic(stateAfter(game, [1, 0, 2, 0, 3, 6]), 0);
    const split = connectFourHeuristic(stateAfter(game, [1, 0, 2, 0, 5, 6]), 0);
    expect(three).toBeGreaterThan(split);
    expect(three).toBeGreaterThan(0);
  });

  it('orders moves centre first', () => {
    const s = game.init(0);
    expect(connectFourOrder(s, [0, 1, 2, 3, 4, 5, 6])).toEqual(CONNECT_FOUR_ORDER);
    expect(connectFourOrder(s, [0, 4, 6])).toEqual([4, 0, 6]);
  });
});
