/**
 * The view of a game without its own: the text observation of your turn (or the render data as JSON) and one
 * button per legal action. Playable, if plain, so a new game works in the browser the day it is registered.
 */
import type { ActionValue } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import type { BoardProps, GameViewEntry } from './types';

function label(action: ActionValue): string {
  return typeof action === 'string' ? action : JSON.stringify(action);
}

function Board({ render, turn, act }: BoardProps): JSX.Element {
  const text = turn?.observationText ?? JSON.stringify(render, null, 2);
  return (
    <div class="generic" data-testid="board" data-game="generic">
      <pre class="generic-view">{text}</pre>
      {act && turn && turn.legalActions.length > 0 && (
        <div class="action-bar" role="group" aria-label="Your action">
          {turn.legalActions.map((a, i) => (
            <button key={i} type="button" class="btn btn-secondary" onClick={() => act(a)}>
              {label(a)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function Icon(): JSX.Element {
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <rect x="2" y="4" width="76" height="58" rx="8" fill="#e2e8f0" />
      <path d="M22 24h36M22 34h28M22 44h32" stroke="#64748b" stroke-width="4" stroke-linecap="round" />
    </svg>
  );
}

/** The fallback entry for `gameId`. */
export function genericView(gameId: string): GameViewEntry {
  return {
    id: gameId,
    view: { kind: 'board', Board },
    seatLabel: (seat) => `Seat ${seat + 1}`,
    describe: (action, seat) => (seat < 0 ? 'chance' : action === null ? 'hidden' : `plays ${label(action)}`),
    hint: 'pick one of the actions',
    Icon,
  };
}
