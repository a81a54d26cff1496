/**
 * `arena learn` (the learner process) and `arena train` (actors + learner as two processes, one progress bar).
 * Both read the scenario's `learner:` section; everything they share goes through the store under --data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ArenaError } from '../../environments/core/errors';
import { Learner, type LearnerProgress } from '../../learner/learner';
import type * as TrainingCoreModule from '../../learner/training-core';
import { LearningCurve } from '../../learner/curve';
import { SqliteStore } from '../../population/store/sqlite-store';
import { loadScenario } from '../../scenarios/load';
import type { Scenario } from '../../scenarios/schema';
import { createLogger } from '../../server/log';
import { printJson } from '../options';
import { onStopSignals } from '../signals';

const DEFAULT_DATA = process.env.ARENA_DATA ?? './data';

function learnerScenario(file: string): Scenario {
  const scenario = loadScenario(file);
  if (!scenario.learner) throw new ArenaError('cli/usage', `${file}: no learner section (see scenarios/kuhn-selfplay.yaml)`);
  return scenario;
}

/** Files of a run under the data directory. */
export function runFiles(dataDir: string, scenario: Scenario): { csv: string; svg: string } {
  const dir = join(dataDir, 'runs', scenario.name);
  return { csv: join(dir, 'learning-curve.csv'), svg: join(dir, 'learning-curve.svg') };
}

function metricsText(m: Readonly<Record<string, number>> | undefined): string {
  if (!m) return '-';
  return Object.entries(m).map(([k, v]) => `${k} ${k === 'nashConv' ? v.toFixed(4) : v.toFixed(2)}`).join(' ') || '-';
}

export function registerLearn(program: Command): void {
  program
    .command('learn')
    .description('run the learner process: follow the store feed, train the scenario learner with PPO, publish snapshots (resumes from its checkpoint)')
    .requiredOption('--scenario <file>', 'scenario file with a learner section (e.g. scenarios/kuhn-selfplay.yaml)')
    .option('--data <dir>', 'directory of the SQLite store', DEFAULT_DATA)
    .option('--backend <name>', 'auto|tensorflow|wasm|cpu (default: the scenario, else auto)')
    .option('--progress <kind>', 'bar (default on a terminal) or json (one JSON line per update on stdout)')
    .option('--log-level <level>', 'pino level for the learner log on stderr', process.env.LOG_LEVEL ?? 'warn')
    .action(async (opts: { scenario: string; data: string; backend?: string; progress?: string; logLevel: string }) => {
      const scenario = learnerScenario(opts.scenario);
      const backend = opts.backend ?? scenario.learner!.backend;
      if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend)) throw new ArenaError('cli/usage', `--backend must be auto, tensorflow, wasm or cpu, got "${backend}"`);
      if (opts.progress !== undefined && opts.progress !== 'bar' && opts.progress !== 'json') throw new ArenaError('cli/usage', `--progress must be bar or json, got "${opts.progress}"`);
      const log = createLogger(opts.logLevel);
      mkdirSync(opts.data, { recursive: true });
      const store = SqliteStore.open(join(opts.data, 'arena.db'));
      // tfjs loads only here: every other arena command starts without it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (CommonJS output)
      const { createTrainingCore, snapshotEvaluator } = require('../../learner/training-core') as typeof TrainingCoreModule;
      const core = await createTrainingCore(scenario, { backend: backend as 'auto', log: (msg, fields) => log.info(fields ?? {}, msg) });
      const files = runFiles(opts.data, scenario);
      const curve = new LearningCurve(files.csv, files.svg, `${scenario.name}: ${scenario.game.id} learner`);
      const controller = new AbortController();
      onStopSignals(() => controller.abort());
      const json = opts.progress === 'json';
      const bar = json ? undefined : new SingleBar({ format: `learn ${scenario.name} [${core.backend}] {bar} {value} updates | {sps} samples/s | {metrics}`, stream: process.stderr, hideCursor: true });
      const total = scenario.learner!.updates ?? 0;
      const learner = new Learner({
        store,
        scenario,
        dataDir: opts.data,
        core,
        log,
        signal: controller.signal,
        evaluate: snapshotEvaluator(scenario),
        onProgress: (p: LearnerProgress) => {
          if (p.snapshot) curve.add({ seconds: p.seconds, updates: p.updates, samples: p.samples, metrics: p.snapshot.evaluation });
          if (json) printJson({ type: 'progress', backend: core.backend, ...p, stats: p.stats });
          else bar!.update(p.updates, { sps: Math.round(p.samplesPerSecond), metrics: metricsText(p.snapshot?.evaluation ?? curve.points[curve.points.length - 1]?.metrics) });
        },
      });
      learner.start();
      bar?.start(total, learner.updateCount, { sps: 0, metrics: '-' });
      try {
        await learner.run();
      } finally {
        bar?.stop();
        store.close();
      }
      if (json) printJson({ type: 'done', updates: learner.updateCount, curve: files.csv, plot: files.svg });
      else process.stdout.write(`learner ${scenario.name}: ${learner.updateCount} updates\ncurve ${files.csv}\nplot ${files.svg}\n`);
    });

  program
    .command('train')
    .description('closed-loop self-play training: starts the actors (arena league) and the learner (arena learn) as two processes')
    .requiredOption('--scenario <file>', 'scenario file with a learner section (scenarios/kuhn-selfplay.yaml, leduc-selfplay.yaml, connect-four-selfplay.yaml)')
    .option('--data <dir>', 'directory of the SQLite store', DEFAULT_DATA)
    .option('--seconds <s>', 'wall-clock budget (default: the scenario budget)')
    .option('--json', 'print one JSON object at the end: {"scenario","updates","curve","plot","last"}')
    .action(async (opts: { scenario: string; data: string; seconds?: string; json?: boolean }) => {
      const scenario = learnerScenario(opts.scenario);
      const seconds = opts.seconds !== undefined ? Number(opts.seconds) : scenario.budget.seconds;
      if (seconds !== undefined && !(seconds > 0)) throw new ArenaError('cli/usage', `--seconds must be a positive number, got "${opts.seconds}"`);
      mkdirSync(opts.data, { recursive: true });
      const arena = resolve(__dirname, '..', 'main.js');
      const common = ['--scenario', opts.scenario, '--data', opts.data];
      const learner = spawn(process.execPath, [arena, 'learn', ...common, '--progress', 'json'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const actors = spawn(process.execPath, [arena, 'league', ...common, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
      // Each child is asked to stop once: it then drains (actors finish in-flight matches, the learner writes its
      // checkpoint) and exits 0 on its own.
      const stopAll = (): void => {
        for (const c of [learner, actors]) if (c.exitCode === null && c.signalCode === null && !c.killed) c.kill('SIGTERM');
      };
      onStopSignals(stopAll);
      const timer = seconds !== undefined ? setTimeout(stopAll, seconds * 1000) : undefined;
      const bar = opts.json ? undefined : new SingleBar({ format: `train ${scenario.name} {bar} {value} updates | {sps} samples/s | {metrics} | {duration_formatted}`, stream: process.stderr, hideCursor: true });
      bar?.start(scenario.learner!.updates ?? 0, 0, { sps: 0, metrics: '-' });
      let last: LearnerProgress | undefined;
      let lastMetrics: Readonly<Record<string, number>> | undefined;
      const lines = createInterface({ input: learner.stdout! });
      lines.on('line', (line) => {
        try {
          const msg = JSON.parse(line) as { type: string } & LearnerProgress;
          if (msg.type !== 'progress') return;
          last = msg;
          if (msg.snapshot) lastMetrics = msg.snapshot.evaluation;
          bar?.update(msg.updates, { sps: Math.round(msg.samplesPerSecond), metrics: metricsText(lastMetrics) });
        } catch {
          // not a progress line
        }
      });
      const exited = (c: ChildProcess): Promise<number> => new Promise((res) => (c.exitCode !== null ? res(c.exitCode) : c.once('exit', (code, signal) => res(code ?? (signal === 'SIGTERM' ? 143 : 1)))));
      const learnerCode = await exited(learner);
      stopAll(); // the learner finished its update budget (or failed): the actors have nothing left to feed
      const actorsCode = await exited(actors);
      if (timer) clearTimeout(timer);
      bar?.stop();
      const files = runFiles(opts.data, scenario);
      if (learnerCode !== 0 && learnerCode !== 143) throw new ArenaError('cli/usage', `learner exited with code ${learnerCode}`);
      if (actorsCode !== 0 && actorsCode !== 143) throw new ArenaError('cli/usage', `actors (arena league) exited with code ${actorsCode}`);
      if (opts.json) return printJson({ scenario: scenario.name, updates: last?.updates ?? 0, curve: files.csv, plot: files.svg, last: lastMetrics ?? null });
      process.stdout.write(`${scenario.name}: ${last?.updates ?? 0} updates; last snapshot ${metricsText(lastMetrics)}\ncurve ${files.csv}\nplot ${files.svg}\n`);
    });
}
