/**
 * Tic-tac-toe (OpenSpiel `tic_tac_toe` rules and numbering).
 *
 * | Fact               | Value                                                                                  |
 * | ------------------ | -------------------------------------------------------------------------------------- |
 * | Players            | 2; seat 0 is X and moves first, seat 1 is O                                           |
 * | Actions            | discrete 9: the cell, row-major (action = 3 * row + col); legal while the cell is empty |
 * | Observation tensor | OpenSpiel's [3, 3, 3]: planes empty, O (seat 1), X (seat 0); the same for both seats     |
 * | Observation text   | OpenSpiel's ToString: 3 lines of 3 chars 'x' 'o' '.', no trailing newline            |
 * | Information state  | OpenSpiel's HistoryString: the cells played, joined by ", "                           |
 * | Rewards            | terminal only: +1 / -1 for three in a row, 0 / 0 for a draw (full board)              |
 * | Hidden information | none (perfect information, no chance)                                                 |
 *
 * A board is two 9-bit masks (bit i = cell i), one per seat; the move history is a persistent linked list.
 */
import { z } from 'zod';
import { ArenaError } from '../core/errors';
import type { Game, GameModule, GameSpec, Json, Seat } from '../core/game';
import {
  NO_SEATS,
  historyActions,
  illegalAction,
  onlySeat,
  parseDiscreteAction,
  replayMoveList,
  serializeMoveList,
  singleDiscreteAction,
  type MoveList,
} from '../core/helpers';

const ID = 'tic-tac-toe';
const CELLS = 9;
const FULL = (1 << CELLS) - 1;

export interface TicTacToeState {
  /** Cells of X (seat 0): bit i set = cell i. */
  readonly x: number;
  /** Cells of O (seat 1). */
  readonly o: number;
  /** The seat to move (after the game ends: the seat that would have moved next). */
  readonly toMove: Seat;
  /** Marks on the board. */
  readonly ply: number;
  /** Winning seat, or -1 (none yet, or a draw). */
  readonly winner: number;
  /** The moves so far, newest first (null at the start). */
  readonly history: MoveList | null;
}

const paramsSchema = z.object({}).strict();
export type TicTacToeParams = z.infer<typeof paramsSchema>;

export const ticTacToeSpec: GameSpec<TicTacToeParams> = {
  id: ID,
  version: 1,
  title: 'Tic-tac-toe',
  summary:
    'Two players, X and O, take turns marking cells of a 3x3 grid; three marks in a row, column or diagonal win, ' +
    'and a full grid without a line is a draw. Perfect information, no chance; perfect play is a draw.',
  players: { min: 2, max: 2 },
  dynamics: 'sequential',
  utility: 'zero-sum',
  chance: false,
  perfectInformation: true,
  params: paramsSchema,
};

/** The 8 lines as cell masks (rows, columns, diagonals). */
export const TIC_TAC_TOE_LINES: readonly number[] = Object.freeze(
  [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
    [0, 3, 6],
    [1, 4, 7],
    [2, 5, 8],
    [0, 4, 8],
    [2, 4, 6],
  ].map((cells) => cells.reduce((m, c) => m | (1 << c), 0)),
);

function hasLine(mask: number): boolean {
  for (const line of TIC_TAC_TOE_LINES) if ((mask & line) === line) return true;
  return false;
}

/** LEGAL[emptyMask]: the cells whose bit is set, ascending (frozen, shared). */
const LEGAL: readonly (readonly number[])[] = Object.freeze(
  Array.from({ length: 1 << CELLS }, (_, mask) => {
    const cells: number[] = [];
    for (let c = 0; c < CELLS; c++) if ((mask >> c) & 1) cells.push(c);
    return Object.freeze(cells);
  }),
);
const NO_ACTIONS: readonly number[] = LEGAL[0] as readonly number[];

const ZEROS: readonly number[] = Object.freeze([0, 0]);
const SEAT0_WINS: readonly number[] = Object.freeze([1, -1]);
const SEAT1_WINS: readonly number[] = Object.freeze([-1, 1]);

const INITIAL: TicTacToeState = Object.freeze({ x: 0, o: 0, toMove: 0, ply: 0, winner: -1, history: null });

function isOver(state: TicTacToeState): boolean {
  return state.winner !== -1 || state.ply === CELLS;
}

/** Owner of cell `i`: 0 (X), 1 (O) or -1 (empty). */
export function ticTacToeCell(state: TicTacToeState, i: number): number {
  return (state.x >> i) & 1 ? 0 : (state.o >> i) & 1 ? 1 : -1;
}

function applyMove(state: TicTacToeState, actions: readonly number[]): TicTacToeState | ArenaError {
  if (isOver(state)) return new ArenaError('match/over', `${ID}: the game is over`);
  const cell = singleDiscreteAction(ID, actions);
  if (cell instanceof ArenaError) return cell;
  if (cell < 0 || cell >= CELLS || ((state.x | state.o) >> cell) & 1) return illegalAction(ID, state.toMove, cell);
  const bit = 1 << cell;
  const history: MoveList = { a: cell, prev: state.history };
  if (state.toMove === 0) {
    const x = state.x | bit;
    return { x, o: state.o, toMove: 1, ply: state.ply + 1, winner: hasLine(x) ? 0 : -1, history };
  }
  const o = state.o | bit;
  return { x: state.x, o, toMove: 0, ply: state.ply + 1, winner: hasLine(o) ? 1 : -1, history };
}

function returnsOf(state: TicTacToeState): readonly number[] {
  return state.winner === 0 ? SEAT0_WINS : state.winner === 1 ? SEAT1_WINS : ZEROS;
}

function boardText(state: TicTacToeState): string {
  const rows: string[] = [];
  for (let r = 0; r < 3; r++) {
    let s = '';
    for (let c = 0; c < 3; c++) {
      const o = ticTacToeCell(state, 3 * r + c);
      s += o === 0 ? 'x' : o === 1 ? 'o' : '.';
    }
    rows.push(s);
  }
  return rows.join('\n');
}

/** Cells of the winner's lines, as [row, col] pairs in row-major order; [] without a winner. */
function winningCells(state: TicTacToeState): number[][] {
  if (state.winner === -1) return [];
  const mask = state.winner === 0 ? state.x : state.o;
  let cells = 0;
  for (const line of TIC_TAC_TOE_LINES) if ((mask & line) === line) cells |= line;
  return (LEGAL[cells & FULL] as readonly number[]).map((i) => [Math.floor(i / 3), i % 3]);
}

function fromSerialized(text: string): TicTacToeState {
  return replayMoveList(ID, text, INITIAL, applyMove, CELLS);
}

function createTicTacToe(_params: TicTacToeParams): Game<TicTacToeState, number> {
  const game: Game<TicTacToeState, number> = {
    spec: ticTacToeSpec as GameSpec<unknown>,
    params: Object.freeze({}),
    numPlayers: 2,
    actionSpace: Object.freeze({ kind: 'discrete', n: CELLS }),
    observationShape: Object.freeze([3, 3, 3]),
    maxLength: CELLS,
    minUtility: -1,
    maxUtility: 1,

    init: () => INITIAL,
    currentPlayers: (state) => (isOver(state) ? NO_SEATS : onlySeat(state.toMove)),
    isTerminal: isOver,
    chanceOutcomes: () => [],
    sampleChance: () => {
      throw new Error(`${ID}: there are no chance nodes`);
    },
    legalActions: (state, seat) =>
      seat !== state.toMove || isOver(state) ? NO_ACTIONS : (LEGAL[FULL & ~(state.x | state.o)] as readonly number[]),
    apply: applyMove,
    rewards: (state) => (isOver(state) ? returnsOf(state) : ZEROS),
    returns: returnsOf,

    observationTensor(state) {
      // OpenSpiel's CellState order: kEmpty, kNought (O), kCross (X); not relative to the viewer.
      const t = new Float32Array(3 * CELLS);
      for (let i = 0; i < CELLS; i++) {
        const o = ticTacToeCell(state, i);
        const plane = o === -1 ? 0 : o === 1 ? 1 : 2;
        t[plane * CELLS + i] = 1;
      }
      return t;
    },
    observationText: (state) => boardText(state),
    informationState: (state) => historyActions(state.history).join(', '),
    actionToString: (seat, action) => `${seat === 0 ? 'x' : 'o'}(${Math.floor(action / 3)},${action % 3})`,
    parseAction(state, seat, text) {
      // Also accepts "r,c" / "(r,c)" without the mark.
      const m = /^\s*\(?\s*([0-2])\s*,\s*([0-2])\s*\)?\s*$/.exec(text);
      if (m) return parseDiscreteAction(game, state, seat, String(3 * Number(m[1]) + Number(m[2])));
      return parseDiscreteAction(game, state, seat, text);
    },
    serialize: (state) => serializeMoveList(state.history),
    deserialize: fromSerialized,

    render(state, _viewer): Json {
      const board: number[][] = [];
      for (let r = 0; r < 3; r++) board.push([0, 1, 2].map((c) => ticTacToeCell(state, 3 * r + c)));
      const view: { [key: string]: Json } = {
        board,
        toMove: isOver(state) ? null : state.toMove,
        winner: state.winner === -1 ? null : state.winner,
        lastMove: state.history === null ? null : state.history.a,
      };
      if (state.winner !== -1) view.winningLine = winningCells(state);
      return view;
    },
    renderText(state, _viewer) {
      const mark = (i: number): string => {
        const o = ticTacToeCell(state, i);
        return o === 0 ? 'X' : o === 1 ? 'O' : String(i);
      };
      const rows = [0, 1, 2].map((r) => ` ${mark(3 * r)} | ${mark(3 * r + 1)} | ${mark(3 * r + 2)}`);
      const status =
        state.winner !== -1
          ? `${state.winner === 0 ? 'X' : 'O'} wins`
          : isOver(state)
            ? 'Draw'
            : `${state.toMove === 0 ? 'X' : 'O'} to move`;
      return [rows.join('\n---+---+---\n'), status].join('\n');
    },
  };
  return game;
}

export const ticTacToe: GameModule<TicTacToeState, number, TicTacToeParams> = {
  spec: ticTacToeSpec,
  create: createTicTacToe,
};
