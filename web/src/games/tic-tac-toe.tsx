/**
 * Tic-tac-toe: click a square, or press 1-9 (row by row from the top left); arrows and Enter move and mark.
 * Render data: `board` 3x3 (-1 empty, 0 X, 1 O), `lastMove` cell, `winningLine` [row, col].
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { BoardProps, GameViewEntry } from './types';
import { legalIds, useKeys } from './keys';

const MARKS = ['X', 'O'] as const;

interface TttRender {
  readonly board: readonly (readonly number[])[];
  readonly lastMove: number | null;
  readonly winningLine?: readonly (readonly number[])[];
}

function parse(render: unknown): TttRender {
  const r = render as Partial<TttRender> | null;
  const board = Array.isArray(r?.board) && r.board.length === 3 ? r.board : [[-1, -1, -1], [-1, -1, -1], [-1, -1, -1]];
  return { board, lastMove: r?.lastMove ?? null, winningLine: r?.winningLine ?? [] };
}

function Board({ render, turn, act }: BoardProps): JSX.Element {
  const r = parse(render);
  const legal = legalIds(turn?.legalActions);
  const canAct = act !== null && legal.size > 0;
  const [cursor, setCursor] = useState(4);
  const mark = (cell: number): void => {
    if (canAct && legal.has(cell)) act(cell);
  };
  useKeys(canAct, (key) => {
    if (key >= '1' && key <= '9') {
      mark(Number(key) - 1);
      return true;
    }
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -3, ArrowDown: 3 };
    const delta = moves[key];
    if (delta !== undefined) {
      setCursor((c) => (c + delta >= 0 && c + delta < 9 && (Math.abs(delta) === 3 || Math.floor((c + delta) / 3) === Math.floor(c / 3)) ? c + delta : c));
      return true;
    }
    if (key === 'Enter' || key === ' ') {
      mark(cursor);
      return true;
    }
    return false;
  });
  const winning = new Set((r.winningLine ?? []).map(([row, col]) => (row ?? 0) * 3 + (col ?? 0)));
  return (
    <div class="ttt" data-testid="board" data-game="tic-tac-toe" role="grid" aria-label="Tic-tac-toe board">
      {r.board.flatMap((row, ri) =>
        row.map((owner, ci) => {
          const cell = ri * 3 + ci;
          const cls = ['ttt-cell', owner >= 0 ? `seat-${owner}` : 'empty', winning.has(cell) ? 'win' : '', cell === r.lastMove ? 'last' : '', canAct && cursor === cell ? 'cursor' : ''];
          return (
            <button key={cell} type="button" class={cls.join(' ')} data-cell={cell} data-owner={owner} disabled={!canAct || !legal.has(cell)} aria-label={`Square ${cell + 1}${owner >= 0 ? `, ${MARKS[owner]}` : ''}`} onClick={() => mark(cell)}>
              {owner >= 0 ? MARKS[owner] : canAct ? <span class="ttt-hint">{cell + 1}</span> : null}
            </button>
          );
        }),
      )}
    </div>
  );
}

function Icon(): JSX.Element {
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <rect x="2" y="4" width="76" height="58" rx="8" fill="#eef2ff" />
      <path d="M31 12v44M49 12v44M16 26h48M16 42h48" stroke="#a5b4fc" stroke-width="3" stroke-linecap="round" />
      <path d="M19 14l8 8M27 14l-8 8M37 30l8 8M45 30l-8 8" stroke="#4f46e5" stroke-width="3.5" stroke-linecap="round" />
      <circle cx="58" cy="50" r="5" fill="none" stroke="#e11d48" stroke-width="3.5" />
      <circle cx="58" cy="18" r="5" fill="none" stroke="#e11d48" stroke-width="3.5" />
    </svg>
  );
}

export const ticTacToeView: GameViewEntry = {
  id: 'tic-tac-toe',
  view: { kind: 'board', Board },
  seatLabel: (seat) => MARKS[seat] ?? `Seat ${seat + 1}`,
  describe: (action) => (typeof action === 'number' ? `square ${action + 1}` : 'move'),
  hint: 'click a square or press 1-9',
  Icon,
};
