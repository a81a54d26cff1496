/**
 * Drone volleyball for watching, live and in replays: a top view of the 12 x 6 m court (net line, the drones in
 * their team colours with their role letters, the ball shaded by its height over its ground shadow) above a side
 * view on the same x axis (x-z: the 2.43 m net, drones with their rackets, the ball), a status line (time, serve,
 * possession and touches) and, at the end, who won and the fault that decided it. Team A (seats 0..n-1, x < 0)
 * is drawn in seat 0's colour, team B in seat 1's.
 *
 * Flying a quadrotor by rotor commands is for agents: a person's seat sends the hover command every tick.
 *
 * Render data (environments/physics/drone-volleyball.ts): `court` {length, width, netHeight}, `time`, `step`,
 * `maxSteps`, `serving`, `ball` {pos, vel}, `drones` [{seat, team, index, pos, vel, quat (w, x, y, z), touched}],
 * `possession`, `touches`, `serve`, `lastHitter`, `hits`, `faults` [{type, team, seat}], `winner`, `end`.
 */
import type { ActionValue } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import { ARM_XY, BALL_RADIUS, BODY_RADIUS, HOVER_COMMAND, RACKET_OFFSET, RACKET_RADIUS, ROTORS } from '../../../environments/physics/drone/constants';
import type { GameViewEntry, RealtimeCanvasView } from './types';

type Vec3 = readonly [number, number, number];
interface Drone {
  readonly seat: number;
  readonly team: 0 | 1;
  readonly index: number;
  readonly pos: Vec3;
  readonly quat: readonly [number, number, number, number];
  readonly touched: boolean;
}
interface Fault {
  readonly type: string;
  readonly team: 0 | 1;
  readonly seat: number;
}
interface DroneRender {
  readonly court: { readonly length: number; readonly width: number; readonly netHeight: number };
  readonly time: number;
  readonly step: number;
  readonly maxSteps: number;
  readonly serving: 0 | 1 | null;
  readonly ball: { readonly pos: Vec3; readonly vel: Vec3 };
  readonly drones: readonly Drone[];
  readonly possession: 0 | 1;
  readonly touches: number;
  readonly serve: boolean;
  readonly lastHitter: number;
  readonly hits: readonly number[];
  readonly faults: readonly Fault[];
  readonly winner: -1 | 0 | 1 | null;
  readonly end: 'fault' | 'timeout' | null;
}

const TEAM_COLORS = ['#e11d48', '#eab308'] as const;
const TEAM_NAMES = ['Team A', 'Team B'] as const;
/**
 * Role letters by team size (HCSP roles: index 0 serves and passes, then setter, attacker). A 1v1 drone plays
 * every role and is lettered by its team instead.
 */
const ROLES: Readonly<Record<number, readonly string[]>> = { 2: ['P', 'A'], 3: ['P', 'S', 'A'] };
const ROLE_NAMES: Readonly<Record<string, string>> = { P: 'passer', S: 'setter', A: 'attacker' };
/** Each fault as a sentence about who committed it (a drone, or its team for team faults). */
const FAULTS: Readonly<Record<string, (who: string, team: string) => string>> = {
  'double-touch': (who) => `${who} touched the ball twice`,
  'too-many-touches': (who) => `${who} made a touch too many`,
  'reach-over': (who) => `${who} reached over the net`,
  'body-hit': (who) => `the ball hit ${who}'s body`,
  'net-cross': (who) => `${who} crossed the net`,
  crash: (who) => `${who} crashed into the ground`,
  collision: (who) => `${who} collided with another drone`,
  'own-half': (_who, team) => `the ball landed in ${team}'s half`,
  out: (_who, team) => `${team} hit the ball out`,
  net: (_who, team) => `${team} hit the ball into the net`,
};

// Layout: one x scale for both views, the side view right under the top view.
const WIDTH = 760;
const SCALE = 46; // px per metre
const X_RANGE = 7; // metres either side of the net: the 6 m halves and 1 m outside
const Y_RANGE = 4;
const Z_RANGE = 4.6;
const HEADER = 58;
const TOP_Y0 = HEADER + 8;
const TOP_H = 2 * Y_RANGE * SCALE;
const SIDE_Y0 = TOP_Y0 + TOP_H + 30;
const SIDE_GROUND = 14; // px of ground under the side view's z = 0
const SIDE_H = Z_RANGE * SCALE + SIDE_GROUND;
const HEIGHT = SIDE_Y0 + SIDE_H + 14;
/** Drones and ball are drawn larger than life so that role letters and the ball read at 46 px per metre. */
const GLYPH = 1.5;
const TOP_GLYPH = 2;

const px = (x: number): number => WIDTH / 2 + x * SCALE;
const topY = (y: number): number => TOP_Y0 + TOP_H / 2 - y * SCALE;
const sideY = (z: number): number => SIDE_Y0 + SIDE_H - SIDE_GROUND - z * SCALE;

function parse(render: unknown): DroneRender | null {
  const r = render as Partial<DroneRender> | null;
  if (!r || !r.court || !r.ball || !Array.isArray(r.drones)) return null;
  return r as DroneRender;
}

/** Body axes of a unit quaternion (w, x, y, z) in world coordinates: forward (x), left (y), up (z). */
function axes(q: readonly number[]): { f: Vec3; l: Vec3; u: Vec3 } {
  const [w = 1, x = 0, y = 0, z = 0] = q;
  return {
    f: [1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)],
    l: [2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x)],
    u: [2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)],
  };
}

const add = (a: Vec3, b: Vec3, k = 1): Vec3 => [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]];

function draw(ctx: CanvasRenderingContext2D, render: unknown): void {
  ctx.fillStyle = '#0f172a';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  const r = parse(render);
  if (!r) {
    text(ctx, 'Waiting for the serve…', WIDTH / 2, HEIGHT / 2, 18, '#c7d2fe');
    describeCanvas(ctx, 'Drone volleyball: waiting for the match');
    return;
  }
  const n = Math.max(1, r.drones.length / 2);
  const result = resultLines(r, n);
  drawHeader(ctx, r, n, result);
  drawTopView(ctx, r, n);
  drawSideView(ctx, r, n);
  const b = r.ball.pos;
  describeCanvas(
    ctx,
    `Drone volleyball, ${n}v${n}, ${r.time.toFixed(2)} s: ball at (${b.map((v) => v.toFixed(1)).join(', ')}) over ${TEAM_NAMES[r.possession]}'s half, ` +
      `${r.touches} touch${r.touches === 1 ? '' : 'es'}` + (result ? `. ${result.join(': ')}` : ''),
  );
}

/** Two lines across the top: the state of the rally (or its result) and the details (time, touches, hits). */
function drawHeader(ctx: CanvasRenderingContext2D, r: DroneRender, n: number, result: [string, string] | null): void {
  const left = Math.max(0, r.maxSteps - r.step) / 100;
  const hits = r.hits ?? [0, 0];
  if (result) {
    text(ctx, result[0], WIDTH / 2, 20, 19, r.winner === 0 || r.winner === 1 ? TEAM_COLORS[r.winner] : '#ffffff');
    text(ctx, result[1], WIDTH / 2, 43, 13, '#e0e7ff');
    return;
  }
  let state: string;
  if (r.serving === null) state = 'Drawing the serve…';
  else if (r.serve) state = `${TEAM_NAMES[r.serving]} serves`;
  else state = `Ball on ${TEAM_NAMES[r.possession]}'s side · touch ${r.touches} of 3`;
  text(ctx, state, WIDTH / 2, 20, 17, '#ffffff');
  text(ctx, `${left.toFixed(1)} s left`, 20, 20, 14, '#c7d2fe', 'left');
  const a = `A ${hits[0] ?? 0} hit${hits[0] === 1 ? '' : 's'}`;
  const b = `B ${hits[1] ?? 0} hit${hits[1] === 1 ? '' : 's'}`;
  ctx.font = font(13);
  const bw = ctx.measureText(b).width;
  text(ctx, b, WIDTH - 20, 20, 13, TEAM_COLORS[1], 'right');
  text(ctx, a, WIDTH - 34 - bw, 20, 13, TEAM_COLORS[0], 'right');
  const last = r.drones.find((d) => d.seat === r.lastHitter);
  text(ctx, last ? `last touch: ${droneName(last, n)}` : 'no touch yet', WIDTH / 2, 43, 12, 'rgba(199, 210, 254, 0.75)');
}

function drawTopView(ctx: CanvasRenderingContext2D, r: DroneRender, n: number): void {
  const L = r.court.length / 2;
  const W = r.court.width / 2;
  // The free zone around the court, then the court.
  ctx.fillStyle = '#1b2a44';
  roundRect(ctx, px(-X_RANGE), TOP_Y0, 2 * X_RANGE * SCALE, TOP_H, 12);
  ctx.fill();
  ctx.fillStyle = '#25476f';
  ctx.fillRect(px(-L), topY(W), 2 * L * SCALE, 2 * W * SCALE);
  ctx.strokeStyle = 'rgba(226, 232, 240, 0.85)';
  ctx.lineWidth = 2;
  ctx.strokeRect(px(-L), topY(W), 2 * L * SCALE, 2 * W * SCALE);
  ctx.strokeStyle = 'rgba(226, 232, 240, 0.3)';
  ctx.lineWidth = 1;
  for (const x of [-3, 3]) line(ctx, px(x), topY(W), px(x), topY(-W)); // attack lines, 3 m from the net
  text(ctx, 'TEAM A', px(-L / 2), topY(W) + 14, 11, TEAM_COLORS[0]);
  text(ctx, 'TEAM B', px(L / 2), topY(W) + 14, 11, TEAM_COLORS[1]);
  // The net, seen from above.
  ctx.strokeStyle = '#f8fafc';
  ctx.lineWidth = 4;
  line(ctx, px(0), topY(W + 0.3), px(0), topY(-W - 0.3));
  ctx.fillStyle = '#f8fafc';
  for (const y of [W + 0.3, -W - 0.3]) dot(ctx, px(0), topY(y), 4);

  const ball = r.ball.pos;
  const faulty = new Set(r.faults.filter((f) => f.seat >= 0).map((f) => f.seat));
  // Drones lower than the ball first, so the higher one is on top.
  for (const d of [...r.drones].sort((a, b) => a.pos[2] - b.pos[2])) {
    drawDrone(ctx, d, n, r.lastHitter === d.seat, faulty.has(d.seat), (p) => [px(p[0]), topY(p[1])], true);
  }
  // Ball: its ground shadow, then the ball, larger and lighter the higher it is.
  const h = Math.max(0, ball[2]);
  ctx.fillStyle = 'rgba(0, 0, 0, 0.35)';
  ctx.beginPath();
  ctx.ellipse(px(ball[0]), topY(ball[1]), 6, 4, 0, 0, Math.PI * 2);
  ctx.fill();
  const radius = BALL_RADIUS * SCALE * GLYPH * (1 + Math.min(h, 6) / 6);
  const light = Math.round(40 + Math.min(h, 5) * 9);
  ctx.fillStyle = `hsl(24, 95%, ${light}%)`;
  dot(ctx, px(ball[0]), topY(ball[1]), radius);
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.arc(px(ball[0]), topY(ball[1]), radius, 0, Math.PI * 2);
  ctx.stroke();
  const v = r.ball.vel;
  if (Math.hypot(v[0], v[1]) > 0.2) {
    ctx.strokeStyle = 'rgba(251, 146, 60, 0.8)';
    ctx.setLineDash([4, 4]);
    line(ctx, px(ball[0]), topY(ball[1]), px(ball[0] + v[0] * 0.25), topY(ball[1] + v[1] * 0.25));
    ctx.setLineDash([]);
  }
  text(ctx, `${h.toFixed(1)} m`, px(ball[0]) + radius + 4, topY(ball[1]) - radius - 4, 11, '#fed7aa', 'left');
}

function drawSideView(ctx: CanvasRenderingContext2D, r: DroneRender, n: number): void {
  const L = r.court.length / 2;
  text(ctx, 'SIDE VIEW', px(-X_RANGE) + 2, SIDE_Y0 - 12, 11, 'rgba(199, 210, 254, 0.7)', 'left');
  ctx.save();
  roundRect(ctx, px(-X_RANGE), SIDE_Y0, 2 * X_RANGE * SCALE, SIDE_H, 12);
  ctx.clip();
  const sky = ctx.createLinearGradient(0, SIDE_Y0, 0, sideY(0));
  sky.addColorStop(0, '#172554');
  sky.addColorStop(1, '#1e3a8a');
  ctx.fillStyle = sky;
  ctx.fillRect(px(-X_RANGE), SIDE_Y0, 2 * X_RANGE * SCALE, SIDE_H);
  // Ground: the free zone, and the court in its halves' team colours.
  ctx.fillStyle = '#1b2a44';
  ctx.fillRect(px(-X_RANGE), sideY(0), 2 * X_RANGE * SCALE, SIDE_GROUND);
  ctx.fillStyle = '#25476f';
  ctx.fillRect(px(-L), sideY(0), 2 * L * SCALE, SIDE_GROUND);
  ctx.fillStyle = TEAM_COLORS[0];
  ctx.fillRect(px(-L), sideY(0), L * SCALE, 3);
  ctx.fillStyle = TEAM_COLORS[1];
  ctx.fillRect(px(0), sideY(0), L * SCALE, 3);
  ctx.restore();
  // Height marks every metre.
  ctx.strokeStyle = 'rgba(199, 210, 254, 0.12)';
  ctx.lineWidth = 1;
  for (let z = 1; z < Z_RANGE; z++) {
    line(ctx, px(-X_RANGE) + 30, sideY(z), px(X_RANGE) - 8, sideY(z));
    text(ctx, `${z} m`, px(-X_RANGE) + 6, sideY(z), 10, 'rgba(199, 210, 254, 0.5)', 'left');
  }
  // The net: a mesh from the ground to its top band.
  const top = sideY(r.court.netHeight);
  ctx.fillStyle = 'rgba(248, 250, 252, 0.12)';
  ctx.fillRect(px(0) - 3, top, 6, sideY(0) - top);
  ctx.strokeStyle = 'rgba(248, 250, 252, 0.35)';
  for (let y = top + 6; y < sideY(0); y += 6) line(ctx, px(0) - 3, y, px(0) + 3, y);
  ctx.fillStyle = '#f8fafc';
  ctx.fillRect(px(0) - 4, top - 2, 8, 5);
  text(ctx, `${r.court.netHeight} m`, px(0) + 8, top - 8, 10, 'rgba(248, 250, 252, 0.7)', 'left');

  const faulty = new Set(r.faults.filter((f) => f.seat >= 0).map((f) => f.seat));
  for (const d of r.drones) drawDrone(ctx, d, n, r.lastHitter === d.seat, faulty.has(d.seat), (p) => [px(p[0]), sideY(p[2])], false);
  const ball = r.ball.pos;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.4)';
  ctx.beginPath();
  ctx.ellipse(px(ball[0]), sideY(0), 5, 2, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#f97316';
  dot(ctx, px(ball[0]), sideY(ball[2]), BALL_RADIUS * SCALE * GLYPH);
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  ctx.arc(px(ball[0]), sideY(ball[2]), BALL_RADIUS * SCALE * GLYPH, 0, Math.PI * 2);
  ctx.stroke();
}

/**
 * One drone projected by `project`: its racket disk (an ellipse through the body axes), four rotors on the arms,
 * the body in the team colour with the role letter (top view), a ring for the last hitter and a red one at fault.
 */
function drawDrone(
  ctx: CanvasRenderingContext2D,
  d: Drone,
  n: number,
  lastHitter: boolean,
  atFault: boolean,
  project: (p: Vec3) => [number, number],
  top: boolean,
): void {
  const glyph = top ? TOP_GLYPH : GLYPH;
  const { f, l, u } = axes(d.quat);
  const color = TEAM_COLORS[d.team] ?? '#94a3b8';
  const c = project(d.pos);
  // Racket: a disk about the body's up axis, RACKET_OFFSET above the centre.
  const rc = add(d.pos, u, RACKET_OFFSET * glyph);
  ctx.beginPath();
  for (let k = 0; k <= 24; k++) {
    const a = (k / 24) * Math.PI * 2;
    const p = project(add(add(rc, f, Math.cos(a) * RACKET_RADIUS * glyph), l, Math.sin(a) * RACKET_RADIUS * glyph));
    if (k === 0) ctx.moveTo(p[0], p[1]);
    else ctx.lineTo(p[0], p[1]);
  }
  ctx.closePath();
  ctx.fillStyle = 'rgba(226, 232, 240, 0.22)';
  ctx.fill();
  ctx.strokeStyle = 'rgba(226, 232, 240, 0.75)';
  ctx.lineWidth = 1.5;
  ctx.stroke();
  // Arms and rotors.
  ctx.strokeStyle = 'rgba(15, 23, 42, 0.85)';
  ctx.lineWidth = 2.5;
  for (const [sx, sy] of [[1, 1], [1, -1], [-1, 1], [-1, -1]] as const) {
    const p = project(add(add(d.pos, f, sx * ARM_XY * glyph), l, sy * ARM_XY * glyph));
    line(ctx, c[0], c[1], p[0], p[1]);
    ctx.fillStyle = sx > 0 ? '#e2e8f0' : '#94a3b8'; // front rotors light: shows the heading
    dot(ctx, p[0], p[1], 3);
  }
  const bodyR = Math.max(top ? 9 : 6, BODY_RADIUS * SCALE * glyph);
  ctx.fillStyle = color;
  dot(ctx, c[0], c[1], bodyR);
  if (d.touched || lastHitter) {
    ctx.strokeStyle = lastHitter ? '#ffffff' : 'rgba(255, 255, 255, 0.5)';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(c[0], c[1], bodyR + 3, 0, Math.PI * 2);
    ctx.stroke();
  }
  if (atFault) {
    ctx.strokeStyle = '#ef4444';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(c[0], c[1], bodyR + 7, 0, Math.PI * 2);
    ctx.stroke();
  }
  if (top) text(ctx, roleLetter(d, n), c[0], c[1] + 0.5, 11, '#0f172a');
}

function roleLetter(d: Drone, n: number): string {
  if (n === 1) return d.team === 0 ? 'A' : 'B';
  return ROLES[n]?.[d.index] ?? String(d.index + 1);
}

function droneName(d: Drone, n: number): string {
  return `${TEAM_NAMES[d.team]}'s ${n === 1 ? 'drone' : (ROLE_NAMES[roleLetter(d, n)] ?? `drone ${d.index + 1}`)}`;
}

/** The result and its reason, once the rally is over. */
function resultLines(r: DroneRender, n: number): [string, string] | null {
  if (r.winner === null) return null;
  if (r.end === 'timeout') return ['Draw', 'time ran out before a fault'];
  const reasons = r.faults.map((f) => {
    const d = r.drones.find((x) => x.seat === f.seat);
    const team = TEAM_NAMES[f.team];
    const sentence = FAULTS[f.type] ?? ((who: string) => `${who}: ${f.type}`);
    return sentence(d ? droneName(d, n) : team, team);
  });
  const why = [...new Set(reasons)].join('; ');
  const first = why.charAt(0).toUpperCase() + why.slice(1);
  if (r.winner === -1) return ['Draw', first || 'Both teams faulted'];
  return [`${TEAM_NAMES[r.winner]} wins the rally`, first];
}

function font(size: number): string {
  return `700 ${size}px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`;
}

function text(ctx: CanvasRenderingContext2D, s: string, x: number, y: number, size: number, color: string, align: CanvasTextAlign = 'center'): void {
  ctx.font = font(size);
  ctx.textAlign = align;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = color;
  ctx.fillText(s, x, y);
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, radius: number): void {
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, Math.PI * 2);
  ctx.fill();
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, radius: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, radius);
}

/** The canvas's accessible description (screen readers, tests), rewritten only when it changes. */
function describeCanvas(ctx: CanvasRenderingContext2D, s: string): void {
  const el = ctx.canvas;
  if (el.getAttribute('aria-label') === s) return;
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', s);
}

const HOVER: readonly number[] = [HOVER_COMMAND, HOVER_COMMAND, HOVER_COMMAND, HOVER_COMMAND];

const view: RealtimeCanvasView = {
  kind: 'realtime-canvas',
  width: WIDTH,
  height: HEIGHT,
  draw: (ctx, render) => draw(ctx, render),
  action: () => HOVER,
  controls: 'Top view above, side view below · white ring: last touch · red ring: the fault',
};

/** Differences of rotor commands below this read as level flight in replay captions. */
const STEADY = 0.03;

/**
 * Rotor commands in words for replay captions: the mean against the hover command (climb or sink), and the
 * differences that tilt or turn the drone, from the rotor layout (a rotor behind the centre pitches the nose
 * down, one on the right rolls left, one spinning clockwise turns it left).
 */
function describe(action: ActionValue | null, seat: number): string {
  if (seat < 0) return typeof action === 'number' ? `${TEAM_NAMES[action as 0 | 1] ?? 'a team'} serves` : 'draws the serve';
  if (!Array.isArray(action) || action.length !== 4) return 'waits';
  const c = action.map(Number);
  const mean = c.reduce((a, b) => a + b, 0) / 4;
  const axis = (weight: (rotor: readonly [number, number, number]) => number): number => ROTORS.reduce((sum, rotor, i) => sum + (c[i] ?? 0) * weight(rotor), 0) / 2;
  const words = [mean > HOVER_COMMAND + STEADY ? 'climbs' : mean < HOVER_COMMAND - STEADY ? 'sinks' : 'hovers'];
  const pitch = axis(([x]) => -Math.sign(x));
  const roll = axis(([, y]) => -Math.sign(y));
  const yaw = axis(([, , spin]) => -spin);
  if (Math.abs(pitch) > STEADY) words.push(pitch > 0 ? 'pitches forward' : 'pitches back');
  if (Math.abs(roll) > STEADY) words.push(roll > 0 ? 'rolls left' : 'rolls right');
  if (Math.abs(yaw) > STEADY) words.push(yaw > 0 ? 'turns left' : 'turns right');
  return words.join(', ');
}

function Icon(): JSX.Element {
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <rect x="2" y="4" width="76" height="58" rx="8" fill="#1f3a5f" />
      <rect x="8" y="12" width="64" height="42" rx="2" fill="none" stroke="#e2e8f0" stroke-width="1.5" />
      <path d="M40 8v50" stroke="#f8fafc" stroke-width="3" />
      {[
        [22, 24, '#e11d48'],
        [24, 42, '#e11d48'],
        [57, 30, '#eab308'],
      ].map(([x, y, c], i) => (
        <g key={i}>
          <path d={`M${Number(x) - 6} ${Number(y) - 6}l12 12M${Number(x) + 6} ${Number(y) - 6}l-12 12`} stroke="#0f172a" stroke-width="2" />
          <circle cx={x} cy={y} r="5" fill={String(c)} />
        </g>
      ))}
      <circle cx="47" cy="20" r="3.5" fill="#f97316" stroke="#fff" stroke-width="1" />
    </svg>
  );
}

export const droneVolleyballView: GameViewEntry = {
  id: 'drone-volleyball',
  view,
  seatLabel: (seat) => `Drone ${seat + 1}`,
  describe,
  hint: 'watch: agents fly the drones',
  Icon,
};
