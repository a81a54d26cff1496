import { BALL_RADIUS, BODY_RADIUS, DT, GRAVITY, HOVER_COMMAND, NET_HEIGHT, RACKET_OFFSET, RESTITUTION } from './constants';
import { diskDistance, netDistance, NO_CONTACT, sweepConvex, sweepGround, sweepSphere, type Normal } from './contacts';
import { stepWorld, type BallEvent, type WorldStep } from './world';

const H = HOVER_COMMAND;
/** A drone at (x, y, z) with velocity v, level or pitched by `pitch` radians about +y. */
function drone(x: number, y: number, z: number, v: readonly number[] = [0, 0, 0], pitch = 0): number[] {
  return [x, y, z, ...v, Math.cos(pitch / 2), 0, Math.sin(pitch / 2), 0, 0, 0, 0];
}
/** Runs steps until an event (or `max` steps); a hovering drone set keeps its commands. */
function until(drones: number[], ball: number[], max = 500): { step: WorldStep; n: number } {
  const commands = new Array<number>((drones.length / 13) * 4).fill(H);
  let d = drones;
  let b = ball;
  for (let n = 1; n <= max; n++) {
    const step = stepWorld(d, b, commands);
    if (step.events.some((e) => e.kind !== 'cross') || n === max) return { step, n };
    d = step.drones;
    b = step.ball;
  }
  throw new Error('unreachable');
}
const kinds = (events: readonly BallEvent[]): string[] => events.map((e) => e.kind);

describe('ball contacts', () => {
  it('bounces off the ground with restitution 0.8 and apexes shrinking by 0.8^2', () => {
    let ball = [1, 1, 3, 0, 0, 0];
    const apexes: number[] = [];
    let rising = false;
    let bounces = 0;
    for (let i = 0; i < 2000 && bounces < 4; i++) {
      const step = stepWorld([], ball, []);
      const ground = step.events.find((e) => e.kind === 'ground');
      if (ground) {
        bounces++;
        // The velocity within the step is the pre-step velocity plus g dt; its vertical part flips, times 0.8.
        expect(step.ball[5]).toBeCloseTo(-RESTITUTION * (ball[5]! - GRAVITY * DT), 12);
        expect(ground.z).toBeCloseTo(BALL_RADIUS, 9);
        expect(step.ball[2]).toBeGreaterThan(BALL_RADIUS);
        rising = true;
      } else if (rising && step.ball[5]! <= 0) {
        apexes.push(ball[2]! - BALL_RADIUS);
        rising = false;
      }
      ball = step.ball;
    }
    expect(apexes.length).toBeGreaterThanOrEqual(3);
    // Drop height 2.9 m above contact; each apex is e^2 = 0.64 of the one before, up to the integrator's
    // discretisation (semi-implicit Euler at 0.01 s loses about a centimetre per flight).
    const ratios = [apexes[0]! / 2.9, apexes[1]! / apexes[0]!, apexes[2]! / apexes[1]!];
    for (const r of ratios) expect(Math.abs(r - RESTITUTION ** 2)).toBeLessThan(0.03);
  });

  it('stops at the net face, edge and top, and passes above it or around it', () => {
    // Low and fast (30 m/s, 0.3 m per step: the 0.2 m ball would tunnel through with discrete checks).
    const face = until([], [-1, 0, 1.5, 30, 0, 0]);
    expect(kinds(face.step.events)).toEqual(['net']);
    expect(face.step.events[0]!.x).toBeCloseTo(-BALL_RADIUS, 6);
    expect(face.step.ball[3]).toBeCloseTo(-RESTITUTION * 30, 9);
    // Clipping the top edge: the normal points from the edge to the centre, so the ball leaves upward.
    const edge = until([], [-1, 0, NET_HEIGHT + 0.05, 10, 0, 0]);
    expect(kinds(edge.step.events)).toEqual(['net']);
    expect(edge.step.ball[5]! > 0 && edge.step.ball[3]! < 10).toBe(true);
    const over = stepWorld([], [-0.05, 0, NET_HEIGHT + 0.3, 10, 0, 0], []);
    expect(kinds(over.events)).toEqual(['cross']);
    expect(over.events[0]!.time).toBeCloseTo(0.5, 9);
    const around = stepWorld([], [-0.05, 3.5, 1, 10, 0, 0], []);
    expect(kinds(around.events)).toEqual(['cross']);
  });

  it('reflects off a racket with restitution relative to the racket and adds its velocity', () => {
    const top = 2 + RACKET_OFFSET + BALL_RADIUS;
    // Level racket at rest: straight back up at 0.8 of the impact speed.
    const still = until(drone(-3, 0, 2), [-3, 0, 3, 0, 0, 0]);
    expect(kinds(still.step.events)).toEqual(['racket']);
    const e = still.step.events[0]!;
    expect(e.seat).toBe(0);
    expect(e.z).toBeCloseTo(still.step.drones[2]! + RACKET_OFFSET + BALL_RADIUS, 6);
    const impact = -Math.sqrt(2 * GRAVITY * (3 - top));
    expect(still.step.ball[5]! / -impact).toBeCloseTo(RESTITUTION, 1);
    // A racket rising at 2 m/s under a ball at rest: v_out = (1 + e) u.
    const ball = [-3, 0, top + 0.005, 0, 0, 0];
    const moving = stepWorld(drone(-3, 0, 2, [0, 0, 2]), ball, [H, H, H, H]);
    expect(kinds(moving.events)).toEqual(['racket']);
    const u = moving.drones[5]!;
    expect(moving.ball[5]).toBeCloseTo((1 + RESTITUTION) * u - RESTITUTION * (0 - GRAVITY * DT), 9);
    // A racket pitched 30 degrees toward +x sends a falling ball toward +x, along the reflection about its normal.
    const pitch = Math.PI / 6;
    const tilted = until(drone(-3, 0, 2, [0, 0, 0], pitch), [-3 + RACKET_OFFSET * Math.sin(pitch), 0, 2 + RACKET_OFFSET + 0.4, 0, 0, -5]);
    expect(kinds(tilted.step.events)).toEqual(['racket']);
    const [vx, , vz] = tilted.step.ball.slice(3);
    expect(vx).toBeGreaterThan(0);
    expect(Math.atan2(vx!, vz!)).toBeGreaterThan(0.5); // reflection of vertical about a 30-degree normal: 60 degrees from vertical
  });

  it('counts the body sphere and the racket underside as the body', () => {
    const side = until(drone(-3, 0, 2), [-4, 0, 2, 10, 0, 0]);
    expect(kinds(side.step.events)).toEqual(['body']);
    const hit = side.step.events[0]!;
    expect(Math.hypot(hit.x + 3, hit.y, hit.z - side.step.drones[2]!)).toBeCloseTo(BODY_RADIUS + BALL_RADIUS, 9);
    // From below, off-centre by 0.25 m: misses the body sphere and meets the rim of the racket from underneath.
    const below = until(drone(-3, 0, 2), [-2.75, 0, 1, 0, 0, 8]);
    expect(kinds(below.step.events)).toEqual(['body']);
    const rim = below.step.events[0]!;
    expect(Math.hypot(rim.x + 2.8, rim.z - below.step.drones[2]! - RACKET_OFFSET)).toBeCloseTo(BALL_RADIUS, 6);
    expect(rim.z).toBeLessThan(below.step.drones[2]! + RACKET_OFFSET);
    expect(below.step.ball[5]).toBeLessThan(0);
  });
});

describe('swept primitives', () => {
  const n: Normal = { x: 0, y: 0, z: 0 };
  it('find the first touching time exactly and only while approaching', () => {
    expect(sweepGround(1, -2, 0.1)).toBeCloseTo(0.45, 15);
    expect(sweepGround(1, 2, 0.1)).toBe(NO_CONTACT);
    expect(sweepGround(0.05, -1, 0.1)).toBe(0);
    expect(sweepSphere(-2, 0, 0, 4, 0, 0, 0.5)).toBeCloseTo(0.375, 15);
    expect(sweepSphere(-2, 0.6, 0, 4, 0, 0, 0.5)).toBe(NO_CONTACT);
    expect(sweepSphere(0.3, 0, 0, 1, 0, 0, 0.5)).toBe(NO_CONTACT); // overlapping but leaving
    const disk = (x: number, y: number, z: number, m: Normal): number => diskDistance(x, y, z, 0, 0, 1, 0.2, m);
    expect(sweepConvex(0, 0, 1, 0, 0, -2, 0.1, disk, n)).toBeCloseTo(0.45, 6);
    expect(n.z).toBe(1);
    expect(sweepConvex(0.25, 0, 1, 0, 0, -2, 0.1, disk, n)).toBeCloseTo((1 - Math.sqrt(0.1 ** 2 - 0.05 ** 2)) / 2, 6); // rim
    expect(sweepConvex(0.31, 0, 1, 0, 0, -2, 0.1, disk, n)).toBe(NO_CONTACT);
    expect(netDistance(0.3, 0, 1, n)).toBeCloseTo(0.3, 15);
    expect(netDistance(0, 0, NET_HEIGHT + 0.2, n)).toBeCloseTo(0.2, 12);
    expect(n.z).toBe(1);
  });
});
