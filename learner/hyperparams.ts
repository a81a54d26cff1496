/**
 * Learner hyperparameters (a zod schema, so scenario files can carry them) and the presets tuned on our 2-core
 * CPU machine (wasm backend, in-process self-play loop, seed 1) for the learning targets of the learner issue.
 *
 * What the tuning found (details and curves: bench/learn.ts, and the learner report):
 * - Self-play PPO cycles around the equilibrium in poker. What makes the last iterate converge is an entropy
 *   bonus on raw (unnormalised) advantages, which makes the fixed point the logit (quantal-response) equilibrium
 *   at temperature entropyCoef, together with a learning rate annealed towards zero. Kuhn's logit equilibrium at
 *   temperature 0.1 has NashConv 0.04, so entropy 0.3 -> 0.1 with lr 1e-3 -> 5e-5 over 600 updates reaches
 *   NashConv <= 0.1 after about 450 updates (about a minute) and stays near 0.05-0.1.
 * - Leduc's observation tensor (OpenSpiel's default observer) aliases information sets: 936 sets share 516
 *   distinct tensors, so no observation-based policy is exactly optimal. Advantage whitening and small
 *   episodes-per-update made things worse; a logit-spread penalty (logitCoef) stops the softmax from saturating
 *   where the policy gradient cannot recover (folding a pair facing a bet). Entropy 0.2 with lr 3e-4 -> 3e-5 over
 *   3000 updates reaches NashConv <= 1.0 after about 900 updates (7.5 minutes) and about 0.55 after 30 minutes.
 * - Connect Four from pure self-play beats random quickly but not alpha-beta depth 2 within 30 minutes; playing a
 *   share of matches against fixed league members (alphabeta:depth=2, random), as a league scenario does, gets
 *   both targets.
 * - GAE with lambda 1 (value head as baseline) learned better than lambda 0.5 in Leduc; RAE and MARS are
 *   available for games without a useful value head.
 */
import { z } from 'zod';
import { MLP_ACTIVATIONS, MLP_TORSOS } from '../agents/mlp-snapshot';
import { advantageConfigSchema } from './advantage';
import { ppoConfigSchema } from './ppo';

export const learnerHyperparamsSchema = z
  .object({
    model: z
      .object({
        hidden: z.array(z.number().int().min(1).max(4096)).max(8),
        activation: z.enum(MLP_ACTIVATIONS),
        torso: z.enum(MLP_TORSOS),
        /** Uniform share of the policy (ModelSpec.epsilon): keeps every legal action explored. */
        epsilon: z.number().min(0).max(0.5).default(0),
      })
      .strict(),
    ppo: ppoConfigSchema,
    advantage: advantageConfigSchema,
    /** Entropy coefficient reached by linear annealing after `annealUpdates` (default: no annealing). */
    entropyFinal: z.number().min(0).optional(),
    /** Learning rate reached by linear annealing after `annealUpdates` (default: no annealing). */
    learningRateFinal: z.number().positive().optional(),
    annealUpdates: z.number().int().min(1).default(1000),
    /** Run length the schedules were tuned for (updates); a learner may stop here. */
    updates: z.number().int().min(1).default(1000),
    /** Matches played (in-process loop) or read (learner process) per PPO update. */
    episodesPerUpdate: z.number().int().min(1).default(256),
    /**
     * With ppo.magnetCoef > 0: the magnet is the snapshot published at the last multiple of this many updates
     * (so it moves in steps, as a proximal-point iteration). 0 = the initial snapshot forever.
     */
    magnetEvery: z.number().int().min(0).default(50),
    /** Publish a snapshot every this many updates. */
    snapshotEvery: z.number().int().min(1).default(1),
    /** Drop data of snapshots more than this many versions behind the latest. */
    maxLag: z.number().int().min(0).default(2),
    /** Share of matches against a past snapshot instead of the latest (OpenAI Five: 0.2). */
    pastOpponentRate: z.number().min(0).max(1).default(0.2),
    /** Past opponents are drawn uniformly from this many most recent snapshots before the latest. */
    pastWindow: z.number().int().min(1).default(50),
    /**
     * Fixed league members (agent specs such as "alphabeta:depth=2") and the share of matches against each; their
     * seats are never learned from. The rest of the matches follow pastOpponentRate.
     */
    fixedOpponents: z.array(z.object({ agent: z.string().min(1), share: z.number().min(0).max(1) }).strict()).default([]),
  })
  .strict();

export type LearnerHyperparams = z.infer<typeof learnerHyperparamsSchema>;
export type LearnerHyperparamsInput = z.input<typeof learnerHyperparamsSchema>;

/** Linear schedule from `start` to `end` over `steps` updates (constant `start` when `end` is undefined). */
export function annealed(start: number, end: number | undefined, update: number, steps: number): number {
  if (end === undefined) return start;
  const f = Math.min(1, update / steps);
  return start + (end - start) * f;
}

export type PresetGame = 'kuhn-poker' | 'leduc-poker' | 'connect-four';

export const PRESETS: Record<PresetGame, LearnerHyperparams> = {
  'kuhn-poker': learnerHyperparamsSchema.parse({
    model: { hidden: [64, 64], activation: 'tanh', torso: 'separate' },
    ppo: { learningRate: 1e-3, clip: 0.2, valueCoef: 0.5, entropyCoef: 0.3, epochs: 4, minibatchSize: 512, maxGradNorm: 0.5 },
    advantage: { kind: 'gae', gamma: 1, lambda: 1, normalize: false },
    entropyFinal: 0.1,
    learningRateFinal: 5e-5,
    annealUpdates: 600,
    updates: 1000,
    episodesPerUpdate: 512,
    snapshotEvery: 1,
    maxLag: 2,
    pastOpponentRate: 0.2,
  }),
  'leduc-poker': learnerHyperparamsSchema.parse({
    model: { hidden: [64, 64], activation: 'tanh', torso: 'separate' },
    ppo: { learningRate: 3e-4, clip: 0.2, valueCoef: 0.5, entropyCoef: 0.2, logitCoef: 0.02, epochs: 4, minibatchSize: 1024, maxGradNorm: 0.5 },
    advantage: { kind: 'gae', gamma: 1, lambda: 1, normalize: false },
    learningRateFinal: 3e-5,
    annealUpdates: 3000,
    updates: 3500,
    episodesPerUpdate: 1024,
    snapshotEvery: 1,
    maxLag: 2,
    pastOpponentRate: 0.2,
  }),
  'connect-four': learnerHyperparamsSchema.parse({
    model: { hidden: [128, 128], activation: 'relu', torso: 'separate' },
    ppo: { learningRate: 3e-4, clip: 0.2, valueCoef: 0.5, entropyCoef: 0.01, epochs: 4, minibatchSize: 512, maxGradNorm: 0.5 },
    advantage: { kind: 'gae', gamma: 1, lambda: 0.95, normalize: true },
    updates: 1000,
    episodesPerUpdate: 256,
    snapshotEvery: 1,
    maxLag: 2,
    pastOpponentRate: 0.2,
    fixedOpponents: [
      { agent: 'alphabeta:depth=2', share: 0.3 },
      { agent: 'random', share: 0.1 },
    ],
  }),
};
