/** Structural checks of actions against a game's action space, and the default action per seat. */
import { ArenaError } from '../environments/core/errors';
import type { Action, AnyGame, Seat } from '../environments/core/game';
import { illegalAction } from '../environments/core/helpers';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Whether `action` fits the action space and (for discrete games) is legal for `seat` now. Games still have
 * the last word in `apply`; this lets the engine blame the right seat when several act at once.
 */
export function checkAction(game: AnyGame, state: unknown, seat: Seat, action: unknown): ArenaError | null {
  const space = game.actionSpace;
  const id = game.spec.id;
  const malformed = (why: string): ArenaError =>
    new ArenaError('action/malformed', `${id}: seat ${seat}: ${why}, got ${JSON.stringify(action)?.slice(0, 80)}`);
  switch (space.kind) {
    case 'discrete': {
      if (typeof action !== 'number' || !Number.isInteger(action)) return malformed('expected an integer action id');
      return game.legalActions(state, seat).includes(action) ? null : illegalAction(id, seat, action);
    }
    case 'multi-discrete': {
      if (!Array.isArray(action) || action.length !== space.nvec.length) {
        return malformed(`expected ${space.nvec.length} integers`);
      }
      const ok = action.every((v, i) => Number.isInteger(v) && v >= 0 && v < (space.nvec[i] ?? 0));
      return ok ? null : malformed('component out of range');
    }
    case 'box': {
      const n = size(space.shape);
      if (!Array.isArray(action) || action.length !== n) return malformed(`expected ${n} numbers`);
      const ok = action.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= space.low && v <= space.high);
      return ok ? null : malformed(`components must be finite and in [${space.low}, ${space.high}]`);
    }
    case 'text': {
      if (typeof action !== 'string') return malformed('expected a string');
      return action.length <= space.maxLength ? null : malformed(`text longer than ${space.maxLength} characters`);
    }
  }
}

/** The action used when a seat times out or errs under the default-action policy (first legal, or zeros). */
export function defaultAction(game: AnyGame, state: unknown, seat: Seat): Action {
  const space = game.actionSpace;
  if (space.kind === 'box') return new Array<number>(size(space.shape)).fill(Math.min(Math.max(0, space.low), space.high));
  if (space.kind === 'multi-discrete') return new Array<number>(space.nvec.length).fill(0);
  const legal = game.legalActions(state, seat);
  if (legal.length > 0) return legal[0] as Action;
  return space.kind === 'text' ? '' : 0;
}

export function sameAction(a: Action, b: Action): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
