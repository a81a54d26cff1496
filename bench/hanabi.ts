/**
 * Hanabi and negotiation figures, one core, through the public Game interface: complete uniformly random Hanabi
 * games per second (standard 2 players, chance sampled from the state), observation tensors per second, the
 * rule-based agent's decisions per second and its seeded self-play score (against random's), and random
 * negotiation steps per second (text actions parsed by `apply`).
 */
import { HanabiRulesAgent } from '../agents/hanabi-rules';
import { RandomAgent } from '../agents/random';
import type { Agent } from '../agents/agent';
import { LazySeatView } from '../engine/view';
import { hanabi, HANABI_SMALL_PARAMS, type HanabiState } from '../environments/cooperative/hanabi';
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type AnyGame, type Game } from '../environments/core/game';
import { Rng } from '../environments/core/rng';
import { negotiation } from '../environments/general-sum/negotiation';
import { randomRollouts, rate, type BenchResult } from './harness';

type HanabiGame = Game<HanabiState, number>;

const createHanabi = (params: Record<string, unknown> = {}): HanabiGame => hanabi.create(hanabi.spec.params.parse(params));

/** Mean score (and standard error) of `games` seeded games (seeds 0, 1, ...), one fresh agent per seat per game. */
export function hanabiScore(
  game: HanabiGame,
  makeAgent: (seed: number, seat: number) => Agent<number>,
  games: number,
): { mean: number; stderr: number; decisions: number } {
  let sum = 0;
  let sumSq = 0;
  let decisions = 0;
  for (let seed = 0; seed < games; seed++) {
    const agents = Array.from({ length: game.numPlayers }, (_, seat) => makeAgent(seed, seat));
    let s = game.init(seed);
    while (!game.isTerminal(s)) {
      const p = game.currentPlayers(s)[0] as number;
      let a: number;
      if (p === CHANCE) a = game.sampleChance(s);
      else {
        a = (agents[p] as Agent<number>).act(new LazySeatView(game as AnyGame, s, p, 0, undefined) as never) as number;
        decisions++;
      }
      const next = game.apply(s, [a]);
      if (next instanceof ArenaError) throw next;
      s = next;
    }
    const score = game.returns(s)[0] as number;
    sum += score;
    sumSq += score * score;
  }
  const mean = sum / games;
  return { mean, stderr: Math.sqrt(Math.max(0, sumSq / games - mean * mean) / games), decisions };
}

/** Random negotiation steps per second (uniform over the representative legal list). */
export function randomNegotiationSteps(seconds: number): number {
  const game = negotiation.create(negotiation.spec.params.parse({}));
  const rng = Rng.fromSeed(1);
  return rate(() => {
    let s = game.init(0);
    let steps = 0;
    while (!game.isTerminal(s)) {
      const legal = game.legalActions(s, game.currentPlayers(s)[0] as number);
      const next = game.apply(s, [legal[rng.int(legal.length)] as string]);
      if (next instanceof ArenaError) throw next;
      s = next;
      steps++;
    }
    return steps;
  }, seconds);
}

/** Hanabi and negotiation benchmarks; the self-play scores are 1,000 fixed seeds whatever `seconds` is. */
export function benchHanabi(seconds: number): BenchResult[] {
  const out: BenchResult[] = [];
  const add = (name: string, value: number, unit: string, note: string): void => {
    out.push({ name, value, unit, note });
  };
  const std = createHanabi();
  const r = randomRollouts(std as AnyGame, seconds);
  add('hanabi.random-games', Math.round(r.gamesPerSecond), 'games/s',
    `standard 2 players, one core, ${r.meanLength.toFixed(1)} steps per game (deals included), ` +
      `${Math.round(r.gamesPerSecond * r.meanLength).toLocaleString('en-US')} steps/s`);
  const small = randomRollouts(createHanabi(HANABI_SMALL_PARAMS) as AnyGame, seconds);
  add('hanabi-small.random-games', Math.round(small.gamesPerSecond), 'games/s', `${small.meanLength.toFixed(1)} steps per game`);

  // Observation tensors of mid-game states: what a learner pays per decision.
  const states: HanabiState[] = [];
  for (let seed = 0; states.length < 200; seed++) {
    let s = std.init(seed);
    for (let k = 0; k < 14 && !std.isTerminal(s); k++) {
      const p = std.currentPlayers(s)[0] as number;
      const next = std.apply(s, [p === CHANCE ? std.sampleChance(s) : (std.legalActions(s, p)[k % 3] as number)]);
      if (next instanceof ArenaError) throw next;
      s = next;
    }
    if (!std.isTerminal(s)) states.push(s);
  }
  let i = 0;
  const tensors = rate(() => {
    for (let k = 0; k < 100; k++, i++) std.observationTensor(states[i % states.length] as HanabiState, i % 2);
    return 100;
  }, seconds);
  add('hanabi.observation-tensors', Math.round(tensors), 'tensors/s', 'standard 2 players, 658 floats');

  const t0 = performance.now();
  const rules = hanabiScore(std, () => new HanabiRulesAgent(), 1000);
  const rulesSeconds = (performance.now() - t0) / 1000;
  add('hanabi.rules-selfplay-score', rules.mean, 'points', `1000 seeded games, standard 2 players, stderr ${rules.stderr.toFixed(3)}`);
  add('hanabi.rules-decisions', Math.round(rules.decisions / rulesSeconds), 'decisions/s', 'whole games: decode the tensor, decide, apply');
  const random = hanabiScore(std, (seed, seat) => new RandomAgent(seed * 8 + seat), 1000);
  add('hanabi.random-selfplay-score', random.mean, 'points', `1000 seeded games, stderr ${random.stderr.toFixed(3)}`);

  add('negotiation.random-steps', Math.round(randomNegotiationSteps(seconds)), 'steps/s', 'text actions parsed by apply, 10-turn games');
  return out;
}
