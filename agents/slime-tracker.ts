/**
 * A scripted slime-volleyball baseline that reads only the seat's 12-number observation (so it plays either side
 * and works as a remote bot). It predicts where the ball comes down to head height on its own side, stands a
 * little behind that point (away from the fence, so the ball leaves its head toward the opponent), and jumps when
 * the ball is close above it. With the ball going to the other side it waits at `home`. Deterministic.
 *
 * In the observation frame every seat plays on the right (x > 0, the fence at x = 0): backward moves toward +x,
 * forward toward the fence.
 */
import type { Agent, SeatView } from './agent';
import { SLIME, type SlimeAction } from '../environments/physics/slime-volleyball';

export interface SlimeTrackerOptions {
  /** How far behind the predicted landing point to stand (court units; default 0.3). */
  readonly offset?: number;
  /** Ball height (centre) at which the landing point is predicted (default 5). */
  readonly contactHeight?: number;
  /** Jump when the ball is within this horizontal distance (default 1.5) ... */
  readonly jumpReach?: number;
  /** ... and at most this high above the slime's centre (default 5). */
  readonly jumpHeight?: number;
  /** Where to wait while the ball is on the other side (default 4: near the fence, for short returns). */
  readonly home?: number;
  /** Dead zone around the target position (default 0.25). */
  readonly tolerance?: number;
}

// Tuned over 200 episodes each against random play and slimevolleygym's baseline net (see the test).
const DEFAULTS: Required<SlimeTrackerOptions> = { offset: 0.3, contactHeight: 5, jumpReach: 1.5, jumpHeight: 5, home: 4, tolerance: 0.25 };

/** Options with every unset (or undefined) field at its default. */
function withDefaults(options: SlimeTrackerOptions): Required<SlimeTrackerOptions> {
  const o = { ...DEFAULTS };
  for (const k of Object.keys(DEFAULTS) as (keyof SlimeTrackerOptions)[]) o[k] = options[k] ?? DEFAULTS[k];
  return o;
}

const WALL = SLIME.width / 2 - SLIME.ballRadius;
const FENCE = SLIME.fenceWidth / 2 + SLIME.ballRadius;
const BACK = SLIME.nudge * SLIME.dt;
const MAX_TICKS = 300;

/**
 * Where the ball's centre first comes down through `height`, by integrating the game's free flight (gravity,
 * speed limit, side walls; slimes ignored; the fence stops it at the fence's face) from an observed position and
 * velocity, in court units.
 */
export function predictBallX(x: number, y: number, vx: number, vy: number, height: number): number {
  const dt = SLIME.dt;
  const max2 = SLIME.maxBallSpeed * SLIME.maxBallSpeed;
  for (let i = 0; i < MAX_TICKS; i++) {
    vy += SLIME.gravity * dt;
    const mag2 = vx * vx + vy * vy;
    if (mag2 > max2) {
      const k = SLIME.maxBallSpeed / Math.sqrt(mag2);
      vx *= k;
      vy *= k;
    }
    const px = x;
    x += vx * dt;
    y += vy * dt;
    if (x <= -WALL || x >= WALL) {
      vx = -vx;
      x = x < 0 ? -WALL + BACK : WALL - BACK;
    }
    if (y <= SLIME.fenceHeight && (px > FENCE ? x <= FENCE : px < -FENCE && x >= -FENCE)) {
      vx = -vx;
      x = px > 0 ? FENCE + BACK : -FENCE - BACK;
    }
    if (vy < 0 && y <= height) return x;
  }
  return x;
}

/** The tracker's buttons [forward, backward, jump] for one observation (12 numbers, scaled by 1/10). */
export function slimeTrackerAction(obs: ArrayLike<number>, options: SlimeTrackerOptions = DEFAULTS): SlimeAction {
  return trackerAction(obs, options === DEFAULTS ? DEFAULTS : withDefaults(options));
}

function trackerAction(obs: ArrayLike<number>, o: Required<SlimeTrackerOptions>): SlimeAction {
  const s = SLIME.observationScale;
  const x = (obs[0] ?? 0) * s;
  const y = (obs[1] ?? 0) * s;
  const bx = (obs[4] ?? 0) * s;
  const by = (obs[5] ?? 0) * s;
  const landing = predictBallX(bx, by, (obs[6] ?? 0) * s, (obs[7] ?? 0) * s, o.contactHeight);
  const target = landing > 0 ? landing + o.offset : o.home;
  const backward = x < target - o.tolerance ? 1 : 0;
  const forward = x > target + o.tolerance ? 1 : 0;
  const near = bx > 0 && Math.abs(bx - x) < o.jumpReach && by > y && by - y < o.jumpHeight;
  return [forward, backward, near ? 1 : 0];
}

export class SlimeTrackerAgent implements Agent<SlimeAction> {
  readonly name = 'slime-tracker';
  private readonly options: Required<SlimeTrackerOptions>;

  constructor(options: SlimeTrackerOptions = {}) {
    this.options = withDefaults(options);
  }

  act(view: SeatView<unknown, SlimeAction>): SlimeAction {
    return trackerAction(view.observationTensor, this.options);
  }
}
