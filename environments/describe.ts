/** A JSON description of a registered game (its spec plus the facts of its default parameterisation). */
import type { GameModule, Json } from './core/game';
import { loadGame } from './registry';

export interface GameDescription {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly summary: string;
  readonly players: { readonly min: number; readonly max: number };
  readonly dynamics: string;
  readonly tickHz?: number;
  readonly utility: string;
  readonly chance: boolean;
  readonly perfectInformation: boolean;
  readonly defaultParams: Readonly<Record<string, Json>>;
  readonly numPlayers: number;
  readonly actionSpace: unknown;
  readonly observationShape: readonly number[];
  readonly maxLength: number;
  readonly utilityBounds: readonly [number, number];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any registry entry
export function describeGame(module: GameModule<any, any, any>): GameDescription {
  const g = loadGame(module.spec.id);
  const { params: _schema, ...spec } = module.spec;
  return {
    ...spec,
    defaultParams: g.params,
    numPlayers: g.numPlayers,
    actionSpace: g.actionSpace,
    observationShape: g.observationShape,
    maxLength: g.maxLength,
    utilityBounds: [g.minUtility, g.maxUtility],
  };
}
