/**
 * Connect Four: 7 columns, click a column (or press 1-7; arrows and Enter move and drop) to drop a disc.
 * Render data: `board` rows top first (-1 empty, 0 red, 1 yellow), `lastMove` column, `winningLine` [row, col].
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { BoardProps, GameViewEntry } from './types';
import { legalIds, useKeys } from './keys';

const COLS = 7;
const ROWS = 6;
const NAMES = ['Red', 'Yellow'] as const;

interface C4Render {
  readonly board: readonly (readonly number[])[];
  readonly toMove: number | null;
  readonly winner: number | null;
  readonly lastMove: number | null;
  readonly winningLine?: readonly (readonly number[])[];
}

function parse(render: unknown): C4Render {
  const r = render as Partial<C4Render> | null;
  const board = Array.isArray(r?.board) && r.board.length === ROWS ? r.board : Array.from({ length: ROWS }, () => new Array<number>(COLS).fill(-1));
  return { board, toMove: r?.toMove ?? null, winner: r?.winner ?? null, lastMove: r?.lastMove ?? null, winningLine: r?.winningLine ?? [] };
}

function Board({ render, seat, turn, act }: BoardProps): JSX.Element {
  const r = parse(render);
  const legal = legalIds(turn?.legalActions);
  const canAct = act !== null && legal.size > 0;
  const [cursor, setCursor] = useState(3);
  const drop = (col: number): void => {
    if (canAct && legal.has(col)) act(col);
  };
  useKeys(canAct, (key) => {
    if (key >= '1' && key <= '7') {
      drop(Number(key) - 1);
      return true;
    }
    if (key === 'ArrowLeft' || key === 'ArrowRight') {
      setCursor((c) => Math.min(COLS - 1, Math.max(0, c + (key === 'ArrowLeft' ? -1 : 1))));
      return true;
    }
    if (key === 'Enter' || key === ' ' || key === 'ArrowDown') {
      drop(cursor);
      return true;
    }
    return false;
  });
  const winning = new Set((r.winningLine ?? []).map(([row, col]) => `${row}-${col}`));
  // The disc just played is the top one of the last column played.
  const lastRow = r.lastMove === null ? -1 : r.board.findIndex((row) => (row[r.lastMove!] ?? -1) >= 0);
  const mine = seat ?? r.toMove ?? 0;
  return (
    <div class={`c4 ${canAct ? 'c4-active' : ''} ${seat !== null ? 'c4-seated' : ''}`} data-testid="board" data-game="connect-four">
      <div class="c4-grid" role="grid" aria-label="Connect Four board">
        {Array.from({ length: COLS }, (_, col) => (
          <button
            key={col}
            type="button"
            class={`c4-col ${canAct && cursor === col ? 'c4-cursor' : ''}`}
            data-col={col}
            disabled={!canAct || !legal.has(col)}
            aria-label={`Column ${col + 1}`}
            onClick={() => drop(col)}
            onMouseEnter={() => setCursor(col)}
          >
            {canAct && <span class={`c4-ghost seat-${mine}`} aria-hidden="true" />}
            {r.board.map((row, rowIndex) => {
              const owner = row[col] ?? -1;
              const cls = ['c4-cell', owner >= 0 ? `seat-${owner}` : 'empty', winning.has(`${rowIndex}-${col}`) ? 'win' : '', rowIndex === lastRow && col === r.lastMove ? 'last' : ''];
              return <span key={rowIndex} class={cls.join(' ')} data-owner={owner} style={{ '--row': rowIndex }} />;
            })}
          </button>
        ))}
      </div>
      <div class="c4-labels" aria-hidden="true">
        {Array.from({ length: COLS }, (_, col) => (
          <span key={col}>{col + 1}</span>
        ))}
      </div>
    </div>
  );
}

function Icon(): JSX.Element {
  const discs = [
    [0, 2, 0],
    [1, 2, 1],
    [2, 2, 0],
    [1, 1, 1],
    [2, 1, 0],
    [3, 2, 1],
  ] as const;
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <rect x="2" y="4" width="76" height="58" rx="8" fill="#2563eb" />
      {Array.from({ length: 12 }, (_, i) => {
        const c = i % 4;
        const r = Math.floor(i / 4);
        const d = discs.find(([dc, dr]) => dc === c && dr === r);
        const fill = d ? (d[2] === 0 ? '#ef4444' : '#facc15') : '#dbeafe';
        return <circle key={i} cx={14 + c * 17} cy={16 + r * 17} r="6.5" fill={fill} />;
      })}
    </svg>
  );
}

export const connectFourView: GameViewEntry = {
  id: 'connect-four',
  view: { kind: 'board', Board },
  seatLabel: (seat) => NAMES[seat] ?? `Seat ${seat + 1}`,
  describe: (action) => (typeof action === 'number' ? `column ${action + 1}` : 'move'),
  hint: 'click a column or press 1-7',
  Icon,
};
