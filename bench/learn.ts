/**
 * Learner benchmarks: PPO update throughput per tfjs backend (wasm and cpu in the same run, same batch, same
 * network), and, behind the `targets` option because they take minutes, the learning targets of the learner issue
 * with their curves (CSV rows: seconds, updates, samples, then NashConv or win rates):
 *   Kuhn NashConv <= 0.1 within 10 minutes, Leduc NashConv <= 1.0 within 30 minutes, Connect Four >= 95% wins
 *   against random and >= 50% against alphabeta:depth=2 within 30 minutes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSpec } from '../agents/mlp-snapshot';
import { NeuralAgent } from '../agents/neural';
import { Rng } from '../environments/core/rng';
import { loadGame } from '../environments/registry';
import { selectBackend, type Tf } from '../learner/backend';
import { nashConvOfPolicy, winRate } from '../learner/evaluate';
import { createModel, modelSpecFor } from '../learner/model';
import { PpoTrainer, type PpoBatch, type PpoConfig } from '../learner/ppo';
import { PRESETS, runSelfPlay, type CurveRow, type Snapshot } from '../learner/selfplay-loop';
import type { PresetGame } from '../learner/hyperparams';
import type { BenchResult } from './harness';

export interface BenchLearnOptions {
  /** Seconds per throughput measurement (default 2). */
  readonly seconds?: number;
  /** Also run the learning targets (all three, or the listed games). */
  readonly targets?: boolean | readonly PresetGame[];
  /** Where to write `learn-<game>.csv` curves (default: not written). */
  readonly curveDir?: string;
  readonly seed?: number;
  readonly log?: (message: string) => void;
}

/** Time budgets of the targets (seconds) and what counts as reaching them. */
const TARGETS: Record<PresetGame, { seconds: number; evalEvery: number; reached: (row: CurveRow) => boolean; metric: string }> = {
  'kuhn-poker': { seconds: 600, evalEvery: 50, reached: (r) => r.nashConv! <= 0.1, metric: 'nashConv' },
  'leduc-poker': { seconds: 1800, evalEvery: 50, reached: (r) => r.nashConv! <= 1.0, metric: 'nashConv' },
  'connect-four': { seconds: 1800, evalEvery: 50, reached: (r) => r.winVsRandom! >= 0.95 && r.winVsAlphaBeta2! >= 0.5, metric: 'winVsAlphaBeta2' },
};

/** A seeded synthetic batch for `spec` (values do not matter for throughput, shapes and masks do). */
function syntheticBatch(spec: ModelSpec, n: number, seed: number): PpoBatch {
  const rng = Rng.fromSeed(seed);
  const legalMasks = Uint8Array.from({ length: n * spec.numActions }, (_, i) => (i % spec.numActions === 0 || rng.float() < 0.7 ? 1 : 0));
  return {
    size: n,
    observations: Float32Array.from({ length: n * spec.inputSize }, () => (rng.float() < 0.5 ? 0 : 1)),
    legalMasks,
    actions: Int32Array.from({ length: n }, (_, i) => {
      const legal = [...Array(spec.numActions).keys()].filter((a) => legalMasks[i * spec.numActions + a] === 1);
      return legal[rng.int(legal.length)]!;
    }),
    behaviourLogProbs: Float32Array.from({ length: n }, () => -1 - rng.float()),
    advantages: Float32Array.from({ length: n }, () => rng.float() * 2 - 1),
    valueTargets: Float32Array.from({ length: n }, () => rng.float() * 2 - 1),
  };
}

/** PPO update samples/s for one network and batch on the current backend (after one warm-up update). */
function updateRate(tf: Tf, spec: ModelSpec, ppo: Partial<PpoConfig>, batch: PpoBatch, seconds: number): { samplesPerSecond: number; msPerUpdate: number } {
  const model = createModel(tf, spec, 1);
  const trainer = new PpoTrainer(tf, model, ppo, 1);
  try {
    trainer.update(batch);
    let samples = 0;
    let updates = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000 || updates < 2) {
      samples += trainer.update(batch).samples;
      updates++;
    }
    const s = (performance.now() - t0) / 1000;
    return { samplesPerSecond: samples / s, msPerUpdate: (s * 1000) / updates };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

async function throughput(seconds: number, add: (r: BenchResult) => void): Promise<void> {
  // The network and batch of shared/STACK.md's measurement, one Adam step per update; then each preset's own.
  const cases: { name: string; spec: ModelSpec; ppo: Partial<PpoConfig>; n: number }[] = [
    { name: 'mlp-64-256-256-8', spec: { inputSize: 64, numActions: 8, hidden: [256, 256], activation: 'tanh', torso: 'shared' }, ppo: { epochs: 1, minibatchSize: 1024 }, n: 1024 },
    ...(Object.keys(PRESETS) as PresetGame[]).map((id) => {
      const h = PRESETS[id];
      return { name: id, spec: modelSpecFor(loadGame(id), h.model), ppo: h.ppo, n: 2048 };
    }),
  ];
  for (const backend of ['wasm', 'cpu'] as const) {
    const { tf, name } = await selectBackend({ prefer: backend });
    for (const c of cases) {
      const r = updateRate(tf, c.spec, c.ppo, syntheticBatch(c.spec, c.n, 1), seconds);
      const epochs = c.ppo.epochs ?? 4;
      add({
        name: `learner.ppo-update-${c.name}-${name}`,
        value: Math.round(r.samplesPerSecond),
        unit: 'samples/s',
        note: `batch ${c.n}, ${epochs} epoch(s), minibatch ${c.ppo.minibatchSize ?? 256}, ${r.msPerUpdate.toFixed(1)} ms/update, ${c.spec.inputSize}-${c.spec.hidden.join('-')}-${c.spec.numActions} ${c.spec.torso}`,
      });
    }
  }
}

/** Runs one learning target with its preset; returns the curve. */
export async function learnTarget(
  id: PresetGame,
  opts: { readonly seed?: number; readonly seconds?: number; readonly log?: (m: string) => void } = {},
): Promise<{ curve: CurveRow[]; reachedAt: CurveRow | undefined; updates: number; seconds: number }> {
  const { tf, name } = await selectBackend({ prefer: 'auto' });
  const game = loadGame(id);
  const target = TARGETS[id];
  const evaluate = async (s: Snapshot): Promise<Record<string, number>> => {
    if (id !== 'connect-four') return { nashConv: nashConvOfPolicy(game, s.policy).nashConv };
    const make = (seed: number): NeuralAgent => new NeuralAgent(s.policy, { seed });
    const vsRandom = await winRate(game, make, 'random', 200, 1);
    const vsAb = await winRate(game, make, 'alphabeta:depth=2', 100, 2);
    return { winVsRandom: vsRandom.winRate, winVsAlphaBeta2: vsAb.winRate, scoreVsAlphaBeta2: vsAb.score };
  };
  let reachedAt: CurveRow | undefined;
  const result = await runSelfPlay({
    tf,
    game,
    hyper: PRESETS[id],
    seed: opts.seed ?? 1,
    maxSeconds: opts.seconds ?? target.seconds,
    maxUpdates: PRESETS[id].updates,
    evalEvery: target.evalEvery,
    evaluate,
    onRow: (row) => {
      if (!reachedAt && target.reached(row)) reachedAt = row;
      opts.log?.(`${id} [${name}] ${JSON.stringify(row)}`);
    },
  });
  return { curve: result.curve, reachedAt, updates: result.updates, seconds: result.seconds };
}

function curveCsv(curve: readonly CurveRow[]): string {
  const metrics = [...new Set(curve.flatMap((r) => Object.keys(r)))].filter((k) => !['seconds', 'updates', 'episodes', 'samples'].includes(k));
  const header = ['seconds', 'updates', 'samples', ...metrics];
  const rows = curve.map((r) => [r.seconds.toFixed(1), r.updates, r.samples, ...metrics.map((m) => (r[m] === undefined ? '' : Number(r[m]).toFixed(4)))].join(','));
  return `${header.join(',')}\n${rows.join('\n')}\n`;
}

export async function benchLearn(opts: BenchLearnOptions = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const add = (r: BenchResult): void => {
    results.push(r);
    opts.log?.(`${r.name} = ${r.value} ${r.unit}`);
  };
  await throughput(opts.seconds ?? 2, add);
  const games: readonly PresetGame[] = opts.targets === true ? (Object.keys(PRESETS) as PresetGame[]) : opts.targets || [];
  for (const id of games) {
    const r = await learnTarget(id, { ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.log ? { log: opts.log } : {}) });
    const last = r.curve[r.curve.length - 1]!;
    const metric = TARGETS[id].metric;
    add({
      name: `learner.${id}-target-seconds`,
      value: r.reachedAt ? Number(r.reachedAt.seconds.toFixed(1)) : -1,
      unit: 's',
      note: r.reachedAt ? `reached at update ${r.reachedAt.updates}` : `not reached in ${r.seconds.toFixed(0)} s (${r.updates} updates)`,
    });
    add({ name: `learner.${id}-final-${metric}`, value: Number(last[metric]!.toFixed(4)), unit: metric, note: `after ${r.updates} updates, ${r.seconds.toFixed(0)} s, ${last.samples} samples` });
    if (opts.curveDir) {
      mkdirSync(opts.curveDir, { recursive: true });
      writeFileSync(join(opts.curveDir, `learn-${id}.csv`), curveCsv(r.curve));
    }
  }
  return results;
}
