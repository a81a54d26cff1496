/**
 * Slime volleyball on a canvas, drawn like slimevolleygym (the court 48 units across, the fence in the middle,
 * half-disc slimes whose eye follows the ball) in the app's seat colours: seat 0 is the right slime, seat 1 the
 * left one. Keys: left/right arrows or A/D move, up arrow, W or Space jump; they become the game's button
 * vector [forward, backward, jump], where forward is toward the fence, so the same key moves the same way on
 * screen from either side.
 *
 * Render data (environments/physics/slime-volleyball.ts): `court` {width, height, ground, fenceWidth,
 * fenceHeight}, `ball` and `slimes[seat]` {x, y, vx, vy, r} (slimes also `side`, `lives`), `tick`, `maxSteps`,
 * `maxLives`, `serving`, `terminal`, `returns`. Court units: x = 0 at the fence, y up from the bottom of the window.
 */
import type { ActionValue } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import type { GameViewEntry, RealtimeCanvasView } from './types';

interface Body {
  readonly x: number;
  readonly y: number;
  readonly vx: number;
  readonly vy: number;
  readonly r: number;
}
interface Slime extends Body {
  readonly lives: number;
}
interface SlimeRender {
  readonly court: { readonly width: number; readonly ground: number; readonly fenceWidth: number; readonly fenceHeight: number };
  readonly ball: Body;
  readonly slimes: readonly [Slime, Slime];
  readonly tick: number;
  readonly maxSteps: number;
  /** Lives each side started with (the lost ones are drawn as empty rings). */
  readonly maxLives: number;
  readonly serving: boolean;
  readonly terminal: boolean;
  readonly returns: readonly number[];
}

const TICK_HZ = 30;
/**
 * Canvas size in CSS pixels, 15 px per court unit: the court's 48 units across and the lower 26.7 of its 48 up
 * (slimevolleygym shows 32); a ball above the window is marked on its top edge.
 */
const WIDTH = 720;
const HEIGHT = 400;
const SEAT_COLORS = ['#e11d48', '#eab308'] as const;
const SIDE_NAMES = ['Right', 'Left'] as const;
/** Gravity of the game (court units / s^2), only to carry the ball between two ticks (see `extrapolated`). */
const GRAVITY = -29.4;

function parse(render: unknown): SlimeRender | null {
  const r = render as Partial<SlimeRender> | null;
  if (!r || !r.court || !r.ball || !Array.isArray(r.slimes) || r.slimes.length !== 2) return null;
  return r as SlimeRender;
}

/**
 * When each render object was first drawn, and whether it came as part of a live stream (less than a few ticks
 * after the one before). The server sends 30 states a second and the screen shows 60 or more frames: between two
 * streamed states the bodies are carried forward along their velocities (at most one tick), so motion looks
 * continuous instead of stepping every other frame. A state on its own (a replay step, a stalled connection) is
 * drawn exactly as sent.
 */
const arrivals = new WeakMap<object, { readonly at: number; readonly streamed: boolean }>();
let lastArrival = Number.NEGATIVE_INFINITY;
const TICK_S = 1 / TICK_HZ;

function sinceArrival(render: object, now: number): number {
  let a = arrivals.get(render);
  if (a === undefined) {
    a = { at: now, streamed: now - lastArrival < 2.5 * TICK_S * 1000 };
    arrivals.set(render, a);
    lastArrival = now;
  }
  const s = (now - a.at) / 1000;
  return a.streamed && s <= 3 * TICK_S ? Math.min(s, TICK_S) : 0;
}

function extrapolated(b: Body, dt: number, ground: number, gravity: number): { x: number; y: number } {
  if (dt === 0) return { x: b.x, y: b.y };
  const y = b.y + b.vy * dt + 0.5 * gravity * dt * dt;
  return { x: b.x + b.vx * dt, y: Math.max(ground, y) };
}

function draw(ctx: CanvasRenderingContext2D, render: unknown, seat: number | null): void {
  const r = parse(render);
  const scale = WIDTH / (r?.court.width ?? 48);
  const sx = (x: number): number => WIDTH / 2 + x * scale;
  const sy = (y: number): number => HEIGHT - y * scale;
  const ground = r?.court.ground ?? 1.5;

  // Sky and ground.
  const sky = ctx.createLinearGradient(0, 0, 0, HEIGHT);
  sky.addColorStop(0, '#111827');
  sky.addColorStop(0.55, '#1e1b4b');
  sky.addColorStop(1, '#3730a3');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.05)';
  for (let i = 0; i < 24; i++) ctx.fillRect((i * 977) % WIDTH, (i * 613) % (HEIGHT * 0.55), 2, 2); // a few fixed stars
  ctx.fillStyle = '#334155';
  ctx.fillRect(0, sy(ground), WIDTH, HEIGHT - sy(ground));
  ctx.fillStyle = '#64748b';
  ctx.fillRect(0, sy(ground), WIDTH, 3);

  if (!r) {
    label(ctx, 'Waiting for the serve…', WIDTH / 2, HEIGHT / 2, 18, '#c7d2fe');
    describeCanvas(ctx, 'Slime volleyball: waiting for the match');
    return;
  }

  // Fence: a post from the ground to fenceHeight with a round top (the game's stub).
  const fw = r.court.fenceWidth * scale;
  ctx.fillStyle = '#e2e8f0';
  ctx.fillRect(sx(0) - fw / 2, sy(r.court.fenceHeight), fw, sy(ground) - sy(r.court.fenceHeight));
  ctx.beginPath();
  ctx.arc(sx(0), sy(r.court.fenceHeight), fw / 2, 0, Math.PI * 2);
  ctx.fill();

  const now = performance.now();
  const dt = r.terminal ? 0 : sinceArrival(r, now);
  const ballDt = r.serving ? 0 : dt; // the served ball hangs still until the serve delay ends
  const ball = extrapolated(r.ball, ballDt, ground + r.ball.r, GRAVITY);

  r.slimes.forEach((s, i) => {
    const p = extrapolated(s, dt, ground, GRAVITY);
    const dir = i === 0 ? 1 : -1;
    // At the end the loser looks down at the ground (slimevolleygym's "sad" eyes); otherwise eyes follow the ball.
    const sad = r.terminal && (r.returns[i] ?? 0) < 0;
    const look = sad ? { x: sx(p.x) - dir * scale, y: sy(p.y) + 3 * scale } : { x: sx(ball.x), y: sy(ball.y) };
    drawSlime(ctx, sx(p.x), sy(p.y), s.r * scale, SEAT_COLORS[i as 0 | 1], dir, look, seat === i);
  });

  // No ball once the game is over: the final state already holds the next serve's position.
  if (!r.terminal) drawBall(ctx, sx(ball.x), sy(ball.y), r.ball.r * scale, r.serving, now);

  // Lives in the top corners (each side over its own half), the time left in the middle.
  r.slimes.forEach((s, i) => {
    const right = i === 0;
    const name = seat === i ? 'You' : SIDE_NAMES[i as 0 | 1];
    const x0 = right ? WIDTH - 20 : 20;
    label(ctx, name, x0, 26, 13, seat === i ? '#ffffff' : '#c7d2fe', right ? 'right' : 'left');
    const total = Math.max(s.lives, r.maxLives ?? s.lives);
    for (let k = 0; k < total; k++) {
      const cx = right ? x0 - 7 - k * 18 : x0 + 7 + k * 18;
      ctx.beginPath();
      ctx.arc(cx, 44, 6, 0, Math.PI * 2);
      if (k < s.lives) {
        ctx.fillStyle = SEAT_COLORS[i as 0 | 1];
        ctx.fill();
      } else {
        ctx.strokeStyle = 'rgba(199, 210, 254, 0.45)';
        ctx.lineWidth = 1.5;
        ctx.stroke();
      }
    }
  });
  const left = Math.max(0, r.maxSteps - r.tick) / TICK_HZ;
  label(ctx, `${Math.floor(left / 60)}:${String(Math.floor(left % 60)).padStart(2, '0')}`, WIDTH / 2, 30, 16, '#e0e7ff');

  if (r.terminal) banner(ctx, resultText(r, seat));
  describeCanvas(
    ctx,
    `Slime volleyball, tick ${r.tick} of ${r.maxSteps}: right ${r.slimes[0].lives} lives at x ${r.slimes[0].x.toFixed(1)}, ` +
      `left ${r.slimes[1].lives} lives at x ${r.slimes[1].x.toFixed(1)}, ball at (${r.ball.x.toFixed(1)}, ${r.ball.y.toFixed(1)})` +
      (r.terminal ? `. ${resultText(r, seat)}` : ''),
  );
}

/** The ball (pulsing while it waits to be served), or a marker on the top edge while it flies above the window. */
function drawBall(ctx: CanvasRenderingContext2D, x: number, y: number, br: number, serving: boolean, now: number): void {
  if (y + br < 0) {
    ctx.fillStyle = '#fb923c';
    ctx.beginPath();
    ctx.moveTo(x, 4);
    ctx.lineTo(x - 7, 14);
    ctx.lineTo(x + 7, 14);
    ctx.fill();
    return;
  }
  if (serving) {
    const pulse = 0.5 + 0.5 * Math.sin(now / 160);
    ctx.strokeStyle = `rgba(251, 146, 60, ${0.25 + 0.35 * pulse})`;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(x, y, br + 5 + 3 * pulse, 0, Math.PI * 2);
    ctx.stroke();
  }
  const g = ctx.createRadialGradient(x - br * 0.35, y - br * 0.35, br * 0.1, x, y, br);
  g.addColorStop(0, '#fed7aa');
  g.addColorStop(1, '#ea580c');
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.arc(x, y, br, 0, Math.PI * 2);
  ctx.fill();
}

function resultText(r: SlimeRender, seat: number | null): string {
  const [a, b] = [r.returns[0] ?? 0, r.returns[1] ?? 0];
  if (a === b) return 'Draw';
  const winner = a > b ? 0 : 1;
  if (seat === 0 || seat === 1) return seat === winner ? 'You win!' : 'You lose';
  return `${SIDE_NAMES[winner]} wins`;
}

/** A half-disc slime with slimevolleygym's eye: white, 30 degrees off the top toward the fence, pupil toward `look`. */
function drawSlime(ctx: CanvasRenderingContext2D, x: number, y: number, radius: number, color: string, dir: 1 | -1, look: { x: number; y: number }, you: boolean): void {
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(x, y, radius, Math.PI, 0);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = shade(color); // a darker rim along the ground
  ctx.fillRect(x - radius, y - 3, 2 * radius, 3);

  // Screen y grows downward: the eye sits up and toward the fence (left for the right slime).
  const angle = dir === 1 ? (120 * Math.PI) / 180 : (60 * Math.PI) / 180;
  const ex = x + 0.6 * radius * Math.cos(angle);
  const ey = y - 0.6 * radius * Math.sin(angle);
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.arc(ex, ey, radius * 0.3, 0, Math.PI * 2);
  ctx.fill();
  const dx = look.x - ex;
  const dy = look.y - ey;
  const d = Math.hypot(dx, dy) || 1;
  ctx.fillStyle = '#0f172a';
  ctx.beginPath();
  ctx.arc(ex + (dx / d) * radius * 0.15, ey + (dy / d) * radius * 0.15, radius * 0.12, 0, Math.PI * 2);
  ctx.fill();

  if (you) {
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.moveTo(x, y - radius - 8);
    ctx.lineTo(x - 6, y - radius - 17);
    ctx.lineTo(x + 6, y - radius - 17);
    ctx.fill();
  }
}

function shade(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const f = (v: number): number => Math.round(v * 0.62);
  return `rgb(${f((n >> 16) & 255)}, ${f((n >> 8) & 255)}, ${f(n & 255)})`;
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, size: number, color: string, align: CanvasTextAlign = 'center'): void {
  ctx.font = `700 ${size}px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`;
  ctx.textAlign = align;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}

function banner(ctx: CanvasRenderingContext2D, text: string): void {
  ctx.fillStyle = 'rgba(15, 23, 42, 0.72)';
  ctx.fillRect(0, HEIGHT / 2 - 44, WIDTH, 88);
  label(ctx, text, WIDTH / 2, HEIGHT / 2, 34, '#ffffff');
}

/** The canvas's accessible description (screen readers, tests), rewritten only when it changes. */
function describeCanvas(ctx: CanvasRenderingContext2D, text: string): void {
  const el = ctx.canvas;
  if (el.getAttribute('aria-label') === text) return;
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', text);
}

/**
 * Keys to buttons. On screen the right slime's fence is to its left, so for seat 0 the left key is forward; for
 * the left slime (seat 1) the right key is. Both directions held cancel (as the game's own buttons do).
 */
function action(keys: ReadonlySet<string>, seat: number): ActionValue {
  const leftKey = keys.has('ArrowLeft') || keys.has('KeyA');
  const rightKey = keys.has('ArrowRight') || keys.has('KeyD');
  const jump = keys.has('ArrowUp') || keys.has('KeyW') || keys.has('Space');
  const [forward, backward] = seat === 0 ? [leftKey, rightKey] : [rightKey, leftKey];
  return [forward ? 1 : 0, backward ? 1 : 0, jump ? 1 : 0];
}

const view: RealtimeCanvasView = {
  kind: 'realtime-canvas',
  width: WIDTH,
  height: HEIGHT,
  draw,
  action,
  controls: '← → or A D to move · ↑, W or Space to jump',
};

const BUTTONS = ['forward', 'backward', 'jump'] as const;

function describe(action: ActionValue | null, seat: number): string {
  if (!Array.isArray(action)) return seat < 0 ? 'serves' : 'waits';
  if (seat < 0) return `serves (vx ${Number(action[0]).toFixed(2)}, vy ${Number(action[1]).toFixed(2)})`;
  const pressed = BUTTONS.filter((_, i) => action[i] === 1);
  return pressed.length === 0 ? 'stands still' : pressed.join(' + ');
}

function Icon(): JSX.Element {
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <defs>
        <linearGradient id="slime-sky" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stop-color="#1e1b4b" />
          <stop offset="1" stop-color="#4338ca" />
        </linearGradient>
      </defs>
      <rect x="2" y="4" width="76" height="58" rx="8" fill="url(#slime-sky)" />
      <rect x="2" y="50" width="76" height="12" fill="#334155" />
      <rect x="38.5" y="38" width="3" height="12" fill="#e2e8f0" />
      <path d="M10 50a11 11 0 0 1 22 0z" fill="#eab308" />
      <path d="M48 50a11 11 0 0 1 22 0z" fill="#e11d48" />
      <circle cx="27" cy="43" r="2.6" fill="#fff" />
      <circle cx="53" cy="43" r="2.6" fill="#fff" />
      <circle cx="44" cy="20" r="4.5" fill="#f97316" />
    </svg>
  );
}

export const slimeVolleyballView: GameViewEntry = {
  id: 'slime-volleyball',
  view,
  seatLabel: (seat) => (seat === 0 ? 'Right slime' : seat === 1 ? 'Left slime' : `Seat ${seat + 1}`),
  describe,
  hint: 'arrows or A/D move, ↑/W/Space jumps',
  Icon,
};
