/**
 * Quadrotor rigid-body dynamics, integrated by us with semi-implicit Euler at a fixed step.
 *
 * A drone's state is 13 numbers in a flat array (so a whole team's state is one plain, JSON-exact array):
 * position (3, world), velocity (3, world), attitude quaternion (w, x, y, z; body to world), angular rate
 * (3, body frame). Forces: gravity and four rotor thrusts along body z. Torques: rotor thrusts about the arms
 * (X configuration) and the rotors' drag torques about body z; gyroscopic coupling w x Jw. Thrust follows the
 * command instantly (no motor lag) and there is no aerodynamic drag: both are small at these speeds and leaving
 * them out keeps the model to the references' parameters.
 *
 * Only + - * / and sqrt appear in the step, all correctly rounded in IEEE 754, so a step gives bit-identical
 * results on every machine and JavaScript engine.
 */
import {
  DRONE_MASS,
  GRAVITY,
  INERTIA_XX,
  INERTIA_YY,
  INERTIA_ZZ,
  MAX_ROTOR_THRUST,
  ROTORS,
  YAW_DRAG_COEFFICIENT,
} from './constants';

/** Numbers per drone in a state array. */
export const DRONE_STRIDE = 13;
/** Offsets inside one drone's 13 numbers. */
export const POS = 0;
export const VEL = 3;
export const QUAT = 6;
export const OMEGA = 10;

/** Rotor thrust (N) for a command, clamped to [-1, 1]: linear, 0 N at -1, MAX_ROTOR_THRUST at +1. */
export function commandToThrust(command: number): number {
  const c = command < -1 ? -1 : command > 1 ? 1 : command;
  return (MAX_ROTOR_THRUST * (c + 1)) / 2;
}

/** The command that produces `thrust` newtons (inverse of commandToThrust, clamped to [-1, 1]). */
export function thrustToCommand(thrust: number): number {
  const c = (2 * thrust) / MAX_ROTOR_THRUST - 1;
  return c < -1 ? -1 : c > 1 ? 1 : c;
}

/**
 * The body-to-world rotation matrix (row-major, 9 numbers) of the unit quaternion at `q[off..off+3]`
 * (w, x, y, z), written to `out[outOff..]`.
 */
export function rotationMatrix(q: readonly number[], off: number, out: number[] | Float64Array, outOff = 0): void {
  const w = q[off]!;
  const x = q[off + 1]!;
  const y = q[off + 2]!;
  const z = q[off + 3]!;
  out[outOff] = 1 - 2 * (y * y + z * z);
  out[outOff + 1] = 2 * (x * y - w * z);
  out[outOff + 2] = 2 * (x * z + w * y);
  out[outOff + 3] = 2 * (x * y + w * z);
  out[outOff + 4] = 1 - 2 * (x * x + z * z);
  out[outOff + 5] = 2 * (y * z - w * x);
  out[outOff + 6] = 2 * (x * z - w * y);
  out[outOff + 7] = 2 * (y * z + w * x);
  out[outOff + 8] = 1 - 2 * (x * x + y * y);
}

/**
 * Advances one drone by `dt` under rotor `commands[cOff..cOff+3]` (clamped to [-1, 1]): reads `src[off..off+12]`,
 * writes `out[off..off+12]` (`out` may not alias `src`).
 */
export function stepDrone(
  src: readonly number[],
  off: number,
  commands: readonly number[],
  cOff: number,
  dt: number,
  out: number[],
): void {
  let thrust = 0;
  let tx = 0;
  let ty = 0;
  let tz = 0;
  for (let i = 0; i < 4; i++) {
    const f = commandToThrust(commands[cOff + i]!);
    const [rx, ry, spin] = ROTORS[i]!;
    thrust += f;
    // r x (0, 0, f) = (ry f, -rx f, 0); a rotor's drag torque turns the body against its spin.
    tx += ry * f;
    ty -= rx * f;
    tz -= spin * YAW_DRAG_COEFFICIENT * f;
  }

  const w = src[off + QUAT]!;
  const x = src[off + QUAT + 1]!;
  const y = src[off + QUAT + 2]!;
  const z = src[off + QUAT + 3]!;
  // Body z axis in the world: the third column of the rotation matrix.
  const bx = 2 * (x * z + w * y);
  const by = 2 * (y * z - w * x);
  const bz = 1 - 2 * (x * x + y * y);
  const acc = thrust / DRONE_MASS;

  const vx = src[off + VEL]! + acc * bx * dt;
  const vy = src[off + VEL + 1]! + acc * by * dt;
  const vz = src[off + VEL + 2]! + (acc * bz - GRAVITY) * dt;
  out[off + POS] = src[off + POS]! + vx * dt;
  out[off + POS + 1] = src[off + POS + 1]! + vy * dt;
  out[off + POS + 2] = src[off + POS + 2]! + vz * dt;
  out[off + VEL] = vx;
  out[off + VEL + 1] = vy;
  out[off + VEL + 2] = vz;

  // Euler's equations in the body frame: J dw/dt = tau - w x (J w).
  const p = src[off + OMEGA]!;
  const q = src[off + OMEGA + 1]!;
  const r = src[off + OMEGA + 2]!;
  const np = p + ((tx - (INERTIA_ZZ - INERTIA_YY) * q * r) / INERTIA_XX) * dt;
  const nq = q + ((ty - (INERTIA_XX - INERTIA_ZZ) * r * p) / INERTIA_YY) * dt;
  const nr = r + ((tz - (INERTIA_YY - INERTIA_XX) * p * q) / INERTIA_ZZ) * dt;
  out[off + OMEGA] = np;
  out[off + OMEGA + 1] = nq;
  out[off + OMEGA + 2] = nr;

  // dq/dt = q (x) (0, w_body) / 2 with the new rate (semi-implicit), then renormalised.
  const h = dt / 2;
  const nw = w + h * (-x * np - y * nq - z * nr);
  const nx = x + h * (w * np + y * nr - z * nq);
  const ny = y + h * (w * nq + z * np - x * nr);
  const nz = z + h * (w * nr + x * nq - y * np);
  const inv = 1 / Math.sqrt(nw * nw + nx * nx + ny * ny + nz * nz);
  out[off + QUAT] = nw * inv;
  out[off + QUAT + 1] = nx * inv;
  out[off + QUAT + 2] = ny * inv;
  out[off + QUAT + 3] = nz * inv;
}
