/**
 * Policy-Space Response Oracles (Lanctot et al. 2017; OpenSpiel psro_v2) for two-player zero-sum games whose
 * tree can be enumerated (Kuhn, Leduc poker), with exact oracles and exact meta-game payoffs:
 *
 *   populations start as { uniform } for each player; every iteration
 *   1. the empirical payoff matrix M[i][j] = expected return of player 0 when population-0 member i plays
 *      population-1 member j, computed exactly on the tree (policyValues; no sampling), only the new row and
 *      column being evaluated each iteration;
 *   2. a meta-solver turns M into a distribution over each population ('uniform' or 'nash', see meta-solvers.ts);
 *   3. each player's meta-mixture is turned into one behaviour policy (mixPolicies, reach-weighted), and each
 *      player gets the exact pure best response (bestResponseSlots) to the other player's mixed policy added to
 *      its population.
 *
 * The reported quantity per iteration is the NashConv of the profile formed by the two mixed behaviour policies,
 * which equals the NashConv of the meta-mixture itself (mixPolicies preserves every outcome distribution).
 *
 * Population members are full SlotPolicy arrays, but only the owning player's slots are meaningful (a best
 * response copies the opponent's slots from the profile it answers; they are ignored).
 */
import type { Action, Game } from '../environments/core/game';
import { bestResponseSlots, nashConv, policyValues } from '../agents/solvers/best-response';
import { CHANCE_NODE, TERMINAL, buildGameTree, uniformSlots, type GameTree, type SlotPolicy } from '../agents/solvers/game-tree';
import { tableFromSlots, type PolicyTable } from '../agents/tabular-policy';
import { META_SOLVERS, type MetaSolver, type MetaSolverName } from './meta-solvers';

export type TreeSource = GameTree | Game<unknown, Action>;

function treeOf(source: TreeSource): GameTree {
  return 'slotStart' in source ? source : buildGameTree(source);
}

/**
 * Own reach probability of `player` at each of its information sets under `slots`: the product of `player`'s
 * own action probabilities on the path to the set (chance and opponent factors excluded). Perfect recall makes
 * it the same at every history of the set; the first history is read. Other players' sets get NaN.
 */
export function ownReachByInfoset(tree: GameTree, slots: SlotPolicy, player: number): Float64Array {
  const { kind, player: who, firstChild, numChildren, infoset, slotStart } = tree;
  const reach = new Float64Array(tree.numNodes);
  reach[0] = 1;
  for (let n = 0; n < tree.numNodes; n++) {
    const k = kind[n];
    if (k === TERMINAL) continue;
    const r = reach[n] as number;
    const first = firstChild[n] as number;
    const end = first + (numChildren[n] as number);
    if (k === CHANCE_NODE || who[n] !== player) {
      for (let c = first; c < end; c++) reach[c] = r;
    } else {
      const base = (slotStart[infoset[n] as number] as number) - first;
      for (let c = first; c < end; c++) reach[c] = r * (slots[base + c] as number);
    }
  }
  const out = new Float64Array(tree.numInfosets).fill(NaN);
  for (let i = 0; i < tree.numInfosets; i++) {
    if (tree.infosetPlayer[i] !== player) continue;
    out[i] = reach[tree.infosetNodes[tree.infosetNodeStart[i] as number] as number] as number;
  }
  return out;
}

/**
 * The behaviour policy of `player` equivalent to the mixture "pick member k with probability weights[k], then
 * play it throughout" (Kuhn's theorem; OpenSpiel's PolicyAggregator). At each information set I of `player`:
 *
 *   mixed(a | I) = sum_k w_k x_k(I) pi_k(a | I) / sum_k w_k x_k(I),
 *
 * where x_k(I) is member k's own reach probability of I (ownReachByInfoset). Where no member with positive
 * weight reaches I the plain weighted average sum_k w_k pi_k(a | I) is used (any choice is outcome-equivalent).
 * Against any fixed opponent the mixed policy's expected returns equal the weighted average of the members'.
 *
 * Weights need not be normalised (they must be >= 0 with a positive sum). Slots of the other player's
 * information sets are copied from `base` (default: the uniform policy).
 */
export function mixPolicies(
  tree: GameTree,
  policies: readonly SlotPolicy[],
  weights: readonly number[],
  player: number,
  base?: SlotPolicy,
): SlotPolicy {
  if (policies.length === 0) throw new Error('mixPolicies: no policies');
  if (weights.length !== policies.length) {
    throw new Error(`mixPolicies: ${policies.length} policies but ${weights.length} weights`);
  }
  let total = 0;
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) throw new Error(`mixPolicies: weight ${w} is not a number >= 0`);
    total += w;
  }
  if (!(total > 0)) throw new Error('mixPolicies: weights sum to 0');
  for (const p of policies) {
    if (p.length !== tree.numSlots) throw new Error(`mixPolicies: policy of ${p.length} slots, tree has ${tree.numSlots}`);
  }
  const out = base ? Float64Array.from(base) : uniformSlots(tree);
  if (out.length !== tree.numSlots) throw new Error(`mixPolicies: base of ${out.length} slots, tree has ${tree.numSlots}`);

  const active: number[] = [];
  weights.forEach((w, k) => {
    if (w > 0) active.push(k);
  });
  const reaches = active.map((k) => ownReachByInfoset(tree, policies[k] as SlotPolicy, player));
  for (let i = 0; i < tree.numInfosets; i++) {
    if (tree.infosetPlayer[i] !== player) continue;
    const lo = tree.slotStart[i] as number;
    const hi = tree.slotStart[i + 1] as number;
    let den = 0;
    for (let a = 0; a < active.length; a++) {
      den += (weights[active[a] as number] as number) * ((reaches[a] as Float64Array)[i] as number);
    }
    const reached = den > 0;
    for (let s = lo; s < hi; s++) {
      let num = 0;
      for (let a = 0; a < active.length; a++) {
        const k = active[a] as number;
        const w = (weights[k] as number) * (reached ? ((reaches[a] as Float64Array)[i] as number) : 1);
        num += w * ((policies[k] as SlotPolicy)[s] as number);
      }
      out[s] = num / (reached ? den : total);
    }
  }
  return out;
}

/** Per-slot owner: the seat acting at the slot's information set. */
function slotOwners(tree: GameTree): Int8Array {
  const owner = new Int8Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    owner.fill(tree.infosetPlayer[i] as number, tree.slotStart[i] as number, tree.slotStart[i + 1] as number);
  }
  return owner;
}

/** The profile playing `policy0` at player 0's information sets and `policy1` at player 1's. */
export function combineProfile(tree: GameTree, policy0: SlotPolicy, policy1: SlotPolicy, owners = slotOwners(tree)): SlotPolicy {
  const out = new Float64Array(tree.numSlots);
  for (let s = 0; s < tree.numSlots; s++) out[s] = (owners[s] === 0 ? policy0[s] : policy1[s]) as number;
  return out;
}

/** Exact meta-game payoffs of player 0: M[i][j] = value of population0[i] against population1[j]. */
export function payoffMatrix(tree: GameTree, population0: readonly SlotPolicy[], population1: readonly SlotPolicy[]): number[][] {
  const owners = slotOwners(tree);
  return population0.map((p0) => population1.map((p1) => policyValues(tree, combineProfile(tree, p0, p1, owners))[0]));
}

export interface PsroIterationReport {
  /** 0 for the initial populations ({uniform}, {uniform}); k after k rounds of best responses. */
  readonly iteration: number;
  /** NashConv of the meta-mixture profile (the two mixed behaviour policies). */
  readonly nashConv: number;
  /** Meta-strategies over population 0 and population 1. */
  readonly metaWeights: readonly [readonly number[], readonly number[]];
  /** Player 0's expected return under the meta-strategies (the meta-game value under 'nash'). */
  readonly metaValue: number;
  /** Population sizes at this iteration. */
  readonly populationSizes: readonly [number, number];
}

export interface PsroOptions {
  /** Rounds of best responses to add (each adds one policy per player). */
  readonly iterations: number;
  /** 'uniform' (default, = fictitious play over the population), 'nash', or a custom meta-solver. */
  readonly metaSolver?: MetaSolverName | MetaSolver;
  /** Called after each meta-solve (iteration 0 .. iterations) with the meta-mixture's NashConv. */
  readonly onIteration?: (iteration: number, nashConv: number, report: PsroIterationReport) => void;
}

export interface PsroResult {
  readonly tree: GameTree;
  /** nashConvCurve[k] = NashConv of the meta-mixture after k rounds of best responses (length iterations + 1). */
  readonly nashConvCurve: number[];
  readonly reports: PsroIterationReport[];
  /** Population per player, the uniform policy first, then one best response per iteration. */
  readonly populations: readonly [SlotPolicy[], SlotPolicy[]];
  /** Final meta-strategies over each population. */
  readonly metaWeights: readonly [number[], number[]];
  /** Final empirical payoff matrix of player 0 (rows: population 0, columns: population 1). */
  readonly payoffs: number[][];
  /** Final meta-mixture profile as one behaviour policy per player, combined (mixPolicies). */
  readonly slots: SlotPolicy;
  /** The same profile as a policy table (every information set, OpenSpiel keys). */
  readonly policy: PolicyTable;
}

/** Throws unless every terminal's returns sum to 0 (the meta-game then is zero-sum: one matrix describes it). */
function assertZeroSum(tree: GameTree): void {
  for (let n = 0; n < tree.numNodes; n++) {
    if (tree.kind[n] !== TERMINAL) continue;
    const s = (tree.returns0[n] as number) + (tree.returns1[n] as number);
    if (Math.abs(s) > 1e-9) throw new Error(`PSRO: ${tree.gameId} is not zero-sum (returns sum to ${s} at node ${n})`);
  }
}

/** Runs PSRO (see the module comment) with exact best responses and exact meta-game payoffs. */
export function runPsro(source: TreeSource, options: PsroOptions): PsroResult {
  const tree = treeOf(source);
  assertZeroSum(tree);
  const { iterations } = options;
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`PSRO: iterations ${iterations} is not an integer >= 0`);
  const solver: MetaSolver =
    typeof options.metaSolver === 'function' ? options.metaSolver : META_SOLVERS[options.metaSolver ?? 'uniform'];
  const owners = slotOwners(tree);
  const value0 = (p0: SlotPolicy, p1: SlotPolicy): number => policyValues(tree, combineProfile(tree, p0, p1, owners))[0];

  const uniform = uniformSlots(tree);
  const pop0: SlotPolicy[] = [uniform];
  const pop1: SlotPolicy[] = [Float64Array.from(uniform)];
  const payoffs: number[][] = [[value0(uniform, uniform)]];
  const curve: number[] = [];
  const reports: PsroIterationReport[] = [];
  let weights: [number[], number[]] = [[1], [1]];
  let profile: SlotPolicy = uniform;

  for (let it = 0; ; it++) {
    const meta = solver(payoffs);
    if (meta.row.length !== pop0.length || meta.col.length !== pop1.length) {
      throw new Error(`PSRO: meta-solver returned ${meta.row.length}x${meta.col.length} weights for ${pop0.length}x${pop1.length} populations`);
    }
    weights = [meta.row.slice(), meta.col.slice()];
    const mixed0 = mixPolicies(tree, pop0, weights[0], 0);
    const mixed1 = mixPolicies(tree, pop1, weights[1], 1);
    profile = combineProfile(tree, mixed0, mixed1, owners);
    const nc = nashConv(tree, profile).nashConv;
    let metaValue = 0;
    payoffs.forEach((row, i) => row.forEach((x, j) => (metaValue += (weights[0][i] as number) * (weights[1][j] as number) * x)));
    const report: PsroIterationReport = {
      iteration: it,
      nashConv: nc,
      metaWeights: [weights[0], weights[1]],
      metaValue,
      populationSizes: [pop0.length, pop1.length],
    };
    curve.push(nc);
    reports.push(report);
    options.onIteration?.(it, nc, report);
    if (it === iterations) break;

    // Oracles: each player's exact best response to the other player's meta-mixture (as one behaviour policy).
    const br0 = bestResponseSlots(tree, profile, 0);
    const br1 = bestResponseSlots(tree, profile, 1);
    // New column: the old population 0 against br1; new row: br0 against population 1 including br1.
    pop0.forEach((p0, i) => (payoffs[i] as number[]).push(value0(p0, br1)));
    pop1.push(br1);
    pop0.push(br0);
    payoffs.push(pop1.map((p1) => value0(br0, p1)));
  }

  return {
    tree,
    nashConvCurve: curve,
    reports,
    populations: [pop0, pop1],
    metaWeights: weights,
    payoffs,
    slots: profile,
    policy: tableFromSlots(tree, profile),
  };
}
