import type { Agent, SeatView } from './agent';
import { FirstLegalAgent } from './first-legal';
import { ArenaError } from '../environments/core/errors';
import type { Game } from '../environments/core/game';
import { ticTacToe } from '../environments/zero-sum/tic-tac-toe';

function view<S>(game: Game<S, number>, state: S, seat: number): SeatView<unknown, number> {
  return {
    game: game as Game<unknown, number>,
    seat,
    legalActions: game.legalActions(state, seat),
    step: 0,
    state,
    informationState: game.informationState(state, seat),
    observationText: game.observationText(state, seat),
    observationTensor: game.observationTensor(state, seat),
    timeLimitMs: undefined,
  };
}

function playMoves<S>(game: Game<S, number>, agents: readonly Agent<number>[]): number[] {
  let s = game.init(0);
  const moves: number[] = [];
  while (!game.isTerminal(s)) {
    const seat = game.currentPlayers(s)[0] as number;
    const a = (agents[seat] as Agent<number>).act(view(game, s, seat)) as number;
    moves.push(a);
    const next = game.apply(s, [a]);
    if (next instanceof ArenaError) throw next;
    s = next;
  }
  return moves;
}

describe('FirstLegalAgent', () => {
  it('plays the lowest legal id', () => {
    const ttt = ticTacToe.create({});
    const agent = new FirstLegalAgent();
    expect(agent.name).toBe('first-legal');
    // Both seats fill cells in order: X takes 0, 2, 4, 6 and wins on the diagonal 2-4-6.
    expect(playMoves(ttt, [agent, agent])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(() => agent.act(view(ttt, ttt.init(0), 1))).toThrow(ArenaError);
  });
});
