/**
 * Cascaded quadrotor controller, in the team frame of a drone observation:
 * position/velocity PD with acceleration feed-forward -> desired thrust vector (tilt-limited) -> geometric attitude
 * PD on SO(3) (Lee, Leok and McClamroch 2010) -> collective thrust and body torques -> X-configuration mixing with
 * attitude-first desaturation -> rotor commands in [-1, 1]. The model constants are the game's own.
 */
import {
  ARM_XY,
  DRONE_MASS,
  GRAVITY,
  INERTIA_XX,
  INERTIA_YY,
  INERTIA_ZZ,
  MAX_ROTOR_THRUST,
  YAW_DRAG_COEFFICIENT,
} from '../../environments/physics/drone/constants';
import { thrustToCommand } from '../../environments/physics/drone/quadrotor';
import type { Vec3 } from '../../environments/physics/drone/scene';

/** The parts of a drone observation the controller reads (team frame). */
export interface DroneKinematics {
  readonly pos: Vec3;
  readonly vel: Vec3;
  /** Body-to-frame rotation, row-major. */
  readonly rot: readonly number[];
  /** Body angular rate. */
  readonly omega: Vec3;
}

/** A reference for the position loop: where to be, how fast, and the feed-forward acceleration. */
export interface MotionTarget {
  readonly pos: Vec3;
  readonly vel?: Vec3;
  readonly acc?: Vec3;
  /** Heading (rad) about z; 0 faces +x, the opponents in the team frame. */
  readonly yaw?: number;
}

export interface ControlGains {
  /** Position gain (1/s^2) and velocity gain (1/s). */
  readonly kp: number;
  readonly kd: number;
  /** Largest tilt of the thrust vector from vertical (rad). */
  readonly maxTilt: number;
  /** Largest horizontal acceleration the PD may ask for (m/s^2), feed-forward excluded. */
  readonly maxAccel: number;
}

/** Gentle gains for moving about the court. */
export const CRUISE_GAINS: ControlGains = { kp: 6, kd: 4.5, maxTilt: 0.7, maxAccel: 7 };
/** Stiff gains for tracking a strike. */
export const STRIKE_GAINS: ControlGains = { kp: 16, kd: 7, maxTilt: 1.0, maxAccel: 12 };

/** Attitude loop: natural frequency (rad/s) per axis and damping. */
const ATT_WN_RP = 25;
const ATT_WN_YAW = 6;
const ATT_ZETA = 0.8;
const MAX_THRUST = 4 * MAX_ROTOR_THRUST;

/**
 * The thrust vector (N, frame) that makes the drone follow `target`: m (a_ff + kp e_p + kd e_v + g z), with the
 * PD part's horizontal acceleration capped and the vector's tilt and length limited to what the rotors can give.
 */
export function desiredThrust(k: DroneKinematics, target: MotionTarget, gains: ControlGains = CRUISE_GAINS): Vec3 {
  const v = target.vel ?? [0, 0, 0];
  const a = target.acc ?? [0, 0, 0];
  let ax = gains.kp * (target.pos[0] - k.pos[0]) + gains.kd * (v[0] - k.vel[0]);
  let ay = gains.kp * (target.pos[1] - k.pos[1]) + gains.kd * (v[1] - k.vel[1]);
  const h = Math.hypot(ax, ay);
  if (h > gains.maxAccel) {
    ax *= gains.maxAccel / h;
    ay *= gains.maxAccel / h;
  }
  const az = gains.kp * (target.pos[2] - k.pos[2]) + gains.kd * (v[2] - k.vel[2]);
  return limitThrust([DRONE_MASS * (ax + a[0]), DRONE_MASS * (ay + a[1]), DRONE_MASS * (az + a[2] + GRAVITY)], gains.maxTilt);
}

/** Clips a thrust vector to the tilt cone and the rotors' total thrust, keeping at least a little lift. */
export function limitThrust(f: Vec3, maxTilt: number): Vec3 {
  let [fx, fy, fz] = f;
  fz = Math.max(fz, 0.2 * DRONE_MASS * GRAVITY);
  const h = Math.hypot(fx, fy);
  const maxH = fz * Math.tan(maxTilt);
  if (h > maxH) {
    fx *= maxH / h;
    fy *= maxH / h;
  }
  const len = Math.hypot(fx, fy, fz);
  if (len > MAX_THRUST) {
    // Keep the direction but scale the horizontal part first: lift matters more than speed.
    const room = Math.sqrt(Math.max(0, MAX_THRUST * MAX_THRUST - fz * fz));
    if (fz >= MAX_THRUST) return [0, 0, MAX_THRUST];
    const s = room / Math.hypot(fx, fy);
    return [fx * s, fy * s, fz];
  }
  return [fx, fy, fz];
}

/**
 * Rotor commands that turn the body z axis toward `thrust` (frame) with heading `yaw`, and push with the part of
 * `thrust` along the current body z axis.
 */
export function attitudeCommands(k: DroneKinematics, thrust: Vec3, yaw = 0): number[] {
  const R = k.rot;
  const len = Math.hypot(thrust[0], thrust[1], thrust[2]);
  const b3: Vec3 = len > 0 ? [thrust[0] / len, thrust[1] / len, thrust[2] / len] : [0, 0, 1];
  // b2 = b3 x b1c (normalised), b1 = b2 x b3, with b1c the desired heading.
  const cx = Math.cos(yaw);
  const cy = Math.sin(yaw);
  let b2x = -b3[2] * cy;
  let b2y = b3[2] * cx;
  let b2z = b3[0] * cy - b3[1] * cx;
  const n2 = Math.hypot(b2x, b2y, b2z);
  b2x /= n2;
  b2y /= n2;
  b2z /= n2;
  const b1x = b2y * b3[2] - b2z * b3[1];
  const b1y = b2z * b3[0] - b2x * b3[2];
  const b1z = b2x * b3[1] - b2y * b3[0];
  // Rd columns b1, b2, b3. E = Rd^T R; e_R = vee(E - E^T) / 2.
  const col = (j: number): Vec3 => [R[j]!, R[3 + j]!, R[6 + j]!];
  const r1 = col(0);
  const r2 = col(1);
  const r3 = col(2);
  const dot = (ax: number, ay: number, az: number, r: Vec3): number => ax * r[0] + ay * r[1] + az * r[2];
  // E_ij = bi . rj
  const e32 = dot(b3[0], b3[1], b3[2], r2);
  const e23 = dot(b2x, b2y, b2z, r3);
  const e13 = dot(b1x, b1y, b1z, r3);
  const e31 = dot(b3[0], b3[1], b3[2], r1);
  const e21 = dot(b2x, b2y, b2z, r1);
  const e12 = dot(b1x, b1y, b1z, r2);
  const ex = (e32 - e23) / 2;
  const ey = (e13 - e31) / 2;
  const ez = (e21 - e12) / 2;
  const [p, q, r] = k.omega;
  const kr = (j: number, wn: number): number => j * wn * wn;
  const kw = (j: number, wn: number): number => 2 * ATT_ZETA * wn * j;
  const tx = -kr(INERTIA_XX, ATT_WN_RP) * ex - kw(INERTIA_XX, ATT_WN_RP) * p + (INERTIA_ZZ - INERTIA_YY) * q * r;
  const ty = -kr(INERTIA_YY, ATT_WN_RP) * ey - kw(INERTIA_YY, ATT_WN_RP) * q + (INERTIA_XX - INERTIA_ZZ) * r * p;
  const tz = -kr(INERTIA_ZZ, ATT_WN_YAW) * ez - kw(INERTIA_ZZ, ATT_WN_YAW) * r + (INERTIA_YY - INERTIA_XX) * p * q;
  const collective = Math.max(0, thrust[0] * r3[0] + thrust[1] * r3[1] + thrust[2] * r3[2]);
  return mix(collective, tx, ty, tz);
}

/**
 * Per-rotor commands for collective thrust T (N) and body torques (N m), inverting the X-configuration allocation
 * (rotors 0 front-right CCW, 1 back-left CCW, 2 front-left CW, 3 back-right CW). When the rotors saturate the
 * torques are kept and the collective gives way (attitude first), scaling the torques only if they alone exceed
 * the rotors' range.
 */
export function mix(thrust: number, tx: number, ty: number, tz: number): number[] {
  const a = tx / (4 * ARM_XY);
  const b = ty / (4 * ARM_XY);
  const c = tz / (4 * YAW_DRAG_COEFFICIENT);
  const d = [-a - b - c, a + b - c, a - b + c, -a + b + c];
  let lo = Math.min(...d);
  let hi = Math.max(...d);
  if (hi - lo > MAX_ROTOR_THRUST) {
    const s = MAX_ROTOR_THRUST / (hi - lo);
    for (let i = 0; i < 4; i++) d[i]! *= s;
    lo *= s;
    hi *= s;
  }
  const base = Math.min(Math.max(thrust / 4, -lo), MAX_ROTOR_THRUST - hi);
  return d.map((x) => thrustToCommand(base + x));
}

/**
 * A reference that brings the drone to `target` and stops it there: within `near` metres the target itself;
 * farther, a point `near` metres ahead with a velocity toward the target at a speed from which `braking`
 * stops it in time (at most `maxSpeed`). The PD then never sees a far-away step.
 */
export function approach(k: DroneKinematics, target: Vec3, maxSpeed: number, braking: number, near = 0.4): MotionTarget {
  const d: Vec3 = [target[0] - k.pos[0], target[1] - k.pos[1], target[2] - k.pos[2]];
  const dist = Math.hypot(...d);
  if (dist <= near) return { pos: target };
  const u: Vec3 = [d[0] / dist, d[1] / dist, d[2] / dist];
  const speed = Math.min(maxSpeed, Math.sqrt(2 * braking * (dist - near)));
  return {
    pos: [k.pos[0] + u[0] * near, k.pos[1] + u[1] * near, k.pos[2] + u[2] * near],
    vel: [u[0] * speed, u[1] * speed, u[2] * speed],
  };
}

/** Rotor commands that fly the drone toward `target` (the position controller and the attitude controller chained). */
export function flyTo(k: DroneKinematics, target: MotionTarget, gains: ControlGains = CRUISE_GAINS): number[] {
  return attitudeCommands(k, desiredThrust(k, target, gains), target.yaw ?? 0);
}
