import { perft } from '../../agents/perft';
import { ArenaError } from '../core/errors';
import { Rng } from '../core/rng';
import { connectFour, hasFour, type ConnectFourState } from './connect-four';
import { deepFreeze, errorCode, frozenStateAfter } from '../../tests/helpers/play';

const game = connectFour.create(connectFour.spec.params.parse({}));
/** `moves` from `from` (default: the start), every intermediate state deep-frozen. */
const play = (moves: readonly number[], from?: ConnectFourState): ConnectFourState =>
  frozenStateAfter(game, moves, from);

/** Naive four-in-a-row scan of a render board (rows top first), independent of the bitboards. */
function naiveWinner(board: number[][]): number {
  for (let r = 0; r < 6; r++) {
    for (let c = 0; c < 7; c++) {
      const p = board[r]?.[c] ?? -1;
      if (p === -1) continue;
      for (const [dr, dc] of [
        [0, 1],
        [1, 0],
        [1, 1],
        [1, -1],
      ] as const) {
        let k = 1;
        while (k < 4 && board[r + k * dr]?.[c + k * dc] === p) k++;
        if (k === 4) return p;
      }
    }
  }
  return -1;
}

describe('connect-four', () => {
  it('declares its facts', () => {
    expect(connectFour.spec).toMatchObject({
      id: 'connect-four',
      version: 1,
      dynamics: 'sequential',
      utility: 'zero-sum',
      chance: false,
      perfectInformation: true,
      players: { min: 2, max: 2 },
    });
    expect(game.numPlayers).toBe(2);
    expect(game.actionSpace).toEqual({ kind: 'discrete', n: 7 });
    expect(game.observationShape).toEqual([3, 6, 7]);
    expect(game.maxLength).toBe(42);
    expect([game.minUtility, game.maxUtility]).toEqual([-1, 1]);
    expect(connectFour.spec.params.safeParse({ rows: 5 }).success).toBe(false);
  });

  it('matches the published perft counts d1..d8', () => {
    const s = deepFreeze(game.init(0));
    expect([1, 2, 3, 4, 5, 6, 7].map((d) => perft(game, s, d))).toEqual([
      7, 49, 343, 2401, 16807, 117649, 823536,
    ]);
    expect(perft(game, s, 8)).toBe(5673234);
  });

  it('starts empty with seat 0 to move and all columns legal', () => {
    const s = game.init(123);
    expect(game.currentPlayers(s)).toEqual([0]);
    expect(game.legalActions(s, 0)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(game.legalActions(s, 1)).toEqual([]);
    expect(game.isTerminal(s)).toBe(false);
    expect(game.returns(s)).toEqual([0, 0]);
    expect(game.informationState(s, 0)).toBe('');
    expect(game.observationText(s, 0)).toBe('.......\n'.repeat(6));
    expect(game.chanceOutcomes(s)).toEqual([]);
    expect(() => game.sampleChance(s)).toThrow();
  });

  it('detects a horizontal win', () => {
    const s = play([0, 0, 1, 1, 2, 2, 3]);
    expect(game.isTerminal(s)).toBe(true);
    expect(game.returns(s)).toEqual([1, -1]);
    expect(game.rewards(s)).toEqual([1, -1]);
    expect(game.currentPlayers(s)).toEqual([]);
    expect(game.legalActions(s, 1)).toEqual([]);
    expect(game.render(s, null)).toMatchObject({
      winner: 0,
      toMove: null,
      lastMove: 3,
      winningLine: [
        [5, 0],
        [5, 1],
        [5, 2],
        [5, 3],
      ],
    });
    expect(game.renderText(s, null)).toContain('X wins');
  });

  it('detects a vertical win', () => {
    const s = play([0, 1, 0, 1, 0, 1, 2, 1]);
    expect(game.returns(s)).toEqual([-1, 1]);
    expect(game.render(s, null)).toMatchObject({
      winner: 1,
      winningLine: [
        [2, 1],
        [3, 1],
        [4, 1],
        [5, 1],
      ],
    });
  });

  it('detects a rising diagonal win', () => {
    // x at (0,0) (1,1) (2,2) (3,3), rows counted from the bottom.
    const s = play([0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3]);
    expect(game.isTerminal(s)).toBe(true);
    expect(game.returns(s)).toEqual([1, -1]);
    expect(game.observationText(s, 0)).toBe(
      ['.......', '.......', '...x...', '..xx...', '.xxo...', 'xooo..o', ''].join('\n'),
    );
  });

  it('detects a falling diagonal win', () => {
    // x at (3,0) (2,1) (1,2) (0,3).
    const s = play([3, 2, 2, 1, 1, 0, 1, 0, 0, 6, 0]);
    expect(game.isTerminal(s)).toBe(true);
    expect(game.returns(s)).toEqual([1, -1]);
    expect((game.render(s, null) as { winningLine: number[][] }).winningLine).toEqual([
      [2, 0],
      [3, 1],
      [4, 2],
      [5, 3],
    ]);
  });

  it('does not see a line across a column boundary', () => {
    // x on column 0 rows 3..5 and column 1 row 0: consecutive cells in column-major order, not a line.
    const s = play([0, 0, 1, 0, 0, 6, 0, 6, 0]);
    expect(game.observationText(s, 0).split('\n').slice(0, 6)).toEqual([
      'x......',
      'x......',
      'x......',
      'o......',
      'o.....o',
      'xx....o',
    ]);
    expect(game.isTerminal(s)).toBe(false);
    expect(game.legalActions(s, 1)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ends a full board without a line as a draw', () => {
    const moves = [
      5, 3, 3, 3, 1, 5, 4, 1, 1, 1, 4, 0, 2, 6, 2, 1, 6, 4, 6, 2, 2, 4, 4, 6, 3, 3, 3, 1, 6, 4, 6, 0, 5, 5, 0, 0, 5, 5,
      0, 0, 2, 2,
    ];
    const before = play(moves.slice(0, 41));
    expect(game.isTerminal(before)).toBe(false);
    expect(game.legalActions(before, 1)).toEqual([2]);
    const s = play([2], before);
    expect(game.isTerminal(s)).toBe(true);
    expect(game.returns(s)).toEqual([0, 0]);
    expect(game.rewards(s)).toEqual([0, 0]);
    expect(game.render(s, null)).toMatchObject({ winner: null, toMove: null });
    expect(game.render(s, null)).not.toHaveProperty('winningLine');
    expect(game.renderText(s, null)).toContain('Draw');
    expect(errorCode(game.apply(s, [0]))).toBe('match/over');
  });

  it('rejects a move into a full column and leaves the state unchanged', () => {
    const s = deepFreeze(play([0, 0, 0, 0, 0, 0]));
    const copy = game.serialize(s);
    expect(game.legalActions(s, 0)).toEqual([1, 2, 3, 4, 5, 6]);
    const r = game.apply(s, [0]);
    expect(errorCode(r)).toBe('action/illegal');
    expect(game.serialize(s)).toBe(copy);
    expect(errorCode(game.apply(s, [7]))).toBe('action/illegal');
    expect(errorCode(game.apply(s, [-1]))).toBe('action/illegal');
    expect(errorCode(game.apply(s, [1.5]))).toBe('action/malformed');
    expect(errorCode(game.apply(s, []))).toBe('action/malformed');
    expect(errorCode(game.apply(s, [1, 2]))).toBe('action/malformed');
    expect(errorCode(game.parseAction(s, 0, '0'))).toBe('action/illegal');
    expect(game.parseAction(s, 0, 'col 3')).toBe(3);
    expect(game.parseAction(s, 0, '4')).toBe(4);
    expect(errorCode(game.parseAction(s, 0, 'left'))).toBe('action/malformed');
  });

  it('gives OpenSpiel strings and the player-relative observation tensor', () => {
    const s = play([3, 3, 4]);
    expect(game.informationState(s, 0)).toBe('3, 3, 4');
    expect(game.informationState(s, 1)).toBe('3, 3, 4');
    expect(game.observationText(s, 1)).toBe('.......\n.......\n.......\n.......\n...o...\n...xx..\n');
    expect(game.actionToString(0, 3)).toBe('col 3');
    const t0 = game.observationTensor(s, 0);
    const t1 = game.observationTensor(s, 1);
    expect(t0).toHaveLength(126);
    const at = (t: Float32Array, plane: number, row: number, col: number): number =>
      t[plane * 42 + row * 7 + col] ?? NaN;
    // Seat 0 sees its own discs (x at bottom row, cols 3 and 4) in plane 1 and seat 1's in plane 0.
    expect([at(t0, 1, 0, 3), at(t0, 1, 0, 4), at(t0, 0, 1, 3), at(t0, 2, 1, 3)]).toEqual([1, 1, 1, 0]);
    expect([at(t1, 0, 0, 3), at(t1, 0, 0, 4), at(t1, 1, 1, 3)]).toEqual([1, 1, 1]);
    for (let cell = 0; cell < 42; cell++) {
      expect((t0[cell] ?? 0) + (t0[42 + cell] ?? 0) + (t0[84 + cell] ?? 0)).toBe(1);
    }
    expect(game.render(s, 0)).toEqual({
      board: [
        [-1, -1, -1, -1, -1, -1, -1],
        [-1, -1, -1, -1, -1, -1, -1],
        [-1, -1, -1, -1, -1, -1, -1],
        [-1, -1, -1, -1, -1, -1, -1],
        [-1, -1, -1, 1, -1, -1, -1],
        [-1, -1, -1, 0, 0, -1, -1],
      ],
      toMove: 1,
      winner: null,
      lastMove: 4,
    });
    expect(game.renderText(s, null).split('\n')).toEqual([
      ' 0 1 2 3 4 5 6',
      '|. . . . . . .|',
      '|. . . . . . .|',
      '|. . . . . . .|',
      '|. . . . . . .|',
      '|. . . O . . .|',
      '|. . . X X . .|',
      '+-------------+',
      'O to move',
    ]);
  });

  it('round-trips serialization and rejects bad input', () => {
    const s = play([3, 3, 4, 2, 6]);
    const back = game.deserialize(game.serialize(s));
    expect(back).toEqual(s);
    expect(game.deserialize(game.serialize(game.init(0)))).toEqual(game.init(0));
    for (const bad of ['', 'nope', '[]', '{}', '{"moves":[7]}', '{"moves":[0,0,0,0,0,0,0]}', '{"moves":["1"]}']) {
      expect(() => game.deserialize(bad)).toThrow(expect.objectContaining({ code: 'env/bad-serialization' }));
    }
  });

  it('plays random games consistently (bitboards agree with a naive scan)', () => {
    const rng = Rng.fromSeed(42);
    for (let g = 0; g < 200; g++) {
      let s = deepFreeze(game.init(g));
      let sum = [0, 0];
      let steps = 0;
      while (!game.isTerminal(s)) {
        const seat = s.toMove;
        expect(game.currentPlayers(s)).toEqual([seat]);
        expect(game.legalActions(s, 1 - seat)).toEqual([]);
        const legal = game.legalActions(s, seat);
        const next = game.apply(s, [legal[rng.int(legal.length)] as number]);
        if (next instanceof ArenaError) throw next;
        s = deepFreeze(next);
        steps++;
        sum = sum.map((v, i) => v + (game.rewards(s)[i] ?? 0));
        const board = (game.render(s, null) as { board: number[][] }).board;
        const naive = naiveWinner(board);
        expect(s.winner).toBe(naive);
        const lo = s.winner === 1 ? s.lo1 : s.lo0;
        const hi = s.winner === 1 ? s.hi1 : s.hi0;
        expect(hasFour(lo, hi)).toBe(naive !== -1);
        if (g % 10 === 0) expect(game.deserialize(game.serialize(s))).toEqual(s);
      }
      expect(steps).toBeLessThanOrEqual(game.maxLength);
      expect(sum).toEqual([...game.returns(s)]);
    }
  });
});
