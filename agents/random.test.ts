import type { Agent, SeatView } from './agent';
import { RandomAgent } from './random';
import { ArenaError } from '../environments/core/errors';
import type { Game } from '../environments/core/game';
import { connectFour } from '../environments/zero-sum/connect-four';
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

describe('RandomAgent', () => {
  const game = connectFour.create({});

  it('plays legal moves, deterministically per seed', () => {
    const a = playMoves(game, [new RandomAgent(1), new RandomAgent(2)]);
    const b = playMoves(game, [new RandomAgent(1), new RandomAgent(2)]);
    const c = playMoves(game, [new RandomAgent(3), new RandomAgent(4)]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new RandomAgent(1).name).toBe('random');
  });

  it('is roughly uniform over the legal actions', () => {
    const agent = new RandomAgent(9);
    const s = game.init(0);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 7000; i++) {
      const a = agent.act(view(game, s, 0));
      counts[a] = (counts[a] ?? 0) + 1;
    }
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });

  it('throws when there is nothing to play', () => {
    const ttt = ticTacToe.create({});
    const s = ttt.init(0);
    expect(() => new RandomAgent(0).act(view(ttt, s, 1))).toThrow(ArenaError);
  });
});
