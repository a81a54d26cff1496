/**
 * Monte Carlo tree search (UCT) with uniformly random rollouts, for perfect-information sequential games.
 *
 * Each simulation descends from the root by UCB1 (mean reward of the seat that chose the edge, normalised to
 * [0, 1] by the game's utility bounds, plus c * sqrt(ln N / n)), expands one untried action, plays random
 * moves to the end (or for at most `maxRolloutLength` steps, then scores the returns so far) and backs the
 * returns up the path. Chance nodes, if any, are sampled by their probabilities. All randomness comes from one
 * generator seeded by `seed`, so the agent is deterministic per seed. The move is the most visited root action.
 */
import type { Agent, SeatView } from './agent';
import { requirePerfectInformation } from './alphabeta';
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type Game, type Seat } from '../environments/core/game';
import { Rng } from '../environments/core/rng';

export interface MctsOptions {
  /** Simulations per move (default 400). */
  readonly simulations?: number;
  /** UCB exploration constant (default sqrt 2). */
  readonly c?: number;
  /** Seed of the agent's generator. */
  readonly seed: number;
  /** Steps after which a rollout stops and scores the returns so far (default: play to the end). */
  readonly maxRolloutLength?: number;
}

interface TreeNode<S> {
  readonly state: S;
  /** Seat to act here, CHANCE, or -2 when terminal. */
  readonly mover: Seat;
  /** Legal actions (decision node) or outcome actions (chance node). */
  readonly actions: readonly number[];
  /** Outcome probabilities at a chance node. */
  readonly probs: readonly number[] | null;
  /** Children by action index. */
  readonly children: (TreeNode<S> | undefined)[];
  /** Indices of actions not expanded yet (decision nodes). */
  readonly untried: number[];
  visits: number;
  /** Sum of normalised rewards of the seat that acted at the parent (decision parents only). */
  value: number;
}

const TERMINAL = -2;

export class MctsAgent<S = unknown> implements Agent<number> {
  readonly name: string;
  /** Tree nodes created by the last `act` call. */
  lastNodes = 0;

  private readonly game: Game<S, number>;
  private readonly simulations: number;
  private readonly c: number;
  private readonly rng: Rng;
  private readonly maxRollout: number;
  private readonly lo: number;
  private readonly span: number;
  private nodes = 0;

  constructor(game: Game<S, number>, opts: MctsOptions) {
    requirePerfectInformation(game as Game<unknown, number>, 'mcts');
    const simulations = opts.simulations ?? 400;
    if (!Number.isInteger(simulations) || simulations < 1) {
      throw new ArenaError('agent/invalid-spec', `mcts: simulations must be an integer >= 1, got ${simulations}`);
    }
    this.game = game;
    this.simulations = simulations;
    this.c = opts.c ?? Math.SQRT2;
    this.rng = Rng.fromSeed(opts.seed);
    this.maxRollout = opts.maxRolloutLength ?? Infinity;
    const span = game.maxUtility - game.minUtility;
    this.lo = game.minUtility;
    this.span = span > 0 && Number.isFinite(span) ? span : 1;
    const extra = opts.maxRolloutLength === undefined ? '' : `,rollout=${opts.maxRolloutLength}`;
    this.name = `mcts:simulations=${simulations},c=${+this.c.toFixed(3)}${extra}`;
  }

  act(view: SeatView<unknown, number>): number {
    if (view.state === undefined) {
      throw new ArenaError('agent/unsupported-game', `mcts: no state in the view (${this.game.spec.id})`);
    }
    const legal = view.legalActions;
    if (legal.length === 0) throw new ArenaError('agent/unsupported-game', 'mcts: no legal action');
    if (legal.length === 1) return legal[0] as number;
    this.nodes = 0;
    const root = this.node(view.state as S);
    const path: TreeNode<S>[] = [];
    for (let i = 0; i < this.simulations; i++) {
      path.length = 0;
      const returns = this.simulate(root, path);
      for (let k = 0; k < path.length; k++) {
        const n = path[k] as TreeNode<S>;
        n.visits++;
        const parent = k > 0 ? (path[k - 1] as TreeNode<S>) : undefined;
        if (parent !== undefined && parent.mover >= 0) {
          n.value += ((returns[parent.mover] as number) - this.lo) / this.span;
        }
      }
    }
    this.lastNodes = this.nodes;
    let bestVisits = -1;
    let best: number[] = [];
    root.children.forEach((child, i) => {
      if (child === undefined) return;
      if (child.visits > bestVisits) {
        bestVisits = child.visits;
        best = [i];
      } else if (child.visits === bestVisits) {
        best.push(i);
      }
    });
    const index = best.length === 1 ? (best[0] as number) : this.rng.pick(best);
    return root.actions[index] as number;
  }

  private node(state: S): TreeNode<S> {
    this.nodes++;
    const game = this.game;
    if (game.isTerminal(state)) {
      return { state, mover: TERMINAL, actions: [], probs: null, children: [], untried: [], visits: 0, value: 0 };
    }
    const mover = game.currentPlayers(state)[0] as Seat;
    if (mover === CHANCE) {
      const outcomes = game.chanceOutcomes(state);
      return {
        state,
        mover,
        actions: outcomes.map((o) => o.action),
        probs: outcomes.map((o) => o.probability),
        children: new Array<TreeNode<S> | undefined>(outcomes.length),
        untried: [],
        visits: 0,
        value: 0,
      };
    }
    const actions = game.legalActions(state, mover);
    return {
      state,
      mover,
      actions,
      probs: null,
      children: new Array<TreeNode<S> | undefined>(actions.length),
      untried: actions.map((_, i) => i),
      visits: 0,
      value: 0,
    };
  }

  private child(node: TreeNode<S>, index: number): TreeNode<S> {
    let child = node.children[index];
    if (child === undefined) {
      const next = this.game.apply(node.state, [node.actions[index] as number]);
      if (next instanceof ArenaError) throw next;
      child = this.node(next);
      node.children[index] = child;
    }
    return child;
  }

  /** One selection-expansion-rollout pass; fills `path` (root first) and returns the returns to back up. */
  private simulate(root: TreeNode<S>, path: TreeNode<S>[]): readonly number[] {
    let node = root;
    path.push(node);
    while (node.mover !== TERMINAL) {
      if (node.mover === CHANCE) {
        node = this.child(node, this.rng.weighted(node.probs as readonly number[]));
        path.push(node);
        continue;
      }
      if (node.untried.length > 0) {
        // Expand a random untried action, then roll out from the new node.
        const k = this.rng.int(node.untried.length);
        const index = node.untried[k] as number;
        node.untried[k] = node.untried[node.untried.length - 1] as number;
        node.untried.pop();
        node = this.child(node, index);
        path.push(node);
        return this.rollout(node.state);
      }
      node = this.select(node);
      path.push(node);
    }
    return this.game.returns(node.state);
  }

  private select(node: TreeNode<S>): TreeNode<S> {
    const logN = Math.log(node.visits);
    let best: TreeNode<S> | undefined;
    let bestScore = -Infinity;
    for (const child of node.children) {
      if (child === undefined) continue;
      const score = child.value / child.visits + this.c * Math.sqrt(logN / child.visits);
      if (score > bestScore) {
        bestScore = score;
        best = child;
      }
    }
    return best as TreeNode<S>;
  }

  private rollout(start: S): readonly number[] {
    const game = this.game;
    const rng = this.rng;
    let state = start;
    for (let steps = 0; steps < this.maxRollout && !game.isTerminal(state); steps++) {
      const mover = game.currentPlayers(state)[0] as Seat;
      let action: number;
      if (mover === CHANCE) {
        const outcomes = game.chanceOutcomes(state);
        action = (outcomes[rng.weighted(outcomes.map((o) => o.probability))] as { action: number }).action;
      } else {
        const legal = game.legalActions(state, mover);
        action = legal[rng.int(legal.length)] as number;
      }
      const next = game.apply(state, [action]);
      if (next instanceof ArenaError) throw next;
      state = next;
    }
    return game.returns(state);
  }
}
