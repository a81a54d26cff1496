import { perft } from '../../agents/perft';
import { ArenaError } from '../core/errors';
import { Rng } from '../core/rng';
import { ticTacToe, type TicTacToeState } from './tic-tac-toe';
import { deepFreeze, errorCode, frozenStateAfter } from '../../tests/helpers/play';

const game = ticTacToe.create(ticTacToe.spec.params.parse({}));
/** `moves` from `from` (default: the start), every intermediate state deep-frozen. */
const play = (moves: readonly number[], from?: TicTacToeState): TicTacToeState => frozenStateAfter(game, moves, from);

describe('tic-tac-toe', () => {
  it('declares its facts', () => {
    expect(ticTacToe.spec).toMatchObject({
      id: 'tic-tac-toe',
      version: 1,
      dynamics: 'sequential',
      utility: 'zero-sum',
      chance: false,
      perfectInformation: true,
      players: { min: 2, max: 2 },
    });
    expect(game.actionSpace).toEqual({ kind: 'discrete', n: 9 });
    expect(game.observationShape).toEqual([3, 3, 3]);
    expect(game.maxLength).toBe(9);
    expect([game.minUtility, game.maxUtility]).toEqual([-1, 1]);
    expect(ticTacToe.spec.params.safeParse({ size: 4 }).success).toBe(false);
  });

  it('matches the perft counts d1..d9 (play stops at a win)', () => {
    const s = deepFreeze(game.init(0));
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => perft(game, s, d))).toEqual([
      1, 9, 72, 504, 3024, 15120, 54720, 148176, 200448, 127872,
    ]);
    expect(perft(game, s, 10)).toBe(0);
  });

  it('has 255,168 games (131,184 X wins, 77,904 O wins, 46,080 draws) and 5,478 positions', () => {
    const tally = { games: 0, x: 0, o: 0, draw: 0 };
    const positions = new Set<number>();
    const walk = (s: TicTacToeState): void => {
      positions.add(s.x | (s.o << 9));
      if (game.isTerminal(s)) {
        tally.games++;
        const [r0] = game.returns(s);
        if (r0 === 1) tally.x++;
        else if (r0 === -1) tally.o++;
        else tally.draw++;
        return;
      }
      for (const a of game.legalActions(s, s.toMove)) walk(play([a], s));
    };
    walk(game.init(0));
    expect(tally).toEqual({ games: 255168, x: 131184, o: 77904, draw: 46080 });
    expect(positions.size).toBe(5478);
  });

  it('starts empty with X (seat 0) to move', () => {
    const s = game.init(7);
    expect(game.currentPlayers(s)).toEqual([0]);
    expect(game.legalActions(s, 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(game.legalActions(s, 1)).toEqual([]);
    expect(game.informationState(s, 0)).toBe('');
    expect(game.observationText(s, 1)).toBe('...\n...\n...');
    expect(game.rewards(s)).toEqual([0, 0]);
    expect(game.chanceOutcomes(s)).toEqual([]);
    expect(() => game.sampleChance(s)).toThrow();
  });

  it('gives OpenSpiel strings and tensors', () => {
    const s = play([4, 0, 8]);
    expect(game.informationState(s, 0)).toBe('4, 0, 8');
    expect(game.informationState(s, 1)).toBe('4, 0, 8');
    expect(game.observationText(s, 0)).toBe('o..\n.x.\n..x');
    expect(game.actionToString(0, 5)).toBe('x(1,2)');
    expect(game.actionToString(1, 0)).toBe('o(0,0)');
    const t = Array.from(game.observationTensor(s, 1));
    // Planes: empty, nought (O), cross (X).
    expect(t.slice(0, 9)).toEqual([0, 1, 1, 1, 0, 1, 1, 1, 0]);
    expect(t.slice(9, 18)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(t.slice(18, 27)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(Array.from(game.observationTensor(s, 0))).toEqual(t);
    expect(game.render(s, null)).toEqual({
      board: [
        [1, -1, -1],
        [-1, 0, -1],
        [-1, -1, 0],
      ],
      toMove: 1,
      winner: null,
      lastMove: 8,
    });
    expect(game.renderText(s, null)).toBe(' O | 1 | 2\n---+---+---\n 3 | X | 5\n---+---+---\n 6 | 7 | X\nO to move');
  });

  it('detects wins and ends the game', () => {
    const x = play([0, 3, 1, 4, 2]);
    expect(game.isTerminal(x)).toBe(true);
    expect(game.returns(x)).toEqual([1, -1]);
    expect(game.rewards(x)).toEqual([1, -1]);
    expect(game.currentPlayers(x)).toEqual([]);
    expect(game.legalActions(x, 1)).toEqual([]);
    expect(game.render(x, null)).toMatchObject({
      winner: 0,
      toMove: null,
      winningLine: [
        [0, 0],
        [0, 1],
        [0, 2],
      ],
    });
    expect(errorCode(game.apply(x, [5]))).toBe('match/over');
    const o = play([0, 2, 1, 4, 8, 6]);
    expect(game.returns(o)).toEqual([-1, 1]);
    expect(game.renderText(o, null)).toContain('O wins');
  });

  it('ends a full board without a line as a draw', () => {
    const s = play([0, 1, 2, 4, 3, 5, 7, 6, 8]);
    expect(game.isTerminal(s)).toBe(true);
    expect(game.returns(s)).toEqual([0, 0]);
    expect(game.render(s, null)).toMatchObject({ winner: null, toMove: null });
    expect(game.renderText(s, null)).toContain('Draw');
  });

  it('rejects illegal and malformed actions without changing the state', () => {
    const s = deepFreeze(play([4]));
    const before = game.serialize(s);
    expect(errorCode(game.apply(s, [4]))).toBe('action/illegal');
    expect(errorCode(game.apply(s, [9]))).toBe('action/illegal');
    expect(errorCode(game.apply(s, [0.5]))).toBe('action/malformed');
    expect(errorCode(game.apply(s, []))).toBe('action/malformed');
    expect(errorCode(game.apply(s, [0, 1]))).toBe('action/malformed');
    expect(game.serialize(s)).toBe(before);
    expect(game.parseAction(s, 1, '0')).toBe(0);
    expect(game.parseAction(s, 1, 'o(2,2)')).toBe(8);
    expect(game.parseAction(s, 1, '(0,1)')).toBe(1);
    expect(errorCode(game.parseAction(s, 1, '4'))).toBe('action/illegal');
    expect(errorCode(game.parseAction(s, 1, '1,1'))).toBe('action/illegal');
    expect(errorCode(game.parseAction(s, 1, 'centre'))).toBe('action/malformed');
  });

  it('round-trips serialization and rejects bad input', () => {
    const s = play([4, 0, 8, 2]);
    expect(game.deserialize(game.serialize(s))).toEqual(s);
    for (const bad of ['', '{', 'null', '{"moves":[9]}', '{"moves":[1,1]}', '{"moves":[0,3,1,4,2,5]}']) {
      expect(() => game.deserialize(bad)).toThrow(expect.objectContaining({ code: 'env/bad-serialization' }));
    }
  });

  it('plays random games consistently', () => {
    const rng = Rng.fromSeed(3);
    for (let g = 0; g < 200; g++) {
      let s = deepFreeze(game.init(g));
      let sum = [0, 0];
      while (!game.isTerminal(s)) {
        const legal = game.legalActions(s, s.toMove);
        expect(legal.length).toBe(9 - s.ply);
        const next = game.apply(s, [legal[rng.int(legal.length)] as number]);
        if (next instanceof ArenaError) throw next;
        s = deepFreeze(next);
        sum = sum.map((v, i) => v + (game.rewards(s)[i] ?? 0));
        expect(game.deserialize(game.serialize(s))).toEqual(s);
        expect(game.observationTensor(s, 0).reduce((a, b) => a + b, 0)).toBe(9);
      }
      expect(sum).toEqual([...game.returns(s)]);
    }
  });
});
