import { MctsAgent } from './mcts';
import { RandomAgent } from './random';
import { ArenaError } from '../environments/core/errors';
import { connectFour } from '../environments/zero-sum/connect-four';
import { ticTacToe } from '../environments/zero-sum/tic-tac-toe';
import { playOut, seatView, stateAfter } from '../tests/helpers/play';

describe('MctsAgent', () => {
  const ttt = ticTacToe.create({});
  const c4 = connectFour.create({});

  it('names itself and validates its options', () => {
    expect(new MctsAgent(ttt, { seed: 1 }).name).toBe('mcts:simulations=400,c=1.414');
    expect(new MctsAgent(ttt, { seed: 1, simulations: 50, c: 0.5, maxRolloutLength: 10 }).name).toBe(
      'mcts:simulations=50,c=0.5,rollout=10',
    );
    expect(() => new MctsAgent(ttt, { seed: 1, simulations: 0 })).toThrow(ArenaError);
    const hidden = { ...ttt, spec: { ...ttt.spec, perfectInformation: false } };
    expect(() => new MctsAgent(hidden, { seed: 1 })).toThrow(
      expect.objectContaining({ code: 'agent/unsupported-game' }),
    );
  });

  it('beats a random player in at least 90% of 50 tic-tac-toe games', () => {
    let wins = 0;
    let losses = 0;
    for (let g = 0; g < 50; g++) {
      const mcts = new MctsAgent(ttt, { seed: g, simulations: 400 });
      const seat = g % 2;
      const { returns } = playOut(ttt, seat === 0 ? [mcts, new RandomAgent(g)] : [new RandomAgent(g), mcts]);
      if (returns[seat] === 1) wins++;
      if (returns[seat] === -1) losses++;
    }
    expect(wins).toBeGreaterThanOrEqual(45);
    expect(losses).toBe(0);
  });

  it('takes an immediate Connect Four win and blocks an immediate loss', () => {
    const win = stateAfter(c4, [0, 0, 1, 1, 2, 2]);
    const block = stateAfter(c4, [0, 6, 1, 6, 2]);
    for (let seed = 0; seed < 5; seed++) {
      const agent = new MctsAgent(c4, { seed, simulations: 400 });
      expect(agent.act(seatView(c4, win, 0))).toBe(3);
      expect(agent.act(seatView(c4, block, 1))).toBe(3);
      expect(agent.lastNodes).toBeGreaterThan(1);
    }
  });

  it('is deterministic per seed and varies with the seed', () => {
    const run = (seed: number): number[] => {
      const agents = [
        new MctsAgent(c4, { seed, simulations: 30 }),
        new MctsAgent(c4, { seed: seed + 1, simulations: 30 }),
      ];
      return playOut(c4, agents).moves;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(7));
  });

  it('stops rollouts at maxRolloutLength', () => {
    const agent = new MctsAgent(c4, { seed: 3, simulations: 100, maxRolloutLength: 0 });
    // Without rollouts it still sees a win one move away.
    expect(agent.act(seatView(c4, stateAfter(c4, [0, 0, 1, 1, 2, 2]), 0))).toBe(3);
  });
});
