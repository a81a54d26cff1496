import { DRONE_MASS, GRAVITY, HOVER_COMMAND, INERTIA_XX, INERTIA_ZZ, MAX_ROTOR_THRUST, DT, ARM_XY, YAW_DRAG_COEFFICIENT } from './constants';
import { commandToThrust, DRONE_STRIDE, OMEGA, POS, QUAT, rotationMatrix, stepDrone, thrustToCommand, VEL } from './quadrotor';

/** A level drone at rest at (0, 0, 2). */
const level = (): number[] => [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];

function fly(commands: readonly number[], steps: number, start = level()): number[] {
  let s = start;
  for (let i = 0; i < steps; i++) {
    const next = new Array<number>(DRONE_STRIDE);
    stepDrone(s, 0, commands, 0, DT, next);
    s = next;
  }
  return s;
}

const h = HOVER_COMMAND;

describe('quadrotor', () => {
  it('maps commands linearly to thrust with hover at exactly 0.242 and about 6 N per rotor', () => {
    expect(commandToThrust(-1)).toBe(0);
    expect(commandToThrust(1)).toBeCloseTo(MAX_ROTOR_THRUST, 12);
    expect(MAX_ROTOR_THRUST).toBeCloseTo(6.0029, 4);
    expect((4 * MAX_ROTOR_THRUST) / (DRONE_MASS * GRAVITY)).toBeCloseTo(1.61, 2);
    expect(4 * commandToThrust(h)).toBeCloseTo(DRONE_MASS * GRAVITY, 12);
    expect(commandToThrust(5)).toBe(commandToThrust(1));
    expect(commandToThrust(-7)).toBe(0);
    for (const c of [-1, -0.3, 0, h, 0.9]) expect(thrustToCommand(commandToThrust(c))).toBeCloseTo(c, 12);
  });

  it('hovers within a few centimetres for 2 s on 0.242, and sinks or climbs off it', () => {
    const s = fly([h, h, h, h], 200);
    expect(Math.abs(s[POS + 2]! - 2)).toBeLessThan(0.03);
    expect(Math.hypot(s[POS]!, s[POS + 1]!)).toBeLessThan(1e-9);
    expect(s.slice(QUAT, QUAT + 4)).toEqual([1, 0, 0, 0]);
    // Off hover the drone accelerates at (4 f / m - g): 0.2 sinks, 0.3 climbs by the closed form within Euler error.
    for (const c of [0.2, 0.3]) {
      const a = (4 * commandToThrust(c)) / DRONE_MASS - GRAVITY;
      const z = fly([c, c, c, c], 200)[POS + 2]!;
      // Semi-implicit Euler: z_n = z_0 + a dt^2 n (n + 1) / 2.
      expect(z).toBeCloseTo(2 + (a * DT * DT * 200 * 201) / 2, 9);
      expect(Math.abs(z - 2)).toBeGreaterThan(0.1);
    }
  });

  it('rolls right and accelerates toward -y when the left rotors push harder', () => {
    const d = 0.05;
    // Rotors: 0 front-right, 1 back-left, 2 front-left, 3 back-right.
    const rollRight = [h - d, h + d, h + d, h - d];
    const one = fly(rollRight, 1);
    const torque = 2 * ARM_XY * 2 * (commandToThrust(h + d) - commandToThrust(h)); // 4 rotors x arm x delta-f
    expect(one[OMEGA]!).toBeCloseTo((torque / INERTIA_XX) * DT, 12);
    expect(one[OMEGA + 1]!).toBeCloseTo(0, 12);
    expect(one[OMEGA + 2]!).toBeCloseTo(0, 12);
    const s = fly(rollRight, 30);
    const r = new Array<number>(9);
    rotationMatrix(s, QUAT, r);
    expect(r[5]!).toBeLessThan(-0.05); // body z leans toward -y
    expect(s[VEL + 1]!).toBeLessThan(-0.01);
    expect(Math.abs(s[VEL]!)).toBeLessThan(1e-9);
    // The mirror command mirrors the motion.
    const m = fly([h + d, h - d, h - d, h + d], 30);
    expect(m[VEL + 1]!).toBeCloseTo(-s[VEL + 1]!, 12);
  });

  it('pitches forward (toward +x) on the back rotors and yaws counter-clockwise on the clockwise rotors', () => {
    const d = 0.05;
    const s = fly([h - d, h + d, h - d, h + d], 30);
    expect(s[OMEGA + 1]!).toBeGreaterThan(0);
    expect(s[VEL]!).toBeGreaterThan(0.01);
    const y = fly([h - d, h - d, h + d, h + d], 1);
    const tz = YAW_DRAG_COEFFICIENT * 4 * (commandToThrust(h + d) - commandToThrust(h));
    expect(y[OMEGA + 2]!).toBeCloseTo((tz / INERTIA_ZZ) * DT, 12);
    expect(y[OMEGA]!).toBeCloseTo(0, 12);
  });

  it('keeps the quaternion unit and conserves a free spin about a principal axis', () => {
    const spin = level();
    spin[OMEGA + 2] = 3;
    const s = fly([h, h, h, h], 100, spin);
    const q = s.slice(QUAT, QUAT + 4);
    expect(Math.hypot(...q)).toBeCloseTo(1, 14);
    expect(s[OMEGA + 2]!).toBe(3);
    // 1 s at 3 rad/s about z: yaw angle 3 rad within the first-order integration error.
    expect(2 * Math.atan2(q[3]!, q[0]!)).toBeCloseTo(3, 2);
  });
});
