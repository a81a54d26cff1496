/**
 * The league scenario format (YAML or JSON) and its validation.
 *
 * A scenario names a game, an initial population of agents (some marked as learners), how opponents are chosen
 * (the matchmaking strategy: self-play, fictitious play, PFSP, OpenAI Five, AlphaStar roles, PSRO or a round
 * robin), when learners are snapshotted, the budget, rating settings, workers and named schedules. Everything is
 * checked here, once: unknown keys, types and ranges, agent spec strings (parseAgentSpec, then built against the
 * game), the game id and parameters (loadGame), and every expression (compiled once, probed over its domain).
 *
 *   name: kuhn-psro
 *   game: { id: kuhn-poker }
 *   seed: 7
 *   population:
 *     - { name: uniform, agent: random }
 *     - { name: learner, agent: random, learner: true }
 *   matchmaking: { strategy: pfsp, weighting: hard, p: 2 }      # or "min(0.5, 1 - x)"
 *   snapshots: { everyMatches: 200 }
 *   budget: { matches: 2000, seconds: 600 }
 *   ratings: { bootstrap: 1000 }
 *   workers: 2
 *   schedules: { lr: "0.1 * exp(-step / 1000)" }
 *
 * `validateScenario` returns the result as a value: the compiled scenario, or the first problem as a field path
 * (`matchmaking.weighting`, `population[1].agent`) and a one-line message saying what was expected. load.ts adds
 * the file name and reads YAML/JSON.
 */
import { z } from 'zod';
import { createAgent, parseAgentSpec } from '../agents/registry';
import { ArenaError } from '../environments/core/errors';
import type { AnyGame } from '../environments/core/game';
import { findGameModule, gameIds, loadGame } from '../environments/registry';
import { compileExpression, type CompiledExpression } from './expressions';
import { remoteAgentName } from '../population/remote-member';
import { AGENT_NAME } from '../population/store/store';
import { weightingFunction } from '../population/matchmaking/pfsp';

/** Matchmaking strategies, in the order messages list them. */
export const STRATEGIES = ['selfplay-latest', 'fictitious', 'pfsp', 'openai-five', 'alphastar', 'psro', 'round-robin'] as const;
/** A matchmaking strategy name. */
export type Strategy = (typeof STRATEGIES)[number];

/** Named PFSP weightings f(x), x = P[learner beats opponent] (REFERENCES.md, "League mechanics"). */
export const WEIGHTINGS = ['hard', 'variance', 'linear', 'linear_capped'] as const;
/** A named PFSP weighting. */
export type WeightingName = (typeof WEIGHTINGS)[number];

/** PSRO meta-solvers supported here (nash: two-player zero-sum or constant-sum games only). */
export const META_SOLVERS = ['uniform', 'nash'] as const;
/** A PSRO meta-solver name. */
export type MetaSolver = (typeof META_SOLVERS)[number];

/** Strategies that train something, so the population needs at least one `learner: true` line. */
const NEEDS_LEARNER: readonly Strategy[] = ['selfplay-latest', 'openai-five', 'alphastar'];

/** One line of the initial population. */
export interface PopulationEntry {
  /** Unique display name within the scenario. */
  readonly name: string;
  /**
   * Agent spec string (`random`, `alphabeta:depth=4`, `mcts:simulations=400`, `policy:FILE`; FILE is relative to
   * the scenario file), or `remote:<agent name>` for a registered agent that plays over the network (leagues run
   * by the server, ARENA_LEAGUE).
   */
  readonly agent: string;
  /** True for a line that learns (its spec gives the initial policy); false for a fixed opponent. */
  readonly learner: boolean;
  /**
   * Learner scenarios only, fixed opponents only: the share of the learner's matches played against this member,
   * whatever the matchmaking strategy picks for the rest (a curriculum of fixed league members, as in the
   * Connect Four scenario: alpha-beta depth 2 gives the learner a teacher that pure self-play lacks).
   */
  readonly share?: number | undefined;
}

/** Every match is against the newest version of the learner itself. */
export interface SelfplayLatestMatchmaking {
  /** Discriminator. */
  readonly strategy: 'selfplay-latest';
}

/** Opponents drawn uniformly from everything in the league so far (fictitious self-play). */
export interface FictitiousMatchmaking {
  /** Discriminator. */
  readonly strategy: 'fictitious';
}

/** Prioritized fictitious self-play: opponent B drawn with probability proportional to weight(P[A beats B]). */
export interface PfspMatchmaking {
  /** Discriminator. */
  readonly strategy: 'pfsp';
  /** As written: a WeightingName or an expression in x. */
  readonly weighting: string;
  /** Exponent of `hard`, (1 - x)^p (default 2, "squared"); undefined for the other weightings. */
  readonly p: number | undefined;
  /**
   * The weighting as a function of x in [0, 1], compiled once at load. Returns a finite number >= 0; throws
   * ArenaError('cli/usage') if a user expression gives anything else for some x (loading probes 0, 0.25 ... 1).
   */
  readonly weight: (x: number) => number;
}

/** OpenAI Five: a share of games against the latest self, the rest against past selves. */
export interface OpenAiFiveMatchmaking {
  /** Discriminator. */
  readonly strategy: 'openai-five';
  /** Probability of playing the latest self (default 0.8). */
  readonly latestRatio: number;
}

/** Learner counts per AlphaStar role. */
export interface AlphaStarRoles {
  /** Main agents (>= 1, default 1). */
  readonly main: number;
  /** Main exploiters (default 1). */
  readonly mainExploiter: number;
  /** League exploiters (default 2). */
  readonly leagueExploiter: number;
}

/** The AlphaStar league: main agents, main exploiters and league exploiters with their PFSP rules. */
export interface AlphaStarMatchmaking {
  /** Discriminator. */
  readonly strategy: 'alphastar';
  /** How many learners of each role. */
  readonly roles: AlphaStarRoles;
  /** A learner is snapshotted when its win rate against its relevant opponents passes this (default 0.7). */
  readonly snapshotWinRate: number;
  /** ... or after this many of its matches without passing it. */
  readonly stepBudget: number;
}

/** Policy-space response oracles: each iteration adds a best response to the meta-strategy mixture. */
export interface PsroMatchmaking {
  /** Discriminator. */
  readonly strategy: 'psro';
  /** How the meta-strategy over the population is solved. */
  readonly metaSolver: MetaSolver;
  /** Number of PSRO iterations (best responses added per player). */
  readonly iterations: number;
}

/** Every pair of population members plays, in turn, until the budget runs out. */
export interface RoundRobinMatchmaking {
  /** Discriminator. */
  readonly strategy: 'round-robin';
}

/** How opponents are chosen; discriminated on `strategy`. */
export type Matchmaking =
  | SelfplayLatestMatchmaking
  | FictitiousMatchmaking
  | PfspMatchmaking
  | OpenAiFiveMatchmaking
  | AlphaStarMatchmaking
  | PsroMatchmaking
  | RoundRobinMatchmaking;

/** The game of a scenario. */
export interface ScenarioGame {
  /** Registry id (`kuhn-poker`). */
  readonly id: string;
  /** Parameters as written (default {}); `rules.params` has them with defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The rules, from loadGame(id, params). */
  readonly rules: AnyGame;
}

/** When a learner is frozen into the league as a fixed opponent (either condition; neither = never). */
export interface SnapshotPolicy {
  /** Every this many of the learner's matches. */
  readonly everyMatches?: number | undefined;
  /** When the learner's win rate against its current opponents passes this, in (0, 1]. */
  readonly winRateThreshold?: number | undefined;
}

/** When the run stops: whichever limit comes first (at least one is given). */
export interface Budget {
  /** Total matches played. */
  readonly matches?: number | undefined;
  /** Wall-clock seconds. */
  readonly seconds?: number | undefined;
}

/** Leaderboard settings. */
export interface RatingSettings {
  /** Bootstrap resamples for the 95% rating intervals (default 1000; 0 = no intervals). */
  readonly bootstrap: number;
}

/** A hyperparameter: a constant, or a function of the learner's update count (an expression in `step` or a schedule's name). */
export type Hyperparameter = (step: number) => number;

/** PPO settings of a learner line; unset fields take the learner's per-game preset (learner/presets.ts). */
export interface PpoSettings {
  /** Learning rate (may be a schedule). */
  readonly lr?: Hyperparameter | undefined;
  /** Entropy bonus (may be a schedule). */
  readonly entropyCoef?: Hyperparameter | undefined;
  readonly clip?: number | undefined;
  readonly valueCoef?: number | undefined;
  /** Weight of KL(pi || magnet), the magnet being a recent snapshot (magnetic mirror descent; 0 = off). */
  readonly magnetCoef?: number | undefined;
  readonly epochs?: number | undefined;
  readonly minibatch?: number | undefined;
  readonly maxGradNorm?: number | undefined;
}

/** How the learner process trains the scenario's learner line (`arena learn`, `arena train`). */
export interface LearnerSettings {
  /** Hidden layer widths of the policy/value MLP. */
  readonly hidden?: readonly number[] | undefined;
  /** Advantage estimator: SPIRAL's role-conditioned baselines, MARS per-role normalisation, GAE, or the shared cooperative reward. */
  readonly advantage?: 'rae' | 'mars' | 'gae' | 'shared' | undefined;
  /** Matches (records) per PPO update. */
  readonly episodesPerUpdate?: number | undefined;
  /** Publish a snapshot (and checkpoint) every this many updates. */
  readonly publishEvery: number;
  /** Data from snapshots more than this many versions behind the latest is read and dropped (counted as filtered). */
  readonly maxLag: number;
  /** tfjs backend: auto picks tfjs-node-gpu, tfjs-node, wasm, cpu in that order. */
  readonly backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  /** Stop after this many updates (else the budget decides). */
  readonly updates?: number | undefined;
  readonly ppo: PpoSettings;
  /** Evaluation of each published snapshot: exact NashConv where the game tree is small, win rates against fixed agents. */
  readonly evaluate: {
    readonly every: number;
    readonly opponents: readonly string[];
    readonly episodes: number;
  };
}

/** A validated, compiled scenario (defaults filled in). */
export interface Scenario {
  /** Display name of the run. */
  readonly name: string;
  /** The game and its loaded rules. */
  readonly game: ScenarioGame;
  /** Master seed of the run (an unsigned 32-bit integer). */
  readonly seed: number;
  /** The initial agents, in file order (names unique). */
  readonly population: readonly PopulationEntry[];
  /** How opponents are chosen. */
  readonly matchmaking: Matchmaking;
  /** When learners are frozen into the league. */
  readonly snapshots: SnapshotPolicy;
  /** When the run stops. */
  readonly budget: Budget;
  /** Leaderboard settings. */
  readonly ratings: RatingSettings;
  /** Parallel match workers (default 2). */
  readonly workers: number;
  /** Named schedules over `step`, compiled once; each call returns a finite number or throws. */
  readonly schedules: Readonly<Record<string, CompiledExpression<'step'>>>;
  /** Learner settings (only for scenarios trained by the learner process). */
  readonly learner: LearnerSettings | undefined;
}

/** The outcome of validateScenario: the scenario, or the first problem found. */
export type ScenarioResult =
  | {
      /** Valid. */
      readonly ok: true;
      /** The compiled scenario. */
      readonly scenario: Scenario;
    }
  | {
      /** Invalid. */
      readonly ok: false;
      /** Dotted field path with list indexes in brackets (`population[1].agent`); '' for the top level. */
      readonly path: string;
      /** One line saying what was expected. */
      readonly message: string;
    };

/** Options of validateScenario. */
export interface ValidateOptions {
  /** Directory relative `policy:FILE` agent paths resolve against (the scenario file's folder); default cwd. */
  readonly baseDir?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Building blocks

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const SCHEDULE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function listWords(words: readonly string[], last = 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}

/** A strict object whose unknown-key message lists the keys it accepts. */
function obj<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (expected ${listWords(keys)})`
        : undefined,
  });
}

/** Marks the type issue of integer fields, so describeIssue says "an integer" even for a string input. */
const INTEGER = 'expected an integer';
const int = (min: number, max: number) =>
  z.number({ error: (issue) => (issue.code === 'invalid_type' ? INTEGER : undefined) }).int().min(min).max(max);
const fraction = (min: number, max: number) => z.number().min(min).max(max);

const agentSpec = z.string().min(1).superRefine((spec, ctx) => {
  const remote = remoteAgentName(spec);
  if (remote !== undefined) {
    if (!AGENT_NAME.test(remote)) ctx.addIssue({ code: 'custom', message: `expected remote:<agent name> (1-64 letters, digits, "_", "." or "-": the name the agent registered with), got ${JSON.stringify(spec)}` });
    return;
  }
  try {
    parseAgentSpec(spec);
  } catch (error) {
    if (!(error instanceof ArenaError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

const populationEntry = obj({
  name: z.string().regex(NAME, { error: 'expected a name of letters, digits, "_", "." or "-" (at most 64, starting with a letter or digit)' }),
  agent: agentSpec,
  learner: z.boolean().default(false),
  share: z.number().min(0).max(1).optional(),
});

const population = z
  .array(populationEntry)
  .min(1)
  .superRefine((entries, ctx) => {
    const seen = new Map<string, number>();
    entries.forEach((entry, i) => {
      const first = seen.get(entry.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate name "${entry.name}" (also population[${first}])` });
      else seen.set(entry.name, i);
    });
  });

const game = obj({
  id: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
}).transform((g, ctx) => {
  try {
    return { id: g.id, params: g.params, rules: loadGame(g.id, g.params) };
  } catch (error) {
    if (!(error instanceof ArenaError)) throw error;
    if (error.code === 'env/unknown-game') {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `unknown game "${g.id}" (expected ${listWords(gameIds())})` });
    } else {
      // loadGame said the parameters are invalid; re-run the game's schema only to point at the parameter.
      const schema = findGameModule(g.id)?.spec.params;
      const parsed = schema?.safeParse(g.params, { reportInput: true });
      const issue = parsed && !parsed.success ? parsed.error.issues[0] : undefined;
      if (issue?.code === 'unrecognized_keys') {
        const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
        const known = shape.length > 0 ? `expected ${listWords(shape)}` : `${g.id} takes no parameters`;
        const keys = issue.keys.map((k) => `"${k}"`).join(', ');
        ctx.addIssue({ code: 'custom', path: ['params', ...issue.path], message: `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${keys} (${known})` });
      } else if (issue) {
        ctx.addIssue({ ...issue, path: ['params', ...issue.path] } as z.core.$ZodRawIssue);
      } else {
        ctx.addIssue({ code: 'custom', path: ['params'], message: error.message });
      }
    }
    return z.NEVER;
  }
});

/** A named PFSP weighting as the matchmaker's function (population/matchmaking/pfsp.ts); `hard` is (1 - x)^p. */
export function namedWeighting(name: WeightingName, p = 2): (x: number) => number {
  return weightingFunction(name === 'hard' ? { hard: p } : name);
}

const PROBE_X = [0, 0.25, 0.5, 0.75, 1];

/** Compiles a user weighting expression in x; a problem is returned as a message. */
function weightingExpression(source: string): ((x: number) => number) | string {
  const expected = `expected ${WEIGHTINGS.join(', ')} or an expression in x`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(source.trim()) && source.trim() !== 'x') return `unknown weighting "${source}" (${expected})`;
  let f: CompiledExpression<'x'>;
  try {
    f = compileExpression(source, { variables: ['x'] });
  } catch (error) {
    if (!(error instanceof ArenaError)) throw error;
    return `invalid weighting expression: ${error.message}`;
  }
  const weight = (x: number): number => {
    const w = f({ x });
    if (w < 0) throw new ArenaError('cli/usage', `weighting "${source}" gave ${w} for x = ${x} (expected a number >= 0)`);
    return w;
  };
  for (const x of PROBE_X) {
    try {
      weight(x);
    } catch (error) {
      if (!(error instanceof ArenaError)) throw error;
      return `${error.message.replace(/^expression/, 'weighting')}; it must give a finite number >= 0 for every x in [0, 1]`;
    }
  }
  return weight;
}

const pfsp = obj({
  strategy: z.literal('pfsp'),
  weighting: z.string().min(1),
  p: z.number().gt(0).max(100).optional(),
}).transform((m, ctx): PfspMatchmaking => {
  const named = (WEIGHTINGS as readonly string[]).includes(m.weighting) ? (m.weighting as WeightingName) : undefined;
  if (m.p !== undefined && named !== 'hard') {
    ctx.addIssue({ code: 'custom', path: ['p'], message: `p applies only to weighting hard, (1 - x)^p (weighting is "${m.weighting}")` });
    return z.NEVER;
  }
  if (named) {
    const p = named === 'hard' ? (m.p ?? 2) : undefined;
    return { strategy: 'pfsp', weighting: m.weighting, p, weight: namedWeighting(named, p) };
  }
  const weight = weightingExpression(m.weighting);
  if (typeof weight === 'string') {
    ctx.addIssue({ code: 'custom', path: ['weighting'], message: weight });
    return z.NEVER;
  }
  return { strategy: 'pfsp', weighting: m.weighting, p: undefined, weight };
});

const matchmaking = z.discriminatedUnion('strategy', [
  obj({ strategy: z.literal('selfplay-latest') }),
  obj({ strategy: z.literal('fictitious') }),
  pfsp,
  obj({ strategy: z.literal('openai-five'), latestRatio: fraction(0, 1).default(0.8) }),
  obj({
    strategy: z.literal('alphastar'),
    roles: obj({ main: int(1, 64).default(1), mainExploiter: int(0, 64).default(1), leagueExploiter: int(0, 64).default(2) }).default({
      main: 1,
      mainExploiter: 1,
      leagueExploiter: 2,
    }),
    snapshotWinRate: z.number().gt(0).max(1).default(0.7),
    stepBudget: int(1, 1e12),
  }),
  obj({ strategy: z.literal('psro'), metaSolver: z.enum(META_SOLVERS), iterations: int(1, 10_000) }),
  obj({ strategy: z.literal('round-robin') }),
]);

const schedules = z
  .record(z.string().regex(SCHEDULE_NAME, { error: 'expected a schedule name of letters, digits and "_" (starting with a letter or "_")' }), z.string())
  .default({})
  .transform((raw, ctx) => {
    const out: Record<string, CompiledExpression<'step'>> = {};
    for (const [name, source] of Object.entries(raw)) {
      try {
        const f = compileExpression(source, { variables: ['step'] });
        f({ step: 0 });
        out[name] = f;
      } catch (error) {
        if (!(error instanceof ArenaError)) throw error;
        ctx.addIssue({ code: 'custom', path: [name], message: `invalid schedule expression in step: ${error.message}` });
      }
    }
    return out;
  });

/** A hyperparameter as written: a number, an expression in `step`, or the name of an entry of `schedules`. */
type HyperInput = number | { readonly schedule: string } | CompiledExpression<'step'>;
const hyper = z.union([z.number(), z.string().min(1).max(500)]).transform((v, ctx): HyperInput => {
  if (typeof v === 'number') return v;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim()) && v.trim() !== 'step') return { schedule: v.trim() };
  try {
    const f = compileExpression(v, { variables: ['step'] });
    f({ step: 0 });
    return f;
  } catch (error) {
    if (!(error instanceof ArenaError)) throw error;
    ctx.addIssue({ code: 'custom', message: `invalid expression in step: ${error.message}` });
    return z.NEVER;
  }
});

const learnerSection = obj({
  hidden: z.array(int(1, 4096)).min(1).max(8).optional(),
  advantage: z.enum(['rae', 'mars', 'gae', 'shared']).optional(),
  episodesPerUpdate: int(1, 10_000_000).optional(),
  publishEvery: int(1, 1_000_000).default(10),
  maxLag: int(0, 1_000_000).default(4),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  updates: int(1, 1e12).optional(),
  ppo: obj({
    lr: hyper.optional(),
    entropyCoef: hyper.optional(),
    clip: z.number().gt(0).max(10).optional(),
    valueCoef: z.number().min(0).max(1e6).optional(),
    magnetCoef: z.number().min(0).max(1e6).optional(),
    epochs: int(1, 100).optional(),
    minibatch: int(1, 1_000_000).optional(),
    maxGradNorm: z.number().gt(0).max(1e6).optional(),
  }).default({}),
  evaluate: obj({
    every: int(1, 1_000_000).default(1),
    opponents: z.array(agentSpec).max(8).default([]),
    episodes: int(2, 100_000).default(100),
  }).default({ every: 1, opponents: [], episodes: 100 }),
});

/** Resolves schedule names and constants of the learner section into functions of the update count. */
function resolveLearner(
  raw: z.output<typeof learnerSection> | undefined,
  schedules: Readonly<Record<string, CompiledExpression<'step'>>>,
  ctx: z.RefinementCtx,
): LearnerSettings | undefined {
  if (!raw) return undefined;
  const ppo: Record<string, unknown> = { ...raw.ppo };
  for (const key of ['lr', 'entropyCoef'] as const) {
    const v = raw.ppo[key];
    if (v === undefined) continue;
    if (typeof v === 'number') ppo[key] = () => v;
    else if (typeof v === 'function') ppo[key] = (step: number) => v({ step });
    else {
      const schedule = schedules[v.schedule];
      if (!schedule) {
        const known = Object.keys(schedules);
        ctx.addIssue({ code: 'custom', path: ['learner', 'ppo', key], message: `unknown schedule "${v.schedule}" (${known.length ? `expected ${listWords(known)}` : 'no schedules defined'} or an expression in step)` });
        continue;
      }
      ppo[key] = (step: number) => schedule({ step });
    }
  }
  return { ...raw, ppo: ppo as PpoSettings };
}

/**
 * The zod schema of a scenario document (strict: unknown keys are errors). Parsing also loads the game and
 * compiles expressions; agent specs are checked by name and syntax here and built against the game by
 * validateScenario. Prefer validateScenario, which formats the first issue.
 */
export const scenarioSchema = obj({
  name: z.string().min(1).max(100),
  game,
  seed: int(0, 0xffff_ffff),
  population,
  matchmaking,
  snapshots: obj({ everyMatches: int(1, 1e12).optional(), winRateThreshold: z.number().gt(0).max(1).optional() }).default({}),
  budget: obj({ matches: int(1, 1e12).optional(), seconds: z.number().gt(0).max(1e9).optional() }).refine(
    (b) => b.matches !== undefined || b.seconds !== undefined,
    { error: 'expected matches, seconds or both' },
  ),
  ratings: obj({ bootstrap: int(0, 100_000).default(1000) }).default({ bootstrap: 1000 }),
  workers: int(1, 256).default(2),
  schedules,
  learner: learnerSection.optional(),
}).superRefine((s, ctx) => {
  const strategy = s.matchmaking.strategy;
  if (NEEDS_LEARNER.includes(strategy) && !s.population.some((p) => p.learner)) {
    ctx.addIssue({ code: 'custom', path: ['population'], message: `strategy ${strategy} needs at least one entry with learner: true` });
  }
  if (s.matchmaking.strategy === 'psro' && s.matchmaking.metaSolver === 'nash') {
    const rules = s.game.rules;
    const zeroSum = rules.spec.utility === 'zero-sum' || rules.spec.utility === 'constant-sum';
    if (rules.numPlayers !== 2 || !zeroSum) {
      ctx.addIssue({
        code: 'custom',
        path: ['matchmaking', 'metaSolver'],
        message: `nash needs a two-player zero-sum game (${rules.spec.id}: ${rules.numPlayers} players, ${rules.spec.utility}); use uniform`,
      });
    }
  }
  if (s.learner && s.population.filter((p) => p.learner).length !== 1) {
    ctx.addIssue({ code: 'custom', path: ['learner'], message: 'the learner process trains exactly one population entry with learner: true' });
  }
  s.population.forEach((p, i) => {
    if (s.learner && remoteAgentName(p.agent) !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['population', i, 'agent'], message: 'remote: members play through the server; the learner\'s actors play local agents only' });
    }
    if (p.share === undefined) return;
    if (!s.learner) ctx.addIssue({ code: 'custom', path: ['population', i, 'share'], message: 'share applies only to scenarios with a learner section' });
    else if (p.learner) ctx.addIssue({ code: 'custom', path: ['population', i, 'share'], message: 'share is for fixed opponents; the learner line cannot have one' });
  });
  const shares = s.population.reduce((sum, p) => sum + (p.share ?? 0), 0);
  if (shares > 1 + 1e-9) {
    ctx.addIssue({ code: 'custom', path: ['population'], message: `the shares of fixed opponents add up to ${Number(shares.toFixed(6))}; expected at most 1` });
  }
}).transform((s, ctx): Scenario => ({ ...s, learner: resolveLearner(s.learner, s.schedules, ctx) }));

/** The scenario document as written (before defaults and compilation). */
export type ScenarioInput = z.input<typeof scenarioSchema>;

// The explicit interface above is the contract; this line fails to compile if the schema drifts from it.
const _schemaMatchesInterface: (s: z.output<typeof scenarioSchema>) => Scenario = (s) => s;
void _schemaMatchesInterface;

// ---------------------------------------------------------------------------------------------------------
// Messages

/** `population[1].agent` from ['population', 1, 'agent']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function describeInput(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

function bound(issue: { origin?: string; inclusive?: boolean }, value: unknown, below: boolean): string {
  const n = String(value);
  switch (issue.origin) {
    case 'array':
    case 'set':
      return below ? `at least ${n} entr${n === '1' ? 'y' : 'ies'}` : `at most ${n} entries`;
    case 'string':
      return below ? (n === '1' ? 'a non-empty string' : `at least ${n} characters`) : `at most ${n} characters`;
    default:
      return `a number ${below ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<'} ${n}`;
  }
}

/** One line for one zod issue: what was expected, and what was found when it helps. */
function describeIssue(issue: z.core.$ZodIssue): { path: readonly PropertyKey[]; message: string } {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      const want = issue.message === INTEGER ? 'an integer' : (TYPE_NAMES[issue.expected] ?? issue.expected);
      return { path: issue.path, message: input === undefined ? `missing (expected ${want})` : `expected ${want}, got ${describeInput(input)}` };
    }
    case 'too_small':
      return { path: issue.path, message: `expected ${bound(issue, issue.minimum, true)}, got ${Array.isArray(input) ? `${input.length}` : describeInput(input)}` };
    case 'too_big':
      return { path: issue.path, message: `expected ${bound(issue, issue.maximum, false)}, got ${Array.isArray(input) ? `${input.length}` : describeInput(input)}` };
    case 'invalid_value':
      return { path: issue.path, message: `expected ${listWords(issue.values.map((v) => JSON.stringify(v)))}, got ${describeInput(input)}` };
    case 'invalid_union': {
      const u = issue as z.core.$ZodIssueInvalidUnion & { discriminator?: string; options?: unknown[] };
      if (u.discriminator) {
        const options = listWords((u.options ?? []).map(String));
        const value = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[u.discriminator] : undefined;
        const message = value === undefined ? `missing (expected ${options})` : `unknown ${u.discriminator} ${describeInput(value)} (expected ${options})`;
        return { path: issue.path, message };
      }
      return { path: issue.path, message: issue.message };
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      return { path: issue.path, message: inner ? describeIssue({ ...inner, path: [] } as z.core.$ZodIssue).message : issue.message };
    }
    default:
      return { path: issue.path, message: issue.message };
  }
}

/**
 * Validates a parsed scenario document (from YAML or JSON) and compiles it: the schema, then every population
 * agent built once against the game (which catches bad parameters such as `alphabeta:depth=0`, agents that do not
 * support the game, and missing policy files). Never throws for a bad document; returns the first problem.
 */
export function validateScenario(data: unknown, options: ValidateOptions = {}): ScenarioResult {
  const parsed = scenarioSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) return { ok: false, path: '', message: 'invalid scenario' };
    const { path, message } = describeIssue(issue);
    return { ok: false, path: formatPath(path), message: message.split('\n')[0] ?? message };
  }
  const scenario: Scenario = parsed.data;
  for (const [i, entry] of scenario.population.entries()) {
    if (remoteAgentName(entry.agent) !== undefined) continue; // a registered agent, checked when the server starts the league
    try {
      createAgent(entry.agent, { game: scenario.game.rules, seed: scenario.seed, ...(options.baseDir ? { baseDir: options.baseDir } : {}) });
    } catch (error) {
      if (!(error instanceof ArenaError)) throw error;
      return { ok: false, path: formatPath(['population', i, 'agent']), message: error.message.split('\n')[0] ?? error.message };
    }
  }
  return { ok: true, scenario };
}
