/**
 * Physical constants of drone volleyball (HCSP / VolleyBots, REFERENCES.md), with the derivations of the values
 * the references leave open. SI units throughout; world frame: x toward team B across the net, y to team A's left,
 * z up; the net is the plane x = 0.
 */

/** Fixed integration step (s): 100 Hz, the tick rate of the game. */
export const DT = 0.01;
/** Gravity (m/s^2), acting along -z. */
export const GRAVITY = 9.81;

// --- Court ---------------------------------------------------------------------------------------------------
/** Court length along x (m): each half is 6 m deep. */
export const COURT_LENGTH = 12;
/** Court width along y (m). */
export const COURT_WIDTH = 6;
/** Height of the top of the net (m); the net spans the court width from the ground up. */
export const NET_HEIGHT = 2.43;

// --- Ball ----------------------------------------------------------------------------------------------------
/** Ball mass (kg): 5 g, so contacts do not move the 1.52 kg drones measurably (we neglect the reaction). */
export const BALL_MASS = 0.005;
export const BALL_RADIUS = 0.1;
/** Coefficient of restitution of every ball contact (ground, net, racket, body), as the references' material. */
export const RESTITUTION = 0.8;

// --- Quadrotor -----------------------------------------------------------------------------------------------
export const DRONE_MASS = 1.52;
/** Arm length (m): rotor centre to body centre, X configuration (rotors at +-45 degrees from the x axis). */
export const ARM_LENGTH = 0.17;
/** Lever arm of each rotor about the body x and y axes: ARM_LENGTH / sqrt(2). */
export const ARM_XY = ARM_LENGTH / Math.SQRT2;
/**
 * Commanded hover point. The references give "about 0.242" with about 6.0 N per rotor; a linear command map
 * thrust = MAX_ROTOR_THRUST * (command + 1) / 2 puts hover at exactly 0.242 when
 * MAX_ROTOR_THRUST = m g / (4 * 0.621) = 6.0029 N (thrust/weight 1.610, as the references' 1.61).
 */
export const HOVER_COMMAND = 0.242;
export const MAX_ROTOR_THRUST = (DRONE_MASS * GRAVITY) / (4 * ((HOVER_COMMAND + 1) / 2));
/**
 * Rotor drag-torque to thrust ratio (m): each rotor's reaction torque about body z is KAPPA * thrust, against
 * its spin. 0.016 is typical of 8-10 inch propellers (e.g. the RotorS models' moment constant).
 */
export const YAW_DRAG_COEFFICIENT = 0.016;
/**
 * Principal moments of inertia (kg m^2), estimated for 1.52 kg with 0.17 m arms:
 * central body 1.0 kg as a 0.18 x 0.18 x 0.08 m box (Ixx = 0.00323, Izz = 0.00540), four motor + propeller
 * units of 0.08 kg at 0.17 m (Ixx = 0.00462, Izz = 0.00925), a 0.2 kg racket disk of radius 0.2 m mounted
 * 0.15 m above the centre (Ixx = 0.00200 + 0.2 * 0.15^2 = 0.00650, Izz = 0.00400). Sums, rounded.
 */
export const INERTIA_XX = 0.0144;
export const INERTIA_YY = 0.0144;
export const INERTIA_ZZ = 0.0187;
/**
 * Rotor layout (PX4 quad X numbering): [x, y, spin], spin +1 counter-clockwise seen from above.
 * 0 front-right CCW, 1 back-left CCW, 2 front-left CW, 3 back-right CW.
 */
export const ROTORS: readonly (readonly [number, number, number])[] = [
  [ARM_XY, -ARM_XY, 1],
  [-ARM_XY, ARM_XY, 1],
  [ARM_XY, ARM_XY, -1],
  [-ARM_XY, -ARM_XY, -1],
];

// --- Collision geometry of a drone ---------------------------------------------------------------------------
/**
 * The drone body as a sphere about its centre (m): a ball touching it is a fault; the ground touching it, a crash.
 * Its top is 3 cm below the racket, so a ball coming down onto the racket meets the racket first.
 */
export const BODY_RADIUS = 0.12;
/** The racket: a disk of this radius normal to the body z axis (the references' cylinder of radius 0.2 m). */
export const RACKET_RADIUS = 0.2;
/** Height of the racket disk above the drone centre along body z (mounted above the body). */
export const RACKET_OFFSET = 0.15;
