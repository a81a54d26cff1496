/**
 * One fixed step of the whole scene: every drone integrates under its rotor commands, then the ball moves along
 * its step segment and bounces off the first surface it meets, again and again until the step's time is used
 * (the ground, the net, each drone's racket disk and body sphere). Drones move linearly within the step for the
 * ball's contact tests, with their end-of-step attitude. The ball does not push the drones (5 g against 1.52 kg).
 * The step reports every contact and net-plane crossing, in time order, for the rules.
 */
import { BALL_RADIUS, BODY_RADIUS, DT, GRAVITY, RACKET_OFFSET, RACKET_RADIUS, RESTITUTION } from './constants';
import { diskDistance, netDistance, NO_CONTACT, reflect, sweepConvex, sweepGround, sweepSphere, type Normal } from './contacts';
import { DRONE_STRIDE, OMEGA, POS, QUAT, VEL, stepDrone } from './quadrotor';

export type BallEventKind = 'racket' | 'body' | 'ground' | 'net' | 'cross';

export interface BallEvent {
  readonly kind: BallEventKind;
  /** When, as a fraction of the step in [0, 1]. */
  readonly time: number;
  /** The drone touched ('racket', 'body'); -1 otherwise. */
  readonly seat: number;
  /** Ball centre at the event (world). */
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export interface WorldStep {
  readonly drones: number[];
  readonly ball: number[];
  readonly events: BallEvent[];
}

/** A step has at most this many ball contacts (a ball wedged between surfaces stops bouncing for the step). */
const MAX_CONTACTS = 8;
/** Farthest racket point from the drone centre, plus the ball radius: beyond it a drone cannot be touched. */
const REACH = Math.sqrt(RACKET_OFFSET * RACKET_OFFSET + RACKET_RADIUS * RACKET_RADIUS) + BALL_RADIUS;

// Per-step scratch (single-threaded, not re-entrant): per drone start position, displacement, racket normal and
// world angular velocity.
let scratch = new Float64Array(0);
const normal: Normal = { x: 0, y: 0, z: 0 };
const best: Normal = { x: 0, y: 0, z: 0 };
const vel: Normal = { x: 0, y: 0, z: 0 };
let diskNx = 0;
let diskNy = 0;
let diskNz = 0;

function racketDistance(x: number, y: number, z: number, n: Normal): number {
  return diskDistance(x, y, z, diskNx, diskNy, diskNz, RACKET_RADIUS, n);
}

/** Which half a ball centre x is over: 0 = team A (x < 0), 1 = team B. */
export function sideOf(x: number): 0 | 1 {
  return x < 0 ? 0 : 1;
}

/**
 * Steps drones (13 numbers each) under `commands` (4 per drone, clamped to [-1, 1]) and the ball
 * (x, y, z, vx, vy, vz) by DT.
 */
export function stepWorld(drones: readonly number[], ball: readonly number[], commands: readonly number[]): WorldStep {
  const n = drones.length / DRONE_STRIDE;
  const next = new Array<number>(drones.length);
  if (scratch.length < n * 12) scratch = new Float64Array(n * 12);
  const s = scratch;
  for (let i = 0; i < n; i++) {
    const off = i * DRONE_STRIDE;
    stepDrone(drones, off, commands, i * 4, DT, next);
    const k = i * 12;
    for (let a = 0; a < 3; a++) {
      s[k + a] = drones[off + POS + a]!;
      s[k + 3 + a] = next[off + POS + a]! - drones[off + POS + a]!;
    }
    const w = next[off + QUAT]!;
    const x = next[off + QUAT + 1]!;
    const y = next[off + QUAT + 2]!;
    const z = next[off + QUAT + 3]!;
    // Racket normal = body z; world angular velocity = R * body rate.
    s[k + 6] = 2 * (x * z + w * y);
    s[k + 7] = 2 * (y * z - w * x);
    s[k + 8] = 1 - 2 * (x * x + y * y);
    const p = next[off + OMEGA]!;
    const q = next[off + OMEGA + 1]!;
    const r = next[off + OMEGA + 2]!;
    s[k + 9] = (1 - 2 * (y * y + z * z)) * p + 2 * (x * y - w * z) * q + 2 * (x * z + w * y) * r;
    s[k + 10] = 2 * (x * y + w * z) * p + (1 - 2 * (x * x + z * z)) * q + 2 * (y * z - w * x) * r;
    s[k + 11] = 2 * (x * z - w * y) * p + 2 * (y * z + w * x) * q + s[k + 8]! * r;
  }

  // The ball: semi-implicit Euler (velocity first), then the straight segment, split at each contact.
  let bx = ball[0]!;
  let by = ball[1]!;
  let bz = ball[2]!;
  vel.x = ball[3]!;
  vel.y = ball[4]!;
  vel.z = ball[5]! - GRAVITY * DT;
  const events: BallEvent[] = [];
  let time = 0;
  // Surfaces found touching but not pushing (the translational sweep saw an approach that the surface's full
  // velocity, rotation included, does not): skipped for the rest of the step so they cannot be reported twice.
  let skipNet = false;
  let skipDrones = 0;
  for (let contacts = 0; time < 1; contacts++) {
    const span = (1 - time) * DT;
    const dx = vel.x * span;
    const dy = vel.y * span;
    const dz = vel.z * span;
    if (contacts >= MAX_CONTACTS) {
      bx += dx;
      by += dy;
      bz += dz;
      break;
    }
    let first = 1.000001; // fraction of the remaining span
    let kind: BallEventKind | null = null;
    let seat = -1;

    const tg = sweepGround(bz, dz, BALL_RADIUS);
    if (tg !== NO_CONTACT && tg < first) {
      first = tg;
      kind = 'ground';
      best.x = 0;
      best.y = 0;
      best.z = 1;
    }
    if (!skipNet && (bx > 0 ? bx : -bx) <= BALL_RADIUS + (dx > 0 ? dx : -dx)) {
      const tn = sweepConvex(bx, by, bz, dx, dy, dz, BALL_RADIUS, netDistance, normal);
      if (tn !== NO_CONTACT && tn < first) {
        first = tn;
        kind = 'net';
        best.x = normal.x;
        best.y = normal.y;
        best.z = normal.z;
      }
    }
    for (let i = 0; i < n; i++) {
      const k = i * 12;
      const rest = 1 - time;
      // Drone centre at the current time and the ball's displacement relative to it over the rest of the step.
      const cx = s[k]! + s[k + 3]! * time;
      const cy = s[k + 1]! + s[k + 4]! * time;
      const cz = s[k + 2]! + s[k + 5]! * time;
      const rx = dx - s[k + 3]! * rest;
      const ry = dy - s[k + 4]! * rest;
      const rz = dz - s[k + 5]! * rest;
      const px = bx - cx;
      const py = by - cy;
      const pz = bz - cz;
      const reach = REACH + Math.sqrt(rx * rx + ry * ry + rz * rz);
      if ((skipDrones & (1 << i)) !== 0 || px * px + py * py + pz * pz > reach * reach) continue;
      const tb = sweepSphere(px, py, pz, rx, ry, rz, BODY_RADIUS + BALL_RADIUS);
      if (tb !== NO_CONTACT && tb < first) {
        first = tb;
        kind = 'body';
        seat = i;
        const ex = px + rx * tb;
        const ey = py + ry * tb;
        const ez = pz + rz * tb;
        const d = Math.sqrt(ex * ex + ey * ey + ez * ez);
        best.x = ex / d;
        best.y = ey / d;
        best.z = ez / d;
      }
      diskNx = s[k + 6]!;
      diskNy = s[k + 7]!;
      diskNz = s[k + 8]!;
      const tr = sweepConvex(
        px - RACKET_OFFSET * diskNx,
        py - RACKET_OFFSET * diskNy,
        pz - RACKET_OFFSET * diskNz,
        rx,
        ry,
        rz,
        BALL_RADIUS,
        racketDistance,
        normal,
      );
      if (tr !== NO_CONTACT && tr < first) {
        first = tr;
        // The racket's top face is the racket; its underside and rim from below belong to the body.
        const h = (px + rx * tr - RACKET_OFFSET * diskNx) * diskNx + (py + ry * tr - RACKET_OFFSET * diskNy) * diskNy + (pz + rz * tr - RACKET_OFFSET * diskNz) * diskNz;
        kind = h >= 0 ? 'racket' : 'body';
        seat = i;
        best.x = normal.x;
        best.y = normal.y;
        best.z = normal.z;
      }
    }

    const t = kind === null ? 1 : first;
    // A crossing of the net plane before the contact (or the segment's end).
    const nx = bx + dx * t;
    if (sideOf(bx) !== sideOf(nx)) {
      const tc = -bx / dx;
      events.push({ kind: 'cross', time: time + tc * (1 - time), seat: -1, x: 0, y: by + dy * tc, z: bz + dz * tc });
    }
    bx = nx;
    by += dy * t;
    bz += dz * t;
    if (kind === null) break;
    time += t * (1 - time);
    // Surface velocity at the contact point: the drone's velocity plus w x (point - centre).
    let ux = 0;
    let uy = 0;
    let uz = 0;
    if (seat >= 0) {
      const off = seat * DRONE_STRIDE;
      const k = seat * 12;
      const ox = bx - BALL_RADIUS * best.x - (s[k]! + s[k + 3]! * time);
      const oy = by - BALL_RADIUS * best.y - (s[k + 1]! + s[k + 4]! * time);
      const oz = bz - BALL_RADIUS * best.z - (s[k + 2]! + s[k + 5]! * time);
      ux = next[off + VEL]! + s[k + 10]! * oz - s[k + 11]! * oy;
      uy = next[off + VEL + 1]! + s[k + 11]! * ox - s[k + 9]! * oz;
      uz = next[off + VEL + 2]! + s[k + 9]! * oy - s[k + 10]! * ox;
    }
    if (reflect(vel, best, ux, uy, uz, RESTITUTION) === 0 && kind !== 'ground') {
      if (seat >= 0) skipDrones |= 1 << seat;
      else skipNet = true;
      continue;
    }
    events.push({ kind, time, seat, x: bx, y: by, z: bz });
  }
  return { drones: next, ball: [bx, by, bz, vel.x, vel.y, vel.z], events };
}
