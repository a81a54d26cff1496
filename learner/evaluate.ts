/**
 * How good a neural snapshot is: exact NashConv for games whose tree we can enumerate (Kuhn, Leduc), and win
 * rates against agent specs (random, alphabeta:depth=2, ...) for the others.
 *
 * NashConv: the network acts on observation tensors, the solvers on information sets. Each information set's
 * observation tensor is found once per game by walking every state (the tensor must be the same for every
 * state of the set; a game that violates this leaks hidden information and is refused), then a policy's
 * probabilities at each set fill a per-slot policy for agents/solvers' exact best response.
 */
import type { Agent } from '../agents/agent';
import type { MlpPolicy } from '../agents/neural';
import { createAgent } from '../agents/registry';
import { nashConv, type NashConvResult } from '../agents/solvers/best-response';
import { buildGameTree, infosetActions, type GameTree, type SlotPolicy } from '../agents/solvers/game-tree';
import { tableFromSlots, type PolicyTable } from '../agents/tabular-policy';
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type AnyGame } from '../environments/core/game';
import { applyOrThrow } from '../environments/core/helpers';
import { deriveSeed } from '../environments/core/rng';
import { runMatch } from '../engine/match';
import { seatOutcome } from '../engine/outcome';

interface InfosetTensors {
  readonly tree: GameTree;
  /** Observation tensor of the acting seat, per information set (tree order). */
  readonly observations: readonly Float32Array[];
}

const infosetCache = new WeakMap<AnyGame, InfosetTensors>();

/** The game tree and one observation tensor per information set (cached per game instance). */
export function infosetTensors(game: AnyGame): InfosetTensors {
  const hit = infosetCache.get(game);
  if (hit) return hit;
  const tree = buildGameTree(game);
  const observations = new Array<Float32Array | undefined>(tree.numInfosets);
  const visit = (state: unknown): void => {
    if (game.isTerminal(state)) return;
    const seat = game.currentPlayers(state)[0]!;
    if (seat === CHANCE) {
      for (const o of game.chanceOutcomes(state)) visit(applyOrThrow(game, state, [o.action]));
      return;
    }
    const i = tree.infosetIndex.get(game.informationState(state, seat))!;
    const obs = game.observationTensor(state, seat);
    const known = observations[i];
    if (!known) observations[i] = obs;
    else if (known.some((x, k) => x !== obs[k])) {
      throw new ArenaError('agent/unsupported-game', `${game.spec.id}: states of information set ${tree.infosetKeys[i]} have different observations`);
    }
    for (const a of game.legalActions(state, seat)) visit(applyOrThrow(game, state, [a]));
  };
  visit(game.init(0));
  const result = { tree, observations: observations.map((o) => o ?? new Float32Array(0)) };
  infosetCache.set(game, result);
  return result;
}

/** The network's probabilities at every information set of `game`, as a per-slot policy. */
export function slotsFromMlp(game: AnyGame, policy: MlpPolicy): SlotPolicy {
  const { tree, observations } = infosetTensors(game);
  const slots = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const legal = infosetActions(tree, i);
    const probs = policy.probabilities(observations[i]!, legal);
    const lo = tree.slotStart[i]!;
    legal.forEach((a, k) => (slots[lo + k] = probs[a]!));
  }
  return slots;
}

/** Exact NashConv of the network's policy (two-player games with enumerable trees: Kuhn, Leduc). */
export function nashConvOfPolicy(game: AnyGame, policy: MlpPolicy): NashConvResult {
  return nashConv(infosetTensors(game).tree, slotsFromMlp(game, policy));
}

/** The network as a tabular policy file (OpenSpiel keys), e.g. to play it as `policy:FILE`. */
export function tabularFromMlp(game: AnyGame, policy: MlpPolicy): PolicyTable {
  return tableFromSlots(infosetTensors(game).tree, slotsFromMlp(game, policy));
}

export interface WinRateResult {
  readonly episodes: number;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  /** wins / episodes */
  readonly winRate: number;
  /** (wins + draws / 2) / episodes */
  readonly score: number;
  /** Win rate of agent A in each seat (half of the episodes each, seat 0 first). */
  readonly winRateBySeat: readonly number[];
}

/**
 * Plays `episodes` matches of agent A (made per match from a seed) against `opponent` (an agent spec such as
 * "random" or "alphabeta:depth=2"), alternating seats, with runMatch. Two-player games.
 */
export async function winRate(
  game: AnyGame,
  makeAgent: (seed: number) => Agent,
  opponent: string,
  episodes: number,
  seed: number,
): Promise<WinRateResult> {
  if (game.numPlayers !== 2) throw new ArenaError('agent/unsupported-game', `winRate: ${game.spec.id} is not a two-player game`);
  let wins = 0;
  let draws = 0;
  const seatWins = [0, 0];
  const seatGames = [0, 0];
  for (let e = 0; e < episodes; e++) {
    const seat = e % 2;
    const a = makeAgent(deriveSeed(seed, e, 1));
    const b = createAgent(opponent, { game, seed: deriveSeed(seed, e, 2) });
    const record = await runMatch(game, deriveSeed(seed, e, 0), seat === 0 ? [{ agent: a }, { agent: b }] : [{ agent: b }, { agent: a }]);
    const outcome = seatOutcome(record.returns, seat);
    seatGames[seat]!++;
    if (outcome === 'win') {
      wins++;
      seatWins[seat]!++;
    } else if (outcome === 'draw') draws++;
  }
  return {
    episodes,
    wins,
    draws,
    losses: episodes - wins - draws,
    winRate: wins / episodes,
    score: (wins + draws / 2) / episodes,
    winRateBySeat: seatWins.map((w, s) => (seatGames[s]! > 0 ? w / seatGames[s]! : 0)),
  };
}
