/**
 * perft: the number of nodes exactly `depth` plies below a state, the standard move-generator oracle (chess
 * programs' "perft"; OpenSpiel's tree-size counts). Terminal nodes above that depth are not expanded and not
 * counted. Chance nodes count as plies like decisions and expand every outcome; a simultaneous node expands every
 * joint action (the product of the acting seats' legal actions).
 */
import { CHANCE, type Action, type Game } from '../environments/core/game';
import { applyOrThrow } from '../environments/core/helpers';

/** Number of joint actions at a non-terminal state (children of the node). */
function branching<S, A extends Action>(game: Game<S, A>, state: S): number {
  const players = game.currentPlayers(state);
  if (players.length === 1 && players[0] === CHANCE) return game.chanceOutcomes(state).length;
  let n = 1;
  for (const seat of players) n *= game.legalActions(state, seat).length;
  return n;
}

/** Every joint action at a non-terminal state, in `currentPlayers` order. */
function jointActions<S, A extends Action>(game: Game<S, A>, state: S): A[][] {
  const players = game.currentPlayers(state);
  if (players.length === 1 && players[0] === CHANCE) return game.chanceOutcomes(state).map((o) => [o.action]);
  let joint: A[][] = [[]];
  for (const seat of players) {
    const legal = game.legalActions(state, seat);
    joint = joint.flatMap((prefix) => legal.map((a) => [...prefix, a]));
  }
  return joint;
}

/** Nodes exactly `depth` plies below `state` (1 at depth 0). Pure: `state` is not changed. */
export function perft<S, A extends Action>(game: Game<S, A>, state: S, depth: number): number {
  if (!Number.isInteger(depth) || depth < 0) throw new RangeError(`perft: bad depth ${depth}`);
  if (depth === 0) return 1;
  if (game.isTerminal(state)) return 0;
  // Bulk counting: every child is a node at the target depth, terminal or not.
  if (depth === 1) return branching(game, state);
  const players = game.currentPlayers(state);
  let total = 0;
  if (players.length === 1 && players[0] !== CHANCE) {
    const seat = players[0] as number;
    const legal = game.legalActions(state, seat);
    for (let i = 0; i < legal.length; i++) {
      total += perft(game, applyOrThrow(game, state, [legal[i] as A]), depth - 1);
    }
    return total;
  }
  for (const joint of jointActions(game, state)) total += perft(game, applyOrThrow(game, state, joint), depth - 1);
  return total;
}
