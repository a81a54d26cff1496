/**
 * Ball flight prediction and aiming. The game integrates the ball with semi-implicit Euler at DT, so after time
 * t = k DT its height is z0 + vz t - g t (t + DT) / 2, not the continuous parabola (5 cm apart after 1 s); the
 * predictions here use the discrete form so a strike meets the ball where the game puts it.
 */
import { DT, GRAVITY } from '../../environments/physics/drone/constants';
import type { Vec3 } from '../../environments/physics/drone/scene';

/** Ball centre after time t of free flight. */
export function ballPositionAt(p: Vec3, v: Vec3, t: number): Vec3 {
  return [p[0] + v[0] * t, p[1] + v[1] * t, p[2] + v[2] * t - (GRAVITY * t * (t + DT)) / 2];
}

/** Ball velocity after time t of free flight. */
export function ballVelocityAt(v: Vec3, t: number): Vec3 {
  return [v[0], v[1], v[2] - GRAVITY * t];
}

/** Highest centre height of the current flight (already behind the ball when it is falling). */
export function apexHeight(pz: number, vz: number): number {
  const b = vz - (GRAVITY * DT) / 2;
  return pz + (b * b) / (2 * GRAVITY);
}

/** Time until the ball centre comes down through height z (the later root), or null if it never does. */
export function timeToDescend(pz: number, vz: number, z: number): number | null {
  // g t^2 / 2 + (g DT / 2 - vz) t + (z - pz) = 0
  const b = vz - (GRAVITY * DT) / 2;
  const disc = b * b - 2 * GRAVITY * (z - pz);
  if (disc < 0) return null;
  const t = (b + Math.sqrt(disc)) / GRAVITY;
  return t >= 0 ? t : null;
}

/**
 * Launch velocity from `from` that reaches its highest point at height `apex` and then comes down through
 * `to` (its height included). `apex` is raised to stay above both points.
 */
export function lobVelocity(from: Vec3, to: Vec3, apex: number): Vec3 {
  const top = Math.max(apex, from[2] + 0.05, to[2] + 0.05);
  const vz = Math.sqrt(2 * GRAVITY * (top - from[2]));
  const t = vz / GRAVITY + Math.sqrt((2 * (top - to[2])) / GRAVITY);
  return [(to[0] - from[0]) / t, (to[1] - from[1]) / t, vz];
}
