import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CHANCE } from '../core/game';
import { applyOrThrow } from '../core/helpers';
import * as rngModule from '../core/rng';
import { Rng } from '../core/rng';
import { conformanceChecks } from '../testing/check-game';
import { BALL_RADIUS, BODY_RADIUS, COURT_LENGTH, DT, GRAVITY, HOVER_COMMAND, NET_HEIGHT, RACKET_OFFSET, RESTITUTION } from './drone/constants';
import { decodeObservation } from './drone/observation';
import { DRONE_STRIDE } from './drone/quadrotor';
import { newRally, type Rally } from './drone/rules';
import { HOME_POSITIONS, SERVE_BALL_HEIGHT } from './drone/scene';
import * as gameModule from './drone-volleyball';
import {
  DRONE_COMMANDS,
  DRONE_VOLLEYBALL_PRESETS,
  droneVolleyball,
  type DroneAction,
  type DroneVolleyballParams,
  type DroneVolleyballState,
} from './drone-volleyball';

const make = (params: Partial<DroneVolleyballParams> = {}) => droneVolleyball.create(droneVolleyball.spec.params.parse(params));
const H = HOVER_COMMAND;
const HOVER: readonly number[] = [H, H, H, H];
const OFF: readonly number[] = [-1, -1, -1, -1];

type Game = ReturnType<typeof make>;

/** A served state of `game` with drones, ball and rally replaced as given (drone overrides: seat -> 13 numbers). */
function scene(
  game: Game,
  opts: { drones?: Record<number, readonly number[]>; ball: readonly number[]; rally?: Partial<Rally>; serving?: 0 | 1 },
): DroneVolleyballState {
  const serving = opts.serving ?? 0;
  const s0 = game.init(0);
  const s = s0.serving === -1 ? applyOrThrow(game, s0, [serving]) : s0;
  const drones = s.drones.slice();
  for (const [seat, d] of Object.entries(opts.drones ?? {})) drones.splice(Number(seat) * DRONE_STRIDE, DRONE_STRIDE, ...d);
  return { ...s, drones, ball: [...opts.ball], rally: { ...newRally(serving), ...opts.rally } };
}

/** A level drone at rest, facing +x (team A) or -x (team B). */
const drone = (x: number, y: number, z: number, v: readonly number[] = [0, 0, 0], teamB = false): number[] =>
  [x, y, z, ...v, teamB ? 0 : 1, 0, 0, teamB ? 1 : 0, 0, 0, 0];

/** Steps with every seat hovering (or `commands[seat]`) until the rally ends or `max` steps. */
function run(game: Game, state: DroneVolleyballState, max = 600, commands: Record<number, readonly number[]> = {}): DroneVolleyballState {
  let s = state;
  const actions = Array.from({ length: game.numPlayers }, (_, seat) => commands[seat] ?? HOVER);
  for (let i = 0; i < max && !game.isTerminal(s); i++) s = applyOrThrow(game, s, actions);
  return s;
}

const faultsOf = (s: DroneVolleyballState): string[] => s.faults.map((f) => `${'AB'[f.team]}:${f.type}`);

describe('drone-volleyball: spec and setup', () => {
  it('declares its facts per team size', () => {
    expect(droneVolleyball.spec).toMatchObject({ id: 'drone-volleyball', dynamics: 'realtime', tickHz: 100, utility: 'zero-sum', chance: true, perfectInformation: true });
    expect(droneVolleyball.spec.params.parse({})).toEqual({ teamSize: 3, serve: 'random', maxSteps: 1500 });
    expect(droneVolleyball.spec.params.safeParse({ teamSize: 4 }).success).toBe(false);
    for (const [name, preset] of Object.entries(DRONE_VOLLEYBALL_PRESETS)) {
      const n = Number(name[0]);
      const g = make(preset);
      expect(g.numPlayers).toBe(2 * n);
      expect(g.observationShape).toEqual([24 + 13 * n]);
      expect(g.actionSpace).toEqual({ kind: 'box', shape: [4], low: -1, high: 1 });
      expect(g.maxLength).toBe(1501);
      expect([g.minUtility, g.maxUtility]).toEqual([-1, 1]);
    }
  });

  it('draws the serving team by chance, half and half, and puts the ball above the server', () => {
    const g = make();
    const s0 = g.init(3);
    expect(g.currentPlayers(s0)).toEqual([CHANCE]);
    expect(g.chanceOutcomes(s0)).toEqual([
      { action: 0, probability: 0.5 },
      { action: 1, probability: 0.5 },
    ]);
    let teamB = 0;
    for (let seed = 0; seed < 400; seed++) teamB += g.sampleChance(g.init(seed)) as number;
    expect(teamB).toBeGreaterThan(160);
    expect(teamB).toBeLessThan(240);
    for (const serving of [0, 1] as const) {
      const s = applyOrThrow(g, s0, [serving]);
      expect(g.currentPlayers(s)).toEqual([0, 1, 2, 3, 4, 5]);
      const server = serving * 3 * DRONE_STRIDE;
      expect(s.ball).toEqual([s.drones[server], s.drones[server + 1], s.drones[server + 2]! + SERVE_BALL_HEIGHT, 0, 0, 0]);
      expect(s.rally).toMatchObject({ possession: serving, serve: true, touches: 0 });
    }
    // Team B is team A turned half a turn about the net's vertical axis.
    const s = applyOrThrow(g, s0, [0]);
    for (let i = 0; i < 3; i++) {
      const a = s.drones.slice(i * DRONE_STRIDE, i * DRONE_STRIDE + 3);
      const b = s.drones.slice((i + 3) * DRONE_STRIDE, (i + 3) * DRONE_STRIDE + 3);
      expect(b).toEqual([-a[0]! + 0, -a[1]! + 0, a[2]]);
      expect(a).toEqual([...HOME_POSITIONS[3][i]!]);
    }
  });

  it('shows each team itself on the x < 0 side: mirrored seats see identical observations', () => {
    const g = make({ teamSize: 2, serve: 'A' });
    // A scene symmetric under the half turn, with the ball over the net's centre line: seat i and seat i + 2 see
    // the same numbers except possession and serve flags.
    const s = scene(g, { ball: [0, 0, 5, 0, 0, -1] });
    const a = decodeObservation(g.observationTensor(s, 1), 2);
    const b = decodeObservation(g.observationTensor(s, 3), 2);
    const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x)); // -0 and 0 are the same number here
    for (const key of ['pos', 'vel', 'rot', 'omega', 'ballPos', 'ballVel', 'mates', 'opponents'] as const) expect(plain(b[key])).toEqual(plain(a[key]));
    expect(a.pos).toEqual([-2, -0.8, 2].map(Math.fround));
    expect(a.index).toBe(1);
    expect([a.ourPossession, b.ourPossession, a.weServed, b.weServed]).toEqual([true, false, true, false]);
  });

  it('rejects malformed commands, clamps out-of-range ones and names the canonical ones', () => {
    const g = make({ teamSize: 1, serve: 'A' });
    const s = g.init(0);
    const ok = [HOVER, HOVER];
    expect(g.apply(s, [[Number.NaN, 0, 0, 0], HOVER])).toMatchObject({ code: 'action/malformed' });
    expect(g.apply(s, [[0, 0, Infinity, 0], HOVER])).toMatchObject({ code: 'action/malformed' });
    expect(g.apply(s, [[0, 0, 0], HOVER])).toMatchObject({ code: 'action/malformed' });
    expect(g.apply(s, [HOVER])).toMatchObject({ code: 'action/malformed' });
    expect(g.apply(s, [0, HOVER] as DroneAction[])).toMatchObject({ code: 'action/malformed' });
    const clamped = applyOrThrow(g, s, [[5, 5, 5, 5], [-9, -9, -9, -9]]);
    expect(g.serialize(clamped)).toBe(g.serialize(applyOrThrow(g, s, [[1, 1, 1, 1], OFF])));
    expect(g.serialize(applyOrThrow(g, s, ok))).not.toBe(g.serialize(clamped));
    expect(g.legalActions(s, 0)).toContainEqual(DRONE_COMMANDS.hover);
    expect(g.actionToString(0, DRONE_COMMANDS['roll-left']!)).toBe('roll-left');
    expect(g.parseAction(s, 0, 'hover')).toEqual(HOVER);
    expect(g.parseAction(s, 0, '[0.1, 0.2, 0.3, 2]')).toEqual([0.1, 0.2, 0.3, 1]);
    expect(g.parseAction(s, 0, '0.1 0.2')).toMatchObject({ code: 'action/malformed' });
  });
});

describe('drone-volleyball: faults (hand-built scenes)', () => {
  const g3 = make({ serve: 'A' });
  const g1 = make({ teamSize: 1, serve: 'A' });
  /** Height at which a ball dropped onto a level drone at z meets its racket. */
  const onRacket = (z: number): number => z + RACKET_OFFSET + BALL_RADIUS + 0.3;

  it('double touch: a drone touching the ball twice in one possession loses the rally', () => {
    // Regular possession, seat 0 already touched once (touch 1 of 3): the ball falls back onto its racket.
    const s = run(g3, scene(g3, { ball: [-4, 0, onRacket(2), 0, 0, 0], rally: { serve: false, touches: 1, touched: 1, lastHitter: 0 } }));
    expect(faultsOf(s)).toEqual(['A:double-touch']);
    expect(s.winner).toBe(1);
    expect(g3.returns(s)).toEqual([-1, -1, -1, 1, 1, 1]);
    expect(g3.render(s, null)).toMatchObject({ winner: 1, end: 'fault', faults: [{ type: 'double-touch', team: 0, seat: 0 }] });
  });

  it('a clean first touch keeps the rally going and is counted', () => {
    const s = scene(g3, { ball: [-4, 0, onRacket(2), 0, 0, 0], rally: { serve: false } });
    let t = s;
    while (t.rally.touches === 0) t = applyOrThrow(g3, t, Array(6).fill(HOVER));
    expect(g3.isTerminal(t)).toBe(false);
    expect(t.rally).toMatchObject({ touches: 1, touched: 1, lastHitter: 0, hits: [1, 0] });
    expect(t.ball[5]).toBeGreaterThan(0);
  });

  it('too many touches: the serve must cross directly, and a 4th touch on a side loses', () => {
    // Serve possession: the server has touched; the ball falls onto a teammate.
    const serve = run(g3, scene(g3, { drones: { 1: drone(-2, 1.5, 2) }, ball: [-2, 1.5, onRacket(2), 0, 0, 0], rally: { serve: true, touches: 1, touched: 1, lastHitter: 0 } }));
    expect(faultsOf(serve)).toEqual(['A:too-many-touches']);
    expect(serve.winner).toBe(1);
    // Three touches used by team B: a fourth, necessarily by a drone that touched already, is both faults.
    const fourth = run(g3, scene(g3, { ball: [2, -1.5, onRacket(2), 0, 0, 0], rally: { possession: 1, serve: false, touches: 3, touched: 0b111000, lastHitter: 5 } }));
    expect(faultsOf(fourth)).toEqual(['B:double-touch', 'B:too-many-touches']);
    expect(fourth.winner).toBe(0);
  });

  it('reach over: touching the ball while it is over the opponents half loses', () => {
    // Drone A at x = -0.12 (its racket reaches x = +0.08) under a ball at x = +0.05, above the net.
    const s = run(g1, scene(g1, { drones: { 0: drone(-0.12, 0, 3) }, ball: [0.05, 0, onRacket(3), 0, 0, 0], rally: { possession: 1, serve: false } }));
    expect(faultsOf(s)).toEqual(['A:reach-over']);
    expect(s.winner).toBe(1);
  });

  it('ball hitting a drone body loses the rally for that drone', () => {
    const s = run(g3, scene(g3, { ball: [1, 1.5, 2, 8, 0, 0.3], rally: { possession: 1, serve: false } }));
    expect(faultsOf(s)).toEqual(['B:body-hit']);
    expect(s.faults[0]!.seat).toBe(5); // team B's attacker, at (2, 1.5) in the world
    expect(s.winner).toBe(0);
  });

  it('crossing the net plane loses the rally', () => {
    const s = run(g3, scene(g3, { drones: { 5: drone(0.3, 1, 2, [-4, 0, 0], true) }, ball: [-4, 0, 4.5, 0, 0, 0] }), 30);
    expect(faultsOf(s)).toEqual(['B:net-cross']);
    expect(s.winner).toBe(0);
    expect(s.step).toBe(8); // 0.3 m at 4 m/s: the centre passes x = 0 in the 8th step
  });

  it('a ball landing in a team half loses it for that team, bouncing with restitution 0.8', () => {
    const s = run(g3, scene(g3, { ball: [-1, -2.5, 1, 0, 0, 0] }));
    expect(faultsOf(s)).toEqual(['A:own-half']);
    expect(s.winner).toBe(1);
    // The landing step: the ball leaves the ground at 0.8 of its impact speed (velocity after the step's gravity).
    const before = run(g3, scene(g3, { ball: [-1, -2.5, 1, 0, 0, 0] }), s.step - 1);
    expect(s.ball[5]).toBeCloseTo(-RESTITUTION * (before.ball[5]! - GRAVITY * DT), 12);
    expect(s.ball[2]).toBeGreaterThanOrEqual(BALL_RADIUS);
    // The lines are in: a ball on the far baseline is B's.
    const line = run(g3, scene(g3, { ball: [COURT_LENGTH / 2, 0, 1, 0, 0, 0], rally: { possession: 1, serve: false } }));
    expect(faultsOf(line)).toEqual(['B:own-half']);
  });

  it('a ball landing out loses the rally for the last hitter (the server before any touch)', () => {
    const served = run(g3, scene(g3, { ball: [-6.5, 0, 1, 0, 0, 0] }));
    expect(faultsOf(served)).toEqual(['A:out']);
    const hitByB = run(g3, scene(g3, { ball: [-2, 3.4, 1, 0, 0, 0], rally: { serve: false, lastHitter: 3 } }));
    expect(faultsOf(hitByB)).toEqual(['B:out']);
    expect(hitByB.winner).toBe(0);
  });

  it('a ball into the net loses the rally for the last hitter, and it bounces back', () => {
    const s = run(g3, scene(g3, { ball: [-1, 0, 1.5, 6, 0, 1], rally: { serve: false, touches: 1, touched: 2, lastHitter: 1 } }));
    expect(faultsOf(s)).toEqual(['A:net']);
    expect(s.winner).toBe(1);
    expect(s.ball[3]).toBeLessThan(0);
    expect(s.ball[0]).toBeLessThanOrEqual(-BALL_RADIUS + 1e-6);
    // Over the top of the net: no fault, and possession passes to B with fresh touches.
    let over = scene(g3, { ball: [-1, 0, NET_HEIGHT + 0.5, 6, 0, 1], rally: { serve: false, touches: 2, touched: 3, lastHitter: 1 } });
    while (over.rally.possession === 0) over = applyOrThrow(g3, over, Array(6).fill(HOVER));
    expect(g3.isTerminal(over)).toBe(false);
    expect(over.rally).toMatchObject({ possession: 1, touches: 0, touched: 0, serve: false, lastHitter: 1 });
  });

  it('a drone touching the ground crashes, and two drones touching collide', () => {
    const crash = run(g3, scene(g3, { ball: [-4, 0, 4.5, 0, 0, 0] }), 200, { 2: OFF });
    expect(faultsOf(crash)).toEqual(['A:crash']);
    expect(crash.drones[2 * DRONE_STRIDE + 2]!).toBeLessThanOrEqual(BODY_RADIUS);
    const bump = run(g3, scene(g3, { drones: { 4: drone(2, 1.1, 2, [0, 2, 0], true), 5: drone(2, 1.5, 2, [0, 0, 0], true) }, ball: [-4, 0, 4.5, 0, 0, 0] }), 30);
    expect(faultsOf(bump)).toEqual(['B:collision']);
    expect(bump.winner).toBe(0);
  });

  it('both teams faulting in the same step is a draw', () => {
    // The ball lands in A's half in the same step as a B drone crosses the net.
    const s0 = scene(g3, { drones: { 5: drone(0.02, 1, 2, [-4, 0, 0], true) }, ball: [-3, 2.5, BALL_RADIUS + 0.01, 0, 0, -2] });
    const s = applyOrThrow(g3, s0, Array(6).fill(HOVER));
    expect(faultsOf(s).sort()).toEqual(['A:own-half', 'B:net-cross']);
    expect(s.winner).toBe(-1);
    expect(g3.returns(s)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(g3.render(s, null)).toMatchObject({ winner: -1, end: 'fault' });
  });

  it('reaching the step limit (1500 steps of 0.01 s) is a draw', () => {
    const g = make({ teamSize: 1, serve: 'A' });
    // A ball thrown straight up at 80 m/s stays in the air for 16 s; the drones hover.
    const start = scene(g, { ball: [-5, 2.9, 3, 0, 0, 80] });
    const almost = run(g, start, 1499);
    expect(g.isTerminal(almost)).toBe(false);
    const end = run(g, almost, 10);
    expect(end.step).toBe(1500);
    expect(end.winner).toBe(-1);
    expect(end.faults).toEqual([]);
    expect(g.returns(end)).toEqual([0, 0]);
    expect(g.render(end, null)).toMatchObject({ end: 'timeout' });
    expect(g.apply(end, [HOVER, HOVER])).toMatchObject({ code: 'match/over' });
  });
});

describe('drone-volleyball: determinism and snapshots', () => {
  /**
   * Plays one seeded game (random commands near hover) and returns the final serialized state. Written without
   * imports so that its source can run unchanged in a child process.
   */
  function playSeeded(mod: typeof import('./drone-volleyball'), rng: typeof import('../core/rng'), seed: number): string {
    const g = mod.droneVolleyball.create(mod.droneVolleyball.spec.params.parse({}));
    const r = rng.Rng.fromSeed(seed);
    let s = g.init(seed);
    for (let step = 0; step < 400 && !g.isTerminal(s); step++) {
      const players = g.currentPlayers(s);
      const actions = players[0] === -1 ? [g.sampleChance(s)] : players.map(() => [0, 1, 2, 3].map(() => 0.242 + 0.3 * (r.float() - 0.5)));
      const next = g.apply(s, actions);
      if (next instanceof Error) throw next;
      s = next;
    }
    return g.serialize(s);
  }

  it('replays bit for bit in another process', () => {
    const seeds = [1, 2, 3];
    const here = seeds.map((seed) => playSeeded(gameModule, rngModule, seed));
    const root = join(__dirname, '..', '..');
    // The child compiles the TypeScript sources itself with swc (no build needed) and runs the same function.
    const child = `
      const swc = require('@swc/core'); const fs = require('fs');
      require.extensions['.ts'] = (m, f) => m._compile(swc.transformSync(fs.readFileSync(f, 'utf8'), { filename: f, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, f);
      const play = ${playSeeded.toString()};
      const mod = require(${JSON.stringify(join(root, 'environments/physics/drone-volleyball.ts'))});
      const rng = require(${JSON.stringify(join(root, 'environments/core/rng.ts'))});
      process.stdout.write(JSON.stringify(${JSON.stringify(seeds)}.map((seed) => play(mod, rng, seed))));`;
    const r = spawnSync(process.execPath, ['-e', child], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    const there = JSON.parse(r.stdout) as string[];
    const hash = (t: string): string => createHash('sha256').update(t).digest('hex');
    expect(there.map(hash)).toEqual(here.map(hash));
    // The games did something: the ball was touched or landed, not just 400 quiet steps.
    expect(here.some((t) => (JSON.parse(t) as DroneVolleyballState).winner !== null)).toBe(true);
  });

  it('continues bit for bit from a deserialized snapshot', () => {
    const g = make();
    const rng = Rng.fromSeed(9);
    const commands = Array.from({ length: 300 }, () => Array.from({ length: 6 }, () => [0, 1, 2, 3].map(() => H + 0.2 * (rng.float() - 0.5))));
    let s = applyOrThrow(g, g.init(9), [0]);
    for (let i = 0; i < 50; i++) s = applyOrThrow(g, s, commands[i]!);
    let copy = g.deserialize(g.serialize(s));
    for (let i = 50; i < 300 && !g.isTerminal(s); i++) {
      s = applyOrThrow(g, s, commands[i]!);
      copy = applyOrThrow(g, copy, commands[i]!);
      expect(g.serialize(copy)).toBe(g.serialize(s));
    }
    expect(() => g.deserialize(JSON.stringify({ ...JSON.parse(g.serialize(s)), drones: [1, 2] }))).toThrow(expect.objectContaining({ code: 'env/bad-serialization' }));
  });
});

describe('drone-volleyball: conformance', () => {
  // Six seats and up to 1500 steps: few games, each checked at every step.
  const checks = conformanceChecks(droneVolleyball, { runs: 3, params: [{}, { teamSize: 1, serve: 'B' }, { teamSize: 2, serve: 'A' }] });
  it.each(checks.map((c) => [c.name, c] as const))('%s', (_name, check) => {
    check.run();
  });
});
