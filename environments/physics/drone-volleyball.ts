/**
 * Drone volleyball (HCSP / VolleyBots rules, REFERENCES.md): two teams of quadrotors with rackets play one rally.
 *
 * | Item        | Value                                                                                        |
 * | ----------- | -------------------------------------------------------------------------------------------- |
 * | Players     | 2, 4 or 6 (`teamSize` 1, 2, 3): seats 0..n-1 team A (x < 0), n..2n-1 team B (x > 0).        |
 * | Dynamics    | realtime, 100 Hz; every seat acts every tick; 1500 ticks (15 s) at most, then a draw.       |
 * | Chance      | with `serve: 'random'` the first step draws the serving team (0 = A, 1 = B), 1/2 each.      |
 * | Actions     | 4 rotor commands in [-1, 1] (clamped; NaN or non-finite is action/malformed). Hover 0.242.  |
 * | Legal list  | 9 canonical commands (hover, off, full, roll/pitch/yaw +-): any vector in the box is legal. |
 * | Observation | 24 + 13 n floats per drone in its team frame (drone/observation.ts).                        |
 * | Rewards     | zero-sum, at the end: +1 for each seat of the winning team, -1 for the losers, 0 on a draw.  |
 * | Hidden info | none (perfect information); the state and its faults are public.                            |
 *
 * Physics (drone/quadrotor.ts, drone/world.ts, drone/contacts.ts): 1.52 kg quadrotors integrated with
 * semi-implicit Euler at 0.01 s, exact swept-sphere ball contacts (ground, net, racket disks, drone bodies) with
 * restitution 0.8. Rules and faults: drone/rules.ts. The state is plain immutable data; its JSON round-trips every
 * double exactly, so a deserialized state continues bit for bit.
 */
import { z } from 'zod';
import { ArenaError } from '../core/errors';
import { CHANCE, type ChanceOutcome, type Game, type GameModule, type GameSpec, type Json, type Seat } from '../core/game';
import { NO_SEATS, parseSerialized, rngFromSeed, sampleOutcome, stepRng } from '../core/helpers';
import type { RngState } from '../core/rng';
import { COURT_LENGTH, COURT_WIDTH, HOVER_COMMAND, NET_HEIGHT } from './drone/constants';
import { decodeObservation, observationLength, observationTensor } from './drone/observation';
import { DRONE_STRIDE } from './drone/quadrotor';
import { FAULT_TYPES, judgeBall, judgeDrones, newRally, verdict, type Fault, type Rally } from './drone/rules';
import { indexInTeam, initialScene, teamOf, type Team } from './drone/scene';
import { stepWorld } from './drone/world';

const GAME_ID = 'drone-volleyball';

export const droneVolleyballParamsSchema = z
  .object({
    /** Drones per team: 1 (1v1), 2 (2v2) or 3 (3v3). */
    teamSize: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
    /** Who serves: team A, team B, or drawn by chance at the first step. */
    serve: z.enum(['A', 'B', 'random']).default('random'),
    /** Ticks before the rally is a draw (HCSP: 1500 of 0.01 s). */
    maxSteps: z.number().int().min(1).max(100_000).default(1500),
  })
  .strict();
export type DroneVolleyballParams = z.infer<typeof droneVolleyballParamsSchema>;

/** Named parameterisations. */
export const DRONE_VOLLEYBALL_PRESETS: Readonly<Record<'1v1' | '2v2' | '3v3', Partial<DroneVolleyballParams>>> = {
  '1v1': { teamSize: 1 },
  '2v2': { teamSize: 2 },
  '3v3': { teamSize: 3 },
};

/** One seat's action: four rotor commands. Chance outcomes are the serving team (0 or 1). */
export type DroneAction = readonly number[] | number;

export interface DroneVolleyballState {
  /** Ticks played (the chance step not counted). */
  readonly step: number;
  /** The serving team, -1 until chance draws it. */
  readonly serving: number;
  /** 13 numbers per seat (drone/quadrotor.ts): position, velocity, quaternion (w, x, y, z), body rate. */
  readonly drones: readonly number[];
  /** Ball centre and velocity (world). */
  readonly ball: readonly number[];
  readonly rally: Rally;
  /** The faults that ended the rally (empty while it is in play or after a timeout). */
  readonly faults: readonly Fault[];
  /** Winning team 0 (A) or 1 (B), -1 for a draw, null while in play. */
  readonly winner: number | null;
  readonly rng: RngState;
}

/** The canonical commands `legalActions` lists (any command vector in [-1, 1]^4 is legal). */
export const DRONE_COMMANDS: Readonly<Record<string, readonly number[]>> = (() => {
  const h = HOVER_COMMAND;
  const d = 0.1;
  // Rotors: 0 front-right, 1 back-left, 2 front-left, 3 back-right (drone/constants.ts).
  const table: Record<string, number[]> = {
    hover: [h, h, h, h],
    off: [-1, -1, -1, -1],
    full: [1, 1, 1, 1],
    // Banking left (+y) lifts the right rotors; pitching forward (nose down, toward +x) lifts the back ones.
    'roll-left': [h + d, h - d, h - d, h + d],
    'roll-right': [h - d, h + d, h + d, h - d],
    'pitch-forward': [h - d, h + d, h - d, h + d],
    'pitch-back': [h + d, h - d, h + d, h - d],
    'yaw-left': [h - d, h - d, h + d, h + d],
    'yaw-right': [h + d, h + d, h - d, h - d],
  };
  for (const v of Object.values(table)) Object.freeze(v);
  return Object.freeze(table);
})();
const COMMAND_NAMES = Object.keys(DRONE_COMMANDS);
const COMMAND_LIST: readonly (readonly number[])[] = Object.freeze(Object.values(DRONE_COMMANDS));
const SERVE_OUTCOMES: readonly ChanceOutcome<DroneAction>[] = Object.freeze([
  { action: 0, probability: 0.5 },
  { action: 1, probability: 0.5 },
]);
const SERVE_ACTIONS: readonly DroneAction[] = Object.freeze([0, 1]);
const ONLY_CHANCE: readonly Seat[] = Object.freeze([CHANCE]);

const spec: GameSpec<DroneVolleyballParams> = {
  id: GAME_ID,
  version: 1,
  title: 'Drone volleyball',
  summary:
    'Quadrotors with rackets play volleyball over a 2.43 m net on a 12 x 6 m court, 1v1 to 3v3 (HCSP / VolleyBots ' +
    'rules): each seat sends four rotor commands at 100 Hz; one touch per drone and three per side, and a rally ' +
    'is lost by a fault (double touch, ball on a body, crossing the net, ball landing in its own half, out, net).',
  players: { min: 2, max: 6 },
  dynamics: 'realtime',
  tickHz: 100,
  utility: 'zero-sum',
  chance: true,
  perfectInformation: true,
  params: droneVolleyballParamsSchema,
};

const finite = z.number().refine(Number.isFinite);
const team = z.union([z.literal(0), z.literal(1)]);
const pair = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const stateSchema = z
  .object({
    step: z.number().int().min(0),
    serving: z.union([z.literal(-1), team]),
    drones: z.array(finite),
    ball: z.array(finite).length(6),
    rally: z
      .object({
        possession: team,
        touches: z.number().int().min(0).max(4),
        touched: z.number().int().min(0).max(63),
        serve: z.boolean(),
        lastHitter: z.number().int().min(-1).max(5),
        passes: pair,
        hits: pair,
      })
      .strict(),
    faults: z.array(z.object({ type: z.enum(FAULT_TYPES), team, seat: z.number().int().min(-1).max(5) }).strict()),
    winner: z.union([z.literal(-1), team, z.null()]),
    rng: z.array(z.number().int().min(-0x80000000).max(0xffffffff)).length(4),
  })
  .strict();

const fmt = (x: number, digits = 2): string => x.toFixed(digits);

function makeGame(params: DroneVolleyballParams): Game<DroneVolleyballState, DroneAction> {
  const n = params.teamSize;
  const seats = 2 * n;
  const allSeats: readonly Seat[] = Object.freeze(Array.from({ length: seats }, (_, i) => i));
  const zeros: readonly number[] = Object.freeze(new Array<number>(seats).fill(0));
  const maxSteps = params.maxSteps;

  const terminal = (s: DroneVolleyballState): boolean => s.winner !== null;
  const serveState = (s: DroneVolleyballState, serving: Team, rng: RngState): DroneVolleyballState => {
    const { drones, ball } = initialScene(n, serving);
    return { ...s, serving, drones, ball, rally: newRally(serving), rng };
  };
  const finalReturns = (s: DroneVolleyballState): readonly number[] => {
    if (s.winner !== 0 && s.winner !== 1) return zeros;
    return allSeats.map((seat) => (teamOf(seat, n) === s.winner ? 1 : -1));
  };
  const checkSeat = (seat: Seat): void => {
    if (!Number.isInteger(seat) || seat < 0 || seat >= seats) throw new RangeError(`${GAME_ID}: no seat ${seat}`);
  };
  const malformed = (why: string): ArenaError => new ArenaError('action/malformed', `${GAME_ID}: ${why}`);

  const game: Game<DroneVolleyballState, DroneAction> = {
    spec: spec as GameSpec<unknown>,
    params: { ...params },
    numPlayers: seats,
    actionSpace: { kind: 'box', shape: [4], low: -1, high: 1 },
    observationShape: [observationLength(n)],
    maxLength: maxSteps + 1,
    minUtility: -1,
    maxUtility: 1,

    init(seed) {
      const base: DroneVolleyballState = {
        step: 0,
        serving: -1,
        ...initialScene(n, 0),
        rally: newRally(0),
        faults: [],
        winner: null,
        rng: rngFromSeed(seed),
      };
      if (params.serve === 'random') return { ...base, ball: [0, 0, 0, 0, 0, 0] };
      return serveState(base, params.serve === 'A' ? 0 : 1, base.rng);
    },

    currentPlayers(s) {
      if (terminal(s)) return NO_SEATS;
      return s.serving === -1 ? ONLY_CHANCE : allSeats;
    },

    isTerminal: terminal,

    chanceOutcomes(s) {
      return !terminal(s) && s.serving === -1 ? SERVE_OUTCOMES : [];
    },

    sampleChance(s) {
      return sampleOutcome(s.rng, game.chanceOutcomes(s));
    },

    legalActions(s, seat) {
      if (terminal(s)) return [];
      if (s.serving === -1) return seat === CHANCE ? SERVE_ACTIONS : [];
      return Number.isInteger(seat) && seat >= 0 && seat < seats ? COMMAND_LIST : [];
    },

    apply(s, actions) {
      if (terminal(s)) return new ArenaError('match/over', `${GAME_ID}: the rally is over`);
      if (s.serving === -1) {
        if (actions.length !== 1) return malformed(`expected one chance outcome, got ${actions.length}`);
        const a = actions[0];
        if (a !== 0 && a !== 1) return new ArenaError('action/illegal', `${GAME_ID}: serving team ${JSON.stringify(a)} is not 0 or 1`);
        return serveState(s, a, stepRng(s.rng));
      }
      if (actions.length !== seats) return malformed(`expected ${seats} actions (one per seat), got ${actions.length}`);
      const commands = new Array<number>(4 * seats);
      for (let seat = 0; seat < seats; seat++) {
        const a = actions[seat];
        if (!Array.isArray(a) || a.length !== 4) return malformed(`seat ${seat}: expected 4 rotor commands, got ${JSON.stringify(a)}`);
        for (let i = 0; i < 4; i++) {
          const c: unknown = a[i];
          if (typeof c !== 'number' || !Number.isFinite(c)) return malformed(`seat ${seat}: rotor command ${JSON.stringify(c)} is not a finite number`);
          commands[4 * seat + i] = c < -1 ? -1 : c > 1 ? 1 : c;
        }
      }
      const world = stepWorld(s.drones, s.ball, commands);
      const serving = s.serving as Team;
      const ball = judgeBall(s.rally, world.events, n, serving);
      const faults = [...ball.faults, ...judgeDrones(world.drones, n)];
      const step = s.step + 1;
      const result = verdict(faults);
      const winner = result !== null ? result : step >= maxSteps ? -1 : null;
      return { step, serving, drones: world.drones, ball: world.ball, rally: ball.rally, faults, winner, rng: s.rng };
    },

    rewards(s) {
      return terminal(s) ? finalReturns(s) : zeros;
    },

    returns(s) {
      return terminal(s) ? finalReturns(s) : zeros;
    },

    observationTensor(s, seat) {
      checkSeat(seat);
      return observationTensor(s, seat, n, maxSteps);
    },

    observationText(s, seat) {
      checkSeat(seat);
      const o = decodeObservation(observationTensor(s, seat, n, maxSteps), n);
      const v = (p: readonly number[]): string => `(${p.map((x) => fmt(x)).join(' ')})`;
      return [
        `drone ${o.index} of team ${'AB'[teamOf(seat, n)]} (team frame, own half x<0) t=${fmt(s.step / 100)}s`,
        `me ${v(o.pos)} vel ${v(o.vel)} up ${v([o.rot[2]!, o.rot[5]!, o.rot[8]!])}`,
        `ball ${v(o.ballPos)} vel ${v(o.ballVel)}`,
        `mates ${o.mates.map((m) => v(m.pos)).join(' ') || '-'} opponents ${o.opponents.map((m) => v(m.pos)).join(' ')}`,
        `${o.ourPossession ? 'our' : 'their'} ball, touches ${o.touches}${o.touchedThisPossession ? ' (I touched)' : ''}${o.servePossession ? ', serve' : ''}` +
          `, ${s.serving === -1 ? 'serve not drawn' : o.weServed ? 'we served' : 'they served'}`,
      ].join('\n');
    },

    informationState(s, seat) {
      checkSeat(seat);
      return game.serialize(s); // perfect information: the state itself
    },

    actionToString(seat, action) {
      if (seat === CHANCE) return `serve:${action === 1 ? 'B' : 'A'}`;
      if (typeof action === 'number') return String(action);
      const name = COMMAND_NAMES.find((k) => DRONE_COMMANDS[k]!.every((c, i) => c === action[i]));
      return name ?? `[${action.join(', ')}]`;
    },

    parseAction(_s, seat, text) {
      const t = text.trim().toLowerCase();
      if (seat === CHANCE) {
        if (t === 'serve:a' || t === '0') return 0;
        if (t === 'serve:b' || t === '1') return 1;
        return malformed(`cannot read serving team "${text}"`);
      }
      const named = DRONE_COMMANDS[t];
      if (named) return named;
      const parts = t.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter((p) => p.length > 0);
      const values = parts.map(Number);
      if (values.length !== 4 || !values.every(Number.isFinite)) return malformed(`cannot read rotor commands "${text}" (four numbers or ${COMMAND_NAMES.join(', ')})`);
      return values.map((c) => (c < -1 ? -1 : c > 1 ? 1 : c));
    },

    serialize(s) {
      return JSON.stringify({
        step: s.step,
        serving: s.serving,
        drones: s.drones,
        ball: s.ball,
        rally: s.rally,
        faults: s.faults,
        winner: s.winner,
        rng: s.rng,
      });
    },

    deserialize(text) {
      const parsed = stateSchema.safeParse(parseSerialized(GAME_ID, text));
      if (!parsed.success) throw new ArenaError('env/bad-serialization', `${GAME_ID}: not a drone volleyball state`);
      const s = parsed.data;
      const bad = (why: string): never => {
        throw new ArenaError('env/bad-serialization', `${GAME_ID}: inconsistent state (${why})`);
      };
      if (s.drones.length !== seats * DRONE_STRIDE) bad(`expected ${seats * DRONE_STRIDE} drone numbers`);
      if (s.step > maxSteps) bad('step beyond the limit');
      if (s.rally.touched >= 2 ** seats || s.rally.lastHitter >= seats) bad('seat out of range');
      if (s.faults.some((f) => f.seat >= seats)) bad('fault seat out of range');
      if ((s.winner === null) !== (s.faults.length === 0 && s.step < maxSteps)) bad('winner does not match faults and step');
      return s as DroneVolleyballState;
    },

    render(s): Json {
      const drones: Json[] = [];
      for (let seat = 0; seat < seats; seat++) {
        const o = seat * DRONE_STRIDE;
        drones.push({
          seat,
          team: teamOf(seat, n),
          index: indexInTeam(seat, n),
          pos: s.drones.slice(o, o + 3),
          vel: s.drones.slice(o + 3, o + 6),
          quat: s.drones.slice(o + 6, o + 10),
          touched: (s.rally.touched & (2 ** seat)) !== 0,
        });
      }
      return {
        court: { length: COURT_LENGTH, width: COURT_WIDTH, netHeight: NET_HEIGHT },
        time: s.step / 100,
        step: s.step,
        // The step limit (a draw when reached), for views that show the time left.
        maxSteps,
        serving: s.serving === -1 ? null : s.serving,
        ball: { pos: s.ball.slice(0, 3), vel: s.ball.slice(3, 6) },
        drones,
        possession: s.rally.possession,
        touches: s.rally.touches,
        serve: s.rally.serve,
        lastHitter: s.rally.lastHitter,
        passes: [...s.rally.passes],
        hits: [...s.rally.hits],
        faults: s.faults.map((f) => ({ type: f.type, team: f.team, seat: f.seat })),
        winner: s.winner,
        end: s.winner === null ? null : s.faults.length > 0 ? 'fault' : 'timeout',
        returns: [...game.returns(s)],
      };
    },

    renderText(s) {
      // Top view, 1 character = 0.5 m: x across (net '|' in the middle), y up the screen.
      const cols = COURT_LENGTH * 2 + 1;
      const rows = COURT_WIDTH * 2 + 1;
      const grid = Array.from({ length: rows }, () => Array.from({ length: cols }, (_, c): string => (c === COURT_LENGTH ? '|' : '.')));
      const put = (x: number, y: number, ch: string): void => {
        const c = Math.round(x * 2) + COURT_LENGTH;
        const r = COURT_WIDTH - Math.round(y * 2);
        if (r >= 0 && r < rows && c >= 0 && c < cols) grid[r]![c] = ch;
      };
      for (let seat = 0; seat < seats; seat++) put(s.drones[seat * DRONE_STRIDE]!, s.drones[seat * DRONE_STRIDE + 1]!, String(seat));
      put(s.ball[0]!, s.ball[1]!, 'o');
      const status =
        s.winner === null
          ? `t=${fmt(s.step / 100)}s ${s.serving === -1 ? 'serve not drawn' : `ball z=${fmt(s.ball[2]!)} over ${'AB'[s.rally.possession]}'s half, touches ${s.rally.touches}`}`
          : `${s.winner === -1 ? 'draw' : `team ${'AB'[s.winner]} wins`}${s.faults.length > 0 ? `: ${s.faults.map((f) => `${f.type} (${'AB'[f.team]}${f.seat >= 0 ? `, seat ${f.seat}` : ''})`).join(', ')}` : ': time'}`;
      return [...grid.map((r) => r.join('')), status].join('\n');
    },
  };
  return game;
}

export const droneVolleyball: GameModule<DroneVolleyballState, DroneAction, DroneVolleyballParams> = {
  spec,
  create: (params) => makeGame(params),
};
