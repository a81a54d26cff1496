/**
 * CFR+ (Tammelin 2014; OpenSpiel's CFRPlusSolver) on an enumerated two-player game tree: regret matching+
 * (cumulative regrets clipped at 0 after each update), alternating updates (player 0, then player 1 against
 * player 0's updated policy), and linear averaging (iteration t adds weight max(t - delay, 0) to the average
 * policy; delay 0 reproduces OpenSpiel). Each update is two passes over flat arrays: reach probabilities top
 * down, values, regrets and average-policy sums bottom up.
 */
import type { Action, Game } from '../../environments/core/game';
import { PolicyTable, tableFromSlots } from '../tabular-policy';
import { nashConv, type NashConvResult } from './best-response';
import { CHANCE_NODE, TERMINAL, buildGameTree, type GameTree, type SlotPolicy } from './game-tree';

export interface CfrPlusOptions {
  /** Iterations 1..delay get no weight in the average policy (Tammelin's d; default 0 as in OpenSpiel). */
  readonly delay?: number;
}

export class CfrPlusSolver {
  /** Completed iterations (each updates both players once). */
  iterations = 0;
  private readonly delay: number;
  private readonly regrets: Float64Array;
  private readonly cumulative: Float64Array;
  private readonly current: Float64Array;
  private readonly reachOwn: Float64Array;
  private readonly reachOthers: Float64Array;
  private readonly value: Float64Array;
  /** Per decision node: slotStart of its information set minus its first child (slot of child c = base + c). */
  private readonly slotBase: Int32Array;
  private readonly playerInfosets: readonly [Int32Array, Int32Array];

  constructor(
    /** The tree being solved (not modified). */
    readonly tree: GameTree,
    options: CfrPlusOptions = {},
  ) {
    this.delay = Math.max(0, options.delay ?? 0);
    this.regrets = new Float64Array(tree.numSlots);
    this.cumulative = new Float64Array(tree.numSlots);
    this.current = new Float64Array(tree.numSlots);
    this.reachOwn = new Float64Array(tree.numNodes);
    this.reachOthers = new Float64Array(tree.numNodes);
    this.value = new Float64Array(tree.numNodes);
    this.slotBase = new Int32Array(tree.numNodes);
    for (let n = 0; n < tree.numNodes; n++) {
      const i = tree.infoset[n] as number;
      if (i >= 0) this.slotBase[n] = (tree.slotStart[i] as number) - (tree.firstChild[n] as number);
    }
    const sets: [number[], number[]] = [[], []];
    for (let i = 0; i < tree.numInfosets; i++) sets[tree.infosetPlayer[i] === 0 ? 0 : 1].push(i);
    this.playerInfosets = [Int32Array.from(sets[0]), Int32Array.from(sets[1])];
    for (const p of [0, 1]) this.regretMatch(p);
  }

  /** Runs `n` more iterations. */
  iterate(n = 1): void {
    for (let t = 0; t < n; t++) {
      this.iterations++;
      const weight = Math.max(this.iterations - this.delay, 0);
      for (const p of [0, 1]) {
        this.updatePlayer(p, weight);
        this.regretMatch(p);
      }
    }
  }

  /** The policy CFR+ plays at the next iteration (regret matching+ of the cumulative regrets), per slot. */
  currentSlots(): SlotPolicy {
    return Float64Array.from(this.current);
  }

  /** The weighted average policy (uniform where nothing has accumulated yet), per slot: what converges to Nash. */
  averageSlots(): SlotPolicy {
    const { slotStart } = this.tree;
    const out = new Float64Array(this.tree.numSlots);
    for (let i = 0; i < this.tree.numInfosets; i++) {
      const lo = slotStart[i] as number;
      const hi = slotStart[i + 1] as number;
      let sum = 0;
      for (let s = lo; s < hi; s++) sum += this.cumulative[s] as number;
      for (let s = lo; s < hi; s++) out[s] = sum > 0 ? (this.cumulative[s] as number) / sum : 1 / (hi - lo);
    }
    return out;
  }

  /** The average policy as a table keyed by information state (see `averageSlots`). */
  averagePolicy(): PolicyTable {
    return tableFromSlots(this.tree, this.averageSlots());
  }

  /** The current policy as a table keyed by information state (see `currentSlots`). */
  currentPolicy(): PolicyTable {
    return tableFromSlots(this.tree, this.currentSlots());
  }

  /** Sets `player`'s current policy to regret matching of its (non-negative) cumulative regrets. */
  private regretMatch(player: number): void {
    const { slotStart } = this.tree;
    const { regrets, current } = this;
    for (const i of this.playerInfosets[player] as Int32Array) {
      const lo = slotStart[i] as number;
      const hi = slotStart[i + 1] as number;
      let sum = 0;
      for (let s = lo; s < hi; s++) {
        const r = regrets[s] as number;
        if (r < 0) regrets[s] = 0;
        else sum += r;
      }
      for (let s = lo; s < hi; s++) current[s] = sum > 0 ? (regrets[s] as number) / sum : 1 / (hi - lo);
    }
  }

  /** One CFR update of `player`: regrets and weighted average-policy sums at its information sets. */
  private updatePlayer(player: number, weight: number): void {
    const { kind, player: who, firstChild, numChildren, chanceProb } = this.tree;
    const returns = player === 0 ? this.tree.returns0 : this.tree.returns1;
    const { reachOwn, reachOthers, value, slotBase, current, regrets, cumulative } = this;
    const numNodes = this.tree.numNodes;
    reachOwn[0] = 1;
    reachOthers[0] = 1;
    for (let n = 0; n < numNodes; n++) {
      const k = kind[n];
      if (k === TERMINAL) continue;
      const own = reachOwn[n] as number;
      const others = reachOthers[n] as number;
      const first = firstChild[n] as number;
      const end = first + (numChildren[n] as number);
      if (k === CHANCE_NODE) {
        for (let c = first; c < end; c++) {
          reachOwn[c] = own;
          reachOthers[c] = others * (chanceProb[c] as number);
        }
      } else {
        const base = slotBase[n] as number;
        if (who[n] === player) {
          for (let c = first; c < end; c++) {
            reachOwn[c] = own * (current[base + c] as number);
            reachOthers[c] = others;
          }
        } else {
          for (let c = first; c < end; c++) {
            reachOwn[c] = own;
            reachOthers[c] = others * (current[base + c] as number);
          }
        }
      }
    }
    for (let n = numNodes - 1; n >= 0; n--) {
      const k = kind[n];
      if (k === TERMINAL) {
        value[n] = returns[n] as number;
        continue;
      }
      const first = firstChild[n] as number;
      const end = first + (numChildren[n] as number);
      let v = 0;
      if (k === CHANCE_NODE) {
        for (let c = first; c < end; c++) v += (chanceProb[c] as number) * (value[c] as number);
        value[n] = v;
        continue;
      }
      const base = slotBase[n] as number;
      for (let c = first; c < end; c++) v += (current[base + c] as number) * (value[c] as number);
      value[n] = v;
      if (who[n] !== player) continue;
      const others = reachOthers[n] as number;
      const own = (reachOwn[n] as number) * weight;
      for (let c = first; c < end; c++) {
        const s = base + c;
        regrets[s] = (regrets[s] as number) + others * ((value[c] as number) - v);
        cumulative[s] = (cumulative[s] as number) + own * (current[s] as number);
      }
    }
  }
}

export interface SolveOptions extends CfrPlusOptions {
  /** Maximum number of iterations. */
  readonly iterations: number;
  /** Evaluate the average policy's NashConv every this many iterations (default iterations / 20, at least 1). */
  readonly evalEvery?: number;
  /** Stop at the first evaluation whose NashConv is at most this. */
  readonly targetNashConv?: number;
  /** Called after each evaluation. */
  readonly onProgress?: (iteration: number, nashConv: number) => void;
}

export interface SolveResult {
  readonly tree: GameTree;
  readonly solver: CfrPlusSolver;
  /** The average policy after the last iteration. */
  readonly policy: PolicyTable;
  /** Exact NashConv of `policy`. */
  readonly result: NashConvResult;
  /** NashConv of the average policy at each evaluation. */
  readonly curve: readonly { readonly iteration: number; readonly nashConv: number }[];
}

/**
 * Builds the tree (unless given one), runs CFR+ for `iterations` (or until `targetNashConv`), evaluating the
 * average policy every `evalEvery` iterations and after the last one.
 */
export function solve(game: Game<unknown, Action> | GameTree, options: SolveOptions): SolveResult {
  const tree = 'slotStart' in game ? game : buildGameTree(game);
  const solver = new CfrPlusSolver(tree, options);
  const every = Math.max(1, Math.floor(options.evalEvery ?? options.iterations / 20));
  const curve: { iteration: number; nashConv: number }[] = [];
  let result: NashConvResult | undefined;
  while (solver.iterations < options.iterations) {
    solver.iterate(Math.min(every, options.iterations - solver.iterations));
    result = nashConv(tree, solver.averageSlots());
    curve.push({ iteration: solver.iterations, nashConv: result.nashConv });
    options.onProgress?.(solver.iterations, result.nashConv);
    if (options.targetNashConv !== undefined && result.nashConv <= options.targetNashConv) break;
  }
  const average = solver.averageSlots();
  return { tree, solver, policy: tableFromSlots(tree, average), result: result ?? nashConv(tree, average), curve };
}
