/**
 * Overcooked (Overcooked-AI, Carroll et al. 2019, "classic" dynamics of overcooked_ai <= 2021 / `old_dynamics`).
 *
 * | Fact               | Value                                                                                   |
 * | ------------------ | --------------------------------------------------------------------------------------- |
 * | Players            | 2 cooks, seat 0 starts on the layout's '1', seat 1 on '2', both facing north            |
 * | Actions            | discrete 6, simultaneous: 0 N, 1 S, 2 E, 3 W, 4 stay, 5 interact (all always legal)     |
 * | Observation tensor | [20, height, width]: Overcooked-AI's lossless encoding, own cook first (see below)      |
 * | Observation text   | the grid (2 characters per cell), then each cook, each pot, the tick and the score      |
 * | Information state  | the serialized state (perfect information; the game is Markov)                          |
 * | Rewards            | cooperative, both seats the same: 20 per delivered soup, plus shaping if `shaped`       |
 * | Hidden information | none; no chance (the start is fixed, the seed is unused)                                |
 *
 * One step (Overcooked-AI `get_state_transition`): interacts resolve first, seat 0 then seat 1, each seeing the
 * effects of the one before; then movement; then cooking. A cook interacts with the cell it faces: a counter
 * takes a held item if empty or gives its item to an empty-handed cook; a dispenser gives an onion or a dish to an
 * empty-handed cook; a pot takes an onion while it holds fewer than 3, and gives its soup to a cook holding a dish
 * once cooked; the serving window takes a soup (+20 to both seats). Anything else does nothing. Moving turns the
 * cook to face that way and moves it if the cell is floor (into a counter, pot, dispenser or window it only
 * turns). Both cooks stay where they were (still turned) if they would end on the same cell or swap cells;
 * moving into the cell the other cook leaves in the same step is allowed (Overcooked-AI checks only equal targets
 * and swaps, so a cook that bumps a wall or stays still blocks the one behind it). A pot starts cooking on its
 * own when its third onion goes in (the classic rule; newer overcooked_ai needs an explicit interact): its cook
 * time becomes 1 at the end of that step and 20 (ready) 19 steps later, so a dish can take the soup from the 20th
 * step after the third onion. The game ends after `horizon` steps (Overcooked-AI's 400 by default).
 *
 * Shaped rewards (Overcooked-AI BASE_REW_SHAPING_PARAMS): +3 onion into a pot, +5 soup picked up from a pot, +3
 * dish taken from the dispenser when "useful": Overcooked-AI's rule is that fewer dishes are held by cooks than
 * there are non-empty pots (partially filled, cooking or ready, counted at the start of the step) and no dish
 * lies on any counter. Note that this counts partially filled pots, not only cooking or ready ones. They are
 * added to both seats' rewards only with `shaped: true`; the default (false) gives the sparse game whose returns
 * are the published Overcooked-AI scores. The state keeps the shaped total either way (`render` shows it).
 *
 * Observation channels (Overcooked-AI `lossless_state_encoding`, 2019-2020 version; ours are [C, H, W]):
 * 0 own cook's cell, 1 partner's cell, 2-5 own facing N/S/E/W (at its cell), 6-9 partner's facing, 10 pots,
 * 11 counters, 12 onion dispensers, 13 dish dispensers, 14 serving windows, 15 onions in each pot (count),
 * 16 cook time of each pot (0-20), 17 soups outside pots, 18 dishes, 19 onions (loose or held: a held item is
 * at its cook's cell). Like Overcooked-AI, the time left is not in the tensor (it is in the text).
 *
 * State layout, for speed: a flat object of numbers (each cook's cell, facing and held item; counts) plus two
 * arrays, the pots (one number each) and the counter items (one per cell), which a step shares with the previous
 * state unless it changes them (a counter changes only on an interact; the pots while filling or cooking). The
 * layout itself is compiled once into typed lookup tables (overcooked-layouts.ts).
 */
import { z } from 'zod';
import { ArenaError } from '../core/errors';
import type { Game, GameModule, GameSpec, Json, Seat } from '../core/game';
import { illegalAction, NO_SEATS, parseDiscreteAction, parseSerialized } from '../core/helpers';
import {
  compiledLayout,
  COUNTER,
  DISH_DISPENSER,
  FLOOR,
  LAYOUT_NAMES,
  ONION_DISPENSER,
  POT,
  SERVING,
  type CompiledLayout,
} from './overcooked-layouts';

const ID = 'overcooked';

/** Action ids (Overcooked-AI's Action.INDEX_TO_ACTION order). */
export const NORTH = 0;
export const SOUTH = 1;
export const EAST = 2;
export const WEST = 3;
export const STAY = 4;
export const INTERACT = 5;
export const ACTION_NAMES: readonly string[] = Object.freeze(['N', 'S', 'E', 'W', 'stay', 'interact']);

/** Items, as held by a cook or lying on a counter (0 = nothing). */
export const NOTHING = 0;
export const ONION = 1;
export const DISH = 2;
export const SOUP = 3;
export const ITEM_NAMES: readonly string[] = Object.freeze(['nothing', 'onion', 'dish', 'soup']);

export const ONIONS_PER_SOUP = 3;
export const COOK_TIME = 20;
export const SOUP_REWARD = 20;
export const ONION_IN_POT_REWARD = 3;
export const DISH_PICKUP_REWARD = 3;
export const SOUP_PICKUP_REWARD = 5;
export const OBSERVATION_CHANNELS = 20;

/** A pot's state is one number: onions + 4 * cook time (cook time counts up once the third onion is in). */
export const potOnions = (pot: number): number => pot & 3;
export const potCookTime = (pot: number): number => pot >> 2;
export const potReady = (pot: number): boolean => pot >> 2 >= COOK_TIME;
const READY_POT = ONIONS_PER_SOUP + 4 * COOK_TIME;

export interface OvercookedState {
  /** Steps applied so far; the game ends when it reaches the horizon. */
  readonly tick: number;
  /** Seat 0's cell (y * width + x), facing (0 N, 1 S, 2 E, 3 W) and held item. */
  readonly pos0: number;
  readonly dir0: number;
  readonly held0: number;
  /** Seat 1's cell, facing and held item. */
  readonly pos1: number;
  readonly dir1: number;
  readonly held1: number;
  /** One number per pot (layout reading order): onions + 4 * cook time. Shared between states until it changes. */
  readonly pots: readonly number[];
  /** The item on each cell (non-zero only on counters). Shared between states until a counter changes. */
  readonly counters: readonly number[];
  /** Soups delivered so far. */
  readonly soups: number;
  /** Shaped reward earned so far (counted whether or not `shaped` adds it to the rewards). */
  readonly shaped: number;
  /** Each seat's reward for the last step. */
  readonly reward: number;
}

const paramsSchema = z
  .object({
    /** One of the five standard Overcooked-AI layouts. */
    layout: z.enum(LAYOUT_NAMES).default('cramped_room'),
    /** Steps per episode (Overcooked-AI's standard 400). */
    horizon: z.number().int().min(1).max(100_000).default(400),
    /** Add the shaped rewards (+3 onion in pot, +3 useful dish, +5 soup pick-up) to the rewards. */
    shaped: z.boolean().default(false),
  })
  .strict();
export type OvercookedParams = z.infer<typeof paramsSchema>;

export const overcookedSpec: GameSpec<OvercookedParams> = {
  id: ID,
  version: 1,
  title: 'Overcooked',
  summary:
    'Two cooks share a kitchen (the five Overcooked-AI layouts) and act simultaneously: fetch onions, fill a pot ' +
    'with three, let it cook for 20 steps, plate the soup with a dish and serve it for 20 points shared by both. ' +
    'Fully cooperative, perfect information, no chance; 400 steps by default.',
  players: { min: 2, max: 2 },
  dynamics: 'simultaneous',
  utility: 'cooperative',
  chance: false,
  perfectInformation: true,
  params: paramsSchema,
};

/** The rules for one layout, with the compiled layout exposed for planners (the greedy agent). */
export interface OvercookedGame extends Game<OvercookedState, number> {
  readonly layout: CompiledLayout;
  readonly horizon: number;
  readonly shapedRewards: boolean;
}

/** Whether `game` is an Overcooked game (so its states are OvercookedState and its layout is available). */
export function isOvercookedGame(game: { readonly spec: { readonly id: string } }): game is OvercookedGame {
  return game.spec.id === ID && 'layout' in game;
}

const BOTH: readonly Seat[] = Object.freeze([0, 1]);
const ALL_ACTIONS: readonly number[] = Object.freeze([0, 1, 2, 3, 4, 5]);
const NO_ACTIONS: readonly number[] = Object.freeze([]);
const ZEROS: readonly number[] = Object.freeze([0, 0]);
const DIR_CHARS = '^v><';
const DIR_NAMES = ['N', 'S', 'E', 'W'];
const ITEM_CHARS = ' ods';

function makeState(
  tick: number,
  pos0: number,
  dir0: number,
  held0: number,
  pos1: number,
  dir1: number,
  held1: number,
  pots: readonly number[],
  counters: readonly number[],
  soups: number,
  shaped: number,
  reward: number,
): OvercookedState {
  return { tick, pos0, dir0, held0, pos1, dir1, held1, pots, counters, soups, shaped, reward };
}

/**
 * Upper bound on a return. Each pot yields at most one soup per 20 steps (the first is taken at step 21 at the
 * earliest), so soups S <= pots * floor(horizon / 20) and sparse <= 20 S. Shaping: onions placed <= 3 S + 3 per
 * pot still cooking at the end; rewarded dish pick-ups <= S + 2 (one needs no dish on a counter, so at most the
 * partner's dish exists unplated); soup pick-ups <= S. Hence shaped <= 17 S + 9 pots + 6.
 */
function maxReturn(pots: number, horizon: number, shaped: boolean): number {
  const soups = pots * Math.floor(horizon / COOK_TIME);
  return SOUP_REWARD * soups + (shaped ? 17 * soups + 9 * pots + 6 : 0);
}

function createOvercooked(params: OvercookedParams): OvercookedGame {
  const layout = compiledLayout(params.layout);
  const { width, height, terrain, neighbour, potIndex, potCells, counterCells } = layout;
  const cells = width * height;
  const horizon = params.horizon;
  const shapedOn = params.shaped;
  const nPots = potCells.length;

  const initial: OvercookedState = Object.freeze(
    makeState(
      0,
      layout.start[0],
      NORTH,
      NOTHING,
      layout.start[1],
      NORTH,
      NOTHING,
      Object.freeze(new Array<number>(nPots).fill(0)),
      Object.freeze(new Array<number>(cells).fill(0)),
      0,
      0,
      0,
    ),
  );

  // The five static channels (10-14) of the observation tensor, copied into every tensor.
  const plane = cells;
  const staticPlanes = new Float32Array(5 * plane);
  for (let c = 0; c < cells; c++) {
    const t = terrain[c] as number;
    const ch = t === POT ? 0 : t === COUNTER ? 1 : t === ONION_DISPENSER ? 2 : t === DISH_DISPENSER ? 3 : t === SERVING ? 4 : -1;
    if (ch >= 0) staticPlanes[ch * plane + c] = 1;
  }

  const isFloor = (cell: number): boolean => cell >= 0 && terrain[cell] === FLOOR;

  function step(s: OvercookedState, a0: number, a1: number): OvercookedState {
    let held0 = s.held0;
    let held1 = s.held1;
    let pots = s.pots;
    let counters = s.counters;
    let sparse = 0;
    let shaped = 0;
    let soups = s.soups;

    // 1. Interacts, seat 0 then seat 1, each on the state the previous one left.
    if (a0 === INTERACT || a1 === INTERACT) {
      // Overcooked-AI reads the pot states once, before any interact (used by the dish-pick-up shaping rule).
      let nonEmptyPots = 0;
      for (let k = 0; k < nPots; k++) if ((pots[k] as number) !== 0) nonEmptyPots++;
      let potsW: number[] | null = null;
      let countersW: number[] | null = null;
      for (let seat = 0; seat < 2; seat++) {
        if ((seat === 0 ? a0 : a1) !== INTERACT) continue;
        const pos = seat === 0 ? s.pos0 : s.pos1;
        const dir = seat === 0 ? s.dir0 : s.dir1;
        let held = seat === 0 ? held0 : held1;
        const target = neighbour[pos * 4 + dir] as number;
        switch (terrain[target]) {
          case COUNTER: {
            const item = (countersW ?? counters)[target] as number;
            if (held !== NOTHING && item === NOTHING) {
              countersW ??= counters.slice();
              countersW[target] = held;
              held = NOTHING;
            } else if (held === NOTHING && item !== NOTHING) {
              countersW ??= counters.slice();
              countersW[target] = NOTHING;
              held = item;
            }
            break;
          }
          case ONION_DISPENSER:
            if (held === NOTHING) held = ONION;
            break;
          case DISH_DISPENSER:
            if (held === NOTHING) {
              const dishesHeld = (seat === 0 ? held1 : held0) === DISH ? 1 : 0;
              if (nonEmptyPots > dishesHeld && !dishOnCounter(countersW ?? counters)) shaped += DISH_PICKUP_REWARD;
              held = DISH;
            }
            break;
          case POT: {
            const k = potIndex[target] as number;
            const pot = (potsW ?? pots)[k] as number;
            if (held === DISH && potReady(pot)) {
              potsW ??= pots.slice();
              potsW[k] = 0;
              held = SOUP;
              shaped += SOUP_PICKUP_REWARD;
            } else if (held === ONION && potOnions(pot) < ONIONS_PER_SOUP) {
              potsW ??= pots.slice();
              potsW[k] = pot + 1; // one more onion; the cook time is 0 until the pot is full
              held = NOTHING;
              shaped += ONION_IN_POT_REWARD;
            }
            break;
          }
          case SERVING:
            if (held === SOUP) {
              held = NOTHING;
              sparse += SOUP_REWARD;
              soups++;
            }
            break;
          default:
            break; // facing floor: nothing to interact with
        }
        if (seat === 0) held0 = held;
        else held1 = held;
      }
      if (potsW !== null) pots = potsW;
      if (countersW !== null) counters = countersW;
    }

    // 2. Movement: a move always turns the cook; it moves only onto floor; collisions cancel both moves.
    let pos0 = s.pos0;
    let dir0 = s.dir0;
    let pos1 = s.pos1;
    let dir1 = s.dir1;
    if (a0 < STAY) {
      dir0 = a0;
      const to = neighbour[pos0 * 4 + a0] as number;
      if (isFloor(to)) pos0 = to;
    }
    if (a1 < STAY) {
      dir1 = a1;
      const to = neighbour[pos1 * 4 + a1] as number;
      if (isFloor(to)) pos1 = to;
    }
    if (pos0 === pos1 || (pos0 === s.pos1 && pos1 === s.pos0)) {
      pos0 = s.pos0;
      pos1 = s.pos1;
    }

    // 3. Cooking: every full pot that is not ready yet cooks one more step.
    for (let k = 0; k < nPots; k++) {
      const pot = pots[k] as number;
      if (potOnions(pot) === ONIONS_PER_SOUP && pot < READY_POT) {
        if (pots === s.pots) pots = pots.slice();
        (pots as number[])[k] = pot + 4;
      }
    }

    const reward = sparse + (shapedOn ? shaped : 0);
    return makeState(s.tick + 1, pos0, dir0, held0, pos1, dir1, held1, pots, counters, soups, s.shaped + shaped, reward);
  }

  function dishOnCounter(counters: readonly number[]): boolean {
    for (const c of counterCells) if (counters[c] === DISH) return true;
    return false;
  }

  function apply(s: OvercookedState, actions: readonly number[]): OvercookedState | ArenaError {
    if (s.tick >= horizon) return new ArenaError('match/over', `${ID}: the episode is over`);
    if (actions.length !== 2) return new ArenaError('action/malformed', `${ID}: expected 2 actions, got ${actions.length}`);
    for (let seat = 0; seat < 2; seat++) {
      const a: unknown = actions[seat];
      if (typeof a !== 'number' || !Number.isInteger(a)) {
        return new ArenaError('action/malformed', `${ID}: seat ${seat}: action ${JSON.stringify(a)} is not an integer`);
      }
      if (a < 0 || a > INTERACT) return illegalAction(ID, seat, a);
    }
    return step(s, actions[0] as number, actions[1] as number);
  }

  const returnOf = (s: OvercookedState): number => SOUP_REWARD * s.soups + (shapedOn ? s.shaped : 0);

  function observationTensor(s: OvercookedState, seat: Seat): Float32Array {
    const t = new Float32Array(OBSERVATION_CHANNELS * plane);
    const [me, other] = seat === 0 ? [0, 1] : [1, 0];
    const pos = [s.pos0, s.pos1];
    const dir = [s.dir0, s.dir1];
    const held = [s.held0, s.held1];
    t[pos[me] as number] = 1;
    t[plane + (pos[other] as number)] = 1;
    t[(2 + (dir[me] as number)) * plane + (pos[me] as number)] = 1;
    t[(6 + (dir[other] as number)) * plane + (pos[other] as number)] = 1;
    t.set(staticPlanes, 10 * plane);
    for (let k = 0; k < nPots; k++) {
      const pot = s.pots[k] as number;
      const c = potCells[k] as number;
      t[15 * plane + c] = potOnions(pot);
      t[16 * plane + c] = potCookTime(pot);
    }
    const item = (code: number, c: number): void => {
      if (code !== NOTHING) t[(code === SOUP ? 17 : code === DISH ? 18 : 19) * plane + c] = 1;
    };
    for (const c of counterCells) item(s.counters[c] as number, c);
    for (let p = 0; p < 2; p++) item(held[p] as number, pos[p] as number);
    return t;
  }

  /** Two characters per cell: terrain letter + item or pot state; a cook is its seat digit + facing arrow. */
  function gridText(s: OvercookedState): string {
    let out = '';
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const c = y * width + x;
        if (c === s.pos0) out += '0' + DIR_CHARS[s.dir0];
        else if (c === s.pos1) out += '1' + DIR_CHARS[s.dir1];
        else {
          const t = terrain[c] as number;
          const letter = (layout.rows[y] as string)[x] as string;
          if (t === COUNTER) out += letter + ITEM_CHARS[s.counters[c] as number];
          else if (t === POT) {
            const pot = s.pots[potIndex[c] as number] as number;
            out += letter + (potReady(pot) ? '*' : potOnions(pot) === 0 ? ' ' : String(potOnions(pot)));
          } else out += letter + ' ';
        }
      }
      out += '\n';
    }
    return out;
  }

  const xy = (cell: number): string => `(${cell % width},${Math.floor(cell / width)})`;

  function describe(s: OvercookedState, viewer: Seat | null): string {
    const lines = [gridText(s).trimEnd()];
    // The viewer's own cook first (as in the tensor); a spectator sees cook 0 first.
    for (const p of viewer === 1 ? [1, 0] : [0, 1]) {
      const who = viewer === null ? `cook ${p}` : p === viewer ? `you (cook ${p})` : `partner (cook ${p})`;
      const pos = p === 0 ? s.pos0 : s.pos1;
      const dir = p === 0 ? s.dir0 : s.dir1;
      const held = p === 0 ? s.held0 : s.held1;
      lines.push(`${who} at ${xy(pos)} facing ${DIR_NAMES[dir]} holding ${ITEM_NAMES[held]}`);
    }
    for (let k = 0; k < nPots; k++) {
      const pot = s.pots[k] as number;
      const state = potReady(pot) ? 'ready' : potOnions(pot) === ONIONS_PER_SOUP ? `cooking ${potCookTime(pot)}/${COOK_TIME}` : 'filling';
      lines.push(`pot ${xy(potCells[k] as number)}: ${potOnions(pot)} onions, ${state}`);
    }
    lines.push(`tick ${s.tick}/${horizon}, soups ${s.soups}, score ${returnOf(s)}`);
    return lines.join('\n');
  }

  function render(s: OvercookedState): Json {
    const cook = (pos: number, dir: number, held: number): Json => ({
      x: pos % width,
      y: Math.floor(pos / width),
      facing: DIR_NAMES[dir] as string,
      held: held === NOTHING ? null : (ITEM_NAMES[held] as string),
    });
    const items: Json[] = [];
    for (const c of counterCells) {
      const it = s.counters[c] as number;
      if (it !== NOTHING) items.push({ x: c % width, y: Math.floor(c / width), item: ITEM_NAMES[it] as string });
    }
    return {
      layout: params.layout,
      width,
      height,
      grid: [...layout.rows],
      players: [cook(s.pos0, s.dir0, s.held0), cook(s.pos1, s.dir1, s.held1)],
      items,
      pots: s.pots.map((pot, k) => ({
        x: (potCells[k] as number) % width,
        y: Math.floor((potCells[k] as number) / width),
        onions: potOnions(pot),
        cookTime: potCookTime(pot),
        ready: potReady(pot),
      })),
      tick: s.tick,
      horizon,
      soups: s.soups,
      score: returnOf(s),
      shaped: s.shaped,
      lastReward: s.reward,
    };
  }

  const stateSchema = z
    .object({
      tick: z.number().int().min(0).max(horizon),
      pos0: z.number().int(),
      dir0: z.number().int().min(0).max(3),
      held0: z.number().int().min(0).max(3),
      pos1: z.number().int(),
      dir1: z.number().int().min(0).max(3),
      held1: z.number().int().min(0).max(3),
      pots: z.array(z.number().int()).length(nPots),
      counters: z.array(z.number().int().min(0).max(3)).length(cells),
      soups: z.number().int().min(0),
      shaped: z.number().int().min(0),
      reward: z.number().int().min(0),
    })
    .strict();

  function deserialize(text: string): OvercookedState {
    const bad = (why: string): ArenaError => new ArenaError('env/bad-serialization', `${ID}: ${why}`);
    const parsed = stateSchema.safeParse(parseSerialized(ID, text));
    if (!parsed.success) throw bad('not an overcooked state');
    const d = parsed.data;
    if (!isFloor(d.pos0) || !isFloor(d.pos1) || d.pos0 === d.pos1) throw bad('cooks must stand on distinct floor cells');
    for (const pot of d.pots) {
      const ok = pot >= 0 && pot <= READY_POT && (potCookTime(pot) === 0 || potOnions(pot) === ONIONS_PER_SOUP);
      if (!ok) throw bad(`bad pot state ${pot}`);
    }
    for (let c = 0; c < cells; c++) if (d.counters[c] !== NOTHING && terrain[c] !== COUNTER) throw bad('item off a counter');
    const { tick, pos0, dir0, held0, pos1, dir1, held1, soups, shaped, reward } = d;
    return makeState(tick, pos0, dir0, held0, pos1, dir1, held1, d.pots, d.counters, soups, shaped, reward);
  }

  const serialize = (s: OvercookedState): string => JSON.stringify(s);
  const maxUtility = maxReturn(nPots, horizon, shapedOn);

  const game: OvercookedGame = {
    spec: overcookedSpec as GameSpec<unknown>,
    params: Object.freeze({ layout: params.layout, horizon, shaped: shapedOn }),
    numPlayers: 2,
    actionSpace: Object.freeze({ kind: 'discrete', n: 6 }),
    observationShape: Object.freeze([OBSERVATION_CHANNELS, height, width]),
    maxLength: horizon,
    minUtility: 0,
    maxUtility,
    layout,
    horizon,
    shapedRewards: shapedOn,

    init: () => initial,
    currentPlayers: (s) => (s.tick >= horizon ? NO_SEATS : BOTH),
    isTerminal: (s) => s.tick >= horizon,
    chanceOutcomes: () => [],
    sampleChance: () => {
      throw new Error(`${ID}: there are no chance nodes`);
    },
    legalActions: (s, seat) => (s.tick < horizon && (seat === 0 || seat === 1) ? ALL_ACTIONS : NO_ACTIONS),
    apply,
    rewards: (s) => (s.reward === 0 ? ZEROS : [s.reward, s.reward]),
    returns: (s) => {
      const r = returnOf(s);
      return r === 0 ? ZEROS : [r, r];
    },
    observationTensor,
    observationText: (s, seat) => describe(s, seat),
    informationState: serialize,
    actionToString: (_seat, action) => ACTION_NAMES[action] ?? `action ${action}`,
    parseAction: (s, seat, text) => parseDiscreteAction(game, s, seat, text),
    serialize,
    deserialize,
    render: (s) => render(s),
    renderText: (s, viewer) => describe(s, viewer),
  };
  return game;
}

export const overcooked: GameModule<OvercookedState, number, OvercookedParams> = {
  spec: overcookedSpec,
  create: createOvercooked,
};
