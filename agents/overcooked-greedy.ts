/**
 * A greedy planner for Overcooked: pick the next sub-goal, walk to it by breadth-first search treating the
 * partner as an obstacle, face it and interact. No search over the partner's actions and no randomness: the
 * action is a function of the state and the seat, so greedy play replays exactly.
 *
 * Sub-goals, by what the cook holds ("the nearest" = fewest steps; a goal the cook's floor region cannot reach
 * is skipped):
 * - a soup: a serving window; if none can be reached, a hand-over counter (an empty counter the partner can
 *   reach, used only while no such item already lies on a counter: forced_coordination);
 * - an onion: a pot with room; if no pot can be reached, a hand-over counter; with every pot full it keeps the
 *   onion for the next soup, unless a soup is ready and the partner has no dish (then it puts it on a counter);
 * - a dish: a full pot (it interacts until the soup is ready); if no pot can be reached, a hand-over counter;
 * - nothing: a soup on a counter (if it can reach a window); else a dish (dispenser or counter) while there are
 *   more full pots than dishes on the way; else an onion (dispenser or counter) while the pots have more room
 *   than onions on the way (a full pot counts as empty while the partner carries a dish for it, so the next
 *   onion waits in hand); else a dish while a pot is being filled and no dish is on the way; else it waits.
 *   "On the way" is what the partner holds, plus the items on counters for a cook that hands over.
 * Conflicts: when both cooks' next steps enter the same cell, the one with the lower priority (holding soup >
 * dish > onion > nothing, then seat 0 first) stays. A cook that stands still while the partner's way to its goal
 * exists only through this cook's cell steps aside (off the partner's path), as does the lower-priority cook of
 * two that block each other.
 */
import type { Agent, SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';
import type { AnyGame, Seat } from '../environments/core/game';
import {
  DISH,
  INTERACT,
  isOvercookedGame,
  NOTHING,
  ONION,
  ONIONS_PER_SOUP,
  potOnions,
  potReady,
  SOUP,
  STAY,
  type OvercookedGame,
  type OvercookedState,
} from '../environments/cooperative/overcooked';
import { DISH_DISPENSER, FLOOR, ONION_DISPENSER, SERVING } from '../environments/cooperative/overcooked-layouts';

/** What a cook wants to do next: interact with one of `targets` (non-floor cells), or nothing. */
interface Goal {
  readonly targets: readonly number[];
}
const IDLE: Goal = { targets: [] };

/** One cook's intended action, before conflicts with the partner are settled. */
interface Plan {
  readonly action: number;
  /** The cell it will be in after the action if nothing stops it. */
  readonly next: number;
  /** Its goal can be reached only through the partner's cell. */
  readonly blocked: boolean;
  /** Cells of its shortest way to the goal ignoring the partner (to step off when yielding). */
  readonly route: readonly number[];
  /** It has nothing useful to do this step (no goal, or a dish held at a pot still cooking). */
  readonly waiting: boolean;
}

const OPPOSITE = [1, 0, 3, 2];

export class OvercookedGreedyPlanner {
  private readonly cells: number;
  private readonly terrain: Uint8Array;
  private readonly neighbour: Int16Array;
  /** Floor-connected region of each floor cell (-1 elsewhere): reachability ignoring the partner. */
  private readonly region: Int16Array;
  private readonly onionSources: readonly number[];
  private readonly dishSources: readonly number[];
  private readonly servings: readonly number[];
  // Scratch buffers for the searches (the planner is used by one caller at a time).
  private readonly parent: Int16Array;
  private readonly queue: Int16Array;
  private readonly goalDir: Int8Array;

  constructor(private readonly game: OvercookedGame) {
    const { width, height, terrain, neighbour } = game.layout;
    this.cells = width * height;
    this.terrain = terrain;
    this.neighbour = neighbour;
    this.region = new Int16Array(this.cells).fill(-1);
    let regions = 0;
    const stack: number[] = [];
    for (let c = 0; c < this.cells; c++) {
      if (terrain[c] !== FLOOR || this.region[c] !== -1) continue;
      this.region[c] = regions;
      stack.push(c);
      while (stack.length > 0) {
        const u = stack.pop() as number;
        for (let d = 0; d < 4; d++) {
          const v = neighbour[u * 4 + d] as number;
          if (v >= 0 && terrain[v] === FLOOR && this.region[v] === -1) {
            this.region[v] = regions;
            stack.push(v);
          }
        }
      }
      regions++;
    }
    const cellsOf = (code: number): number[] => [...terrain.keys()].filter((c) => terrain[c] === code);
    this.onionSources = cellsOf(ONION_DISPENSER);
    this.dishSources = cellsOf(DISH_DISPENSER);
    this.servings = cellsOf(SERVING);
    this.parent = new Int16Array(this.cells);
    this.queue = new Int16Array(this.cells);
    this.goalDir = new Int8Array(this.cells);
  }

  /** The greedy action of `seat` in `state`. */
  act(state: OvercookedState, seat: Seat): number {
    const me = this.plan(state, seat);
    const other = this.plan(state, 1 - seat);
    const mine = this.priority(state, seat) > this.priority(state, 1 - seat);
    const myPos = seat === 0 ? state.pos0 : state.pos1;
    const otherPos = seat === 0 ? state.pos1 : state.pos0;
    // Step aside when the partner cannot get past this cook: always if this cook is only waiting, and as the
    // lower-priority cook when both are stuck behind each other.
    if (other.blocked && (me.waiting || (me.blocked && !mine))) {
      return this.stepAside(myPos, otherPos, other.route) ?? me.action;
    }
    if (me.blocked) return STAY;
    // Both heading into one cell: Overcooked-AI would cancel both moves, so the lower priority waits.
    if (me.next !== myPos && me.next === other.next && !mine) return STAY;
    return me.action;
  }

  private priority(s: OvercookedState, seat: Seat): number {
    const held = seat === 0 ? s.held0 : s.held1;
    return held * 2 + (seat === 0 ? 1 : 0);
  }

  private goal(s: OvercookedState, seat: Seat): Goal {
    const pos = seat === 0 ? s.pos0 : s.pos1;
    const held = seat === 0 ? s.held0 : s.held1;
    const partnerHeld = seat === 0 ? s.held1 : s.held0;
    const { potCells, counterCells } = this.game.layout;
    const reach = (cells: readonly number[]): number[] => cells.filter((c) => this.reachable(pos, c));
    const countersWith = (item: number): number[] => counterCells.filter((c) => s.counters[c] === item);
    const pots = (test: (pot: number) => boolean): number[] => potCells.filter((_, k) => test(s.pots[k] as number));
    const handOver = (): Goal => {
      // Only when the partner can take it from there and no such item already waits on a counter.
      if (countersWith(held).length > 0) return IDLE;
      const partnerPos = seat === 0 ? s.pos1 : s.pos0;
      const free = reach(countersWith(NOTHING)).filter((c) => this.reachable(partnerPos, c));
      return free.length > 0 ? { targets: free } : IDLE;
    };
    const full = (pot: number): boolean => potOnions(pot) === ONIONS_PER_SOUP;

    const windows = reach(this.servings);
    if (held === SOUP) return windows.length > 0 ? { targets: windows } : handOver();
    if (held === ONION) {
      if (reach(potCells).length === 0) return handOver();
      const withRoom = reach(pots((p) => potOnions(p) < ONIONS_PER_SOUP));
      if (withRoom.length > 0) return { targets: withRoom };
      // Every pot is full: keep the onion for the next soup, unless a soup is ready and nobody is plating it
      // (then free the hands: put the onion on a counter).
      const stuck = pots(potReady).length > 0 && partnerHeld !== DISH;
      return stuck ? { targets: reach(countersWith(NOTHING)) } : IDLE;
    }
    if (held === DISH) {
      if (reach(potCells).length === 0) return handOver();
      return { targets: reach(pots(full)) };
    }
    const soups = windows.length > 0 ? reach(countersWith(SOUP)) : [];
    if (soups.length > 0) return { targets: soups };
    // Items on counters are on their way to the pots when this cook is the one handing them over; for a cook
    // that can reach a pot they are sources like the dispensers.
    const handing = reach(potCells).length === 0;
    const dishesOnTheWay = (partnerHeld === DISH ? 1 : 0) + (handing ? countersWith(DISH).length : 0);
    const dishSources = reach([...this.dishSources, ...countersWith(DISH)]);
    if (pots(full).length > dishesOnTheWay && dishSources.length > 0) return { targets: dishSources };
    // Room for onions, counting a full pot as empty when the partner carries the dish that will empty it (so
    // the next onion is ready when the soup leaves).
    let room = 0;
    for (const pot of s.pots) room += full(pot) ? (partnerHeld === DISH ? ONIONS_PER_SOUP : 0) : ONIONS_PER_SOUP - potOnions(pot);
    const onionsOnTheWay = (partnerHeld === ONION ? 1 : 0) + (handing ? countersWith(ONION).length : 0);
    const onionSources = reach([...this.onionSources, ...countersWith(ONION)]);
    if (room > onionsOnTheWay && onionSources.length > 0) return { targets: onionSources };
    if (pots((p) => p !== 0 && !full(p)).length > 0 && dishesOnTheWay === 0 && dishSources.length > 0) {
      return { targets: dishSources };
    }
    return IDLE;
  }

  /** Whether a floor cell next to `target` is in the same floor region as `pos`. */
  private reachable(pos: number, target: number): boolean {
    const r = this.region[pos];
    for (let d = 0; d < 4; d++) {
      const c = this.neighbour[target * 4 + d] as number;
      if (c >= 0 && this.region[c] === r) return true;
    }
    return false;
  }

  private plan(s: OvercookedState, seat: Seat): Plan {
    const pos = seat === 0 ? s.pos0 : s.pos1;
    const dir = seat === 0 ? s.dir0 : s.dir1;
    const partner = seat === 0 ? s.pos1 : s.pos0;
    const goal = this.goal(s, seat);
    if (goal.targets.length === 0) return { action: STAY, next: pos, blocked: false, route: [], waiting: true };
    // Stand cells: floor next to a target, with the direction that faces it.
    const goalDir = this.goalDir.fill(-1);
    for (const t of goal.targets) {
      for (let d = 0; d < 4; d++) {
        const c = this.neighbour[t * 4 + d] as number;
        if (c >= 0 && this.terrain[c] === FLOOR && goalDir[c] === -1) goalDir[c] = OPPOSITE[d] as number;
      }
    }
    const here = goalDir[pos] as number;
    if (here >= 0) {
      // At a stand cell: turn to face the target (moving into a non-floor cell only turns), then interact.
      const target = this.neighbour[pos * 4 + here] as number;
      const k = this.game.layout.potIndex[target] as number;
      const held = seat === 0 ? s.held0 : s.held1;
      const waiting = here === dir && held === DISH && k >= 0 && !potReady(s.pots[k] as number);
      return { action: here === dir ? INTERACT : here, next: pos, blocked: false, route: [], waiting };
    }
    const path = this.search(pos, partner);
    if (path !== null) {
      const first = path[0] as number;
      return { action: this.direction(pos, first), next: first, blocked: false, route: path, waiting: false };
    }
    const around = this.search(pos, -1);
    if (around === null) return { action: STAY, next: pos, blocked: false, route: [], waiting: true };
    return { action: STAY, next: pos, blocked: true, route: around, waiting: false };
  }

  /** Shortest way (cells after `from`) to a stand cell marked in goalDir, avoiding `blocked`; null if none. */
  private search(from: number, blocked: number): number[] | null {
    const { parent, queue, goalDir, neighbour, terrain } = this;
    parent.fill(-1);
    parent[from] = from;
    let head = 0;
    let tail = 0;
    queue[tail++] = from;
    while (head < tail) {
      const u = queue[head++] as number;
      if ((goalDir[u] as number) >= 0) {
        const path: number[] = [];
        for (let c = u; c !== from; c = parent[c] as number) path.push(c);
        return path.reverse();
      }
      for (let d = 0; d < 4; d++) {
        const v = neighbour[u * 4 + d] as number;
        if (v < 0 || v === blocked || terrain[v] !== FLOOR || parent[v] !== -1) continue;
        parent[v] = u;
        queue[tail++] = v;
      }
    }
    return null;
  }

  private direction(from: number, to: number): number {
    for (let d = 0; d < 4; d++) if (this.neighbour[from * 4 + d] === to) return d;
    throw new Error('overcooked-greedy: cells are not adjacent');
  }

  /** A move to a free floor neighbour off `route`, preferring N, S, E, W in that order; null if none. */
  private stepAside(pos: number, partner: number, route: readonly number[]): number | null {
    let fallback: number | null = null;
    for (let d = 0; d < 4; d++) {
      const c = this.neighbour[pos * 4 + d] as number;
      if (c < 0 || c === partner || this.terrain[c] !== FLOOR) continue;
      if (!route.includes(c)) return d;
      fallback ??= d;
    }
    return fallback;
  }
}

/** The greedy planner as an agent (Overcooked only; it reads the full state, which the game does not hide). */
export class OvercookedGreedyAgent implements Agent<number> {
  readonly name = 'overcooked-greedy';
  private readonly planner: OvercookedGreedyPlanner;

  constructor(game: AnyGame) {
    if (!isOvercookedGame(game)) {
      throw new ArenaError('agent/unsupported-game', `overcooked-greedy plays only overcooked (${game.spec.id})`);
    }
    this.planner = new OvercookedGreedyPlanner(game);
  }

  act(view: SeatView<unknown, number>): number {
    const state = view.state as OvercookedState | undefined;
    if (state === undefined) throw new ArenaError('agent/unsupported-game', 'overcooked-greedy: the view has no state');
    return this.planner.act(state, view.seat);
  }
}
