/**
 * Agent specs as people type them: `random`, `first-legal`, `alphabeta:depth=4`, `mcts:simulations=400,c=1.4`,
 * `policy:path/to/policy.json`. Parameters are validated with zod; mistakes are ArenaError with one-line messages.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ArenaError } from '../environments/core/errors';
import type { Agent, AgentContext } from './agent';
import { AlphaBetaAgent } from './alphabeta';
import { DroneScriptedAgent } from './drone-skills';
import { DroneRandomAgent } from './drone/random-commands';
import { HanabiRulesAgent } from './hanabi-rules';
import { OvercookedGreedyAgent } from './overcooked-greedy';
import { FirstLegalAgent } from './first-legal';
import { MctsAgent } from './mcts';
import { loadMlpPolicy, NeuralAgent, type MlpPolicy } from './neural';
import { RandomAgent } from './random';
import { SlimeTrackerAgent } from './slime-tracker';
import { buildGameTree, type GameTree } from './solvers/game-tree';
import { loadPolicyFile, TabularPolicyAgent, type PolicyTable } from './tabular-policy';
import type { Game } from '../environments/core/game';

interface AgentKind {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  create(ctx: AgentContext, params: Record<string, string>, raw: string): Agent;
}

const num = (min: number, max: number) => z.coerce.number().min(min).max(max);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

function parseParams<T>(kind: string, schema: z.ZodType<T>, params: Record<string, string>): T {
  const r = schema.safeParse(params);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = issue?.path.join('.') ?? '';
    const what = issue?.code === 'unrecognized_keys' ? `unknown parameter(s) ${issue.keys.join(', ')}` : `${key}: ${issue?.message ?? 'invalid'}`;
    throw new ArenaError('agent/invalid-spec', `agent ${kind}: ${what}`);
  }
  return r.data;
}

/** Largest tree we enumerate to validate a policy file completely before play (Leduc has 9,457 nodes). */
const POLICY_TREE_LIMIT = 200_000;

function treeIfSmall(game: Game<unknown, never> | AgentContext['game']): GameTree | null {
  try {
    return buildGameTree(game, { maxNodes: POLICY_TREE_LIMIT });
  } catch (error) {
    if (error instanceof ArenaError) return null;
    throw error;
  }
}

/**
 * Validated policy tables by game, parameters and file. Matches create their agents afresh (`arena play`, league
 * workers), and validating a file means enumerating the game tree: do it once per file version, not per match.
 * Tables are read-only after validation, so agents share them (each keeps its own seeded generator).
 */
const policyCache = new Map<string, { version: string; table: PolicyTable }>();

function loadPolicyCached(game: AgentContext['game'], path: string): PolicyTable {
  let version = '';
  try {
    const st = statSync(path);
    version = `${st.mtimeMs}:${st.size}`;
  } catch {
    // unreadable: loadPolicyFile below reports it with the usual one-line error
  }
  const key = `${game.spec.id}|${JSON.stringify(game.params)}|${path}`;
  const hit = policyCache.get(key);
  if (hit && version !== '' && hit.version === version) return hit.table;
  const tree = treeIfSmall(game);
  const table = loadPolicyFile(game, path, tree ? { tree } : { tree: null, requireComplete: false, allowUnknownKeys: true });
  if (version !== '') policyCache.set(key, { version, table });
  return table;
}

/** Snapshot files are immutable (named by snapshot id), so a parsed network is kept per path for the worker's life. */
const neuralCache = new Map<string, MlpPolicy>();
function loadNeuralCached(path: string): MlpPolicy {
  let policy = neuralCache.get(path);
  if (!policy) {
    policy = loadMlpPolicy(path);
    if (neuralCache.size >= 256) neuralCache.delete(neuralCache.keys().next().value!);
    neuralCache.set(path, policy);
  }
  return policy;
}

export const AGENT_KINDS: readonly AgentKind[] = [
  {
    name: 'random',
    usage: 'random',
    summary: 'uniform over legal actions (seeded)',
    create: (ctx, p) => (parseParams('random', z.object({}).strict(), p), new RandomAgent(ctx.seed)),
  },
  {
    name: 'first-legal',
    usage: 'first-legal',
    summary: 'always the lowest legal action id',
    create: (_ctx, p) => (parseParams('first-legal', z.object({}).strict(), p), new FirstLegalAgent()),
  },
  {
    name: 'alphabeta',
    usage: 'alphabeta:depth=4',
    summary: 'depth-limited alpha-beta with the game heuristic (perfect-information games)',
    create: (ctx, p) => {
      const o = parseParams('alphabeta', z.object({ depth: int(1, 64).default(4) }).strict(), p);
      return new AlphaBetaAgent(ctx.game as Game<unknown, number>, { depth: o.depth, seed: ctx.seed });
    },
  },
  {
    name: 'mcts',
    usage: 'mcts:simulations=400,c=1.41',
    summary: 'UCT Monte Carlo tree search with random rollouts (perfect-information games)',
    create: (ctx, p) => {
      const o = parseParams('mcts', z.object({ simulations: int(1, 10_000_000).default(400), c: num(0, 100).default(Math.SQRT2) }).strict(), p);
      return new MctsAgent(ctx.game as Game<unknown, number>, { simulations: o.simulations, c: o.c, seed: ctx.seed });
    },
  },
  {
    name: 'hanabi-rules',
    usage: 'hanabi-rules',
    summary: 'rule-based Hanabi: plays cards known playable, hints playable cards, discards the oldest unhinted card',
    create: (ctx, p) => (parseParams('hanabi-rules', z.object({}).strict(), p), new HanabiRulesAgent(ctx.game)),
  },
  {
    name: 'overcooked-greedy',
    usage: 'overcooked-greedy',
    summary: 'greedy sub-goal planner with BFS paths (overcooked only, deterministic)',
    create: (ctx, p) => (parseParams('overcooked-greedy', z.object({}).strict(), p), new OvercookedGreedyAgent(ctx.game)),
  },
  {
    name: 'slime-tracker',
    usage: 'slime-tracker:offset=0.3,home=4',
    summary: 'scripted slime-volleyball baseline: stands under the predicted landing point, jumps at the ball',
    create: (ctx, p) => {
      if (ctx.game.spec.id !== 'slime-volleyball') throw new ArenaError('agent/unsupported-game', 'slime-tracker plays slime-volleyball only');
      const o = parseParams(
        'slime-tracker',
        z
          .object({
            offset: num(-5, 5).optional(),
            home: num(2, 22.5).optional(),
            contactHeight: num(1, 20).optional(),
            jumpReach: num(0, 10).optional(),
            jumpHeight: num(0, 20).optional(),
            tolerance: num(0, 5).optional(),
          })
          .strict(),
        p,
      );
      return new SlimeTrackerAgent(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    },
  },
  {
    name: 'drone-scripted',
    usage: 'drone-scripted:spread=1',
    summary: 'scripted drone-volleyball team policy (passer/setter/attacker skills on a cascaded controller) for one seat',
    create: (ctx, p) => new DroneScriptedAgent(ctx.seed, parseParams('drone-scripted', z.object({ spread: num(0, 10).default(1) }).strict(), p).spread),
  },
  {
    name: 'drone-random',
    usage: 'drone-random',
    summary: 'uniform random rotor commands in [-1, 1] every tick (seeded)',
    create: (ctx, p) => (parseParams('drone-random', z.object({}).strict(), p), new DroneRandomAgent(ctx.seed)),
  },
  {
    name: 'neural',
    usage: 'neural:FILE.mlp',
    summary: 'a policy-network snapshot of the learner (agents/mlp-snapshot.ts), sampled with the seat seed',
    create: (ctx, _p, raw) => {
      if (raw.length === 0) throw new ArenaError('agent/invalid-spec', 'agent neural: give a snapshot file, e.g. neural:data/snapshots/ID.mlp');
      const path = resolve(ctx.baseDir ?? process.cwd(), raw);
      return new NeuralAgent(loadNeuralCached(path), { seed: ctx.seed });
    },
  },
  {
    name: 'policy',
    usage: 'policy:FILE.json',
    summary: 'a tabular policy file (OpenSpiel information-state keys -> probability per action id)',
    create: (ctx, _p, raw) => {
      if (raw.length === 0) throw new ArenaError('agent/invalid-spec', 'agent policy: give a file, e.g. policy:kuhn.json');
      const path = resolve(ctx.baseDir ?? process.cwd(), raw);
      return new TabularPolicyAgent(loadPolicyCached(ctx.game, path), ctx.seed, raw);
    },
  },
];

/** Splits "name:k=v,k=v" (or "policy:FILE") into its kind and parameters. */
export function parseAgentSpec(spec: string): { kind: AgentKind; params: Record<string, string>; raw: string } {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const rest = colon < 0 ? '' : spec.slice(colon + 1).trim();
  const kind = AGENT_KINDS.find((k) => k.name === name);
  if (!kind) {
    throw new ArenaError('agent/unknown', `unknown agent "${name}" (known: ${AGENT_KINDS.map((k) => k.usage).join(', ')})`);
  }
  const params: Record<string, string> = {};
  // File-backed kinds take a path, not key=value pairs.
  if (kind.name !== 'policy' && kind.name !== 'neural' && rest.length > 0) {
    for (const part of rest.split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new ArenaError('agent/invalid-spec', `agent ${name}: expected key=value, got "${part}"`);
      params[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return { kind, params, raw: rest };
}

/** Creates an agent from a spec string for `ctx.game`. */
export function createAgent(spec: string, ctx: AgentContext): Agent {
  const { kind, params, raw } = parseAgentSpec(spec);
  return kind.create(ctx, params, raw);
}

/**
 * Splits an --agents list. Parameters also use commas ("mcts:simulations=400,c=2,random"), so a piece that is a
 * bare key=value belongs to the spec before it.
 */
export function splitAgentList(list: string): string[] {
  const out: string[] = [];
  for (const piece of list.split(',')) {
    const isParam = /^[A-Za-z_][\w-]*=/.test(piece.trim()) && !piece.includes(':');
    if (isParam && out.length > 0) out[out.length - 1] += `,${piece}`;
    else out.push(piece.trim());
  }
  return out.filter((s) => s.length > 0);
}
