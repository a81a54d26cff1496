import { runMatch } from '../engine/match';
import { applyOrThrow } from '../environments/core/helpers';
import { slimeVolleyball, type SlimeBall, type SlimeState } from '../environments/physics/slime-volleyball';
import { RandomAgent } from './random';
import { predictBallX, slimeTrackerAction, SlimeTrackerAgent } from './slime-tracker';

const game = slimeVolleyball.create(slimeVolleyball.spec.params.parse({}));
const served = applyOrThrow(game, game.init(0), [[0.25, 17.25]]);
const scene = (ball: SlimeBall, over: Partial<SlimeState> = {}): SlimeState => ({ ...served, delay: 0, ball, ...over });

/** The tracker in seat 0 against `opponent` over seeds 0..n-1, through the engine: returns and mean steps. */
async function scores(seeds: number, opponent: (seed: number) => RandomAgent | SlimeTrackerAgent): Promise<{ returns: number[]; mean: number; steps: number }> {
  const returns: number[] = [];
  let steps = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const record = await runMatch(game, seed, [{ agent: new SlimeTrackerAgent() }, { agent: opponent(seed) }]);
    expect(record.endReason).toBe('terminal');
    returns.push(record.returns[0]!);
    steps += record.steps;
  }
  return { returns, mean: returns.reduce((a, b) => a + b, 0) / seeds, steps: steps / seeds };
}

describe('slime-tracker', () => {
  it('predicts where a free ball comes down through a height, as the game moves it', () => {
    for (const [x, y, vx, vy] of [[-5, 10, 4, 8], [6, 14, -3, 0], [-20, 4, -12, 15], [10, 12, 30, 20]] as const) {
      // Slimes pushed to the far walls, out of the way of these flights.
      let s = scene({ x, y, vx, vy, prevX: x }, { slimes: [{ x: 22.5, y: 1.5, vx: 0, vy: 0 }, { x: -22.5, y: 1.5, vx: 0, vy: 0 }] });
      while (!(s.ball.vy < 0 && s.ball.y <= 5)) s = applyOrThrow(game, s, [[0, 0, 0], [0, 0, 0]]);
      expect(predictBallX(x, y, vx, vy, 5)).toBeCloseTo(s.ball.x, 9);
    }
  });

  it('runs under the ball on its side, jumps when it is close above, and waits near the fence otherwise', () => {
    const falling = scene({ x: 8, y: 12, vx: 0, vy: 0, prevX: 8 });
    expect(slimeTrackerAction(game.observationTensor(falling, 0))).toEqual([1, 0, 0]); // from x 12 toward 8.3
    const mirrored = scene({ x: -8, y: 12, vx: 0, vy: 0, prevX: -8 });
    expect(slimeTrackerAction(game.observationTensor(mirrored, 1))).toEqual([1, 0, 0]); // the same from the left
    const close = scene({ x: 12.4, y: 5, vx: 0, vy: -2, prevX: 12.4 });
    expect(slimeTrackerAction(game.observationTensor(close, 0))).toEqual([0, 1, 1]); // back to 12.7, and jump
    const away = scene({ x: -8, y: 12, vx: -2, vy: 0, prevX: -8 });
    expect(slimeTrackerAction(game.observationTensor(away, 0))).toEqual([1, 0, 0]); // to its home at 4
    expect(slimeTrackerAction(game.observationTensor(away, 1))).toEqual([1, 0, 0]); // toward ~10, too far to jump
    // Options: an undefined field keeps its default; home 14 sends it back instead of forward.
    expect(slimeTrackerAction(game.observationTensor(away, 0), { home: undefined, offset: undefined })).toEqual([1, 0, 0]);
    expect(slimeTrackerAction(game.observationTensor(away, 0), { home: 14 })).toEqual([0, 1, 0]);
  });

  it('beats uniform random play in every game, through the engine', async () => {
    const r = await scores(30, (seed) => new RandomAgent(seed));
    expect(Math.min(...r.returns)).toBeGreaterThanOrEqual(3);
    expect(r.mean).toBeGreaterThanOrEqual(4.8);
  });

  it('against itself keeps long rallies and scores even', async () => {
    const r = await scores(6, () => new SlimeTrackerAgent());
    expect(Math.abs(r.mean)).toBeLessThanOrEqual(1);
    expect(r.steps).toBeGreaterThan(2000);
  });
});
