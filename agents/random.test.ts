import { RandomAgent } from './random';
import { ArenaError } from '../environments/core/errors';
import { connectFour } from '../environments/zero-sum/connect-four';
import { ticTacToe } from '../environments/zero-sum/tic-tac-toe';
import { playOut, seatView } from '../tests/helpers/play';

describe('RandomAgent', () => {
  const game = connectFour.create({});

  it('plays legal moves, deterministically per seed', () => {
    const a = playOut(game, [new RandomAgent(1), new RandomAgent(2)]).moves;
    const b = playOut(game, [new RandomAgent(1), new RandomAgent(2)]).moves;
    const c = playOut(game, [new RandomAgent(3), new RandomAgent(4)]).moves;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new RandomAgent(1).name).toBe('random');
  });

  it('is roughly uniform over the legal actions', () => {
    const agent = new RandomAgent(9);
    const s = game.init(0);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 7000; i++) {
      const a = agent.act(seatView(game, s, 0));
      counts[a] = (counts[a] ?? 0) + 1;
    }
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });

  it('throws when there is nothing to play', () => {
    const ttt = ticTacToe.create({});
    const s = ttt.init(0);
    expect(() => new RandomAgent(0).act(seatView(ttt, s, 1))).toThrow(ArenaError);
  });
});
