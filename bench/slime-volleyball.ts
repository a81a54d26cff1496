/**
 * Slime volleyball speed on one core, through the public game interface: steps per second with uniformly random
 * buttons (legal actions + apply, serves sampled from the state), and with both seats played by the scripted
 * tracker (which adds an observation tensor and a flight prediction per seat per tick).
 */
import { slimeTrackerAction } from '../agents/slime-tracker';
import { ArenaError } from '../environments/core/errors';
import { Rng } from '../environments/core/rng';
import { slimeVolleyball, type SlimeAction, type SlimeState } from '../environments/physics/slime-volleyball';
import { rate, type BenchResult } from './harness';

const game = slimeVolleyball.create(slimeVolleyball.spec.params.parse({}));

/** Steps (ticks and serves) per second over whole games from consecutive seeds, seats choosing with `pick`. */
function stepsPerSecond(seconds: number, pick: (s: SlimeState, seat: number) => SlimeAction): { perSecond: number; meanLength: number } {
  let seed = 0;
  let steps = 0;
  let games = 0;
  const perSecond = rate(() => {
    let s = game.init(seed++);
    let n = 0;
    while (!game.isTerminal(s)) {
      const next = s.serve ? game.apply(s, [game.sampleChance(s)]) : game.apply(s, [pick(s, 0), pick(s, 1)]);
      if (next instanceof ArenaError) throw next;
      s = next;
      n++;
    }
    steps += n;
    games++;
    return n;
  }, seconds);
  return { perSecond, meanLength: steps / games };
}

export function benchSlimeVolleyball(seconds: number): BenchResult[] {
  const rng = Rng.fromSeed(1);
  const random = stepsPerSecond(seconds, (s, seat) => {
    const legal = game.legalActions(s, seat);
    return legal[rng.int(legal.length)] as SlimeAction;
  });
  const tracker = stepsPerSecond(seconds, (s, seat) => slimeTrackerAction(game.observationTensor(s, seat)));
  return [
    {
      name: 'slime-volleyball.random-steps',
      value: Math.round(random.perSecond),
      unit: 'steps/s',
      note: `one core, random buttons, mean game ${random.meanLength.toFixed(0)} steps`,
    },
    {
      name: 'slime-volleyball.tracker-steps',
      value: Math.round(tracker.perSecond),
      unit: 'steps/s',
      note: `one core, slime-tracker in both seats, mean game ${tracker.meanLength.toFixed(0)} steps`,
    },
  ];
}
