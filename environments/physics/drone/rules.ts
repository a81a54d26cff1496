/**
 * Rally rules (HCSP / VolleyBots, REFERENCES.md). Possession is the team whose half the ball is over; it changes
 * when the ball's centre crosses the net plane. Within a possession each drone may touch the ball (with its
 * racket) once and the team at most three times; the serve must cross directly (one touch). A team loses the
 * rally on a fault:
 *
 * | Fault              | Who                    | When                                                            |
 * | ------------------ | ---------------------- | --------------------------------------------------------------- |
 * | `double-touch`     | the drone's team       | a drone touches the ball a second time in one possession        |
 * | `too-many-touches` | the team               | a 4th touch in a possession (a 2nd on the serve)                |
 * | `reach-over`       | the drone's team       | a drone touches the ball while it is over the opponents' half   |
 * | `body-hit`         | the drone's team       | the ball hits a drone's body (its sphere, or the racket's back) |
 * | `net-cross`        | the drone's team       | a drone's centre crosses the net plane                          |
 * | `crash`            | the drone's team       | a drone's body touches the ground                               |
 * | `collision`        | each drone's team      | two drones' bodies touch                                        |
 * | `own-half`         | the half's team        | the ball lands inside the court in that team's half             |
 * | `out`              | the last hitter's team | the ball lands outside the court (lines are in)                 |
 * | `net`              | the last hitter's team | the ball touches the net                                        |
 *
 * "Last hitter" is the team of the last racket touch (the serving team before the serve). The rally ends at the
 * first fault of the ball's path in a step; drone faults are judged at the end of each step. Faults of both
 * teams in the same step make a draw, as does reaching the step limit.
 */
import { BODY_RADIUS, COURT_LENGTH, COURT_WIDTH } from './constants';
import { DRONE_STRIDE, POS } from './quadrotor';
import { teamOf, type Team } from './scene';
import { sideOf, type BallEvent } from './world';

export const FAULT_TYPES = [
  'double-touch',
  'too-many-touches',
  'reach-over',
  'body-hit',
  'net-cross',
  'crash',
  'collision',
  'own-half',
  'out',
  'net',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export interface Fault {
  readonly type: FaultType;
  /** The team that loses the rally by it. */
  readonly team: Team;
  /** The drone at fault, or -1 for a team fault (own-half, out, net, too-many-touches by count). */
  readonly seat: number;
}

/** Touch bookkeeping of the rally in play. */
export interface Rally {
  /** The team whose half the ball is over. */
  readonly possession: Team;
  /** Racket touches by the possessing team in this possession. */
  readonly touches: number;
  /** Bit per seat: touched the ball in this possession. */
  readonly touched: number;
  /** Whether this is the serve's possession (before the ball first crosses the net). */
  readonly serve: boolean;
  /** Seat of the last racket touch, -1 before the serve. */
  readonly lastHitter: number;
  /** Passes per team: touches that follow a teammate's touch in the same possession (statistics). */
  readonly passes: readonly [number, number];
  /** Racket touches per team over the rally (statistics). */
  readonly hits: readonly [number, number];
}

/** Touches allowed per possession, and on the serve. */
export const MAX_TOUCHES = 3;
export const SERVE_TOUCHES = 1;

export function newRally(serving: Team): Rally {
  return { possession: serving, touches: 0, touched: 0, serve: true, lastHitter: -1, passes: [0, 0], hits: [0, 0] };
}

/** Whether a ball centre on the ground at (x, y) is inside the court (the lines are in). */
export function inCourt(x: number, y: number): boolean {
  return Math.abs(x) <= COURT_LENGTH / 2 && Math.abs(y) <= COURT_WIDTH / 2;
}

/**
 * Applies one step's ball events (in time order) to the rally, stopping at the first fault: the new rally and
 * the faults (empty when play goes on).
 */
export function judgeBall(rally: Rally, events: readonly BallEvent[], teamSize: number, serving: Team): { rally: Rally; faults: Fault[] } {
  let r = rally;
  for (const e of events) {
    const lastTeam: Team = r.lastHitter >= 0 ? teamOf(r.lastHitter, teamSize) : serving;
    switch (e.kind) {
      case 'cross':
        r = { ...r, possession: r.possession === 0 ? 1 : 0, touches: 0, touched: 0, serve: false };
        break;
      case 'ground':
        if (inCourt(e.x, e.y)) return { rally: r, faults: [{ type: 'own-half', team: sideOf(e.x), seat: -1 }] };
        return { rally: r, faults: [{ type: 'out', team: lastTeam, seat: -1 }] };
      case 'net':
        return { rally: r, faults: [{ type: 'net', team: lastTeam, seat: -1 }] };
      case 'body':
        return { rally: r, faults: [{ type: 'body-hit', team: teamOf(e.seat, teamSize), seat: e.seat }] };
      case 'racket': {
        const team = teamOf(e.seat, teamSize);
        if (team !== r.possession) return { rally: r, faults: [{ type: 'reach-over', team, seat: e.seat }] };
        const bit = 2 ** e.seat;
        const faults: Fault[] = [];
        if ((r.touched & bit) !== 0) faults.push({ type: 'double-touch', team, seat: e.seat });
        if (r.touches + 1 > (r.serve ? SERVE_TOUCHES : MAX_TOUCHES)) faults.push({ type: 'too-many-touches', team, seat: e.seat });
        const passed = r.touches > 0 && r.lastHitter !== e.seat && faults.length === 0;
        r = {
          ...r,
          touches: r.touches + 1,
          touched: r.touched | bit,
          lastHitter: e.seat,
          passes: passed ? bump(r.passes, team) : r.passes,
          hits: bump(r.hits, team),
        };
        if (faults.length > 0) return { rally: r, faults };
        break;
      }
    }
  }
  return { rally: r, faults: [] };
}

function bump(pair: readonly [number, number], team: Team): [number, number] {
  return team === 0 ? [pair[0] + 1, pair[1]] : [pair[0], pair[1] + 1];
}

/** Faults of the drones at the end of a step: crossing the net plane, touching the ground, touching each other. */
export function judgeDrones(drones: readonly number[], teamSize: number): Fault[] {
  const faults: Fault[] = [];
  const n = 2 * teamSize;
  const contact = 2 * BODY_RADIUS;
  for (let i = 0; i < n; i++) {
    const o = i * DRONE_STRIDE + POS;
    const team = teamOf(i, teamSize);
    if (sideOf(drones[o]!) !== team) faults.push({ type: 'net-cross', team, seat: i });
    if (drones[o + 2]! <= BODY_RADIUS) faults.push({ type: 'crash', team, seat: i });
    for (let j = i + 1; j < n; j++) {
      const p = j * DRONE_STRIDE + POS;
      const dx = drones[o]! - drones[p]!;
      const dy = drones[o + 1]! - drones[p + 1]!;
      const dz = drones[o + 2]! - drones[p + 2]!;
      if (dx * dx + dy * dy + dz * dz < contact * contact) {
        faults.push({ type: 'collision', team, seat: i });
        const other = teamOf(j, teamSize);
        if (other !== team) faults.push({ type: 'collision', team: other, seat: j });
      }
    }
  }
  return faults;
}

/** The rally's result from the faults of one step: the winning team, -1 for a draw, null when play goes on. */
export function verdict(faults: readonly Fault[]): Team | -1 | null {
  if (faults.length === 0) return null;
  const a = faults.some((f) => f.team === 0);
  const b = faults.some((f) => f.team === 1);
  return a && b ? -1 : a ? 1 : 0;
}
