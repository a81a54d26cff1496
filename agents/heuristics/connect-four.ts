/**
 * A Connect Four evaluation for depth-limited search: a sum over the 69 four-cell windows of the board (open
 * twos and threes, i.e. windows that only one seat occupies) plus a preference for the centre column. Integer
 * valued, bounded well inside +-500, so search can rank wins and losses (about +-1000) above every heuristic value.
 */
import type { Seat } from '../../environments/core/game';
import { COLS, FOUR_WINDOWS, ROWS, type ConnectFourState } from '../../environments/zero-sum/connect-four';

/** Window scores by the number of the evaluating seat's discs (no opponent disc in the window). */
const OWN_SCORE = [0, 0, 2, 5, 100] as const;
/** Window scores by the number of opponent discs (no own disc in the window). */
const OPP_SCORE = [0, 0, -2, -5, -100] as const;
/** Per disc in the centre column. */
const CENTRE = 3;

/** The 69 windows, 4 board indices each (index = col * 7 + row, row 0 at the bottom; the bitboard layout). */
const WINDOWS = FOUR_WINDOWS;

/** SCORE[own + 5 * opp] for a window with `own` and `opp` discs. */
const SCORE: Int16Array = (() => {
  const t = new Int16Array(25);
  for (let own = 0; own <= 4; own++) {
    for (let opp = 0; opp + own <= 4; opp++) {
      t[own + 5 * opp] = opp === 0 ? (OWN_SCORE[own] as number) : own === 0 ? (OPP_SCORE[opp] as number) : 0;
    }
  }
  return t;
})();

const cells = new Int8Array(49);

/** Number of windows (for tests). */
export const CONNECT_FOUR_WINDOWS = WINDOWS.length / 4;

/** Static value of `state` for `seat` (positive = good for `seat`); integer, |value| < 500 before a win. */
export function connectFourHeuristic(state: ConnectFourState, seat: Seat): number {
  // 1 for the evaluating seat's discs, 5 for the opponent's, 0 for empty.
  const ownLo = seat === 0 ? state.lo0 : state.lo1;
  const ownHi = seat === 0 ? state.hi0 : state.hi1;
  const oppLo = seat === 0 ? state.lo1 : state.lo0;
  const oppHi = seat === 0 ? state.hi1 : state.hi0;
  for (let i = 0; i < 32; i++) cells[i] = ((ownLo >>> i) & 1) + 5 * ((oppLo >>> i) & 1);
  for (let i = 32; i < 49; i++) cells[i] = ((ownHi >>> (i - 32)) & 1) + 5 * ((oppHi >>> (i - 32)) & 1);
  let score = 0;
  for (let w = 0; w < WINDOWS.length; w += 4) {
    score +=
      SCORE[
        (cells[WINDOWS[w] as number] as number) +
          (cells[WINDOWS[w + 1] as number] as number) +
          (cells[WINDOWS[w + 2] as number] as number) +
          (cells[WINDOWS[w + 3] as number] as number)
      ] as number;
  }
  for (let r = 0; r < ROWS; r++) {
    const v = cells[3 * 7 + r] as number;
    score += v === 1 ? CENTRE : v === 5 ? -CENTRE : 0;
  }
  return score;
}

/** Columns in search order, centre first. */
export const CONNECT_FOUR_ORDER: readonly number[] = Object.freeze([3, 2, 4, 1, 5, 0, 6]);

/** `legal` reordered centre-first (a new array; `legal` is not changed). */
export function connectFourOrder(_state: ConnectFourState, legal: readonly number[]): readonly number[] {
  if (legal.length === COLS) return CONNECT_FOUR_ORDER;
  const out: number[] = [];
  for (const c of CONNECT_FOUR_ORDER) if (legal.includes(c)) out.push(c);
  return out;
}
