/**
 * Tabular policies: a probability per action id at each information state, their JSON file format, the
 * validation of such files against a game, and an agent that samples from one.
 *
 * File format (OpenSpiel information-state keys, one row of length `game.actionSpace.n` per key):
 *   { "<information-state string>": [p_action0, p_action1, ...], ... }
 * e.g. Kuhn poker `{ "0": [0.66, 0.34], "1pb": [1, 0], ... }`. Illegal actions have probability 0.
 */
import { readFileSync } from 'node:fs';
import { ArenaError } from '../environments/core/errors';
import type { Action, Game } from '../environments/core/game';
import { Rng } from '../environments/core/rng';
import type { Agent, SeatView, TabularPolicy } from './agent';
import { buildGameTree, infosetActions, type GameTree, type SlotPolicy } from './solvers/game-tree';

/** Tolerance on the sum of a row's probabilities. */
export const SUM_TOLERANCE = 1e-6;

/** A policy stored as a map from information state to a probability row (one entry per action id). */
export class PolicyTable implements TabularPolicy {
  private readonly rows = new Map<string, readonly number[]>();

  constructor(
    /** Length of every row (the game's number of discrete actions). */
    readonly numActions: number,
    entries: Iterable<readonly [string, ArrayLike<number>]> = [],
  ) {
    for (const [key, row] of entries) this.set(key, row);
  }

  /** Number of information states with a row. */
  get size(): number {
    return this.rows.size;
  }

  /** The row stored for `infoState`, or undefined. */
  get(infoState: string): readonly number[] | undefined {
    return this.rows.get(infoState);
  }

  has(infoState: string): boolean {
    return this.rows.has(infoState);
  }

  /** Stores a copy of `row` (length `numActions`; not validated further, see parsePolicyFile). */
  set(infoState: string, row: ArrayLike<number>): void {
    if (row.length !== this.numActions) {
      throw new Error(`PolicyTable.set(${JSON.stringify(infoState)}): row of ${row.length}, expected ${this.numActions}`);
    }
    this.rows.set(infoState, Object.freeze(Array.from(row)));
  }

  /** Information states in insertion order. */
  keys(): string[] {
    return [...this.rows.keys()];
  }

  /** [infoState, row] pairs in insertion order. */
  entries(): [string, readonly number[]][] {
    return [...this.rows.entries()];
  }

  /** The stored row; uniform over `legal` for an information state that has none. */
  actionProbabilities(infoState: string, legal: readonly number[]): readonly number[] {
    const row = this.rows.get(infoState);
    if (row) return row;
    const out = new Array<number>(this.numActions).fill(0);
    for (const a of legal) out[a] = 1 / legal.length;
    return out;
  }
}

type TreeSource = GameTree | Game<unknown, Action>;

function treeOf(source: TreeSource): GameTree {
  return 'slotStart' in source ? source : buildGameTree(source);
}

/** A table with a row for every information set of `tree`, from per-slot probabilities. */
export function tableFromSlots(tree: GameTree, slots: SlotPolicy): PolicyTable {
  const table = new PolicyTable(tree.numActions);
  const row = new Float64Array(tree.numActions);
  for (let i = 0; i < tree.numInfosets; i++) {
    row.fill(0);
    for (let s = tree.slotStart[i] as number; s < (tree.slotStart[i + 1] as number); s++) {
      row[tree.slotAction[s] as number] = slots[s] as number;
    }
    table.set(tree.infosetKeys[i] as string, row);
  }
  return table;
}

/** Uniform over the legal actions at every information set (builds the tree when given a game). */
export function uniformPolicy(source: TreeSource): PolicyTable {
  const tree = treeOf(source);
  const slots = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const lo = tree.slotStart[i] as number;
    const hi = tree.slotStart[i + 1] as number;
    slots.fill(1 / (hi - lo), lo, hi);
  }
  return tableFromSlots(tree, slots);
}

/** Probability 1 on the lowest legal action id at every information set. */
export function firstLegalPolicy(source: TreeSource): PolicyTable {
  const tree = treeOf(source);
  const slots = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) slots[tree.slotStart[i] as number] = 1;
  return tableFromSlots(tree, slots);
}

/** The file text: one key per line, keys sorted by UTF-16 code units (stable across runs and platforms). */
export function policyToJson(table: PolicyTable): string {
  const keys = table.keys().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return '{}\n';
  const lines = keys.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(table.get(k))}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

export interface ParsePolicyOptions {
  /** Every decision information set of the game must have a row (default true). */
  readonly requireComplete?: boolean;
  /** Accept keys that are not information states of the game (default false: an error). */
  readonly allowUnknownKeys?: boolean;
  /**
   * The game's tree (built from `game` when undefined). null: do not enumerate the game (for games too large
   * to enumerate): only the format, row lengths, signs and sums are checked; requires requireComplete false.
   */
  readonly tree?: GameTree | null;
  /** Names the file in error messages (default "policy"). */
  readonly source?: string;
}

function quote(key: string): string {
  const q = JSON.stringify(key);
  return q.length > 200 ? `${q.slice(0, 197)}..."` : q;
}

/**
 * Parses and validates a policy file for `game`. Throws ArenaError('policy/malformed') with a one-line message
 * naming the offending key: unparsable JSON, not an object, a row that is not an array of numbers, of the
 * wrong length, with a negative or non-finite entry, not summing to 1 (within SUM_TOLERANCE), with positive
 * weight on an action illegal there, an unknown key (unless allowed), or (requireComplete) the first missing
 * information state in tree order.
 */
export function parsePolicyFile(
  game: Game<unknown, Action>,
  text: string,
  options: ParsePolicyOptions = {},
): PolicyTable {
  const source = options.source ?? 'policy';
  const fail = (message: string): never => {
    throw new ArenaError('policy/malformed', `${source}: ${message}`.replace(/\s*\n\s*/g, ' '));
  };
  const requireComplete = options.requireComplete ?? true;
  if (options.tree === null && requireComplete) throw new Error('parsePolicyFile: requireComplete needs a tree');
  if (game.actionSpace.kind !== 'discrete') fail(`${game.spec.id} has no discrete actions`);
  const numActions = game.actionSpace.kind === 'discrete' ? game.actionSpace.n : 0;

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    fail(`not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail('expected a JSON object mapping information states to probability arrays');
  }
  const tree = options.tree === undefined ? buildGameTree(game) : options.tree;
  const table = new PolicyTable(numActions);
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const where = `entry ${quote(key)}`;
    if (!Array.isArray(value) || !value.every((x) => typeof x === 'number')) {
      fail(`${where}: expected an array of numbers`);
    }
    const row = value as number[];
    if (row.length !== numActions) {
      fail(`${where}: expected ${numActions} probabilities (one per action id), got ${row.length}`);
    }
    let sum = 0;
    row.forEach((p, a) => {
      if (!Number.isFinite(p) || p < 0) fail(`${where}: probability of action ${a} is ${p}, not a number >= 0`);
      sum += p;
    });
    if (Math.abs(sum - 1) > SUM_TOLERANCE) fail(`${where}: probabilities sum to ${sum}, not 1`);
    if (tree) {
      const i = tree.infosetIndex.get(key);
      if (i === undefined) {
        if (!options.allowUnknownKeys) fail(`${where}: not an information state of ${game.spec.id}`);
      } else {
        const legal = new Set(infosetActions(tree, i));
        row.forEach((p, a) => {
          if (p > 0 && !legal.has(a)) fail(`${where}: probability ${p} on action ${a}, which is illegal there`);
        });
      }
    }
    table.set(key, row);
  }
  if (requireComplete && tree) {
    const missing = tree.infosetKeys.filter((k) => !table.has(k));
    const first = missing[0];
    if (first !== undefined) {
      const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
      fail(`missing information state ${quote(first)}${more}`);
    }
  }
  return table;
}

/** Reads and validates a policy file (see parsePolicyFile); an unreadable file is also 'policy/malformed'. */
export function loadPolicyFile(game: Game<unknown, Action>, path: string, options: ParsePolicyOptions = {}): PolicyTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ArenaError('policy/malformed', `cannot read ${path}: ${why}`.replace(/\s*\n\s*/g, ' '), { cause });
  }
  return parsePolicyFile(game, text, { source: path, ...options });
}

/** Plays by sampling the policy's probabilities at the seat's information state with its own seeded Rng. */
export class TabularPolicyAgent implements Agent<number> {
  /** "policy:<source>". */
  readonly name: string;
  private readonly rng: Rng;

  constructor(
    private readonly policy: TabularPolicy,
    seed: number,
    /** What the policy came from (a file path), shown in the name. */
    source = 'table',
  ) {
    this.name = `policy:${source}`;
    this.rng = Rng.fromSeed(seed);
  }

  /** One legal action, drawn with the policy's probabilities; throws policy/malformed if they are all 0. */
  act(view: SeatView<unknown, number>): number {
    const legal = view.legalActions;
    const probs = this.policy.actionProbabilities(view.informationState, legal);
    const index = this.rng.weighted(legal.map((a) => probs[a] ?? 0));
    const action = legal[index];
    if (action === undefined) {
      throw new ArenaError('policy/malformed', `${this.name}: no legal action has positive probability at ${quote(view.informationState)}`);
    }
    return action;
  }
}
