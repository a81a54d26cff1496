/**
 * Slime volleyball: a port of slimevolleygym (David Ha, Apache-2.0; slimevolley.py, classes Particle, Wall,
 * RelativeState, Agent and Game) that steps bit-for-bit like the Python: the same constants written as the same
 * expressions, the same float operations in the same order, a fixed step of 1/30 s and no wall clock. Only
 * `Math.sqrt` is used beyond + - * / and it is correctly rounded everywhere, so every replay, process and
 * machine gives the same doubles. A golden trajectory produced by the Python source is checked in the test.
 *
 * | Fact               | Value                                                                                   |
 * | ------------------ | --------------------------------------------------------------------------------------- |
 * | Players            | 2. Seat 0 = the right slime (slimevolleygym's `agent_right`, the side whose reward the  |
 * |                    | gym env returns); seat 1 = the left slime (`agent_left`, the built-in baseline's side). |
 * | Dynamics           | realtime, 30 ticks/s; one tick = one slimevolleygym `step`; both seats act every tick.  |
 * | Actions            | multi-discrete [2, 2, 2]: the button vector [forward, backward, jump], each 0 or 1      |
 * |                    | (slimevolleygym's MultiBinary(3)). Forward = toward the fence. Forward and backward     |
 * |                    | together cancel. The only format: the gym's 6-id atari table is not accepted.           |
 * | Chance             | the serve velocity [vx, vy] (chance action), at the start and after every point that    |
 * |                    | does not end the game. slimevolleygym draws uniform(-20, 20) x uniform(10, 25); here    |
 * |                    | uniform over the midpoints of a 0.5 grid on that box (80 x 30 = 2,400 outcomes).        |
 * | Observation tensor | 12 floats, slimevolleygym's `getObservation`: own x, y, vx, vy; ball x, y, vx, vy;      |
 * |                    | opponent x, y, vx, vy; all divided by 10. Own and ball x/vx are multiplied by the       |
 * |                    | seat's direction (right +1, left -1), the opponent's by minus it, so each seat sees     |
 * |                    | itself at x > 0 and the same game from either side (swap the sides: the observations   |
 * |                    | swap). As in slimevolleygym, a scoring tick does not refresh it: until the next tick    |
 * |                    | it shows the court before the point (`shown`).                                          |
 * | Observation text   | the 12 unscaled numbers, then lives (own, opponent) and the tick.                       |
 * | Information state  | the serialized state (the state is Markov and fully visible).                           |
 * | Rewards            | when the ball touches the ground, the side it lands on loses a life: +1 to the other    |
 * |                    | seat, -1 to it (zero-sum). Returns lie in [-lives, lives].                              |
 * | End                | a side at 0 lives, or after `maxSteps` ticks (default 3000).                            |
 * | Hidden information | none.                                                                                   |
 *
 * After every serve the ball hangs still at (0, 12) for 30 ticks (slimevolleygym's DelayScreen) while the slimes
 * may move; the serve velocity is visible in the observation meanwhile. Deviation: where the Python would divide
 * by zero (ball and slime centres exactly equal in `bounce`), the ball is pushed straight up instead.
 */
import { z } from 'zod';
import { ArenaError } from '../core/errors';
import { CHANCE, type ChanceOutcome, type Game, type GameModule, type GameSpec, type Json, type Seat } from '../core/game';
import { NO_SEATS, onlySeat, parseSerialized, rngFromSeed, sampleOutcome, stepRng } from '../core/helpers';
import type { RngState } from '../core/rng';

const ID = 'slime-volleyball';

// slimevolleygym's constants, as the same expressions (so they are the same doubles: GRAVITY is -29.400000000000002).
const REF_W = 24 * 2;
const REF_H = REF_W;
const REF_U = 1.5;
const REF_WALL_WIDTH = 1.0;
const REF_WALL_HEIGHT = 3.5;
const PLAYER_SPEED_X = 10 * 1.75;
const PLAYER_SPEED_Y = 10 * 1.35;
const MAX_BALL_SPEED = 15 * 1.5;
const TIMESTEP = 1 / 30;
const NUDGE = 0.1;
const FRICTION = 1.0;
const INIT_DELAY_FRAMES = 30;
const GRAVITY = -9.8 * 2 * 1.5;
const AGENT_R = 1.5;
const BALL_R = 0.5;
const STUB_R = REF_WALL_WIDTH / 2;
const OBS_SCALE = 10.0;

/** The court and physics constants (for agents, renderers and tests). */
export const SLIME = Object.freeze({
  width: REF_W,
  height: REF_H,
  ground: REF_U,
  fenceWidth: REF_WALL_WIDTH,
  fenceHeight: REF_WALL_HEIGHT,
  speedX: PLAYER_SPEED_X,
  speedY: PLAYER_SPEED_Y,
  maxBallSpeed: MAX_BALL_SPEED,
  dt: TIMESTEP,
  /** How far (per second of dt) a bounce sets the ball back inside a wall or the fence. */
  nudge: NUDGE,
  gravity: GRAVITY,
  agentRadius: AGENT_R,
  ballRadius: BALL_R,
  serveDelay: INIT_DELAY_FRAMES,
  observationScale: OBS_SCALE,
});

export const slimeParamsSchema = z
  .object({
    /** Lives per side (slimevolleygym MAXLIVES 5). */
    lives: z.number().int().min(1).max(99).default(5),
    /** Tick limit (slimevolleygym t_limit 3000). */
    maxSteps: z.number().int().min(1).max(1_000_000).default(3000),
  })
  .strict();
export type SlimeParams = z.infer<typeof slimeParamsSchema>;

/** A slime or the ball: position and velocity in court units (x = 0 at the fence, y up from y = 0). */
export interface SlimeBody {
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
}
/** The ball also remembers its x before its last move (the fence test needs it). */
export interface SlimeBall extends SlimeBody {
  readonly prevX: number;
}
/** What the observations are computed from. */
export interface SlimeWorld {
  /** By seat: 0 = right slime, 1 = left slime. */
  readonly slimes: readonly [SlimeBody, SlimeBody];
  readonly ball: SlimeBall;
}

/** Immutable, JSON-serializable state. */
export interface SlimeState extends SlimeWorld {
  /** Ticks played. */
  readonly t: number;
  /** A chance node: the ball waits at the serve position for its velocity. */
  readonly serve: boolean;
  /** Ticks the ball still hangs still (DelayScreen.life). */
  readonly delay: number;
  readonly lives: readonly [number, number];
  /** Rewards of the last step, by seat. */
  readonly reward: readonly [number, number];
  /** Returns so far, by seat. */
  readonly total: readonly [number, number];
  /** The court the observations show when they lag the state (after a scoring tick), else null. */
  readonly shown: SlimeWorld | null;
  readonly rng: RngState;
}

export type SlimeAction = readonly number[];

/** Every button vector [forward, backward, jump], lexicographic. */
export const SLIME_BUTTONS: readonly SlimeAction[] = Object.freeze(
  [0, 1, 2, 3, 4, 5, 6, 7].map((i) => Object.freeze([(i >> 2) & 1, (i >> 1) & 1, i & 1])),
);
const BUTTON_NAMES = ['forward', 'backward', 'jump'] as const;

/** Serve velocities: midpoints of a 0.5 grid on slimevolleygym's uniform(-20, 20) x uniform(10, 25). */
const SERVE_STEP = 0.5;
const SERVE_VX = { low: -20, n: 80 };
const SERVE_VY = { low: 10, n: 30 };
const serveValue = (axis: { low: number }, i: number): number => axis.low + SERVE_STEP * (i + 0.5);
const serveIndex = (axis: { low: number; n: number }, v: unknown): number => {
  const i = typeof v === 'number' ? (v - axis.low) / SERVE_STEP - 0.5 : Number.NaN;
  return Number.isInteger(i) && i >= 0 && i < axis.n ? i : -1;
};
const SERVES: readonly SlimeAction[] = Object.freeze(
  Array.from({ length: SERVE_VX.n * SERVE_VY.n }, (_, k) =>
    Object.freeze([serveValue(SERVE_VX, Math.floor(k / SERVE_VY.n)), serveValue(SERVE_VY, k % SERVE_VY.n)]),
  ),
);
const SERVE_OUTCOMES: readonly ChanceOutcome<SlimeAction>[] = Object.freeze(
  SERVES.map((action) => Object.freeze({ action, probability: 1 / SERVES.length })),
);

const BOTH: readonly Seat[] = Object.freeze([0, 1]);
const ZERO: readonly [number, number] = Object.freeze([0, 0]) as readonly [number, number];
const RIGHT_SCORES: readonly [number, number] = Object.freeze([1, -1]) as readonly [number, number];
const LEFT_SCORES: readonly [number, number] = Object.freeze([-1, 1]) as readonly [number, number];
/** Seat 0 plays the right side (direction +1), seat 1 the left (-1), as slimevolleygym's Agent.dir. */
const DIR = [1, -1] as const;

const isButtons = (a: unknown): a is SlimeAction =>
  Array.isArray(a) && a.length === 3 && a.every((v) => v === 0 || v === 1);

/** Agent.setAction + Agent.update: the slime's body after one tick. */
function moveSlime(b: SlimeBody, dir: number, buttons: SlimeAction): SlimeBody {
  const forward = buttons[0] === 1;
  const backward = buttons[1] === 1;
  let desiredVx = 0;
  if (forward && !backward) desiredVx = -PLAYER_SPEED_X;
  if (backward && !forward) desiredVx = PLAYER_SPEED_X;
  const desiredVy = buttons[2] === 1 ? PLAYER_SPEED_Y : 0;
  let vy = b.vy + GRAVITY * TIMESTEP;
  if (b.y <= REF_U + NUDGE * TIMESTEP) vy = desiredVy;
  let vx = desiredVx * dir;
  let x = b.x + vx * TIMESTEP;
  let y = b.y + vy * TIMESTEP;
  if (y <= REF_U) {
    y = REF_U;
    vy = 0;
  }
  // stay in their own half
  if (x * dir <= REF_WALL_WIDTH / 2 + AGENT_R) {
    vx = 0;
    x = dir * (REF_WALL_WIDTH / 2 + AGENT_R);
  }
  if (x * dir >= REF_W / 2 - AGENT_R) {
    vx = 0;
    x = dir * (REF_W / 2 - AGENT_R);
  }
  return { x, y, vx, vy };
}

/** The ball during one tick (Particle), mutable only inside `tick`. */
interface BallVars {
  x: number;
  y: number;
  vx: number;
  vy: number;
  prevX: number;
}

function colliding(ball: BallVars, px: number, py: number, pr: number): boolean {
  const r = BALL_R + pr;
  const dy = py - ball.y;
  const dx = px - ball.x;
  return r * r > dx * dx + dy * dy;
}

/** Particle.bounce against a circle at (px, py) of radius pr moving at (pvx, pvy), if they overlap. */
function bounce(ball: BallVars, px: number, py: number, pvx: number, pvy: number, pr: number): void {
  if (!colliding(ball, px, py, pr)) return;
  let abx = ball.x - px;
  let aby = ball.y - py;
  const abd = Math.sqrt(abx * abx + aby * aby);
  if (abd === 0) {
    abx = 0; // the Python divides by zero here; push the ball straight up instead
    aby = 1;
  } else {
    abx /= abd;
    aby /= abd;
  }
  const nx = abx;
  const ny = aby;
  abx *= NUDGE;
  aby *= NUDGE;
  while (colliding(ball, px, py, pr)) {
    ball.x += abx;
    ball.y += aby;
  }
  let ux = ball.vx - pvx;
  let uy = ball.vy - pvy;
  const un = ux * nx + uy * ny;
  const unx = nx * (un * 2);
  const uny = ny * (un * 2);
  ux -= unx;
  uy -= uny;
  ball.vx = ux + pvx;
  ball.vy = uy + pvy;
}

/** Particle.checkEdges: walls, ceiling and fence bounce; the ground returns -1 (left side) or 1 (right side). */
function checkEdges(ball: BallVars): number {
  if (ball.x <= BALL_R - REF_W / 2) {
    ball.vx *= -FRICTION;
    ball.x = BALL_R - REF_W / 2 + NUDGE * TIMESTEP;
  }
  if (ball.x >= REF_W / 2 - BALL_R) {
    ball.vx *= -FRICTION;
    ball.x = REF_W / 2 - BALL_R - NUDGE * TIMESTEP;
  }
  if (ball.y <= BALL_R + REF_U) {
    ball.vy *= -FRICTION;
    ball.y = BALL_R + REF_U + NUDGE * TIMESTEP;
    return ball.x <= 0 ? -1 : 1;
  }
  if (ball.y >= REF_H - BALL_R) {
    ball.vy *= -FRICTION;
    ball.y = REF_H - BALL_R - NUDGE * TIMESTEP;
  }
  if (ball.x <= REF_WALL_WIDTH / 2 + BALL_R && ball.prevX > REF_WALL_WIDTH / 2 + BALL_R && ball.y <= REF_WALL_HEIGHT) {
    ball.vx *= -FRICTION;
    ball.x = REF_WALL_WIDTH / 2 + BALL_R + NUDGE * TIMESTEP;
  }
  if (ball.x >= -REF_WALL_WIDTH / 2 - BALL_R && ball.prevX < -REF_WALL_WIDTH / 2 - BALL_R && ball.y <= REF_WALL_HEIGHT) {
    ball.vx *= -FRICTION;
    ball.x = -REF_WALL_WIDTH / 2 - BALL_R - NUDGE * TIMESTEP;
  }
  return 0;
}

/** The ball at the serve position (Game.newMatch), before chance gives it a velocity. */
const SERVE_BALL: SlimeBall = Object.freeze({ x: 0, y: REF_W / 4, vx: 0, vy: 0, prevX: 0 });

function makeState(
  t: number,
  serve: boolean,
  delay: number,
  slimes: readonly [SlimeBody, SlimeBody],
  ball: SlimeBall,
  lives: readonly [number, number],
  reward: readonly [number, number],
  total: readonly [number, number],
  shown: SlimeWorld | null,
  rng: RngState,
): SlimeState {
  // One constructor, so every state has the same key order (serialize compares strings).
  return { t, serve, delay, slimes, ball, lives, reward, total, shown, rng };
}

/** One Game.step with seat 0 (right) pressing `a0` and seat 1 (left) pressing `a1`. */
function tick(s: SlimeState, a0: SlimeAction, a1: SlimeAction, limit: number): SlimeState {
  const right = moveSlime(s.slimes[0], 1, a0);
  const left = moveSlime(s.slimes[1], -1, a1);
  const ball: BallVars = { x: s.ball.x, y: s.ball.y, vx: s.ball.vx, vy: s.ball.vy, prevX: s.ball.prevX };
  let delay = s.delay;
  if (delay === 0) {
    ball.vy += GRAVITY * TIMESTEP; // applyAcceleration(0, GRAVITY); adding 0 to vx changes nothing
    const mag2 = ball.vx * ball.vx + ball.vy * ball.vy;
    if (mag2 > MAX_BALL_SPEED * MAX_BALL_SPEED) {
      const mag = Math.sqrt(mag2);
      ball.vx /= mag;
      ball.vy /= mag;
      ball.vx *= MAX_BALL_SPEED;
      ball.vy *= MAX_BALL_SPEED;
    }
    ball.prevX = ball.x;
    ball.x += ball.vx * TIMESTEP;
    ball.y += ball.vy * TIMESTEP;
  } else {
    delay -= 1;
  }
  bounce(ball, left.x, left.y, left.vx, left.vy, AGENT_R);
  bounce(ball, right.x, right.y, right.vx, right.vy, AGENT_R);
  bounce(ball, 0, REF_WALL_HEIGHT, 0, 0, STUB_R);
  const result = -checkEdges(ball); // +1: the ball fell on the left side, the right slime (seat 0) scores
  const t = s.t + 1;
  const slimes: readonly [SlimeBody, SlimeBody] = [right, left];
  if (result === 0) {
    const b: SlimeBall = { x: ball.x, y: ball.y, vx: ball.vx, vy: ball.vy, prevX: ball.prevX };
    return makeState(t, false, delay, slimes, b, s.lives, ZERO, s.total, null, s.rng);
  }
  const reward = result > 0 ? RIGHT_SCORES : LEFT_SCORES;
  const lives: [number, number] = result > 0 ? [s.lives[0], s.lives[1] - 1] : [s.lives[0] - 1, s.lives[1]];
  const total: [number, number] = [s.total[0] + reward[0], s.total[1] + reward[1]];
  const over = t >= limit || lives[0] <= 0 || lives[1] <= 0;
  // Game.step returns before updateState on a scoring tick: the observation keeps showing the previous court.
  const shown = s.shown ?? { slimes: s.slimes, ball: s.ball };
  return makeState(t, !over, INIT_DELAY_FRAMES, slimes, SERVE_BALL, lives, reward, total, shown, s.rng);
}

/** The 12 observation numbers of `seat` (float64; the tensor is their float32 rounding). */
export function slimeObservation(state: SlimeState, seat: Seat): number[] {
  const w = state.shown ?? state;
  const dir = DIR[seat as 0 | 1];
  const me = w.slimes[seat as 0 | 1];
  const op = w.slimes[(1 - seat) as 0 | 1];
  const b = w.ball;
  return [
    (me.x * dir) / OBS_SCALE,
    me.y / OBS_SCALE,
    (me.vx * dir) / OBS_SCALE,
    me.vy / OBS_SCALE,
    (b.x * dir) / OBS_SCALE,
    b.y / OBS_SCALE,
    (b.vx * dir) / OBS_SCALE,
    b.vy / OBS_SCALE,
    (op.x * -dir) / OBS_SCALE,
    op.y / OBS_SCALE,
    (op.vx * -dir) / OBS_SCALE,
    op.vy / OBS_SCALE,
  ];
}

const finite = z.number().finite();
const bodySchema = z.object({ x: finite, y: finite, vx: finite, vy: finite }).strict();
const ballSchema = z.object({ x: finite, y: finite, vx: finite, vy: finite, prevX: finite }).strict();
const pair = <T extends z.ZodType>(t: T) => z.tuple([t, t]);
const worldSchema = z.object({ slimes: pair(bodySchema), ball: ballSchema }).strict();
const stateSchema = z
  .object({
    t: z.number().int().min(0),
    serve: z.boolean(),
    delay: z.number().int().min(0).max(INIT_DELAY_FRAMES),
    slimes: pair(bodySchema),
    ball: ballSchema,
    lives: pair(z.number().int().min(0)),
    reward: pair(finite),
    total: pair(finite),
    shown: worldSchema.nullable(),
    rng: z.array(z.number().int().min(-0x80000000).max(0xffffffff)).length(4),
  })
  .strict();

const spec: GameSpec<SlimeParams> = {
  id: ID,
  version: 1,
  title: 'Slime volleyball',
  summary:
    'Two slimes on either side of a fence keep a ball off their own ground (slimevolleygym physics, 30 ticks ' +
    'per second). Each tick both press forward, backward and jump buttons; a side loses a life when the ball ' +
    'lands on it, and the game ends when a side has no lives left (5 each) or after 3000 ticks.',
  players: { min: 2, max: 2 },
  dynamics: 'realtime',
  tickHz: 30,
  utility: 'zero-sum',
  chance: true,
  perfectInformation: true,
  params: slimeParamsSchema,
};

function fmt(v: number): string {
  return (v * OBS_SCALE).toFixed(3);
}

function makeGame(params: SlimeParams): Game<SlimeState, SlimeAction> {
  const limit = params.maxSteps;
  const isTerminal = (s: SlimeState): boolean => s.t >= limit || s.lives[0] <= 0 || s.lives[1] <= 0;
  const checkSeat = (seat: Seat): void => {
    if (seat !== 0 && seat !== 1) throw new RangeError(`${ID}: no seat ${seat}`);
  };

  const game: Game<SlimeState, SlimeAction> = {
    spec,
    params: { lives: params.lives, maxSteps: params.maxSteps },
    numPlayers: 2,
    actionSpace: { kind: 'multi-discrete', nvec: [2, 2, 2] },
    observationShape: [12],
    // Every tick, plus the opening serve and one serve after each point but the last.
    maxLength: limit + 2 * params.lives - 1,
    minUtility: -params.lives,
    maxUtility: params.lives,

    init(seed) {
      const slimes: [SlimeBody, SlimeBody] = [
        { x: REF_W / 4, y: 1.5, vx: 0, vy: 0 },
        { x: -REF_W / 4, y: 1.5, vx: 0, vy: 0 },
      ];
      const lives: [number, number] = [params.lives, params.lives];
      // Mixed first: rngFromSeed(seed) alone makes the first draw 1 - seed / 2^26, the same serve for every small seed.
      const rng = rngFromSeed(seed);
      return makeState(0, true, INIT_DELAY_FRAMES, slimes, SERVE_BALL, lives, ZERO, ZERO, null, rng);
    },

    currentPlayers(s) {
      if (isTerminal(s)) return NO_SEATS;
      return s.serve ? onlySeat(CHANCE) : BOTH;
    },

    isTerminal,

    chanceOutcomes(s) {
      return s.serve && !isTerminal(s) ? SERVE_OUTCOMES : [];
    },

    sampleChance(s) {
      if (!s.serve || isTerminal(s)) throw new Error(`${ID}: not a chance node`);
      return sampleOutcome(s.rng, SERVE_OUTCOMES);
    },

    legalActions(s, seat) {
      if (isTerminal(s)) return [];
      if (s.serve) return seat === CHANCE ? SERVES : [];
      return seat === 0 || seat === 1 ? SLIME_BUTTONS : [];
    },

    apply(s, actions) {
      if (isTerminal(s)) return new ArenaError('match/over', `${ID}: the game is over`);
      if (s.serve) {
        if (actions.length !== 1) return new ArenaError('action/malformed', `${ID}: a serve is one chance action`);
        const v = actions[0];
        const ok = Array.isArray(v) && v.length === 2 && serveIndex(SERVE_VX, v[0]) >= 0 && serveIndex(SERVE_VY, v[1]) >= 0;
        if (!ok) return new ArenaError('action/illegal', `${ID}: ${JSON.stringify(v)} is not a serve velocity`);
        const [vx, vy] = v as SlimeAction as [number, number];
        const ball: SlimeBall = { x: s.ball.x, y: s.ball.y, vx, vy, prevX: s.ball.prevX };
        // Keeps `shown`: the opening serve has none (reset() observes the served ball), a later one keeps the lag.
        return makeState(s.t, false, s.delay, s.slimes, ball, s.lives, ZERO, s.total, s.shown, stepRng(s.rng));
      }
      if (actions.length !== 2) return new ArenaError('action/malformed', `${ID}: one button vector per seat (2), got ${actions.length}`);
      for (let seat = 0; seat < 2; seat++) {
        if (!isButtons(actions[seat])) {
          return new ArenaError('action/malformed', `${ID}: seat ${seat}: expected [forward, backward, jump] of 0/1, got ${JSON.stringify(actions[seat])?.slice(0, 80)}`);
        }
      }
      return tick(s, actions[0] as SlimeAction, actions[1] as SlimeAction, limit);
    },

    rewards: (s) => s.reward,
    returns: (s) => s.total,

    observationTensor(s, seat) {
      checkSeat(seat);
      return Float32Array.from(slimeObservation(s, seat));
    },

    observationText(s, seat) {
      checkSeat(seat);
      const o = slimeObservation(s, seat);
      const part = (i: number): string => `x ${fmt(o[i]!)} y ${fmt(o[i + 1]!)} vx ${fmt(o[i + 2]!)} vy ${fmt(o[i + 3]!)}`;
      return `self ${part(0)} | ball ${part(4)} | opponent ${part(8)} | lives ${s.lives[seat as 0 | 1]} ${s.lives[(1 - seat) as 0 | 1]} | tick ${s.t}`;
    },

    informationState(s, seat) {
      checkSeat(seat);
      return game.serialize(s);
    },

    actionToString(seat, action) {
      if (seat === CHANCE) return `serve vx=${action[0]} vy=${action[1]}`;
      const pressed = BUTTON_NAMES.filter((_, i) => action[i] === 1);
      return pressed.length === 0 ? 'idle' : pressed.join('+');
    },

    parseAction(s, seat, text) {
      const legal = game.legalActions(s, seat);
      const t = text.trim().toLowerCase();
      const numbers = /^\[?\s*-?[\d.]+(\s*[, ]\s*-?[\d.]+)*\s*\]?$/.test(t) ? t.replace(/[[\]]/g, '').trim().split(/\s*[, ]\s*/).map(Number) : null;
      const found = legal.find((a) =>
        numbers ? a.length === numbers.length && a.every((v, i) => v === numbers[i]) : game.actionToString(seat, a) === t,
      );
      if (found) return found;
      return new ArenaError('action/malformed', `${ID}: cannot read action "${text}" (e.g. "1,0,1" or "forward+jump")`);
    },

    serialize: (s) => JSON.stringify(s),

    deserialize(text) {
      const parsed = stateSchema.safeParse(parseSerialized(ID, text));
      if (!parsed.success) throw new ArenaError('env/bad-serialization', `${ID}: not a slime volleyball state`);
      const d = parsed.data;
      const world = (w: z.infer<typeof worldSchema>): SlimeWorld => ({ slimes: w.slimes, ball: w.ball });
      return makeState(d.t, d.serve, d.delay, d.slimes, d.ball, d.lives, d.reward, d.total, d.shown && world(d.shown), d.rng);
    },

    render(s): Json {
      const body = (b: SlimeBody, r: number) => ({ x: b.x, y: b.y, vx: b.vx, vy: b.vy, r });
      return {
        court: { width: REF_W, height: REF_H, ground: REF_U, fenceWidth: REF_WALL_WIDTH, fenceHeight: REF_WALL_HEIGHT },
        ball: body(s.ball, BALL_R),
        slimes: [0, 1].map((seat) => ({ ...body(s.slimes[seat as 0 | 1], AGENT_R), side: seat === 0 ? 'right' : 'left', lives: s.lives[seat as 0 | 1] })),
        tick: s.t,
        maxSteps: limit,
        // Lives each side started with (views draw the lost ones too).
        maxLives: params.lives,
        serving: s.serve || s.delay > 0,
        terminal: isTerminal(s),
        returns: [...s.total],
      };
    },

    renderText(s) {
      // 48 columns (one per court unit), 16 rows of 1.5 units; the top row also shows a ball above it.
      const rows = Array.from({ length: 16 }, () => new Array<string>(REF_W).fill(' '));
      const put = (x: number, y: number, ch: string): void => {
        const col = Math.min(REF_W - 1, Math.max(0, Math.floor(x + REF_W / 2)));
        const row = Math.min(15, Math.max(0, Math.floor(y / 1.5)));
        rows[15 - row]![col] = ch;
      };
      for (let y = 0; y < REF_WALL_HEIGHT; y += 1.5) put(0, y, '|');
      put(s.slimes[1].x, s.slimes[1].y, 'L');
      put(s.slimes[0].x, s.slimes[0].y, 'R');
      put(s.ball.x, s.ball.y, 'o');
      const head = `slime volleyball  tick ${s.t}/${limit}  lives L ${s.lives[1]} R ${s.lives[0]}${isTerminal(s) ? '  (over)' : ''}`;
      return [head, ...rows.map((r) => r.join('')), '='.repeat(REF_W)].join('\n');
    },
  };
  return game;
}

export const slimeVolleyball: GameModule<SlimeState, SlimeAction, SlimeParams> = {
  spec,
  create: (params) => makeGame(params),
};
