/**
 * How a game is drawn in the browser. Each game has one view module (web/src/games/<game-id>.tsx) listed in
 * registry.ts; a game without one gets the generic view (its render JSON and numbered action buttons).
 *
 * Two kinds of view:
 * - `board`: a Preact component for turn-based games (DOM/SVG), clicked or played with the keyboard;
 * - `realtime-canvas`: for realtime games, a `draw` function called every animation frame with the latest render
 *   data, and an `action` function that turns the keys held down into the action vector sent on every tick.
 */
import type { ActionValue, Turn } from '@selfplay-arena/client';
import type { ComponentType } from 'preact';

export interface BoardProps {
  /** The game's render data for this viewer (`game.render(state, seat)` on the server). */
  readonly render: unknown;
  /** The viewer's seat, or null for spectators and replays. */
  readonly seat: number | null;
  /** The decision the server is waiting for from this viewer, if any. */
  readonly turn: Turn | null;
  /** Sends an action for `turn`; null when the viewer cannot act (replays, spectators, not your turn). */
  readonly act: ((action: ActionValue) => void) | null;
  readonly seats: readonly { readonly name: string }[];
}

export interface BoardView {
  readonly kind: 'board';
  readonly Board: ComponentType<BoardProps>;
}

export interface RealtimeCanvasView {
  readonly kind: 'realtime-canvas';
  /** Logical canvas size in CSS pixels (scaled to fit the screen, sharp on high-density displays). */
  readonly width: number;
  readonly height: number;
  /** Draws one frame from the latest render data. Must not keep state between calls other than caches. */
  draw(ctx: CanvasRenderingContext2D, render: unknown, seat: number | null): void;
  /** The action to send now, from the keys held down (`KeyboardEvent.code` values, e.g. 'ArrowLeft', 'Space'). */
  action(keys: ReadonlySet<string>, seat: number): ActionValue;
  /** One line telling people which keys do what. */
  readonly controls: string;
}

export type GameView = BoardView | RealtimeCanvasView;

export interface GameViewEntry {
  readonly id: string;
  readonly view: GameView;
  /** What a seat is called in this game ("Red", "X", "Dealer"): used in player bars and replays. */
  seatLabel(seat: number): string;
  /** How a played action reads in replays ("column 4", "Bet"); `render` is the board before the action. */
  describe(action: ActionValue | null, seat: number, before: unknown): string;
  /** How to move, mouse and keyboard, in a few words ("click a column or press 1-7"). */
  readonly hint: string;
  /** A small picture for the lobby's game cards. */
  readonly Icon: ComponentType;
}
