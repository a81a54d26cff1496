/**
 * Overcooked: the kitchen drawn from the layout grid (counters, onion and dish dispensers, pots showing their
 * onions and cooking progress, the serving window), the items on counters, both cooks in their seat colours
 * facing their way and carrying what they hold, and the score, soups and time left. Both cooks move at once each
 * step; you play with the arrow keys (or WASD) and Space to interact (X stays put), or the buttons under the board.
 *
 * Render data (environments/cooperative/overcooked.ts): `width`, `height`, `grid` rows (X counter, O onion
 * dispenser, D dish dispenser, P pot, S serving window, space floor), `players` [{x, y, facing N/S/E/W, held}],
 * `items` [{x, y, item}], `pots` [{x, y, onions, cookTime, ready}], `tick`, `horizon`, `soups`, `score`,
 * `lastReward`. Actions: 0 north, 1 south, 2 east, 3 west, 4 stay, 5 interact.
 */
import type { ActionValue } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import './overcooked.css';
import { legalIds, useKeys } from './keys';
import type { BoardProps, GameViewEntry } from './types';

type Facing = 'N' | 'S' | 'E' | 'W';
type Item = 'onion' | 'dish' | 'soup';
interface Cook {
  readonly x: number;
  readonly y: number;
  readonly facing: Facing;
  readonly held: Item | null;
}
interface Pot {
  readonly x: number;
  readonly y: number;
  readonly onions: number;
  readonly cookTime: number;
  readonly ready: boolean;
}
interface OvercookedRender {
  readonly width: number;
  readonly height: number;
  readonly grid: readonly string[];
  readonly players: readonly Cook[];
  readonly items: readonly { readonly x: number; readonly y: number; readonly item: Item }[];
  readonly pots: readonly Pot[];
  readonly tick: number;
  readonly horizon: number;
  readonly soups: number;
  readonly score: number;
  readonly lastReward: number;
}

/** Action ids, in the game's (Overcooked-AI's) order. */
const NORTH = 0;
const SOUTH = 1;
const EAST = 2;
const WEST = 3;
const STAY = 4;
const INTERACT = 5;
const ACTION_WORDS = ['moves north', 'moves south', 'moves east', 'moves west', 'stays', 'interacts'] as const;
const KEYS: Readonly<Record<string, number>> = {
  ArrowUp: NORTH,
  w: NORTH,
  ArrowDown: SOUTH,
  s: SOUTH,
  ArrowRight: EAST,
  d: EAST,
  ArrowLeft: WEST,
  a: WEST,
  x: STAY,
  ' ': INTERACT,
  e: INTERACT,
};
const STEP: Readonly<Record<Facing, readonly [number, number]>> = { N: [0, -1], S: [0, 1], E: [1, 0], W: [-1, 0] };
/** Cook time of a full pot (COOK_TIME in the rules): the progress ring's full turn. */
const COOK_TIME = 20;
const SEAT_COLORS = ['#e11d48', '#eab308'] as const;
const C = 100; // SVG units per cell

function parse(render: unknown): OvercookedRender | null {
  const r = render as Partial<OvercookedRender> | null;
  if (!r || !Array.isArray(r.grid) || !Array.isArray(r.players) || typeof r.width !== 'number') return null;
  return r as OvercookedRender;
}

function Board({ render, seat, turn, act }: BoardProps): JSX.Element {
  const r = parse(render);
  const legal = legalIds(turn?.legalActions);
  const canAct = act !== null && legal.size > 0;
  const send = (a: number): void => {
    if (canAct && legal.has(a)) act(a);
  };
  // Listening all the time (not only while a turn is pending): a key pressed right as the turn arrives, before a
  // listener switched on by it would be attached, still counts.
  useKeys(true, (key) => {
    const a = KEYS[key.length === 1 ? key.toLowerCase() : key];
    if (a === undefined || !canAct) return false;
    send(a);
    return true;
  });
  if (!r) return <div class="overcooked" data-testid="board" data-game="overcooked" />;
  const left = Math.max(0, r.horizon - r.tick);
  const potAt = new Map(r.pots.map((p) => [`${p.x},${p.y}`, p]));
  const itemAt = new Map(r.items.map((it) => [`${it.x},${it.y}`, it.item]));

  return (
    <div class="overcooked" data-testid="board" data-game="overcooked" style={{ '--oc-cols': r.width }}>
      <div class="oc-hud">
        <div class="oc-score" data-score={r.score}>
          <span class="oc-hud-label">Score</span>
          <b>{r.score}</b>
          {r.lastReward > 0 && <span class="oc-bump">+{r.lastReward}</span>}
        </div>
        <div>
          <span class="oc-hud-label">Soups</span>
          <b>{r.soups}</b>
        </div>
        <div class="oc-time">
          <span class="oc-hud-label">Steps left</span>
          <b>{left}</b>
          <span class="oc-bar" aria-hidden="true">
            <span style={{ width: `${(100 * left) / Math.max(1, r.horizon)}%` }} />
          </span>
        </div>
      </div>
      <svg class="oc-kitchen" viewBox={`0 0 ${r.width * C} ${r.height * C}`} role="img" aria-label={describeKitchen(r, seat)}>
        {r.grid.map((row, y) =>
          [...row].map((ch, x) => <Tile key={`${x},${y}`} ch={ch} x={x} y={y} pot={potAt.get(`${x},${y}`)} item={itemAt.get(`${x},${y}`)} />),
        )}
        {r.players.map((p, i) => (
          <CookGlyph key={i} cook={p} seat={i} you={seat === i} waiting={canAct && seat === i} />
        ))}
      </svg>
      {act !== null && (
        <div class="oc-controls" role="group" aria-label="Your move">
          <div class="oc-pad">
            <PadButton label="North" symbol="↑" cls="oc-n" action={NORTH} send={send} disabled={!canAct} />
            <PadButton label="West" symbol="←" cls="oc-w" action={WEST} send={send} disabled={!canAct} />
            <PadButton label="Stay" symbol="·" cls="oc-stay" action={STAY} send={send} disabled={!canAct} kbd="X" />
            <PadButton label="East" symbol="→" cls="oc-e" action={EAST} send={send} disabled={!canAct} />
            <PadButton label="South" symbol="↓" cls="oc-s" action={SOUTH} send={send} disabled={!canAct} />
          </div>
          <button
            type="button"
            class="btn btn-primary oc-interact"
            data-action={INTERACT}
            disabled={!canAct}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => send(INTERACT)}
          >
            Interact <kbd>Space</kbd>
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * A direction button. It never takes the focus (mouse down is swallowed), so Space keeps meaning "interact"
 * instead of clicking the last button pressed again.
 */
function PadButton({ label, symbol, cls, action, send, disabled, kbd }: {
  readonly label: string;
  readonly symbol: string;
  readonly cls: string;
  readonly action: number;
  readonly send: (a: number) => void;
  readonly disabled: boolean;
  readonly kbd?: string;
}): JSX.Element {
  return (
    <button type="button" class={`btn btn-secondary oc-pad-btn ${cls}`} data-action={action} aria-label={label} disabled={disabled} onMouseDown={(e) => e.preventDefault()} onClick={() => send(action)}>
      {symbol}
      {kbd && <kbd>{kbd}</kbd>}
    </button>
  );
}

function Tile({ ch, x, y, pot, item }: { readonly ch: string; readonly x: number; readonly y: number; readonly pot: Pot | undefined; readonly item: Item | undefined }): JSX.Element {
  const gx = x * C;
  const gy = y * C;
  if (ch === ' ') {
    return <rect x={gx} y={gy} width={C} height={C} class={`oc-floor ${(x + y) % 2 === 0 ? 'oc-floor-a' : 'oc-floor-b'}`} />;
  }
  const kind = ch === 'O' ? 'onions' : ch === 'D' ? 'dishes' : ch === 'P' ? 'pot' : ch === 'S' ? 'serve' : 'counter';
  return (
    <g class={`oc-tile oc-tile-${kind}`} data-cell={`${x},${y}`} data-kind={kind}>
      <rect x={gx + 2} y={gy + 2} width={C - 4} height={C - 4} rx="10" class="oc-counter-top" />
      {kind === 'onions' && (
        <>
          <rect x={gx + 14} y={gy + 18} width={C - 28} height={C - 36} rx="8" class="oc-crate" />
          <OnionGlyph cx={gx + 36} cy={gy + 46} r={11} />
          <OnionGlyph cx={gx + 62} cy={gy + 46} r={11} />
          <OnionGlyph cx={gx + 49} cy={gy + 62} r={11} />
        </>
      )}
      {kind === 'dishes' && (
        <>
          {[0, 1, 2].map((k) => (
            <ellipse key={k} cx={gx + 50} cy={gy + 62 - k * 9} rx="28" ry="11" class="oc-plate" />
          ))}
        </>
      )}
      {kind === 'serve' && (
        <>
          <rect x={gx + 10} y={gy + 10} width={C - 20} height={C - 20} rx="8" class="oc-window" />
          {/* A serving cloche: dome, knob and plate. */}
          <path d={`M${gx + 28} ${gy + 68}a22 22 0 0 1 44 0z`} class="oc-cloche" />
          <circle cx={gx + 50} cy={gy + 43} r="4" class="oc-cloche" />
          <path d={`M${gx + 22} ${gy + 72}h56`} class="oc-cloche-base" />
          <text x={gx + 50} y={gy + 30} class="oc-window-text">
            SERVE
          </text>
        </>
      )}
      {kind === 'pot' && pot && <PotGlyph pot={pot} gx={gx} gy={gy} />}
      {item && <ItemGlyph item={item} cx={gx + 50} cy={gy + 50} />}
    </g>
  );
}

function PotGlyph({ pot, gx, gy }: { readonly pot: Pot; readonly gx: number; readonly gy: number }): JSX.Element {
  const cx = gx + 50;
  const cy = gy + 52;
  const cooking = pot.onions >= 3 && !pot.ready;
  const progress = Math.min(1, pot.cookTime / COOK_TIME);
  const ring = 2 * Math.PI * 40;
  return (
    <g class={`oc-pot ${pot.ready ? 'is-ready' : cooking ? 'is-cooking' : ''}`} data-onions={pot.onions} data-cook={pot.cookTime} data-ready={pot.ready ? 'true' : 'false'}>
      <circle cx={cx} cy={cy} r="40" class="oc-ring-bg" />
      {(cooking || pot.ready) && (
        <circle cx={cx} cy={cy} r="40" class="oc-ring" stroke-dasharray={`${ring * progress} ${ring}`} transform={`rotate(-90 ${cx} ${cy})`} />
      )}
      <circle cx={cx} cy={cy} r="31" class="oc-pot-body" />
      <circle cx={cx} cy={cy} r="24" class={pot.onions >= 3 ? 'oc-soup' : 'oc-pot-inside'} />
      {pot.onions < 3 &&
        Array.from({ length: pot.onions }, (_, k) => <OnionGlyph key={k} cx={cx - 10 + k * 10} cy={cy + (k === 1 ? -7 : 5)} r={10} />)}
      {cooking && (
        <text x={cx} y={cy + 7} class="oc-pot-text">
          {Math.max(0, COOK_TIME - pot.cookTime)}
        </text>
      )}
      {pot.ready && (
        <text x={cx} y={cy + 7} class="oc-pot-text">
          ✓
        </text>
      )}
    </g>
  );
}

function OnionGlyph({ cx, cy, r }: { readonly cx: number; readonly cy: number; readonly r: number }): JSX.Element {
  return (
    <g class="oc-onion">
      <path d={`M${cx} ${cy - r * 0.9}q${r * 0.3} ${-r * 0.6} ${r * 0.7} ${-r * 0.7}`} class="oc-sprout" />
      <circle cx={cx} cy={cy} r={r} class="oc-onion-bulb" />
      <path d={`M${cx} ${cy - r}q${-r * 0.5} ${r} 0 ${2 * r}M${cx} ${cy - r}q${r * 0.5} ${r} 0 ${2 * r}`} class="oc-onion-line" />
    </g>
  );
}

function ItemGlyph({ item, cx, cy, small = false }: { readonly item: Item; readonly cx: number; readonly cy: number; readonly small?: boolean }): JSX.Element {
  const s = small ? 0.72 : 1;
  if (item === 'onion') return <OnionGlyph cx={cx} cy={cy} r={15 * s} />;
  return (
    <g class={`oc-item oc-item-${item}`} data-item={item}>
      <circle cx={cx} cy={cy} r={24 * s} class="oc-plate" />
      <circle cx={cx} cy={cy} r={16 * s} class={item === 'soup' ? 'oc-soup' : 'oc-plate-inner'} />
    </g>
  );
}

function CookGlyph({ cook, seat, you, waiting }: { readonly cook: Cook; readonly seat: number; readonly you: boolean; readonly waiting: boolean }): JSX.Element {
  const cx = cook.x * C + 50;
  const cy = cook.y * C + 50;
  const [dx, dy] = STEP[cook.facing] ?? [0, 1];
  const color = SEAT_COLORS[seat as 0 | 1] ?? '#6366f1';
  return (
    <g class={`oc-cook ${you ? 'is-you' : ''} ${waiting ? 'is-waiting' : ''}`} data-seat={seat} data-x={cook.x} data-y={cook.y} data-facing={cook.facing} data-held={cook.held ?? 'nothing'}>
      {you && <circle cx={cx} cy={cy} r="44" class="oc-you-ring" />}
      {/* Hands toward the facing, the body, then the white hat seen from above. */}
      <circle cx={cx + dx * 26 + dy * 18} cy={cy + dy * 26 + dx * 18} r="9" fill={color} class="oc-hand" />
      <circle cx={cx + dx * 26 - dy * 18} cy={cy + dy * 26 - dx * 18} r="9" fill={color} class="oc-hand" />
      <circle cx={cx} cy={cy} r="30" fill={color} class="oc-body" />
      <circle cx={cx - dx * 4} cy={cy - dy * 4} r="19" class="oc-hat" />
      <text x={cx - dx * 4} y={cy - dy * 4 + 6} class="oc-cook-label">
        {seat + 1}
      </text>
      {cook.held && <ItemGlyph item={cook.held} cx={cx + dx * 36} cy={cy + dy * 36} small />}
    </g>
  );
}

function describeKitchen(r: OvercookedRender, seat: number | null): string {
  const cooks = r.players.map((p, i) => `${seat === i ? 'you' : `cook ${i + 1}`} at (${p.x}, ${p.y}) facing ${p.facing}${p.held ? ` holding ${p.held}` : ''}`);
  const pots = r.pots.map((p) => `pot with ${p.onions} onion${p.onions === 1 ? '' : 's'}${p.ready ? ', ready' : p.onions >= 3 ? `, cooking ${p.cookTime} of ${COOK_TIME}` : ''}`);
  return `Kitchen, step ${r.tick} of ${r.horizon}, score ${r.score}: ${[...cooks, ...pots].join('; ')}`;
}

function describe(action: ActionValue | null): string {
  return typeof action === 'number' ? (ACTION_WORDS[action] ?? `action ${action}`) : 'waits';
}

function Icon(): JSX.Element {
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <rect x="2" y="4" width="76" height="58" rx="8" fill="#c08a52" />
      <rect x="12" y="14" width="56" height="38" rx="4" fill="#f1f5f9" />
      <circle cx="58" cy="12" r="9" fill="#334155" />
      <circle cx="58" cy="12" r="6" fill="#f97316" />
      <circle cx="28" cy="34" r="9" fill="#e11d48" />
      <circle cx="28" cy="33" r="5.5" fill="#fff" />
      <circle cx="50" cy="38" r="9" fill="#eab308" />
      <circle cx="50" cy="37" r="5.5" fill="#fff" />
      <circle cx="38" cy="34" r="4" fill="#f59e0b" />
    </svg>
  );
}

export const overcookedView: GameViewEntry = {
  id: 'overcooked',
  view: { kind: 'board', Board },
  seatLabel: (seat) => `Cook ${seat + 1}`,
  describe: (action) => describe(action),
  hint: 'arrows or WASD move, Space interacts, X stays',
  Icon,
};
