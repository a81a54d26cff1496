/**
 * A drone's observation, in its team frame (the team on x < 0 facing +x; see scene.ts), so one policy plays
 * either side. Layout for team size n (24 + 13 n floats; 63 for 3v3):
 *
 * | Offset          | Size     | Content                                                                    |
 * | --------------- | -------- | -------------------------------------------------------------------------- |
 * | 0               | 3        | own position                                                               |
 * | 3               | 3        | own velocity                                                               |
 * | 6               | 9        | own attitude: body-to-team-frame rotation matrix, row-major                |
 * | 15              | 3        | own angular rate (body frame)                                              |
 * | 18              | 3        | ball position relative to own position                                     |
 * | 21              | 3        | ball velocity                                                              |
 * | 24              | 6 (n-1)  | teammates by index (self skipped): position relative to own, velocity      |
 * | 18 + 6n         | 6 n      | opponents by index: position relative to own, velocity                     |
 * | 18 + 12n        | 6        | touches used by own team this possession / 3, own drone touched (0/1),     |
 * |                 |          | ball over own half (0/1), serve possession (0/1), own team served (0/1),   |
 * |                 |          | fraction of the step limit left                                            |
 * | 24 + 12n        | n        | own index in the team, one-hot (0 serves/passes, 1 sets, 2 attacks)        |
 */
import { DRONE_STRIDE, OMEGA, POS, QUAT, VEL, rotationMatrix } from './quadrotor';
import { indexInTeam, teamOf, type Vec3 } from './scene';
import { MAX_TOUCHES, type Rally } from './rules';

export function observationLength(teamSize: number): number {
  return 24 + 13 * teamSize;
}

/** What the observation needs of a game state. */
export interface ObservedState {
  readonly drones: readonly number[];
  readonly ball: readonly number[];
  readonly rally: Rally;
  /** Serving team, or -1 before the serve is drawn. */
  readonly serving: number;
  readonly step: number;
}

const rot = new Float64Array(9);

export function observationTensor(state: ObservedState, seat: number, teamSize: number, maxSteps: number): Float32Array {
  const out = new Float32Array(observationLength(teamSize));
  const team = teamOf(seat, teamSize);
  const f = team === 0 ? 1 : -1; // x and y flip sign in team B's frame
  const d = state.drones;
  const o = seat * DRONE_STRIDE;
  const px = d[o + POS]!;
  const py = d[o + POS + 1]!;
  const pz = d[o + POS + 2]!;
  out[0] = f * px;
  out[1] = f * py;
  out[2] = pz;
  out[3] = f * d[o + VEL]!;
  out[4] = f * d[o + VEL + 1]!;
  out[5] = d[o + VEL + 2]!;
  rotationMatrix(d, o + QUAT, rot);
  for (let i = 0; i < 9; i++) out[6 + i] = i < 6 ? f * rot[i]! : rot[i]!;
  out[15] = d[o + OMEGA]!;
  out[16] = d[o + OMEGA + 1]!;
  out[17] = d[o + OMEGA + 2]!;
  const b = state.ball;
  out[18] = f * (b[0]! - px);
  out[19] = f * (b[1]! - py);
  out[20] = b[2]! - pz;
  out[21] = f * b[3]!;
  out[22] = f * b[4]!;
  out[23] = b[5]!;
  let k = 24;
  const others = (from: number, to: number): void => {
    for (let s = from; s < to; s++) {
      if (s === seat) continue;
      const q = s * DRONE_STRIDE;
      out[k++] = f * (d[q + POS]! - px);
      out[k++] = f * (d[q + POS + 1]! - py);
      out[k++] = d[q + POS + 2]! - pz;
      out[k++] = f * d[q + VEL]!;
      out[k++] = f * d[q + VEL + 1]!;
      out[k++] = d[q + VEL + 2]!;
    }
  };
  const ownStart = team * teamSize;
  const oppStart = (1 - team) * teamSize;
  others(ownStart, ownStart + teamSize);
  others(oppStart, oppStart + teamSize);
  const r = state.rally;
  const ours = r.possession === team;
  out[k++] = ours ? r.touches / MAX_TOUCHES : 0;
  out[k++] = (r.touched & (2 ** seat)) !== 0 ? 1 : 0;
  out[k++] = ours ? 1 : 0;
  out[k++] = r.serve ? 1 : 0;
  out[k++] = state.serving === team ? 1 : 0;
  out[k++] = Math.max(0, 1 - state.step / maxSteps);
  out[k + indexInTeam(seat, teamSize)] = 1;
  return out;
}

export interface OtherDrone {
  /** Index in its team. */
  readonly index: number;
  readonly pos: Vec3;
  readonly vel: Vec3;
}

/** An observation tensor read back into named team-frame quantities (absolute positions). */
export interface DroneObservation {
  readonly teamSize: number;
  /** Own index in the team (the role: 0 serves and passes, 1 sets, 2 attacks). */
  readonly index: number;
  readonly pos: Vec3;
  readonly vel: Vec3;
  /** Body-to-team-frame rotation, row-major. */
  readonly rot: readonly number[];
  /** Body angular rate. */
  readonly omega: Vec3;
  readonly ballPos: Vec3;
  readonly ballVel: Vec3;
  readonly mates: readonly OtherDrone[];
  readonly opponents: readonly OtherDrone[];
  /** Touches used by own team in this possession (0 when the opponents have the ball). */
  readonly touches: number;
  readonly touchedThisPossession: boolean;
  readonly ourPossession: boolean;
  readonly servePossession: boolean;
  readonly weServed: boolean;
  /** Fraction of the step limit left. */
  readonly timeLeft: number;
}

export function decodeObservation(t: ArrayLike<number>, teamSize: number): DroneObservation {
  if (t.length !== observationLength(teamSize)) throw new RangeError(`drone observation: expected ${observationLength(teamSize)} floats, got ${t.length}`);
  const v = (i: number): Vec3 => [t[i]!, t[i + 1]!, t[i + 2]!];
  const pos = v(0);
  const abs = (i: number): Vec3 => [pos[0] + t[i]!, pos[1] + t[i + 1]!, pos[2] + t[i + 2]!];
  const game = 18 + 12 * teamSize;
  let index = 0;
  for (let i = 0; i < teamSize; i++) if (t[game + 6 + i] === 1) index = i;
  const mates: OtherDrone[] = [];
  let k = 24;
  for (let i = 0; i < teamSize; i++) {
    if (i === index) continue;
    mates.push({ index: i, pos: abs(k), vel: v(k + 3) });
    k += 6;
  }
  const opponents: OtherDrone[] = [];
  for (let i = 0; i < teamSize; i++, k += 6) opponents.push({ index: i, pos: abs(k), vel: v(k + 3) });
  return {
    teamSize,
    index,
    pos,
    vel: v(3),
    rot: Array.from({ length: 9 }, (_, i) => t[6 + i]!),
    omega: v(15),
    ballPos: abs(18),
    ballVel: v(21),
    mates,
    opponents,
    touches: Math.round(t[game]! * MAX_TOUCHES),
    touchedThisPossession: t[game + 1] === 1,
    ourPossession: t[game + 2] === 1,
    servePossession: t[game + 3] === 1,
    weServed: t[game + 4] === 1,
    timeLeft: t[game + 5]!,
  };
}
