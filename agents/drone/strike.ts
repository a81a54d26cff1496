/**
 * Striking the ball with the racket. The racket reflects the ball's velocity relative to the racket about the
 * racket normal n with restitution e (no friction), so v_out - v_in is parallel to n and
 *   (v_out - v_in) . n = (1 + e) (u - v_in) . n,   u = racket velocity.
 * A wanted v_out therefore fixes the normal (the thrust direction at contact) and the racket's speed along it.
 * The drone swings from rest with constant thrust along n into the contact point, so its racket faces n all
 * through the swing; the plan is recomputed every tick from the ball's flight.
 */
import { BALL_RADIUS, GRAVITY, RACKET_OFFSET, RESTITUTION } from '../../environments/physics/drone/constants';
import type { Vec3 } from '../../environments/physics/drone/scene';
import { ballPositionAt, ballVelocityAt, timeToDescend } from './ballistics';
import { approach, attitudeCommands, CRUISE_GAINS, desiredThrust, STRIKE_GAINS, type DroneKinematics, type MotionTarget } from './controller';

export interface StrikePlan {
  /** Seconds until contact. */
  readonly time: number;
  /** Ball centre and velocity at contact, and the velocity wanted after it. */
  readonly ballPos: Vec3;
  readonly ballIn: Vec3;
  readonly ballOut: Vec3;
  /** Racket normal at contact (unit, within the tilt limit). */
  readonly normal: Vec3;
  /** The racket's speed along the normal at contact that sends the ball out at `ballOut`. */
  readonly racketSpeed: number;
  /** Drone centre at contact; the swing's duration, its constant acceleration and the velocity it ends with. */
  readonly dronePos: Vec3;
  readonly swingTime: number;
  readonly droneAcc: Vec3;
  readonly droneVel: Vec3;
}

/** A shot: the ball velocity wanted after contact, given where and how the ball arrives. */
export type Shot = (contact: Vec3, ballIn: Vec3) => Vec3;

/** Largest racket tilt from vertical at contact (rad): steeper tilts cannot hold the drone up. */
export const MAX_STRIKE_TILT = 0.9;

/** Largest thrust acceleration a swing may plan (m/s^2): the rotors give 15.8 at most, keep a margin. */
const SWING_THRUST = 13;
const MIN_SWING = 0.2;
const MAX_SWING = 0.6;

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * Plans a strike of the ball (centre `ballPos`, velocity `ballVel`) when it comes down through `contactHeight`,
 * to leave with `shot`'s velocity. Null when the ball will not come down through that height.
 */
export function planStrike(ballPos: Vec3, ballVel: Vec3, contactHeight: number, shot: Shot): StrikePlan | null {
  const time = timeToDescend(ballPos[2], ballVel[2], contactHeight);
  if (time === null) return null;
  const at = ballPositionAt(ballPos, ballVel, time);
  const vin = ballVelocityAt(ballVel, time);
  const vout = shot(at, vin);
  const dv: Vec3 = [vout[0] - vin[0], vout[1] - vin[1], vout[2] - vin[2]];
  const len = Math.hypot(...dv);
  let n: Vec3 = len > 1e-9 ? [dv[0] / len, dv[1] / len, dv[2] / len] : [0, 0, 1];
  // Tilt limit: rotate n toward vertical, keeping its heading.
  if (n[2] < Math.cos(MAX_STRIKE_TILT)) {
    const s = Math.sin(MAX_STRIKE_TILT) / (Math.hypot(n[0], n[1]) || 1);
    n = [n[0] * s, n[1] * s, Math.cos(MAX_STRIKE_TILT)];
  }
  // Racket speed along n: u.n = v_in.n + ((v_out - v_in).n) / (1 + e).
  const un = dot(vin, n) + Math.max(0, dot(dv, n)) / (1 + RESTITUTION);
  const reach = BALL_RADIUS + RACKET_OFFSET;
  // The swing: thrust c along n from rest for ts gives speed (c - g n_z) ts = u_n along n at contact. At least
  // a little thrust, so that the attitude stays under control.
  const ts = Math.min(MAX_SWING, Math.max(MIN_SWING, un / (SWING_THRUST - GRAVITY * n[2])));
  const c = Math.max(1, un / ts + GRAVITY * n[2]);
  const acc: Vec3 = [c * n[0], c * n[1], c * n[2] - GRAVITY];
  return {
    time,
    ballPos: at,
    ballIn: vin,
    ballOut: vout,
    normal: n,
    racketSpeed: un,
    dronePos: [at[0] - n[0] * reach, at[1] - n[1] * reach, at[2] - n[2] * reach],
    swingTime: ts,
    droneAcc: acc,
    droneVel: [acc[0] * ts, acc[1] * ts, acc[2] * ts],
  };
}

/** Stiff tracking this long before the swing starts, to settle at its start. */
const SETTLE_TIME = 0.3;
/** Top speed (m/s) and planned deceleration (m/s^2) on the way to the start of the swing. */
const APPROACH_SPEED = 5;
const APPROACH_BRAKING = 4;
/**
 * The thrust turns to the racket normal this long before the swing starts (s): tilting by 30 degrees takes the
 * rotors about 0.1 s, and the swing's acceleration needs the tilt from its first instant.
 */
const ATTITUDE_LEAD = 0.08;
/** Tracking errors beyond which the attitude is not locked (m, m/s). */
const LOCK_POSITION_ERROR = 0.25;
const LOCK_SPEED_ERROR = 1.2;

/**
 * The tracking reference on a strike plan now: a swing from rest at constant acceleration a = c n - g z (thrust
 * along n, so the racket faces n from the start of the swing) that ends at the contact point with speed u_n along
 * n; before the swing the drone waits, at rest, where it starts.
 */
export function strikeReference(plan: StrikePlan): MotionTarget {
  const T = Math.min(plan.time, plan.swingTime);
  const v = plan.droneVel;
  const a = plan.droneAcc;
  const pos: Vec3 = [plan.dronePos[0] - v[0] * T + (a[0] * T * T) / 2, plan.dronePos[1] - v[1] * T + (a[1] * T * T) / 2, plan.dronePos[2] - v[2] * T + (a[2] * T * T) / 2];
  if (plan.time > plan.swingTime) return { pos };
  return { pos, vel: [v[0] - a[0] * T, v[1] - a[1] * T, v[2] - a[2] * T], acc: a };
}

/**
 * Rotor commands that carry out `plan`: reach the start of the swing, wait, swing through the contact. From just
 * before the swing the thrust is pointed along n and the tracking only sets its size: the racket's direction
 * matters more than a few centimetres of position (the racket is 0.4 m wide).
 */
export function strikeCommands(k: DroneKinematics, plan: StrikePlan, yaw = 0): number[] {
  const ref = strikeReference(plan);
  const close = plan.time < plan.swingTime + SETTLE_TIME;
  // Far from contact: hurry to the start of the swing and stop there.
  const f = close ? desiredThrust(k, ref, STRIKE_GAINS) : desiredThrust(k, approach(k, ref.pos, APPROACH_SPEED, APPROACH_BRAKING), CRUISE_GAINS);
  // Lock the attitude only on track: a drone off its swing needs every direction of thrust to get back.
  const off = Math.hypot(k.pos[0] - ref.pos[0], k.pos[1] - ref.pos[1], k.pos[2] - ref.pos[2]);
  const v = ref.vel ?? [0, 0, 0];
  const slip = Math.hypot(k.vel[0] - v[0], k.vel[1] - v[1], k.vel[2] - v[2]);
  if (plan.time > plan.swingTime + ATTITUDE_LEAD || off > LOCK_POSITION_ERROR || slip > LOCK_SPEED_ERROR) return attitudeCommands(k, f, yaw);
  const n = plan.normal;
  const along = Math.max(0, dot(f, n));
  return attitudeCommands(k, [n[0] * along, n[1] * along, n[2] * along], yaw);
}
