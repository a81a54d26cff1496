/**
 * The whole game tree of a small two-player sequential game, enumerated once into flat typed arrays so that
 * exact solvers (CFR+, best response) iterate over arrays instead of calling the game's rules again.
 *
 * Layout. Nodes are numbered 0..numNodes-1 with the root (`game.init(0)`) at 0. The children of a node are a
 * contiguous block `firstChild[n] .. firstChild[n] + numChildren[n] - 1`, and every child has a larger index
 * than its parent, so a loop in index order visits parents before children (reach probabilities) and a loop in
 * reverse index order visits children before parents (values). The children of a decision node follow the
 * legal actions in ascending order; those of a chance node follow `chanceOutcomes` order.
 *
 * Information sets are keyed by `game.informationState(state, player)`. Each has a range of "slots", one per
 * legal action: `slotStart[i] .. slotStart[i + 1] - 1`, with `slotAction[s]` the action id. Child k of a
 * decision node in information set i corresponds to slot `slotStart[i] + k`. Per-slot Float64Arrays (a policy,
 * regrets) are the solvers' working format (`SlotPolicy`).
 */
import { ArenaError } from '../../environments/core/errors';
import { CHANCE, type Action, type Game } from '../../environments/core/game';
import { applyOrThrow } from '../../environments/core/helpers';
import { Rng } from '../../environments/core/rng';
import type { TabularPolicy } from '../agent';

/** Node kinds stored in `GameTree.kind`. */
export const TERMINAL = 0;
export const CHANCE_NODE = 1;
export const DECISION = 2;
/** `GameTree.player` of a terminal node (OpenSpiel's kTerminalPlayerId). */
export const TERMINAL_PLAYER = -4;

/** Probability per slot (see the module comment): a behaviour policy for every information set of a tree. */
export type SlotPolicy = Float64Array;

export interface GameTree {
  /** Registry id of the game the tree was built from. */
  readonly gameId: string;
  /** Number of discrete action ids (`game.actionSpace.n`): the length of a policy-file row. */
  readonly numActions: number;
  readonly numNodes: number;
  readonly numTerminals: number;
  readonly numChanceNodes: number;
  readonly numDecisionNodes: number;
  /** TERMINAL, CHANCE_NODE or DECISION per node. */
  readonly kind: Uint8Array;
  /** Seat to act at decision nodes; CHANCE (-1) at chance nodes; TERMINAL_PLAYER (-4) at terminals. */
  readonly player: Int8Array;
  /** Parent index (-1 for the root). */
  readonly parent: Int32Array;
  /** Index of the first child (0 for terminals, which have none). */
  readonly firstChild: Int32Array;
  /** Number of children (0 for terminals). */
  readonly numChildren: Int32Array;
  /** The action that led from the parent to this node (-1 for the root). */
  readonly action: Int32Array;
  /** Probability of the chance outcome that led here; 1 when the parent is not a chance node (and at the root). */
  readonly chanceProb: Float64Array;
  /** Final return of player 0 at terminals; 0 elsewhere. */
  readonly returns0: Float64Array;
  /** Final return of player 1 at terminals; 0 elsewhere. */
  readonly returns1: Float64Array;
  /** Information-set index at decision nodes; -1 elsewhere. */
  readonly infoset: Int32Array;
  readonly numInfosets: number;
  /** Information-state string per information set (index -> key), in order of first visit. */
  readonly infosetKeys: readonly string[];
  /** Key -> information-set index. */
  readonly infosetIndex: ReadonlyMap<string, number>;
  /** Seat acting at each information set. */
  readonly infosetPlayer: Int8Array;
  /** Slot range per information set (length numInfosets + 1). */
  readonly slotStart: Int32Array;
  /** Legal action id per slot. */
  readonly slotAction: Int32Array;
  readonly numSlots: number;
  /** Decision nodes per information set: `infosetNodes[infosetNodeStart[i] .. infosetNodeStart[i + 1] - 1]`. */
  readonly infosetNodeStart: Int32Array;
  readonly infosetNodes: Int32Array;
}

export interface BuildTreeOptions {
  /** Stop with ArenaError('agent/unsupported-game') past this many nodes (default 5,000,000). */
  readonly maxNodes?: number;
}

/** Doubles a typed array's capacity (copying) until it holds `needed` elements. */
function grow<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(arr: T, needed: number): T {
  if (needed <= arr.length) return arr;
  let cap = arr.length;
  while (cap < needed) cap *= 2;
  const Ctor = arr.constructor as new (n: number) => T;
  const next = new Ctor(cap);
  next.set(arr);
  return next;
}

/**
 * Enumerates the full tree of `game` from `game.init(0)`. Requires two players and sequential dynamics (one
 * seat or CHANCE to act at every non-terminal state), discrete integer actions, and every state of an
 * information set having the same legal actions (perfect recall is assumed by the solvers, not checked).
 * Throws ArenaError('agent/unsupported-game') otherwise or when the tree exceeds `maxNodes`.
 */
/**
 * Knuth's (1975) unbiased estimate of the number of nodes of a tree: the mean over random root-to-leaf probes of
 * 1 + b1 + b1*b2 + ..., where b_i is the branching factor met at depth i. A fixed seed keeps it deterministic.
 */
export function estimateTreeSize<S>(game: Game<S, Action>, probes = 200): number {
  const rng = Rng.fromSeed(0x5eed);
  let total = 0;
  for (let p = 0; p < probes; p++) {
    let state = game.init(p);
    let width = 1;
    let nodes = 1;
    while (!game.isTerminal(state)) {
      const seat = game.currentPlayers(state)[0] as number;
      const actions: readonly Action[] =
        seat === CHANCE ? game.chanceOutcomes(state).map((o) => o.action) : game.legalActions(state, seat);
      width *= actions.length;
      nodes += width;
      state = applyOrThrow(game, state, [actions[rng.int(actions.length)] as Action]);
    }
    total += nodes;
  }
  return total / probes;
}

export function buildGameTree<S>(game: Game<S, Action>, options: BuildTreeOptions = {}): GameTree {
  const gameId = game.spec.id;
  const unsupported = (why: string): ArenaError =>
    new ArenaError('agent/unsupported-game', `${gameId}: cannot enumerate the game tree: ${why}`);
  if (game.numPlayers !== 2) throw unsupported(`needs 2 players, got ${game.numPlayers}`);
  if (game.spec.dynamics !== 'sequential') throw unsupported(`needs sequential dynamics, got ${game.spec.dynamics}`);
  if (game.actionSpace.kind !== 'discrete') throw unsupported(`needs a discrete action space`);
  const numActions = game.actionSpace.n;
  const maxNodes = options.maxNodes ?? 5_000_000;
  // Refuse hopeless enumerations at once instead of after millions of nodes.
  const estimate = estimateTreeSize(game);
  if (estimate > 20 * maxNodes) {
    throw unsupported(`about ${estimate.toExponential(1)} nodes (random-probe estimate), more than the limit of ${maxNodes}`);
  }

  let cap = 1024;
  let kind = new Uint8Array(cap);
  let player = new Int8Array(cap);
  let parent = new Int32Array(cap);
  let firstChild = new Int32Array(cap);
  let numChildren = new Int32Array(cap);
  let action = new Int32Array(cap);
  let chanceProb = new Float64Array(cap);
  let returns0 = new Float64Array(cap);
  let returns1 = new Float64Array(cap);
  let infoset = new Int32Array(cap);
  let numNodes = 1;
  parent[0] = -1;
  action[0] = -1;
  chanceProb[0] = 1;

  const infosetKeys: string[] = [];
  const infosetIndex = new Map<string, number>();
  const infosetPlayerList: number[] = [];
  const infosetLegal: (readonly number[])[] = [];
  let numTerminals = 0;
  let numChanceNodes = 0;
  let numDecisionNodes = 0;

  /** Reserves `count` consecutive node indices for the children of `n`. */
  const allocChildren = (n: number, count: number): number => {
    const first = numNodes;
    numNodes += count;
    if (numNodes > maxNodes) throw unsupported(`more than ${maxNodes} nodes`);
    if (numNodes > cap) {
      while (cap < numNodes) cap *= 2;
      kind = grow(kind, cap);
      player = grow(player, cap);
      parent = grow(parent, cap);
      firstChild = grow(firstChild, cap);
      numChildren = grow(numChildren, cap);
      action = grow(action, cap);
      chanceProb = grow(chanceProb, cap);
      returns0 = grow(returns0, cap);
      returns1 = grow(returns1, cap);
      infoset = grow(infoset, cap);
    }
    firstChild[n] = first;
    numChildren[n] = count;
    for (let k = 0; k < count; k++) {
      parent[first + k] = n;
      chanceProb[first + k] = 1;
    }
    return first;
  };

  const step = (state: S, a: number): S => {
    const next = game.apply(state, [a]);
    if (next instanceof ArenaError) throw new Error(`${gameId}: enumerated action ${a} was rejected: ${next.message}`);
    return next;
  };

  const visit = (state: S, n: number): void => {
    const players = game.currentPlayers(state);
    if (players.length === 0) {
      const ret = game.returns(state);
      kind[n] = TERMINAL;
      player[n] = TERMINAL_PLAYER;
      infoset[n] = -1;
      returns0[n] = ret[0] ?? 0;
      returns1[n] = ret[1] ?? 0;
      numTerminals++;
      return;
    }
    if (players.length !== 1) throw unsupported(`${players.length} seats act at once`);
    const p = players[0] as number;
    if (p === CHANCE) {
      const outcomes = game.chanceOutcomes(state);
      kind[n] = CHANCE_NODE;
      player[n] = CHANCE;
      infoset[n] = -1;
      numChanceNodes++;
      const first = allocChildren(n, outcomes.length);
      for (let k = 0; k < outcomes.length; k++) {
        const o = outcomes[k] as (typeof outcomes)[number];
        if (typeof o.action !== 'number') throw unsupported('non-integer chance outcome');
        action[first + k] = o.action;
        chanceProb[first + k] = o.probability;
      }
      for (let k = 0; k < outcomes.length; k++) visit(step(state, action[first + k] as number), first + k);
      return;
    }
    const legal = game.legalActions(state, p) as readonly number[];
    if (legal.length === 0) throw unsupported(`seat ${p} to act has no legal actions`);
    const key = game.informationState(state, p);
    let idx = infosetIndex.get(key);
    if (idx === undefined) {
      idx = infosetKeys.length;
      infosetIndex.set(key, idx);
      infosetKeys.push(key);
      infosetPlayerList.push(p);
      infosetLegal.push(legal.slice());
    } else {
      const known = infosetLegal[idx] as readonly number[];
      if (infosetPlayerList[idx] !== p || known.length !== legal.length || known.some((a, i) => a !== legal[i])) {
        throw unsupported(`information state ${JSON.stringify(key)} has different players or legal actions`);
      }
    }
    kind[n] = DECISION;
    player[n] = p;
    infoset[n] = idx;
    numDecisionNodes++;
    const first = allocChildren(n, legal.length);
    for (let k = 0; k < legal.length; k++) action[first + k] = legal[k] as number;
    for (let k = 0; k < legal.length; k++) visit(step(state, legal[k] as number), first + k);
  };

  visit(game.init(0), 0);

  const numInfosets = infosetKeys.length;
  const slotStart = new Int32Array(numInfosets + 1);
  for (let i = 0; i < numInfosets; i++) slotStart[i + 1] = (slotStart[i] as number) + (infosetLegal[i] as number[]).length;
  const numSlots = slotStart[numInfosets] as number;
  const slotAction = new Int32Array(numSlots);
  for (let i = 0; i < numInfosets; i++) slotAction.set(infosetLegal[i] as number[], slotStart[i] as number);

  const infosetNodeStart = new Int32Array(numInfosets + 1);
  for (let n = 0; n < numNodes; n++) {
    const i = infoset[n] as number;
    if (i >= 0) infosetNodeStart[i + 1] = (infosetNodeStart[i + 1] as number) + 1;
  }
  for (let i = 0; i < numInfosets; i++) infosetNodeStart[i + 1] = (infosetNodeStart[i + 1] as number) + (infosetNodeStart[i] as number);
  const fill = infosetNodeStart.slice(0, numInfosets);
  const infosetNodes = new Int32Array(numDecisionNodes);
  for (let n = 0; n < numNodes; n++) {
    const i = infoset[n] as number;
    if (i < 0) continue;
    const at = fill[i] as number;
    infosetNodes[at] = n;
    fill[i] = at + 1;
  }

  return {
    gameId,
    numActions,
    numNodes,
    numTerminals,
    numChanceNodes,
    numDecisionNodes,
    kind: kind.slice(0, numNodes),
    player: player.slice(0, numNodes),
    parent: parent.slice(0, numNodes),
    firstChild: firstChild.slice(0, numNodes),
    numChildren: numChildren.slice(0, numNodes),
    action: action.slice(0, numNodes),
    chanceProb: chanceProb.slice(0, numNodes),
    returns0: returns0.slice(0, numNodes),
    returns1: returns1.slice(0, numNodes),
    infoset: infoset.slice(0, numNodes),
    numInfosets,
    infosetKeys,
    infosetIndex,
    infosetPlayer: Int8Array.from(infosetPlayerList),
    slotStart,
    slotAction,
    numSlots,
    infosetNodeStart,
    infosetNodes,
  };
}

/** Legal action ids of information set `i`, ascending. */
export function infosetActions(tree: GameTree, i: number): number[] {
  return Array.from(tree.slotAction.subarray(tree.slotStart[i], tree.slotStart[i + 1]));
}

/** The uniform policy over legal actions, per slot. */
export function uniformSlots(tree: GameTree): SlotPolicy {
  const out = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const lo = tree.slotStart[i] as number;
    const hi = tree.slotStart[i + 1] as number;
    out.fill(1 / (hi - lo), lo, hi);
  }
  return out;
}

/**
 * Reads a TabularPolicy at every information set of the tree into slots (probability of each legal action, as
 * the policy gives it; nothing is renormalised).
 */
export function slotsFromPolicy(tree: GameTree, policy: TabularPolicy): SlotPolicy {
  const out = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const legal = infosetActions(tree, i);
    const probs = policy.actionProbabilities(tree.infosetKeys[i] as string, legal);
    const lo = tree.slotStart[i] as number;
    for (let k = 0; k < legal.length; k++) out[lo + k] = probs[legal[k] as number] ?? 0;
  }
  return out;
}
