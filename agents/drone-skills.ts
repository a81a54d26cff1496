/**
 * Drone volleyball skills: scripted low-level controllers that turn one drone's observation (its team frame: own
 * half x < 0, facing +x) and a target into four rotor commands, plus a scripted high-level team policy that picks
 * one skill per drone on game events, and the `drone-scripted` agent that plays a seat with them.
 *
 * | Skill     | Target                                   | What it does                                                  |
 * | --------- | ---------------------------------------- | ------------------------------------------------------------- |
 * | `hover`   | a point                                  | holds the point (gentle cascaded control)                     |
 * | `goto`    | a point                                  | flies there at a bounded speed, keeping clear of teammates    |
 * | `serve`   | where the ball should land               | hits the served ball over the net                             |
 * | `receive` | where the first touch should send it     | waits under the incoming ball where a `pass` would swing from |
 * | `pass`    | the next hitter's contact point          | strikes a high, soft ball to a teammate                       |
 * | `set`     | the attacker's contact point             | strikes a high ball near the net                              |
 * | `attack`  | where the ball should land               | strikes the ball over the net, raising the arc to clear it    |
 *
 * The skills are the action space of hierarchical co-self-play (HCSP): a learned high level can replace
 * `teamPolicy` and call `SKILLS[name](observation, target)` for each drone.
 */
import type { Agent, SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';
import { Rng } from '../environments/core/rng';
import { NET_HEIGHT } from '../environments/physics/drone/constants';
import { decodeObservation, type DroneObservation } from '../environments/physics/drone/observation';
import type { Vec3 } from '../environments/physics/drone/scene';
import { apexHeight, ballPositionAt, lobVelocity, timeToDescend } from './drone/ballistics';
import { approach, flyTo, STRIKE_GAINS } from './drone/controller';
import { planStrike, strikeCommands, strikeReference, type Shot, type StrikePlan } from './drone/strike';

export const SKILL_NAMES = ['hover', 'goto', 'serve', 'receive', 'pass', 'set', 'attack'] as const;
export type SkillName = (typeof SKILL_NAMES)[number];
/** A skill: rotor commands for one tick from the drone's decoded observation and the skill's target. */
export type Skill = (obs: DroneObservation, target: Vec3) => number[];

/** Drones keep this far from the net plane (m), and their racket out of the opponents' half. */
const NET_MARGIN = 0.45;
/** Lowest height a skill flies the drone to (m). */
const MIN_HEIGHT = 0.7;
/** Distance below which a drone steps aside from a teammate (m). */
const PERSONAL_SPACE = 1.0;
/** Top speed of `goto` (m/s) and the deceleration it plans with (m/s^2). */
const GOTO_SPEED = 5;
const GOTO_BRAKING = 4;
/** Deceleration the net guard counts on when a drone heads for the net (m/s^2), after tilting back (s). */
const NET_BRAKING = 8;
const NET_REACTION = 0.15;
/** Ball centre heights at contact per skill (m). */
const CONTACT_HEIGHT = { serve: 2.3, pass: 1.9, set: 2.2, attack: 2.6 } as const;
/** Apex heights of the lobs (m). */
const PASS_APEX = 4.0;
const SET_APEX = 4.0;
const SERVE_APEX = 3.6;
/** How deep into the opponents' half serves and attacks aim (m from the net). */
const SERVE_DEPTH = 3;
const ATTACK_DEPTH = 3.5;
/** Clearance over the net an attack or serve aims for (m, ball centre above the net top). */
const NET_CLEARANCE = 0.4;

const clampToCourtSide = (p: Vec3): Vec3 => [Math.min(p[0], -NET_MARGIN), p[1], Math.max(p[2], MIN_HEIGHT)];

/** Moves `target` away from teammates closer than PERSONAL_SPACE (the one who yields is the higher index). */
function giveWay(obs: DroneObservation, target: Vec3): Vec3 {
  let [x, y] = target;
  const z = target[2];
  for (const m of obs.mates) {
    const dx = x - m.pos[0];
    const dy = y - m.pos[1];
    const d = Math.hypot(dx, dy);
    if (d < PERSONAL_SPACE && Math.abs(z - m.pos[2]) < PERSONAL_SPACE) {
      const push = PERSONAL_SPACE - d;
      if (d > 1e-6) {
        x += (dx / d) * push;
        y += (dy / d) * push;
      } else y += obs.index > m.index ? push : -push;
    }
  }
  return clampToCourtSide([x, y, z]);
}

/**
 * Braking commands when the drone would not stop before the net at its current speed (NET_BRAKING), else null.
 * `skillCommands` (and so the scripted agent) puts it before every skill: no skill flies a drone over the net.
 */
export function netGuard(obs: DroneObservation): number[] | null {
  const vx = obs.vel[0];
  if (vx <= 0 || obs.pos[0] + vx * NET_REACTION + (vx * vx) / (2 * NET_BRAKING) < -NET_MARGIN / 2) return null;
  return flyTo(obs, { pos: [-2 * NET_MARGIN, obs.pos[1], Math.max(obs.pos[2], MIN_HEIGHT + 0.3)], vel: [0, obs.vel[1], 0] }, STRIKE_GAINS);
}

export const hover: Skill = (obs, target) => flyTo(obs, { pos: clampToCourtSide(target) });

export const goto: Skill = (obs, target) => {
  const t = giveWay(obs, target);
  // Heading for the net, slow enough to stop before it.
  const dx = t[0] - obs.pos[0];
  const dist = Math.hypot(dx, t[1] - obs.pos[1], t[2] - obs.pos[2]);
  const toNet = dx > 0 ? (Math.sqrt(2 * GOTO_BRAKING * Math.max(0, -NET_MARGIN - obs.pos[0])) * dist) / dx : Infinity;
  return flyTo(obs, approach(obs, t, Math.min(GOTO_SPEED, toNet), GOTO_BRAKING));
};

/** A strike toward `shot` meeting the ball at `height`; null when the ball will not come down there in reach. */
function plan(obs: DroneObservation, height: number, shot: Shot): StrikePlan | null {
  let h = height;
  const apex = apexHeight(obs.ballPos[2], obs.ballVel[2]);
  if (apex < h + 0.1) h = apex - 0.3; // a low ball: take it lower
  if (h < MIN_HEIGHT + 0.3) return null;
  const p = planStrike(obs.ballPos, obs.ballVel, h, shot);
  if (p === null || p.dronePos[0] > -NET_MARGIN + 0.1 || p.dronePos[2] < MIN_HEIGHT) return null;
  return p;
}

/** A lob from the contact point that comes down through `target` after peaking at `apex`. */
const lobTo = (target: Vec3, apex: number): Shot => (contact) => lobVelocity(contact, target, apex);

/** A shot over the net to `target` (on the ground of the opponents' half): the lowest arc that clears the net. */
const overTheNet = (target: Vec3, minApex: number): Shot => (contact) => {
  for (let apex = Math.max(minApex, contact[2] + 0.2); ; apex += 0.2) {
    const v = lobVelocity(contact, target, apex);
    // Height of the ball centre where it crosses x = 0.
    const t = (0 - contact[0]) / v[0];
    const z = ballPositionAt(contact, v, t)[2];
    if (v[0] > 0 && z >= NET_HEIGHT + NET_CLEARANCE) return v;
    if (apex > 8) return v;
  }
};

/** The strike skills: where each meets the ball and how it sends it to its target. */
export type StrikeSkill = 'serve' | 'pass' | 'set' | 'attack';
const STRIKES: Readonly<Record<StrikeSkill, { readonly height: number; readonly shot: (target: Vec3) => Shot }>> = {
  serve: { height: CONTACT_HEIGHT.serve, shot: (t) => overTheNet(t, SERVE_APEX) },
  pass: { height: CONTACT_HEIGHT.pass, shot: (t) => lobTo(t, PASS_APEX) },
  set: { height: CONTACT_HEIGHT.set, shot: (t) => lobTo(t, SET_APEX) },
  attack: { height: CONTACT_HEIGHT.attack, shot: (t) => overTheNet(t, 0) },
};

/** The strike plan of a strike skill toward `target` now (null when the ball cannot be struck). */
export function planSkill(skill: StrikeSkill, obs: DroneObservation, target: Vec3): StrikePlan | null {
  const spec = STRIKES[skill];
  return plan(obs, spec.height, spec.shot(target));
}

function strikeSkill(skill: StrikeSkill): Skill {
  return (obs, target) => {
    const p = planSkill(skill, obs, target);
    if (p === null) return hover(obs, [obs.pos[0], obs.pos[1], Math.max(obs.pos[2], 1.5)]);
    return strikeCommands(obs, p);
  };
}

export const serve = strikeSkill('serve');
export const pass = strikeSkill('pass');
export const set = strikeSkill('set');
export const attack = strikeSkill('attack');

export const receive: Skill = (obs, target) => {
  const p = planSkill('pass', obs, target);
  if (p === null) return goto(obs, BASE[obs.teamSize as 1 | 2 | 3][obs.index] ?? obs.pos);
  return goto(obs, strikeReference(p).pos);
};

export const SKILLS: Readonly<Record<SkillName, Skill>> = { hover, goto, serve, receive, pass, set, attack };

// --- The scripted team policy -----------------------------------------------------------------------------------

/** A skill and its target for one drone. */
export interface SkillChoice {
  readonly skill: SkillName;
  readonly target: Vec3;
}

/** Where each index waits while the opponents have the ball (team frame), by team size. */
const BASE: Readonly<Record<1 | 2 | 3, readonly Vec3[]>> = {
  1: [[-3, 0, 2]],
  2: [
    [-3.2, 0.8, 2],
    [-2, -0.8, 2],
  ],
  3: [
    [-3.2, 0, 2],
    [-2, 1.5, 2],
    [-2, -1.5, 2.2],
  ],
};

/** Where each index waits while its team has the ball (team frame), by team size. */
const READY: Readonly<Record<1 | 2 | 3, readonly Vec3[]>> = {
  1: [[-3, 0, 2]],
  2: [
    [-4, 0.8, 2],
    [-1.6, -0.6, 2.2],
  ],
  3: [
    [-4.5, 0, 2],
    [-1.8, 1.0, 2.0],
    [-1.4, -1.2, 2.2],
  ],
};

/** Where the ball should come down for index i's strike (its ready spot at its contact height). */
function contactPoint(teamSize: 1 | 2 | 3, index: number): Vec3 {
  const r = READY[teamSize][index]!;
  const last = index === teamSize - 1;
  return [r[0], r[1], last ? CONTACT_HEIGHT.attack : CONTACT_HEIGHT.set];
}

/** Where to send an attack or a serve: deep in the opponents' half, toward the side they leave open. */
function aimAway(obs: DroneObservation, depth: number): Vec3 {
  const meanY = obs.opponents.reduce((s, o) => s + o.pos[1], 0) / Math.max(1, obs.opponents.length);
  return [depth, Math.abs(meanY) < 0.4 ? 0 : meanY > 0 ? -1.2 : 1.2, 0];
}

/**
 * The scripted high level (HCSP's roles): touches go passer (index 0) -> setter (1) -> attacker (the last index),
 * so with fewer drones the passer sets the attacker (2v2) or plays the ball straight over (1v1). Index 0 serves
 * and receives; drones without the ball wait at their spots or at home.
 */
export function teamPolicy(obs: DroneObservation): SkillChoice {
  const n = obs.teamSize as 1 | 2 | 3;
  const home = BASE[n][obs.index]!;
  const ready = READY[n][obs.index]!;
  if (obs.servePossession && obs.weServed) {
    if (obs.index === 0 && !obs.touchedThisPossession) return { skill: 'serve', target: aimAway(obs, SERVE_DEPTH) };
    return { skill: obs.index === 0 ? 'goto' : 'hover', target: home };
  }
  if (obs.ourPossession) {
    const striker = obs.touches; // touch k is index k's
    if (striker === obs.index && !obs.touchedThisPossession && striker < n) {
      if (striker === n - 1) return { skill: 'attack', target: aimAway(obs, ATTACK_DEPTH) };
      const next = contactPoint(n, striker + 1);
      return { skill: striker === 0 ? 'pass' : 'set', target: next };
    }
    return { skill: 'goto', target: obs.index > obs.touches ? ready : home };
  }
  // The ball is over the opponents' half: the passer reads an incoming ball, the others go home.
  const incoming = obs.ballVel[0] < 0 && timeToDescend(obs.ballPos[2], obs.ballVel[2], CONTACT_HEIGHT.pass) !== null;
  if (incoming && obs.index === 0) return { skill: 'receive', target: n === 1 ? aimAway(obs, ATTACK_DEPTH) : contactPoint(n, 1) };
  return { skill: 'goto', target: home };
}

/** Rotor commands for one tick of `choice` (the net guard first). */
export function skillCommands(obs: DroneObservation, choice: SkillChoice): number[] {
  return netGuard(obs) ?? SKILLS[choice.skill](obs, choice.target);
}

/** Rotor commands for one tick of the scripted team policy. */
export function scriptedCommands(obs: DroneObservation): number[] {
  return skillCommands(obs, teamPolicy(obs));
}

/** Largest aim offsets (m, x and y) the scripted agent draws per strike, at spread 1. */
const AIM_SPREAD: Readonly<Partial<Record<SkillName, readonly [number, number]>>> = {
  serve: [0.4, 0.8],
  attack: [0.5, 0.8],
  pass: [0.25, 0.25],
  set: [0.25, 0.25],
};

/**
 * `drone-scripted`: one seat of the scripted team policy (its role comes from its index in the team). Each strike
 * aims at its target plus an offset drawn from the agent's seeded generator when the strike begins (scaled by
 * `spread`; 0 aims exactly), so seeded matches between scripted teams differ.
 */
export class DroneScriptedAgent implements Agent<readonly number[]> {
  readonly name: string;
  private readonly rng: Rng;
  private skill: SkillName | null = null;
  private offset: Vec3 = [0, 0, 0];

  constructor(
    readonly seed: number,
    readonly spread = 1,
  ) {
    this.rng = Rng.fromSeed(seed);
    this.name = spread === 1 ? 'drone-scripted' : `drone-scripted:spread=${spread}`;
  }

  act(view: SeatView<unknown, readonly number[]>): readonly number[] {
    const teamSize = view.game.params.teamSize;
    if (view.game.spec.id !== 'drone-volleyball' || (teamSize !== 1 && teamSize !== 2 && teamSize !== 3)) {
      throw new ArenaError('agent/unsupported-game', `drone-scripted plays drone-volleyball, not ${view.game.spec.id}`);
    }
    const obs = decodeObservation(view.observationTensor, teamSize);
    const choice = teamPolicy(obs);
    if (choice.skill !== this.skill) {
      this.skill = choice.skill;
      const [sx, sy] = AIM_SPREAD[choice.skill] ?? [0, 0];
      this.offset = [(this.rng.float() * 2 - 1) * sx * this.spread, (this.rng.float() * 2 - 1) * sy * this.spread, 0];
    }
    const t = choice.target;
    return skillCommands(obs, { skill: choice.skill, target: [t[0] + this.offset[0], t[1] + this.offset[1], t[2]] });
  }
}
