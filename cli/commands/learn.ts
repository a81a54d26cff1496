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
import type { TrainingCore } from '../../learner/training-core';
import { LearningCurve } from '../../learner/curve';
import { learnerLines, runNames, type LearnerLine } from '../../learner/lines';
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

/** Files of a run under the data directory (one curve per line when the scenario trains several). */
export function runFiles(dataDir: string, scenario: Scenario, line?: LearnerLine): { csv: string; svg: string } {
  const several = learnerLines(scenario).length > 1;
  const dir = join(dataDir, 'runs', scenario.name, ...(several && line ? [line.name] : []));
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
      const lines = learnerLines(scenario);
      const controller = new AbortController();
      onStopSignals(() => controller.abort());
      const json = opts.progress === 'json';
      const evaluate = snapshotEvaluator(scenario);
      // One learner per line (AlphaStar: one per role slot), each with its own model, cursor, checkpoints and curve.
      // One at a time: the first call selects and initialises the tfjs backend, which must not race with itself.
      const runs: { line: LearnerLine; core: TrainingCore; files: { csv: string; svg: string }; curve: LearningCurve }[] = [];
      for (const line of lines) {
        const core = await createTrainingCore(scenario, { backend: backend as 'auto', line: line.index, log: (msg, fields) => log.info(fields ?? {}, msg) });
        const files = runFiles(opts.data, scenario, line);
        const title = `${scenario.name}: ${scenario.game.id} learner${lines.length > 1 ? ` ${line.name}` : ''}`;
        runs.push({ line, core, files, curve: new LearningCurve(files.csv, files.svg, title) });
      }
      const backendName = runs[0]!.core.backend;
      const bar = json ? undefined : new SingleBar({ format: `learn ${scenario.name} [${backendName}] {bar} {value} updates | {sps} samples/s | {metrics}`, stream: process.stderr, hideCursor: true });
      const total = (scenario.learner!.updates ?? 0) * lines.length;
      const learners = runs.map(
        (run) =>
          new Learner({
            store,
            scenario,
            dataDir: opts.data,
            core: run.core,
            line: run.line,
            log,
            signal: controller.signal,
            evaluate,
            onProgress: (p: LearnerProgress) => {
              if (p.snapshot) run.curve.add({ seconds: p.seconds, updates: p.updates, samples: p.samples, metrics: p.snapshot.evaluation });
              if (json) printJson({ type: 'progress', backend: backendName, ...p, stats: p.stats });
              // The bar shows the first line's latest evaluation (its curve's last point; just added if this is it).
              else bar!.update(learners.reduce((n, l) => n + l.updateCount, 0), { sps: Math.round(p.samplesPerSecond), metrics: metricsText(runs[0]!.curve.points.at(-1)?.metrics) });
            },
          }),
      );
      for (const l of learners) l.start();
      bar?.start(total, learners.reduce((n, l) => n + l.updateCount, 0), { sps: 0, metrics: '-' });
      try {
        await Promise.all(learners.map((l) => l.run()));
      } finally {
        bar?.stop();
        store.close();
      }
      const done = runs.map((run, i) => ({ line: run.line.name, updates: learners[i]!.updateCount, curve: run.files.csv, plot: run.files.svg }));
      if (json) printJson({ type: 'done', updates: done[0]!.updates, curve: done[0]!.curve, plot: done[0]!.plot, ...(done.length > 1 ? { lines: done } : {}) });
      else for (const d of done) process.stdout.write(`learner ${scenario.name}${lines.length > 1 ? ` ${d.line}` : ''}: ${d.updates} updates\ncurve ${d.curve}\nplot ${d.plot}\n`);
    });

  program
    .command('train')
    .description('closed-loop self-play training: starts the actors (arena league) and the learner (arena learn) as two processes')
    .requiredOption('--scenario <file>', 'scenario file with a learner section (scenarios/kuhn-selfplay.yaml, leduc-selfplay.yaml, connect-four-selfplay.yaml)')
    .option('--data <dir>', 'directory of the SQLite store', DEFAULT_DATA)
    .option('--seconds <s>', 'wall-clock budget (default: the scenario budget)')
    .option('--json', 'print one JSON object at the end: {"scenario","updates","curve","plot","last"} (the first line; AlphaStar scenarios add "lines": one such entry per line)')
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
      const lines = learnerLines(scenario);
      bar?.start((scenario.learner!.updates ?? 0) * lines.length, 0, { sps: 0, metrics: '-' });
      // The latest progress and evaluation of each line (agent name), from the learner's JSON lines.
      const last = new Map<string, LearnerProgress>();
      const lastMetrics = new Map<string, Readonly<Record<string, number>>>();
      const firstLine = runNames(scenario, lines[0]).agentName;
      const lineOutput = createInterface({ input: learner.stdout! });
      lineOutput.on('line', (text) => {
        try {
          const msg = JSON.parse(text) as { type: string } & LearnerProgress;
          if (msg.type !== 'progress') return;
          last.set(msg.line, msg);
          // Snapshots between evaluations (evaluate.every) carry no numbers: keep the last evaluated ones.
          if (msg.snapshot && Object.keys(msg.snapshot.evaluation).length > 0) lastMetrics.set(msg.line, msg.snapshot.evaluation);
          const updates = [...last.values()].reduce((n, p) => n + p.updates, 0);
          bar?.update(updates, { sps: Math.round(msg.samplesPerSecond), metrics: metricsText(lastMetrics.get(firstLine)) });
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
      if (learnerCode !== 0 && learnerCode !== 143) throw new ArenaError('cli/usage', `learner exited with code ${learnerCode}`);
      if (actorsCode !== 0 && actorsCode !== 143) throw new ArenaError('cli/usage', `actors (arena league) exited with code ${actorsCode}`);
      const results = lines.map((line) => {
        const agentName = runNames(scenario, line).agentName;
        const files = runFiles(opts.data, scenario, line);
        return { line: line.name, updates: last.get(agentName)?.updates ?? 0, curve: files.csv, plot: files.svg, last: lastMetrics.get(agentName) ?? null };
      });
      const first = results[0]!;
      if (opts.json) return printJson({ scenario: scenario.name, updates: first.updates, curve: first.curve, plot: first.plot, last: first.last, ...(results.length > 1 ? { lines: results } : {}) });
      for (const r of results) {
        process.stdout.write(`${scenario.name}${results.length > 1 ? ` ${r.line}` : ''}: ${r.updates} updates; last snapshot ${metricsText(r.last ?? undefined)}\ncurve ${r.curve}\nplot ${r.plot}\n`);
      }
    });
}
