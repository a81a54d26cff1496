/**
 * Connect Four (OpenSpiel `connect_four` rules and numbering), on bitboards.
 *
 * | Fact               | Value                                                                                  |
 * | ------------------ | -------------------------------------------------------------------------------------- |
 * | Players            | 2; seat 0 ('x', shown as X) moves first, seat 1 ('o', shown as O)                      |
 * | Actions            | discrete 7: the column 0..6 to drop a disc into; legal while the column is not full   |
 * | Observation tensor | OpenSpiel's [3, 6, 7]: planes opponent's discs, own discs, empty; row 0 = bottom row  |
 * | Observation text   | OpenSpiel's ToString: 6 lines of 7 chars 'x' 'o' '.', top row first, each ending "\n" |
 * | Information state  | OpenSpiel's HistoryString: the columns played, joined by ", "                         |
 * | Rewards            | terminal only: +1 / -1 for four in a row (any direction), 0 / 0 for a full-board draw |
 * | Hidden information | none (perfect information, no chance)                                                 |
 *
 * Board layout (Tromp/Pons): each seat has a 49-bit column-major bitboard, 7 bits per column (6 rows and an
 * always-empty sentinel bit on top), bit index = col * 7 + row with row 0 at the bottom. JavaScript bitwise
 * operators are 32-bit, so a board is two halves: `lo` holds bits 0..31 and `hi` bits 32..48. Four in a row is
 * found by shift-and (`m = b & b >> s; m & m >> 2s`) in the 4 directions s = 1 (vertical), 7 (horizontal),
 * 6 and 8 (diagonals), each 64-bit shift emulated on the two halves. Column heights are packed in one integer
 * (3 bits per column); legal-action lists are 128 frozen arrays indexed by the 7-bit mask of open columns, so
 * `legalActions` and `currentPlayers` allocate nothing. The move history is a persistent linked list, so
 * `apply` is O(1) and the information-state string is built on demand.
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

export const ROWS = 6;
export const COLS = 7;
const CELLS = ROWS * COLS;
const ID = 'connect-four';

export interface ConnectFourState {
  /** Seat 0's discs, bits 0..31 of its 49-bit bitboard (see the file comment for the layout). */
  readonly lo0: number;
  /** Seat 0's discs, bits 32..48. */
  readonly hi0: number;
  /** Seat 1's discs, bits 0..31. */
  readonly lo1: number;
  /** Seat 1's discs, bits 32..48. */
  readonly hi1: number;
  /** Column heights, 3 bits per column: height of column c = (heights >> 3c) & 7. */
  readonly heights: number;
  /** 7-bit mask of columns that can take a disc; 0 when the game is over (win or full board). */
  readonly open: number;
  /** The seat to move (after the game ends: the seat that would have moved next). */
  readonly toMove: Seat;
  /** Discs on the board. */
  readonly ply: number;
  /** Winning seat, or -1 (none yet, or a draw). */
  readonly winner: number;
  /** The moves so far, newest first (null at the start). */
  readonly history: MoveList | null;
}

const paramsSchema = z.object({}).strict();
export type ConnectFourParams = z.infer<typeof paramsSchema>;

export const connectFourSpec: GameSpec<ConnectFourParams> = {
  id: ID,
  version: 1,
  title: 'Connect Four',
  summary:
    'Two players drop discs into a 7-column, 6-row grid; the first to line up four of their discs horizontally, ' +
    'vertically or diagonally wins, and a full board is a draw. Perfect information, no chance; the first ' +
    'player wins with perfect play.',
  players: { min: 2, max: 2 },
  dynamics: 'sequential',
  utility: 'zero-sum',
  chance: false,
  perfectInformation: true,
  params: paramsSchema,
};

// ---------------------------------------------------------------------------------------------------------------
// Precomputed tables.

/** LEGAL[mask]: the columns whose bit is set in `mask`, ascending (frozen, shared). */
const LEGAL: readonly (readonly number[])[] = Object.freeze(
  Array.from({ length: 1 << COLS }, (_, mask) => {
    const cols: number[] = [];
    for (let c = 0; c < COLS; c++) if ((mask >> c) & 1) cols.push(c);
    return Object.freeze(cols);
  }),
);
const NO_ACTIONS: readonly number[] = LEGAL[0] as readonly number[];
const ALL_OPEN = (1 << COLS) - 1;

const ZEROS: readonly number[] = Object.freeze([0, 0]);
const SEAT0_WINS: readonly number[] = Object.freeze([1, -1]);
const SEAT1_WINS: readonly number[] = Object.freeze([-1, 1]);

/** Whether a 49-bit board (lo: bits 0..31, hi: bits 32..48) has four in a row. */
export function hasFour(lo: number, hi: number): boolean {
  // Vertical, s = 1.
  let mlo = lo & ((lo >>> 1) | (hi << 31));
  let mhi = hi & (hi >>> 1);
  if ((mlo & ((mlo >>> 2) | (mhi << 30))) !== 0 || (mhi & (mhi >>> 2)) !== 0) return true;
  // Horizontal, s = 7.
  mlo = lo & ((lo >>> 7) | (hi << 25));
  mhi = hi & (hi >>> 7);
  if ((mlo & ((mlo >>> 14) | (mhi << 18))) !== 0 || (mhi & (mhi >>> 14)) !== 0) return true;
  // Diagonal, s = 6.
  mlo = lo & ((lo >>> 6) | (hi << 26));
  mhi = hi & (hi >>> 6);
  if ((mlo & ((mlo >>> 12) | (mhi << 20))) !== 0 || (mhi & (mhi >>> 12)) !== 0) return true;
  // Diagonal, s = 8.
  mlo = lo & ((lo >>> 8) | (hi << 24));
  mhi = hi & (hi >>> 8);
  return (mlo & ((mlo >>> 16) | (mhi << 16))) !== 0 || (mhi & (mhi >>> 16)) !== 0;
}

/** Owner of the cell at `row` (0 = bottom) and `col`: 0, 1, or -1 when empty. */
export function cellOwner(state: ConnectFourState, row: number, col: number): number {
  const i = col * 7 + row;
  if (i < 32) {
    if ((state.lo0 >>> i) & 1) return 0;
    if ((state.lo1 >>> i) & 1) return 1;
  } else {
    if ((state.hi0 >>> (i - 32)) & 1) return 0;
    if ((state.hi1 >>> (i - 32)) & 1) return 1;
  }
  return -1;
}

/** Height (number of discs) of column `col`. */
export function columnHeight(state: ConnectFourState, col: number): number {
  return (state.heights >> (3 * col)) & 7;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules.

function makeState(
  lo0: number,
  hi0: number,
  lo1: number,
  hi1: number,
  heights: number,
  open: number,
  toMove: Seat,
  ply: number,
  winner: number,
  history: MoveList | null,
): ConnectFourState {
  return { lo0, hi0, lo1, hi1, heights, open, toMove, ply, winner, history };
}

const INITIAL: ConnectFourState = Object.freeze(makeState(0, 0, 0, 0, 0, ALL_OPEN, 0, 0, -1, null));

function applyMove(state: ConnectFourState, actions: readonly number[]): ConnectFourState | ArenaError {
  if (state.open === 0) return new ArenaError('match/over', `${ID}: the game is over`);
  const col = singleDiscreteAction(ID, actions);
  if (col instanceof ArenaError) return col;
  if (col < 0 || col >= COLS || ((state.open >> col) & 1) === 0) return illegalAction(ID, state.toMove, col);

  const h = (state.heights >> (3 * col)) & 7;
  const index = col * 7 + h;
  const addLo = index < 32 ? 1 << index : 0;
  const addHi = index < 32 ? 0 : 1 << (index - 32);
  const ply = state.ply + 1;
  const history: MoveList = { a: col, prev: state.history };
  const heights = state.heights + (1 << (3 * col));
  let open = h === ROWS - 1 ? state.open & ~(1 << col) : state.open;
  let winner = -1;
  if (state.toMove === 0) {
    const lo = state.lo0 | addLo;
    const hi = state.hi0 | addHi;
    if (ply >= 7 && hasFour(lo, hi)) {
      winner = 0;
      open = 0;
    }
    return makeState(lo, hi, state.lo1, state.hi1, heights, open, 1, ply, winner, history);
  }
  const lo = state.lo1 | addLo;
  const hi = state.hi1 | addHi;
  if (ply >= 8 && hasFour(lo, hi)) {
    winner = 1;
    open = 0;
  }
  return makeState(state.lo0, state.hi0, lo, hi, heights, open, 0, ply, winner, history);
}

function returnsOf(state: ConnectFourState): readonly number[] {
  return state.winner === 0 ? SEAT0_WINS : state.winner === 1 ? SEAT1_WINS : ZEROS;
}

function cmp(a: readonly number[], b: readonly number[]): number {
  return (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number);
}

/**
 * The 69 four-cell windows (rows, columns, both diagonals), 4 bitboard indices each (index = col * 7 + row,
 * row 0 at the bottom). Shared with the Connect Four search heuristic.
 */
export const FOUR_WINDOWS: Int8Array = (() => {
  const out: number[] = [];
  const dirs = [
    [0, 1],
    [1, 0],
    [1, 1],
    [1, -1],
  ] as const;
  for (let c = 0; c < COLS; c++) {
    for (let r = 0; r < ROWS; r++) {
      for (const [dc, dr] of dirs) {
        const c3 = c + 3 * dc;
        const r3 = r + 3 * dr;
        if (c3 >= COLS || r3 < 0 || r3 >= ROWS) continue;
        for (let k = 0; k < 4; k++) out.push((c + k * dc) * 7 + (r + k * dr));
      }
    }
  }
  return Int8Array.from(out);
})();

/** Cells of every four-in-a-row of `seat`, as [row (0 = top), col] pairs. */
function winningCells(state: ConnectFourState, seat: Seat): number[][] {
  const cells = new Set<number>();
  for (let w = 0; w < FOUR_WINDOWS.length; w += 4) {
    let all = true;
    for (let k = 0; k < 4 && all; k++) {
      const i = FOUR_WINDOWS[w + k] as number;
      all = cellOwner(state, i % 7, Math.floor(i / 7)) === seat;
    }
    if (all) for (let k = 0; k < 4; k++) cells.add(FOUR_WINDOWS[w + k] as number);
  }
  // Bitboard index -> [top-based row, col], sorted top row first.
  return [...cells].map((i) => [ROWS - 1 - (i % 7), Math.floor(i / 7)]).sort((a, b) => cmp(a, b));
}

function boardText(state: ConnectFourState): string {
  let s = '';
  for (let r = ROWS - 1; r >= 0; r--) {
    for (let c = 0; c < COLS; c++) {
      const o = cellOwner(state, r, c);
      s += o === 0 ? 'x' : o === 1 ? 'o' : '.';
    }
    s += '\n';
  }
  return s;
}

function fromSerialized(text: string): ConnectFourState {
  return replayMoveList(ID, text, INITIAL, applyMove, CELLS);
}

function createConnectFour(_params: ConnectFourParams): Game<ConnectFourState, number> {
  const game: Game<ConnectFourState, number> = {
    spec: connectFourSpec as GameSpec<unknown>,
    params: Object.freeze({}),
    numPlayers: 2,
    actionSpace: Object.freeze({ kind: 'discrete', n: COLS }),
    observationShape: Object.freeze([3, ROWS, COLS]),
    maxLength: CELLS,
    minUtility: -1,
    maxUtility: 1,

    init: () => INITIAL,
    currentPlayers: (state) => (state.open === 0 ? NO_SEATS : onlySeat(state.toMove)),
    isTerminal: (state) => state.open === 0,
    chanceOutcomes: () => [],
    sampleChance: () => {
      throw new Error(`${ID}: there are no chance nodes`);
    },
    legalActions: (state, seat) => (seat === state.toMove ? (LEGAL[state.open] as readonly number[]) : NO_ACTIONS),
    apply: applyMove,
    rewards: (state) => (state.open === 0 ? returnsOf(state) : ZEROS),
    returns: returnsOf,

    observationTensor(state, seat) {
      // OpenSpiel's PlayerRelative: plane 0 = the other seat's discs, 1 = the viewer's own discs, 2 = empty.
      const t = new Float32Array(3 * CELLS);
      for (let r = 0; r < ROWS; r++) {
        for (let c = 0; c < COLS; c++) {
          const o = cellOwner(state, r, c);
          const plane = o === -1 ? 2 : o === seat ? 1 : 0;
          t[plane * CELLS + r * COLS + c] = 1;
        }
      }
      return t;
    },
    observationText: (state) => boardText(state),
    informationState: (state) => historyActions(state.history).join(', '),
    actionToString: (_seat, action) => `col ${action}`,
    parseAction: (state, seat, text) => parseDiscreteAction(game, state, seat, text),
    serialize: (state) => serializeMoveList(state.history),
    deserialize: fromSerialized,

    render(state, _viewer): Json {
      const board: number[][] = [];
      for (let r = ROWS - 1; r >= 0; r--) {
        const row: number[] = [];
        for (let c = 0; c < COLS; c++) row.push(cellOwner(state, r, c));
        board.push(row);
      }
      const view: { [key: string]: Json } = {
        board,
        toMove: state.open === 0 ? null : state.toMove,
        winner: state.winner === -1 ? null : state.winner,
        lastMove: state.history === null ? null : state.history.a,
      };
      if (state.winner !== -1) view.winningLine = winningCells(state, state.winner);
      return view;
    },
    renderText(state, _viewer) {
      const lines = [' ' + Array.from({ length: COLS }, (_, c) => String(c)).join(' ')];
      for (let r = ROWS - 1; r >= 0; r--) {
        const cells: string[] = [];
        for (let c = 0; c < COLS; c++) {
          const o = cellOwner(state, r, c);
          cells.push(o === 0 ? 'X' : o === 1 ? 'O' : '.');
        }
        lines.push('|' + cells.join(' ') + '|');
      }
      lines.push('+' + '-'.repeat(2 * COLS - 1) + '+');
      const who = (s: Seat): string => (s === 0 ? 'X' : 'O');
      if (state.winner !== -1) {
        const at = winningCells(state, state.winner).map(([r, c]) => `(${r},${c})`);
        lines.push(`${who(state.winner)} wins: ${at.join(' ')}`);
      }
      else if (state.open === 0) lines.push('Draw');
      else lines.push(`${who(state.toMove)} to move`);
      return lines.join('\n');
    },
  };
  return game;
}

export const connectFour: GameModule<ConnectFourState, number, ConnectFourParams> = {
  spec: connectFourSpec,
  create: createConnectFour,
};
