/**
 * Exact swept-sphere contacts for the ball. Within a step the ball centre moves on a straight segment (the
 * semi-implicit Euler path) and each obstacle moves by a translation, so every test is a sphere moving by a
 * relative displacement D against a static convex shape, parameterised by t in [0, 1]:
 * - ground plane and spheres (drone bodies): closed form;
 * - the net (a rectangle) and the rackets (disks): conservative advancement on the exact point-to-shape
 *   distance, which for a convex shape never steps past the first contact and converges to it.
 * A contact counts only while the ball approaches the surface: a touching but separating ball (just after a
 * bounce) is free, and for a convex shape under linear motion it cannot touch it again in the same segment.
 */
import { COURT_WIDTH, NET_HEIGHT } from './constants';

/** Contact distance tolerance (m) of conservative advancement. */
const TOLERANCE = 1e-7;
const MAX_ITERATIONS = 64;
/** No contact in the segment. */
export const NO_CONTACT = -1;

/** A surface point's outward normal, written by the closest-point functions. */
export interface Normal {
  x: number;
  y: number;
  z: number;
}

/** First t in [0, 1] at which a sphere of radius r at height z, moving by dz, touches the plane z = 0. */
export function sweepGround(z: number, dz: number, r: number): number {
  if (dz >= 0) return NO_CONTACT;
  if (z <= r) return 0;
  const t = (r - z) / dz;
  return t <= 1 ? t : NO_CONTACT;
}

/**
 * First t in [0, 1] at which a point at P moving by D comes within `radius` of the origin (a sphere moving
 * against a sphere, radius = the sum of both radii), while approaching.
 */
export function sweepSphere(px: number, py: number, pz: number, dx: number, dy: number, dz: number, radius: number): number {
  const b = px * dx + py * dy + pz * dz;
  if (b >= 0) return NO_CONTACT; // moving away from (or tangent to) the centre: no first contact ahead
  const c = px * px + py * py + pz * pz - radius * radius;
  if (c <= 0) return 0;
  const a = dx * dx + dy * dy + dz * dz;
  const disc = b * b - a * c;
  if (disc < 0) return NO_CONTACT;
  const t = (-b - Math.sqrt(disc)) / a;
  return t <= 1 ? t : NO_CONTACT;
}

/**
 * Distance from point P to the disk of radius R centred at the origin with unit normal n; writes the unit
 * direction from the disk's closest point to P into `normal` (the disk's normal when P projects inside it).
 */
export function diskDistance(
  px: number,
  py: number,
  pz: number,
  nx: number,
  ny: number,
  nz: number,
  radius: number,
  normal: Normal,
): number {
  const h = px * nx + py * ny + pz * nz;
  const qx = px - h * nx;
  const qy = py - h * ny;
  const qz = pz - h * nz;
  const q = Math.sqrt(qx * qx + qy * qy + qz * qz);
  if (q <= radius) {
    const s = h >= 0 ? 1 : -1;
    normal.x = s * nx;
    normal.y = s * ny;
    normal.z = s * nz;
    return h >= 0 ? h : -h;
  }
  // Closest point on the rim: q scaled to the radius.
  const k = radius / q;
  const ex = px - qx * k;
  const ey = py - qy * k;
  const ez = pz - qz * k;
  const d = Math.sqrt(ex * ex + ey * ey + ez * ez);
  normal.x = ex / d;
  normal.y = ey / d;
  normal.z = ez / d;
  return d;
}

/**
 * Distance from point P (world) to the net: the rectangle x = 0, |y| <= COURT_WIDTH / 2, 0 <= z <= NET_HEIGHT.
 * Writes the unit direction from the closest net point to P into `normal`.
 */
export function netDistance(px: number, py: number, pz: number, normal: Normal): number {
  const half = COURT_WIDTH / 2;
  const cy = py < -half ? -half : py > half ? half : py;
  const cz = pz < 0 ? 0 : pz > NET_HEIGHT ? NET_HEIGHT : pz;
  const ex = px;
  const ey = py - cy;
  const ez = pz - cz;
  const d = Math.sqrt(ex * ex + ey * ey + ez * ez);
  if (d === 0) {
    normal.x = 1; // on the net itself: any side; the approach test below picks the sign
    normal.y = 0;
    normal.z = 0;
  } else {
    normal.x = ex / d;
    normal.y = ey / d;
    normal.z = ez / d;
  }
  return d;
}

/**
 * Conservative advancement: the first t in [0, 1] at which a sphere of radius r at P moving by D touches the
 * convex shape whose distance function is `distance` (which also writes the contact normal). Returns NO_CONTACT
 * when it does not, or when it only grazes the shape within TOLERANCE after MAX_ITERATIONS steps.
 */
export function sweepConvex(
  px: number,
  py: number,
  pz: number,
  dx: number,
  dy: number,
  dz: number,
  r: number,
  distance: (x: number, y: number, z: number, normal: Normal) => number,
  normal: Normal,
): number {
  const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
  let t = 0;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const gap = distance(px + t * dx, py + t * dy, pz + t * dz, normal) - r;
    if (gap <= TOLERANCE) {
      // Touching: a contact only if the sphere is moving into the surface.
      return dx * normal.x + dy * normal.y + dz * normal.z < 0 ? t : NO_CONTACT;
    }
    if (len === 0) return NO_CONTACT;
    t += gap / len;
    if (t > 1) return NO_CONTACT;
  }
  return NO_CONTACT;
}

/**
 * Reflects velocity `v` (mutated) off a surface with unit normal n moving at velocity u: the normal component
 * of the relative velocity is reversed and scaled by the restitution e, the tangential one kept (no friction).
 * Returns the normal approach speed (0 when not approaching, in which case v is unchanged).
 */
export function reflect(v: Normal, n: Normal, ux: number, uy: number, uz: number, e: number): number {
  const vn = (v.x - ux) * n.x + (v.y - uy) * n.y + (v.z - uz) * n.z;
  if (vn >= 0) return 0;
  const k = (1 + e) * vn;
  v.x -= k * n.x;
  v.y -= k * n.y;
  v.z -= k * n.z;
  return -vn;
}
