import { FirstLegalAgent } from './first-legal';
import { ArenaError } from '../environments/core/errors';
import { ticTacToe } from '../environments/zero-sum/tic-tac-toe';
import { playOut, seatView } from '../tests/helpers/play';

describe('FirstLegalAgent', () => {
  it('plays the lowest legal id', () => {
    const ttt = ticTacToe.create({});
    const agent = new FirstLegalAgent();
    expect(agent.name).toBe('first-legal');
    // Both seats fill cells in order: X takes 0, 2, 4, 6 and wins on the diagonal 2-4-6.
    expect(playOut(ttt, [agent, agent]).moves).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(() => agent.act(seatView(ttt, ttt.init(0), 1))).toThrow(ArenaError);
  });
});
