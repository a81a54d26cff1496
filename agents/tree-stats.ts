/**
 * Whole-tree statistics by exhaustive enumeration through the public interface: the number of complete games
 * (terminal histories) by outcome, and the number of distinct positions. Only for small games (tic-tac-toe,
 * Kuhn); `maxNodes` guards against starting an enumeration that cannot finish.
 */
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type Action, type AnyGame } from '../environments/core/game';
import { applyOrThrow } from '../environments/core/helpers';

export interface TreeStats {
  /** Terminal histories (complete games). */
  readonly games: number;
  /** Complete games per final returns vector, e.g. {"1,-1": 131184}. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** All histories visited, the root and terminals included. */
  readonly nodes: number;
  /** Distinct positions: distinct observation strings of seat 0 (meaningful for perfect-information games). */
  readonly distinctPositions: number;
}

export function treeStats(game: AnyGame, maxNodes = 5_000_000): TreeStats {
  const outcomes: Record<string, number> = {};
  const positions = new Set<string>();
  let nodes = 0;
  let games = 0;
  const visit = (state: unknown): void => {
    if (++nodes > maxNodes) {
      throw new ArenaError('cli/usage', `${game.spec.id}: tree has more than ${maxNodes} nodes; use perft with a depth`);
    }
    positions.add(game.observationText(state, 0));
    if (game.isTerminal(state)) {
      games++;
      const key = game.returns(state).join(',');
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      return;
    }
    const players = game.currentPlayers(state);
    if (players.length !== 1) throw new ArenaError('cli/usage', `${game.spec.id}: tree statistics need a sequential game`);
    const seat = players[0]!;
    const actions: readonly Action[] =
      seat === CHANCE ? game.chanceOutcomes(state).map((o) => o.action) : game.legalActions(state, seat);
    for (const a of actions) visit(applyOrThrow(game, state, [a]));
  };
  visit(game.init(0));
  return { games, outcomes, nodes, distinctPositions: positions.size };
}
