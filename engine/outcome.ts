/** How a match's returns are settled when it does not end by the rules. */
import type { AnyGame, Seat } from '../environments/core/game';

/**
 * Returns after `seat` forfeits. Zero- and constant-sum games: the forfeiting seat gets the game's minimum
 * utility and the others share what it loses, so the sum stays what the utility type promises. Cooperative and
 * general-sum games: the forfeiting seat gets the minimum utility, the others keep what they have.
 */
export function forfeitReturns(game: AnyGame, state: unknown, seat: Seat): number[] {
  const current = [...game.returns(state)];
  const n = game.numPlayers;
  if (game.spec.utility === 'zero-sum' || game.spec.utility === 'constant-sum') {
    const total = current.reduce((a, b) => a + b, 0);
    const share = (total - game.minUtility) / (n - 1);
    return current.map((_, i) => (i === seat ? game.minUtility : share));
  }
  return current.map((r, i) => (i === seat ? game.minUtility : r));
}

/** A seat's result by its return: 'draw' when every seat has the same return, else 'win' for the best return. */
export function seatOutcome(returns: readonly number[], seat: number): 'win' | 'draw' | 'loss' {
  const best = Math.max(...returns);
  if (returns.every((r) => r === best)) return 'draw';
  return returns[seat] === best ? 'win' : 'loss';
}
