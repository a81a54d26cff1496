/**
 * The game registry: an explicit list (no registration by import side effect). A test counts it.
 */
import { ArenaError } from './core/errors';
import type { Action, AnyGame, Game, GameModule } from './core/game';
import { parseParams } from './core/helpers';
import { hanabi } from './cooperative/hanabi';
import { overcooked } from './cooperative/overcooked';
import { negotiation } from './general-sum/negotiation';
import { connectFour } from './zero-sum/connect-four';
import { kuhnPoker } from './zero-sum/kuhn-poker';
import { leducPoker } from './zero-sum/leduc-poker';
import { ticTacToe } from './zero-sum/tic-tac-toe';
import { droneVolleyball } from './physics/drone-volleyball';
import { slimeVolleyball } from './physics/slime-volleyball';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous modules; loadGame narrows.
type AnyModule = GameModule<any, any, any>;

export const GAME_MODULES: readonly AnyModule[] = [
  ticTacToe,
  connectFour,
  kuhnPoker,
  leducPoker,
  hanabi,
  overcooked,
  negotiation,
  slimeVolleyball,
  droneVolleyball,
];

export function gameIds(): string[] {
  return GAME_MODULES.map((m) => m.spec.id);
}

export function findGameModule(id: string): AnyModule | undefined {
  return GAME_MODULES.find((m) => m.spec.id === id);
}

/**
 * The rules of game `id` with `params` (validated; defaults filled in). Throws ArenaError `env/unknown-game`
 * or `env/invalid-params`.
 */
export function loadGame(id: string, params: unknown = {}): AnyGame {
  const mod = findGameModule(id);
  if (!mod) throw new ArenaError('env/unknown-game', `unknown game "${id}" (known: ${gameIds().join(', ')})`);
  return mod.create(parseParams(id, mod.spec.params, params)) as Game<unknown, Action>;
}
