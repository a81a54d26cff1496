/**
 * Advantage estimators for the learner's policy-gradient updates (gamma is 1 in all our games by default).
 *
 * - 'rae'   SPIRAL's role-conditioned advantage estimation: a moving-average baseline per (game, role),
 *           b <- 0.95 b + 0.05 R (initial 0), and A_t = G_t - b with b read before the update by that episode.
 *           G_t is the seat's return-to-go; R = G_0, the seat's return from its first decision.
 * - 'mars'  MARS: returns-to-go centred separately per role (mean over the batch's decisions of that role),
 *           then whitened across the whole batch.
 * - 'shared' cooperative games: every seat shares the team reward, so every seat uses one baseline per game
 *           (role "team") in the RAE update.
 * - 'gae'   generalised advantage estimation with the value head: delta_t = r_t + gamma V(s_{t+1}) - V(s_t),
 *           A_t = sum_k (gamma lambda)^k delta_{t+k}; V after the last decision is 0 (a match cut short counts as
 *           ending there, as SPIRAL counts cut games as draws). Value targets are A_t + V(s_t).
 * For the other estimators the value targets are the returns-to-go, so the value head keeps learning.
 * `normalize` whitens the advantages across the batch (mean 0, standard deviation 1); 'mars' always does.
 *
 * Default (learner/hyperparams.ts presets): 'gae' with lambda 1 and no whitening. On Kuhn, 'rae', 'mars' and 'gae'
 * all reached NashConv 0.04-0.1 after 600 updates with the preset's schedules; in Leduc, lambda 1 beat lambda 0.5
 * (the value head is a worse baseline where observations alias information sets), and the value head is what
 * lets Connect Four's long games learn quickly.
 */
import { z } from 'zod';
import type { SeatTrajectory } from './trajectories';

export const ADVANTAGE_KINDS = ['rae', 'mars', 'shared', 'gae'] as const;
export type AdvantageKind = (typeof ADVANTAGE_KINDS)[number];

export const advantageConfigSchema = z
  .object({
    kind: z.enum(ADVANTAGE_KINDS),
    /** Discount per decision of the seat (1 in episodic board and card games). */
    gamma: z.number().min(0).max(1).default(1),
    /** GAE lambda (only for 'gae'). */
    lambda: z.number().min(0).max(1).default(1),
    /** Whiten advantages across the batch. */
    normalize: z.boolean().default(true),
    /** RAE baseline decay (SPIRAL: 0.95). */
    baselineDecay: z.number().min(0).max(1).default(0.95),
  })
  .strict();
export type AdvantageConfig = z.infer<typeof advantageConfigSchema>;

/** Serializable state of RoleBaselines (for checkpoints). */
export interface RoleBaselinesState {
  readonly decay: number;
  /** Baseline per "gameId|role" key. */
  readonly values: Readonly<Record<string, number>>;
}

/** SPIRAL's per (game, role) moving-average baselines. */
export class RoleBaselines {
  private readonly values = new Map<string, number>();

  constructor(readonly decay = 0.95) {}

  private static key(gameId: string, role: string): string {
    return `${gameId}|${role}`;
  }

  /** The current baseline (0 before any update). */
  get(gameId: string, role: string): number {
    return this.values.get(RoleBaselines.key(gameId, role)) ?? 0;
  }

  /** Folds in one episode's return: b <- decay b + (1 - decay) R. Returns the baseline read before the update. */
  update(gameId: string, role: string, episodeReturn: number): number {
    const key = RoleBaselines.key(gameId, role);
    const before = this.values.get(key) ?? 0;
    this.values.set(key, this.decay * before + (1 - this.decay) * episodeReturn);
    return before;
  }

  toJSON(): RoleBaselinesState {
    return { decay: this.decay, values: Object.fromEntries([...this.values.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) };
  }

  static fromJSON(state: RoleBaselinesState): RoleBaselines {
    const b = new RoleBaselines(state.decay);
    for (const [k, v] of Object.entries(state.values)) b.values.set(k, v);
    return b;
  }
}

export interface AdvantageContext {
  readonly gameId: string;
  /** RAE / shared baselines (updated in trajectory order). */
  readonly baselines: RoleBaselines;
  /** Role of a trajectory for 'rae' and 'mars' (default: "seat<k>"). */
  readonly roleOf?: (t: SeatTrajectory) => string;
  /** For 'gae': the value estimate V(s_t) of every decision, one array per trajectory. */
  readonly values?: readonly Float32Array[];
}

export interface AdvantageResult {
  /** Advantage per decision, trajectories concatenated in order. */
  readonly advantages: Float32Array;
  /** Value-head target per decision, same order. */
  readonly valueTargets: Float32Array;
}

/** Return-to-go per decision: G_t = r_t + gamma G_{t+1}. */
export function returnsToGo(rewards: ArrayLike<number>, gamma: number): Float64Array {
  const g = new Float64Array(rewards.length);
  let acc = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    acc = rewards[t]! + gamma * acc;
    g[t] = acc;
  }
  return g;
}

const defaultRole = (t: SeatTrajectory): string => `seat${t.seat}`;

/** Advantages and value targets for a batch of trajectories (see the module comment for each estimator). */
export function computeAdvantages(trajectories: readonly SeatTrajectory[], config: AdvantageConfig, ctx: AdvantageContext): AdvantageResult {
  const total = trajectories.reduce((n, t) => n + t.length, 0);
  const adv = new Float64Array(total);
  const targets = new Float64Array(total);
  const roleOf = config.kind === 'shared' ? () => 'team' : (ctx.roleOf ?? defaultRole);
  let at = 0;
  if (config.kind === 'gae') {
    if (!ctx.values || ctx.values.length !== trajectories.length) throw new Error('computeAdvantages: gae needs one value array per trajectory');
    trajectories.forEach((t, k) => {
      const v = ctx.values![k]!;
      if (v.length !== t.length) throw new Error(`computeAdvantages: trajectory ${k} has ${t.length} decisions, ${v.length} values`);
      let acc = 0;
      for (let i = t.length - 1; i >= 0; i--) {
        const next = i + 1 < t.length ? v[i + 1]! : 0;
        const delta = t.rewards[i]! + config.gamma * next - v[i]!;
        acc = delta + config.gamma * config.lambda * acc;
        adv[at + i] = acc;
        targets[at + i] = acc + v[i]!;
      }
      at += t.length;
    });
  } else {
    const rtg = trajectories.map((t) => returnsToGo(t.rewards, config.gamma));
    if (config.kind === 'mars') {
      const sum = new Map<string, { s: number; n: number }>();
      trajectories.forEach((t, k) => {
        const e = sum.get(roleOf(t)) ?? { s: 0, n: 0 };
        for (const g of rtg[k]!) e.s += g;
        e.n += t.length;
        sum.set(roleOf(t), e);
      });
      trajectories.forEach((t, k) => {
        const e = sum.get(roleOf(t))!;
        const mean = e.s / e.n;
        rtg[k]!.forEach((g, i) => {
          adv[at + i] = g - mean;
          targets[at + i] = g;
        });
        at += t.length;
      });
    } else {
      trajectories.forEach((t, k) => {
        const g = rtg[k]!;
        const b = ctx.baselines.update(ctx.gameId, roleOf(t), g[0] ?? 0);
        g.forEach((x, i) => {
          adv[at + i] = x - b;
          targets[at + i] = x;
        });
        at += t.length;
      });
    }
  }
  if (config.normalize || config.kind === 'mars') whiten(adv);
  return { advantages: Float32Array.from(adv), valueTargets: Float32Array.from(targets) };
}

/** In place: subtract the mean, divide by the standard deviation (left centred only when it is ~0). */
export function whiten(x: Float64Array): void {
  if (x.length === 0) return;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let sq = 0;
  for (const v of x) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / x.length);
  const scale = std > 1e-8 ? 1 / std : 1;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean) * scale;
}
