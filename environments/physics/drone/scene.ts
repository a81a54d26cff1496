/**
 * Where a rally starts, and the team frame. Seats 0..n-1 are team A on the x < 0 half, n..2n-1 team B. Team B's
 * layout is team A's rotated by 180 degrees about the vertical axis through the centre of the net, a proper
 * rotation, so the physics is exactly the same for both teams seen from their own side: the "team frame" of a
 * team places it on x < 0 facing +x, and agents that act in the team frame play either side unchanged.
 */
import { DRONE_STRIDE } from './quadrotor';

export type Team = 0 | 1;
export type Vec3 = readonly [number, number, number];

/**
 * Height of the ball's centre above its server's centre at the start of a rally (m), at rest: it falls for about
 * 0.6 s before it reaches racket height, time for the server to set up a swing.
 */
export const SERVE_BALL_HEIGHT = 2.5;

/**
 * Starting (and home) positions in the team frame, by team size. Index 0 serves and is the passer; in 3v3
 * index 1 is the setter and 2 the attacker; in 2v2 index 1 sets or attacks.
 */
export const HOME_POSITIONS: Readonly<Record<1 | 2 | 3, readonly Vec3[]>> = {
  1: [[-3, 0, 2]],
  2: [
    [-4, 0.8, 2],
    [-2, -0.8, 2],
  ],
  3: [
    [-4, 0, 2],
    [-2, 1.5, 2],
    [-2, -1.5, 2],
  ],
};

export function teamOf(seat: number, teamSize: number): Team {
  return seat < teamSize ? 0 : 1;
}

/** A team's index of a seat (its role index). */
export function indexInTeam(seat: number, teamSize: number): number {
  return seat < teamSize ? seat : seat - teamSize;
}

/** Team-frame coordinates of a world vector for `team` (and back: the rotation is its own inverse). */
export function toTeamFrame(team: Team, x: number, y: number): [number, number] {
  // + 0 turns -0 into 0, so states never hold a negative zero (JSON would not keep its sign).
  return team === 0 ? [x, y] : [-x + 0, -y + 0];
}

/** Drones (13 numbers each: at rest, level, team A facing +x and team B facing -x) and the ball above the server. */
export function initialScene(teamSize: 1 | 2 | 3, serving: Team): { drones: number[]; ball: number[] } {
  const home = HOME_POSITIONS[teamSize];
  const drones: number[] = [];
  for (let seat = 0; seat < 2 * teamSize; seat++) {
    const team = teamOf(seat, teamSize);
    const [hx, hy, hz] = home[indexInTeam(seat, teamSize)]!;
    const [x, y] = toTeamFrame(team, hx, hy);
    // Team B is yawed by pi: quaternion (w, x, y, z) = (0, 0, 0, 1).
    drones.push(x, y, hz, 0, 0, 0, team === 0 ? 1 : 0, 0, 0, team === 0 ? 0 : 1, 0, 0, 0);
  }
  const server = serving * teamSize * DRONE_STRIDE;
  const ball = [drones[server]!, drones[server + 1]!, drones[server + 2]! + SERVE_BALL_HEIGHT, 0, 0, 0];
  return { drones, ball };
}
