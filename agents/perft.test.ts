import { perft } from './perft';
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type Game } from '../environments/core/game';
import { connectFour } from '../environments/zero-sum/connect-four';
import { ticTacToe } from '../environments/zero-sum/tic-tac-toe';

/** A coin flip (chance), then seat 0 picks one of 3 actions; heads ends the game after one more pick by seat 1. */
interface Toy {
  readonly history: readonly number[];
}
const toy = {
  isTerminal: (s: Toy) => s.history.length === 3 || (s.history.length === 2 && s.history[0] === 1),
  currentPlayers: (s: Toy) => (s.history.length === 0 ? [CHANCE] : [s.history.length === 1 ? 0 : 1]),
  chanceOutcomes: (s: Toy) =>
    s.history.length === 0
      ? [
          { action: 0, probability: 0.5 },
          { action: 1, probability: 0.5 },
        ]
      : [],
  legalActions: (s: Toy, seat: number) => (s.history.length === 1 && seat === 0 ? [0, 1, 2] : seat === 1 ? [0, 1] : []),
  apply: (s: Toy, actions: readonly number[]): Toy | ArenaError => ({ history: [...s.history, actions[0] as number] }),
} as unknown as Game<Toy, number>;

/** A simultaneous game: both seats pick from {0, 1} twice. */
const simultaneous = {
  isTerminal: (s: Toy) => s.history.length === 4,
  currentPlayers: () => [0, 1],
  chanceOutcomes: () => [],
  legalActions: () => [0, 1],
  apply: (s: Toy, actions: readonly number[]): Toy => ({ history: [...s.history, ...actions] }),
} as unknown as Game<Toy, number>;

describe('perft', () => {
  it('counts nodes exactly depth plies below, expanding chance outcomes and skipping early terminals', () => {
    const start = Object.freeze({ history: Object.freeze([]) });
    expect([0, 1, 2, 3, 4].map((d) => perft(toy, start, d))).toEqual([1, 2, 6, 6, 0]);
    expect(perft(toy, { history: [0, 2] }, 1)).toBe(2);
    expect(perft(toy, { history: [1, 2] }, 0)).toBe(1);
    expect(perft(toy, { history: [1, 2] }, 1)).toBe(0);
  });

  it('expands joint actions at simultaneous nodes', () => {
    expect([1, 2, 3].map((d) => perft(simultaneous, { history: [] }, d))).toEqual([4, 16, 0]);
  });

  it('matches known counts for tic-tac-toe and Connect Four', () => {
    const ttt = ticTacToe.create({});
    expect(perft(ttt, ttt.init(0), 5)).toBe(15120);
    const c4 = connectFour.create({});
    expect(perft(c4, c4.init(0), 6)).toBe(117649);
  });

  it('rejects a negative or fractional depth', () => {
    const ttt = ticTacToe.create({});
    expect(() => perft(ttt, ttt.init(0), -1)).toThrow(RangeError);
    expect(() => perft(ttt, ttt.init(0), 1.5)).toThrow(RangeError);
  });
});
