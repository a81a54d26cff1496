/**
 * Exact best response, policy values and NashConv on an enumerated game tree (OpenSpiel's best_response.py and
 * exploitability.nash_conv, for two-player games with perfect recall).
 *
 * The best response of player i maximises, at each of its information sets I, the counterfactual action value
 * sum_{h in I} reach_{-i}(h) * v(h a), where reach_{-i} is the product of chance and opponent probabilities
 * on the path to h and v is the value of the subtree when i best-responds below. Perfect recall makes the
 * recursion over information sets well founded; it is memoised per node and per information set.
 */
import type { TabularPolicy } from '../agent';
import { CHANCE_NODE, TERMINAL, slotsFromPolicy, type GameTree, type SlotPolicy } from './game-tree';

export interface BestResponse {
  /** Expected return of the best-responding player against the fixed policy of the other. */
  readonly value: number;
  /** The best action id at each information set of the best-responding player (lowest id on ties); -1 elsewhere. */
  readonly actions: Int32Array;
}

export interface NashConvResult {
  /** Sum over players of (best-response value - on-policy value); 0 exactly at a Nash equilibrium. */
  readonly nashConv: number;
  /** nashConv / 2 (OpenSpiel's exploitability for two players). */
  readonly exploitability: number;
  /** Value of each player's best response against the other player's part of the policy. */
  readonly brValues: readonly [number, number];
  /** Expected returns of the players when both follow the policy. */
  readonly onPolicyValues: readonly [number, number];
}

function asSlots(tree: GameTree, policy: TabularPolicy | SlotPolicy): SlotPolicy {
  if (policy instanceof Float64Array) {
    if (policy.length !== tree.numSlots) throw new Error(`slot policy has ${policy.length} slots, tree ${tree.numSlots}`);
    return policy;
  }
  return slotsFromPolicy(tree, policy);
}

/** Expected final returns [player 0, player 1] when both players follow `policy` (one bottom-up pass). */
export function policyValues(tree: GameTree, policy: TabularPolicy | SlotPolicy): [number, number] {
  const slots = asSlots(tree, policy);
  const { kind, firstChild, numChildren, chanceProb, infoset, slotStart, returns0, returns1 } = tree;
  const v0 = new Float64Array(tree.numNodes);
  const v1 = new Float64Array(tree.numNodes);
  for (let n = tree.numNodes - 1; n >= 0; n--) {
    const k = kind[n];
    if (k === TERMINAL) {
      v0[n] = returns0[n] as number;
      v1[n] = returns1[n] as number;
      continue;
    }
    const first = firstChild[n] as number;
    const count = numChildren[n] as number;
    let a = 0;
    let b = 0;
    if (k === CHANCE_NODE) {
      for (let c = first; c < first + count; c++) {
        const p = chanceProb[c] as number;
        a += p * (v0[c] as number);
        b += p * (v1[c] as number);
      }
    } else {
      const base = (slotStart[infoset[n] as number] as number) - first;
      for (let c = first; c < first + count; c++) {
        const p = slots[base + c] as number;
        a += p * (v0[c] as number);
        b += p * (v1[c] as number);
      }
    }
    v0[n] = a;
    v1[n] = b;
  }
  return [v0[0] as number, v1[0] as number];
}

/** Reach probability of every node counting only chance and the seats other than `player`. */
function othersReach(tree: GameTree, slots: SlotPolicy, player: number): Float64Array {
  const { kind, player: who, firstChild, numChildren, chanceProb, infoset, slotStart } = tree;
  const reach = new Float64Array(tree.numNodes);
  reach[0] = 1;
  for (let n = 0; n < tree.numNodes; n++) {
    const k = kind[n];
    if (k === TERMINAL) continue;
    const r = reach[n] as number;
    const first = firstChild[n] as number;
    const end = first + (numChildren[n] as number);
    if (k === CHANCE_NODE) {
      for (let c = first; c < end; c++) reach[c] = r * (chanceProb[c] as number);
    } else if (who[n] === player) {
      for (let c = first; c < end; c++) reach[c] = r;
    } else {
      const base = (slotStart[infoset[n] as number] as number) - first;
      for (let c = first; c < end; c++) reach[c] = r * (slots[base + c] as number);
    }
  }
  return reach;
}

/** Exact best response of `player` (0 or 1) to the other player's part of `policy`. */
export function bestResponse(tree: GameTree, policy: TabularPolicy | SlotPolicy, player: number): BestResponse {
  const slots = asSlots(tree, policy);
  const { kind, player: who, firstChild, numChildren, chanceProb, infoset, slotStart } = tree;
  const { infosetNodeStart, infosetNodes } = tree;
  const returns = player === 0 ? tree.returns0 : tree.returns1;
  const reach = othersReach(tree, slots, player);
  const value = new Float64Array(tree.numNodes);
  const done = new Uint8Array(tree.numNodes);
  const actions = new Int32Array(tree.numInfosets).fill(-1);
  const bestIndex = new Int32Array(tree.numInfosets).fill(-1);

  const best = (i: number): number => {
    const known = bestIndex[i] as number;
    if (known >= 0) return known;
    const width = (slotStart[i + 1] as number) - (slotStart[i] as number);
    const q = new Float64Array(width);
    for (let j = infosetNodeStart[i] as number; j < (infosetNodeStart[i + 1] as number); j++) {
      const h = infosetNodes[j] as number;
      const r = reach[h] as number;
      if (r === 0) continue;
      const first = firstChild[h] as number;
      for (let k = 0; k < width; k++) q[k] = (q[k] as number) + r * val(first + k);
    }
    let arg = 0;
    for (let k = 1; k < width; k++) if ((q[k] as number) > (q[arg] as number)) arg = k;
    bestIndex[i] = arg;
    actions[i] = tree.slotAction[(slotStart[i] as number) + arg] as number;
    return arg;
  };

  const val = (n: number): number => {
    if (done[n] === 1) return value[n] as number;
    const k = kind[n];
    let v = 0;
    if (k === TERMINAL) {
      v = returns[n] as number;
    } else {
      const first = firstChild[n] as number;
      const end = first + (numChildren[n] as number);
      if (k === CHANCE_NODE) {
        for (let c = first; c < end; c++) v += (chanceProb[c] as number) * val(c);
      } else if (who[n] === player) {
        v = val(first + best(infoset[n] as number));
      } else {
        const base = (slotStart[infoset[n] as number] as number) - first;
        for (let c = first; c < end; c++) {
          const p = slots[base + c] as number;
          if (p !== 0) v += p * val(c);
        }
      }
    }
    value[n] = v;
    done[n] = 1;
    return v;
  };

  const rootValue = val(0);
  // Fill in best actions at information sets the recursion never needed (unreachable by the others' policy).
  for (let i = 0; i < tree.numInfosets; i++) if (tree.infosetPlayer[i] === player) best(i);
  return { value: rootValue, actions };
}

/** NashConv and its parts for a two-player policy (exact up to floating-point rounding). */
export function nashConv(tree: GameTree, policy: TabularPolicy | SlotPolicy): NashConvResult {
  const slots = asSlots(tree, policy);
  const onPolicyValues = policyValues(tree, slots);
  const brValues: [number, number] = [bestResponse(tree, slots, 0).value, bestResponse(tree, slots, 1).value];
  const nc = brValues[0] - onPolicyValues[0] + (brValues[1] - onPolicyValues[1]);
  return { nashConv: nc, exploitability: nc / 2, brValues, onPolicyValues };
}

/** The pure best response as a slot policy: probability 1 on `actions[i]` at `player`'s sets, `policy` elsewhere. */
export function bestResponseSlots(tree: GameTree, policy: TabularPolicy | SlotPolicy, player: number): SlotPolicy {
  const slots = Float64Array.from(asSlots(tree, policy));
  const { actions } = bestResponse(tree, slots, player);
  for (let i = 0; i < tree.numInfosets; i++) {
    if (tree.infosetPlayer[i] !== player) continue;
    for (let s = tree.slotStart[i] as number; s < (tree.slotStart[i + 1] as number); s++) {
      slots[s] = tree.slotAction[s] === actions[i] ? 1 : 0;
    }
  }
  return slots;
}
