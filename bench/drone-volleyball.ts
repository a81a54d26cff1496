/**
 * Drone volleyball benchmarks (one core, public interfaces): 3v3 simulation steps per second under uniform random
 * rotor commands (the raw physics + rules cost; target >= 10,000 steps/s, 100x real time), under the scripted
 * team policy (observation tensors, skills and controllers for six drones included), and whole scripted matches
 * through the engine's runMatch.
 */
import { DroneScriptedAgent } from '../agents/drone-skills';
import { DroneRandomAgent } from '../agents/drone/random-commands';
import { runMatch } from '../engine/match';
import { LazySeatView } from '../engine/view';
import { ArenaError } from '../environments/core/errors';
import { CHANCE } from '../environments/core/game';
import { deriveSeed, Rng } from '../environments/core/rng';
import { droneVolleyball, type DroneAction, type DroneVolleyballState } from '../environments/physics/drone-volleyball';
import { rate, type BenchResult } from './harness';

const game = droneVolleyball.create(droneVolleyball.spec.params.parse({ teamSize: 3 }));

/** Steps `batch` ticks, starting a new rally (chance step included) whenever one ends. */
function stepper(choose: (state: DroneVolleyballState) => DroneAction[]): { batch: () => number; rallies: () => number } {
  let seed = 0;
  let rallies = 0;
  let s = game.init(seed);
  return {
    batch: () => {
      for (let i = 0; i < 1000; i++) {
        if (game.isTerminal(s)) {
          s = game.init(++seed);
          rallies++;
        }
        const actions = game.currentPlayers(s)[0] === CHANCE ? [game.sampleChance(s)] : choose(s);
        const next = game.apply(s, actions);
        if (next instanceof ArenaError) throw next;
        s = next;
      }
      return 1000;
    },
    rallies: () => rallies,
  };
}

export function benchDroneVolleyball(seconds: number): BenchResult[] {
  const out: BenchResult[] = [];

  const rng = Rng.fromSeed(1);
  const random = stepper(() => Array.from({ length: 6 }, () => [rng.float() * 2 - 1, rng.float() * 2 - 1, rng.float() * 2 - 1, rng.float() * 2 - 1]));
  const randomRate = rate(random.batch, seconds);
  out.push({ name: 'drone-volleyball.3v3-random-steps', value: Math.round(randomRate), unit: 'steps/s', note: `uniform random rotor commands, ${(randomRate / 100).toFixed(0)}x real time; rallies restart as they end (random drones crash in about 1 s)` });

  const agents = Array.from({ length: 6 }, (_, seat) => new DroneScriptedAgent(deriveSeed(7, seat)));
  const scripted = stepper((s) => agents.map((a, seat) => a.act(new LazySeatView(game, s, seat, s.step, undefined) as never) as number[]));
  const scriptedRate = rate(scripted.batch, seconds);
  out.push({ name: 'drone-volleyball.3v3-scripted-steps', value: Math.round(scriptedRate), unit: 'steps/s', note: `six drone-scripted agents (observation, team policy, skills, cascaded control) + physics, ${(scriptedRate / 100).toFixed(0)}x real time` });
  return out;
}

/** Whole scripted 3v3 rallies through runMatch (records included), and their mean length. */
export async function benchDroneVolleyballMatches(seconds: number): Promise<BenchResult[]> {
  let matches = 0;
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const seats = Array.from({ length: 6 }, (_, seat) => ({ agent: new DroneScriptedAgent(deriveSeed(matches, seat)) }));
    const record = await runMatch(game, matches, seats);
    steps += record.steps;
    matches++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  return [{ name: 'drone-volleyball.3v3-scripted-matches', value: Number((matches / elapsed).toFixed(1)), unit: 'matches/s', note: `engine runMatch, mean ${(steps / matches).toFixed(0)} steps per rally` }];
}

export interface ScriptedEvaluation {
  readonly episodes: number;
  /** Team A (drone-scripted) results. */
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  /** Rallies with at least one pass (a touch following a teammate's touch, by either team). */
  readonly passRallies: number;
  /** Faults that ended rallies, by team and type ("B:crash"), and timeouts. */
  readonly endings: Readonly<Record<string, number>>;
  readonly meanSteps: number;
}

/**
 * Team A plays drone-scripted against `opponent` (drone-random or drone-scripted) for `episodes` seeded rallies
 * through runMatch; seeds are the episode index (serve drawn by chance) and deriveSeed(episode, seat) per agent.
 */
export async function evaluateDroneScripted(episodes: number, opponent: 'drone-random' | 'drone-scripted', teamSize: 1 | 2 | 3 = 3): Promise<ScriptedEvaluation> {
  const g = droneVolleyball.create(droneVolleyball.spec.params.parse({ teamSize }));
  let wins = 0;
  let draws = 0;
  let passRallies = 0;
  let steps = 0;
  const endings: Record<string, number> = {};
  for (let ep = 0; ep < episodes; ep++) {
    const seats = Array.from({ length: 2 * teamSize }, (_, seat) => {
      const seed = deriveSeed(ep, seat);
      return { agent: seat >= teamSize && opponent === 'drone-random' ? new DroneRandomAgent(seed) : new DroneScriptedAgent(seed) };
    });
    let last: DroneVolleyballState | undefined;
    const record = await runMatch(g, ep, seats, { listener: { onStep: (e) => void (last = e.state as DroneVolleyballState) } });
    steps += record.steps;
    if (!last) continue;
    if (last.winner === 0) wins++;
    else if (last.winner === -1) draws++;
    if (last.rally.passes[0] + last.rally.passes[1] > 0) passRallies++;
    const keys = last.faults.length === 0 ? ['timeout'] : last.faults.map((f) => `${'AB'[f.team]}:${f.type}`);
    for (const k of keys) endings[k] = (endings[k] ?? 0) + 1;
  }
  return { episodes, wins, draws, losses: episodes - wins - draws, passRallies, endings, meanSteps: steps / episodes };
}
