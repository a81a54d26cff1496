/**
 * The game views, one explicit list (no registration by import side effect). To add a game: write
 * web/src/games/<game-id>.tsx exporting a GameViewEntry (a `board` component, or a `realtime-canvas` view for
 * realtime games) and add it here. Games not listed get the generic view.
 */
import type { JSX } from 'preact';
import { connectFourView } from './connect-four';
import { droneVolleyballView } from './drone-volleyball';
import { genericView } from './generic';
import { hanabiView } from './hanabi';
import { kuhnPokerView } from './kuhn-poker';
import { leducPokerView } from './leduc-poker';
import { overcookedView } from './overcooked';
import { RealtimeCanvasBoard } from './realtime-canvas';
import { slimeVolleyballView } from './slime-volleyball';
import { ticTacToeView } from './tic-tac-toe';
import type { BoardProps, GameViewEntry } from './types';

export const GAME_VIEWS: readonly GameViewEntry[] = [
  ticTacToeView,
  connectFourView,
  kuhnPokerView,
  leducPokerView,
  hanabiView,
  overcookedView,
  slimeVolleyballView,
  droneVolleyballView,
];

const byId = new Map(GAME_VIEWS.map((v) => [v.id, v]));

export function viewFor(gameId: string): GameViewEntry {
  return byId.get(gameId) ?? genericView(gameId);
}

/** Draws a game for any view kind. */
export function GameBoard({ game, ...props }: BoardProps & { readonly game: string }): JSX.Element {
  const entry = viewFor(game);
  if (entry.view.kind === 'realtime-canvas') return <RealtimeCanvasBoard view={entry.view} {...props} />;
  const Board = entry.view.Board;
  return <Board {...props} />;
}
