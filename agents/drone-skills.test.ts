import { runMatch } from '../engine/match';
import { seatOutcome } from '../engine/outcome';
import { LazySeatView } from '../engine/view';
import { applyOrThrow } from '../environments/core/helpers';
import { deriveSeed, Rng } from '../environments/core/rng';
import { ARM_XY, DRONE_MASS, GRAVITY, MAX_ROTOR_THRUST, YAW_DRAG_COEFFICIENT } from '../environments/physics/drone/constants';
import { decodeObservation, type DroneObservation } from '../environments/physics/drone/observation';
import { commandToThrust, DRONE_STRIDE } from '../environments/physics/drone/quadrotor';
import { newRally } from '../environments/physics/drone/rules';
import { droneVolleyball, type DroneVolleyballState } from '../environments/physics/drone-volleyball';
import { kuhnPoker } from '../environments/zero-sum/kuhn-poker';
import type { SeatView } from './agent';
import { lobVelocity } from './drone/ballistics';
import { mix } from './drone/controller';
import { DroneRandomAgent } from './drone/random-commands';
import { DroneScriptedAgent, goto, hover, pass, planSkill, scriptedCommands, serve, SKILLS, teamPolicy } from './drone-skills';

const make = (params: Record<string, unknown> = {}) => droneVolleyball.create(droneVolleyball.spec.params.parse(params));
type Game = ReturnType<typeof make>;
const obsOf = (g: Game, s: DroneVolleyballState, seat: number): DroneObservation => decodeObservation(g.observationTensor(s, seat), g.params.teamSize as number);
const pos = (s: DroneVolleyballState, seat: number): number[] => s.drones.slice(seat * DRONE_STRIDE, seat * DRONE_STRIDE + 3);

/** Steps with `control(seat, obs)` for every seat until the end or `max` steps. */
function fly(g: Game, start: DroneVolleyballState, control: (seat: number, o: DroneObservation) => number[], max: number): DroneVolleyballState {
  let s = start;
  for (let i = 0; i < max && !g.isTerminal(s); i++) s = applyOrThrow(g, s, Array.from({ length: g.numPlayers }, (_, seat) => control(seat, obsOf(g, s, seat))));
  return s;
}

describe('cascaded controller', () => {
  it('mixes collective thrust and torques exactly (X configuration)', () => {
    const cases: [number, number, number, number][] = [
      [DRONE_MASS * GRAVITY, 0, 0, 0],
      [16, 0.3, -0.2, 0.05],
      [12, -0.4, 0.1, -0.03],
    ];
    for (const [T, tx, ty, tz] of cases) {
      const f = mix(T, tx, ty, tz).map(commandToThrust);
      expect(f[0]! + f[1]! + f[2]! + f[3]!).toBeCloseTo(T, 9);
      expect(ARM_XY * (-f[0]! + f[1]! + f[2]! - f[3]!)).toBeCloseTo(tx, 9);
      expect(ARM_XY * (-f[0]! + f[1]! - f[2]! + f[3]!)).toBeCloseTo(ty, 9);
      expect(YAW_DRAG_COEFFICIENT * (-f[0]! - f[1]! + f[2]! + f[3]!)).toBeCloseTo(tz, 9);
    }
    // Saturated: the torques survive, the collective gives way.
    const f = mix(4 * MAX_ROTOR_THRUST, 0.5, 0, 0).map(commandToThrust);
    expect(ARM_XY * (-f[0]! + f[1]! + f[2]! - f[3]!)).toBeCloseTo(0.5, 9);
    expect(Math.max(...f)).toBeLessThanOrEqual(MAX_ROTOR_THRUST + 1e-12);
  });

  it('holds a hover point and flies to a goal on either team, stopping there', () => {
    const g = make({ teamSize: 1, serve: 'A' });
    // The ball far out of the way.
    const start: DroneVolleyballState = { ...g.init(0), ball: [-5.5, 2.8, 50, 0, 0, 0] };
    const held = fly(g, start, (seat, o) => hover(o, seat === 0 ? [-3, 0, 2] : [-3, 0, 2]), 200);
    expect(Math.hypot(pos(held, 0)[0]! + 3, pos(held, 0)[1]!, pos(held, 0)[2]! - 2)).toBeLessThan(0.01);
    // Team frame: both go to (-1.5, 1, 2.5) of their own half, i.e. mirror-image points in the world.
    const moved = fly(g, start, (_seat, o) => goto(o, [-1.5, 1, 2.5]), 300);
    expect(g.isTerminal(moved)).toBe(false);
    expect(pos(moved, 0).map((x) => +x.toFixed(2))).toEqual([-1.5, 1, 2.5]);
    expect(pos(moved, 1).map((x) => +x.toFixed(2))).toEqual([1.5, -1, 2.5]);
    expect(Math.hypot(...moved.drones.slice(3, 6))).toBeLessThan(0.05);
  });

  it('recovers a drone thrown off balance', () => {
    const g = make({ teamSize: 1, serve: 'A' });
    const s0 = g.init(0);
    const drones = s0.drones.slice();
    // 40 degrees of roll, spinning at 5 rad/s, moving sideways at 3 m/s.
    drones.splice(0, 13, -3, 0, 2, 0, 3, 0, Math.cos(0.35), Math.sin(0.35), 0, 0, 5, 0, 0);
    const s = fly(g, { ...s0, drones, ball: [-5.5, 2.8, 50, 0, 0, 0] }, (_seat, o) => hover(o, [-3, 0, 2]), 300);
    expect(g.isTerminal(s)).toBe(false);
    expect(Math.hypot(pos(s, 0)[0]! + 3, pos(s, 0)[1]!, pos(s, 0)[2]! - 2)).toBeLessThan(0.05);
  });
});

describe('skills', () => {
  it('serves over the net into the opponents court from every team size and side', () => {
    for (const teamSize of [1, 2, 3]) {
      for (const side of ['A', 'B'] as const) {
        const g = make({ teamSize, serve: side });
        const server = side === 'A' ? 0 : teamSize;
        let s = g.init(0);
        let crossed = false;
        for (let i = 0; i < 400 && !g.isTerminal(s); i++) {
          s = applyOrThrow(g, s, Array.from({ length: g.numPlayers }, (_, seat) => {
            const o = obsOf(g, s, seat);
            return seat === server && !o.touchedThisPossession ? serve(o, [3, 0, 0]) : hover(o, o.pos);
          }));
          crossed ||= s.rally.possession !== (side === 'A' ? 0 : 1);
        }
        expect(crossed).toBe(true);
        // Nobody receives: the serve lands in the opponents' half, near the aim point.
        expect(s.faults.map((f) => f.type)).toEqual(['own-half']);
        expect(s.winner).toBe(side === 'A' ? 0 : 1);
        const landing = Math.abs(s.ball[0]!);
        expect(landing).toBeGreaterThan(1.5);
        expect(landing).toBeLessThan(4.5);
      }
    }
  });

  it('passes incoming balls to a teammate spot (at least 80% within 1 m)', () => {
    const g = make({ teamSize: 1, serve: 'A' });
    const rng = Rng.fromSeed(11);
    const u = (a: number, b: number): number => a + (b - a) * rng.float();
    const target: [number, number, number] = [-1.8, 1, 2.2];
    let good = 0;
    const trials = 20;
    for (let i = 0; i < trials; i++) {
      // A lob from the opponents' half landing somewhere in ours.
      const from: [number, number, number] = [u(1, 4), u(-2, 2), u(1.5, 3)];
      const v = lobVelocity(from, [u(-5.5, -1.5), u(-2.5, 2.5), 0], u(3.5, 5));
      const s0 = g.init(0);
      const drones = s0.drones.slice();
      drones.splice(0, 3, -3.2, 0, 2);
      let s: DroneVolleyballState = { ...s0, drones, ball: [...from, ...v], rally: { ...newRally(0), possession: 1, serve: false } };
      for (let k = 0; k < 400 && !g.isTerminal(s) && s.rally.hits[0] === 0; k++) {
        const o = obsOf(g, s, 0);
        s = applyOrThrow(g, s, [o.ourPossession ? pass(o, target) : SKILLS.receive(o, target), hover(obsOf(g, s, 1), [-3, 0, 2])]);
      }
      if (s.rally.hits[0] !== 1 || g.isTerminal(s)) continue;
      // Where the passed ball comes down through the target height.
      let b = s;
      while (!g.isTerminal(b) && !(b.ball[5]! < 0 && b.ball[2]! <= target[2])) b = applyOrThrow(g, b, [hover(obsOf(g, b, 0), [-3.5, 0, 1.5]), hover(obsOf(g, b, 1), [-3, 0, 2])]);
      if (Math.hypot(b.ball[0]! - target[0], b.ball[1]! - target[1]) < 1) good++;
    }
    expect(good).toBeGreaterThanOrEqual(0.8 * trials);
  });

  it('plans strikes whose racket normal bisects the incoming and outgoing ball velocities', () => {
    const g = make({ teamSize: 3, serve: 'A' });
    const o = obsOf(g, g.init(0), 0);
    const p = planSkill('serve', o, [3, 0, 0])!;
    expect(p).not.toBeNull();
    const dv = p.ballOut.map((x, i) => x - p.ballIn[i]!);
    const len = Math.hypot(...dv);
    p.normal.forEach((x, i) => expect(x).toBeCloseTo(dv[i]! / len, 9));
    expect(p.ballOut[0]).toBeGreaterThan(0); // toward the opponents
    expect(p.time).toBeGreaterThan(0.3);
  });
});

describe('scripted team policy', () => {
  const g3 = make({ serve: 'A' });
  const s0 = g3.init(0);
  const choice = (s: DroneVolleyballState, seat: number) => teamPolicy(obsOf(g3, s, seat)).skill;

  it('serves with index 0 and keeps the others back', () => {
    expect([0, 1, 2, 3, 4, 5].map((seat) => choice(s0, seat))).toEqual(['serve', 'hover', 'hover', 'goto', 'goto', 'goto']);
  });

  it('gives the ball to passer, setter, attacker in turn, and reads an incoming ball with the passer', () => {
    const ours = (touches: number, touched: number): DroneVolleyballState => ({ ...s0, ball: [-2, 0, 4, 0, 0, 0], rally: { ...s0.rally, serve: false, touches, touched } });
    expect([0, 1, 2].map((seat) => choice(ours(0, 0), seat))).toEqual(['pass', 'goto', 'goto']);
    expect([0, 1, 2].map((seat) => choice(ours(1, 0b001), seat))).toEqual(['goto', 'set', 'goto']);
    expect([0, 1, 2].map((seat) => choice(ours(2, 0b011), seat))).toEqual(['goto', 'goto', 'attack']);
    // In 2v2 the second touch attacks; in 1v1 the first does.
    const g2 = make({ teamSize: 2, serve: 'A' });
    const t2 = g2.init(0);
    expect(teamPolicy(obsOf(g2, { ...t2, ball: [-2, 0, 4, 0, 0, 0], rally: { ...t2.rally, serve: false, touches: 1, touched: 1 } }, 1)).skill).toBe('attack');
    const g1 = make({ teamSize: 1, serve: 'A' });
    const t1 = g1.init(0);
    expect(teamPolicy(obsOf(g1, { ...t1, ball: [-2, 0, 4, 0, 0, 0], rally: { ...t1.rally, serve: false } }, 0)).skill).toBe('attack');
    // The opponents have the ball, coming over: B's passer receives, the rest go home.
    const theirs = { ...s0, ball: [-1, 0, 3, 5, 0, 3], rally: { ...s0.rally, serve: false } };
    expect([3, 4, 5].map((seat) => choice(theirs, seat))).toEqual(['receive', 'goto', 'goto']);
  });
});

describe('agents', () => {
  it('drone-random sends seeded uniform commands in [-1, 1]', () => {
    const g = make();
    const view = new LazySeatView(g, g.init(0), 0, 0, undefined) as unknown as SeatView<unknown, readonly number[]>;
    const a = new DroneRandomAgent(5);
    const b = new DroneRandomAgent(5);
    const xs = Array.from({ length: 200 }, () => a.act(view));
    expect(Array.from({ length: 200 }, () => b.act(view))).toEqual(xs);
    const flat = xs.flat();
    expect(Math.min(...flat)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...flat)).toBeLessThanOrEqual(1);
    expect(Math.abs(flat.reduce((x, y) => x + y, 0) / flat.length)).toBeLessThan(0.1);
  });

  it('drone-scripted refuses other games and plays the same as the stateless policy at spread 0', () => {
    const kuhn = kuhnPoker.create({ players: 2 });
    const kv = new LazySeatView(kuhn, kuhn.init(0), 0, 0, undefined) as unknown as SeatView<unknown, readonly number[]>;
    expect(() => new DroneScriptedAgent(1).act(kv)).toThrow(expect.objectContaining({ code: 'agent/unsupported-game' }));
    const g = make({ serve: 'B' });
    const s = g.init(0);
    const agent = new DroneScriptedAgent(1, 0);
    for (const seat of [0, 3, 5]) {
      const view = new LazySeatView(g, s, seat, 0, undefined) as unknown as SeatView<unknown, readonly number[]>;
      expect(agent.act(view)).toEqual(scriptedCommands(obsOf(g, s, seat)));
    }
  });

  it('beats random rotor commands and plays passing rallies against itself (3v3, engine matches)', async () => {
    const g = make();
    const results = { vsRandom: [0, 0, 0], self: [0, 0, 0], passRallies: 0 };
    const episodes = 16;
    for (let ep = 0; ep < episodes; ep++) {
      const vsRandom = await runMatch(g, ep, Array.from({ length: 6 }, (_, seat) => ({ agent: seat < 3 ? new DroneScriptedAgent(deriveSeed(ep, seat)) : new DroneRandomAgent(deriveSeed(ep, seat)) })));
      results.vsRandom[['win', 'draw', 'loss'].indexOf(seatOutcome(vsRandom.returns, 0))]! += 1;
      let last: DroneVolleyballState | undefined;
      const self = await runMatch(g, ep, Array.from({ length: 6 }, (_, seat) => ({ agent: new DroneScriptedAgent(deriveSeed(1000 + ep, seat)) })), {
        listener: { onStep: (e) => void (last = e.state as DroneVolleyballState) },
      });
      results.self[['win', 'draw', 'loss'].indexOf(seatOutcome(self.returns, 0))]! += 1;
      if (last && last.rally.passes[0] + last.rally.passes[1] > 0) results.passRallies++;
    }
    expect(results.vsRandom).toEqual([episodes, 0, 0]);
    // Against itself: both sides win some, and most rallies have a pass.
    expect(results.self[0]).toBeGreaterThan(2);
    expect(results.self[2]).toBeGreaterThan(2);
    expect(results.passRallies).toBeGreaterThanOrEqual(episodes * 0.75);
  });
});
