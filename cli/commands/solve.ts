import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { solve } from '../../agents/solvers/cfr-plus';
import { buildGameTree } from '../../agents/solvers/game-tree';
import { policyToJson } from '../../agents/tabular-policy';
import { ArenaError } from '../../environments/core/errors';
import { loadGame } from '../../environments/registry';
import { asciiPlot, svgPlot } from '../plot';
import { intOption, jsonOption, printJson } from '../options';

interface SolveOpts {
  game: string;
  algorithm: string;
  iterations: number;
  out: string;
  every?: number;
  target?: string;
  plot?: string;
  curve?: string;
  params?: Record<string, unknown>;
  json?: boolean;
}

export function registerSolve(program: Command): void {
  program
    .command('solve')
    .description('compute an approximate equilibrium with CFR+ and write its average policy (OpenSpiel keys)')
    .requiredOption('--game <id>', 'a two-player zero-sum game whose tree can be enumerated (kuhn-poker, leduc-poker, tic-tac-toe)')
    .option('--algorithm <name>', 'solver: cfr+', 'cfr+')
    .requiredOption('--iterations <n>', 'CFR+ iterations', intOption('iterations', 1, 10_000_000))
    .requiredOption('--out <file>', 'where to write the policy JSON')
    .option('--every <n>', 'evaluate NashConv every n iterations (default iterations/50)', intOption('every', 1))
    .option('--target <nashconv>', 'stop once NashConv is at most this')
    .option('--curve <file.csv>', 'write the NashConv curve as CSV')
    .option('--plot <file.svg>', 'write the NashConv curve as an SVG chart')
    .option('--params <json>', 'game parameters as a JSON object', jsonOption('params'))
    .option('--json', 'print {"game","algorithm","iterations","seconds","nashConv","exploitability","values","curve","out"}')
    .action((opts: SolveOpts) => {
      if (opts.algorithm !== 'cfr+') throw new ArenaError('cli/usage', `unknown algorithm "${opts.algorithm}" (known: cfr+)`);
      const target = opts.target === undefined ? undefined : Number(opts.target);
      if (target !== undefined && !(target >= 0)) throw new ArenaError('cli/usage', `--target must be a number >= 0, got "${opts.target}"`);
      const game = loadGame(opts.game, opts.params);
      const t0 = performance.now();
      const tree = buildGameTree(game);
      const bar = new SingleBar({
        format: 'CFR+ {bar} {value}/{total} iterations | NashConv {nashconv} | {duration_formatted}',
        stream: process.stderr,
        hideCursor: true,
      });
      bar.start(opts.iterations, 0, { nashconv: '-' });
      const result = solve(tree, {
        iterations: opts.iterations,
        evalEvery: opts.every ?? Math.max(1, Math.floor(opts.iterations / 50)),
        ...(target !== undefined ? { targetNashConv: target } : {}),
        onProgress: (iteration, nc) => bar.update(iteration, { nashconv: nc.toExponential(3) }),
      });
      bar.stop();
      const seconds = (performance.now() - t0) / 1000;
      writeFileSync(opts.out, policyToJson(result.policy));
      const curve = result.curve.map((p) => ({ iteration: p.iteration, nashConv: p.nashConv }));
      if (opts.curve) writeFileSync(opts.curve, `iteration,nashconv\n${curve.map((p) => `${p.iteration},${p.nashConv}`).join('\n')}\n`);
      const series = { name: 'NashConv', points: curve.map((p) => ({ x: p.iteration, y: p.nashConv })) };
      if (opts.plot) {
        writeFileSync(opts.plot, svgPlot([series], { title: `CFR+ on ${opts.game}`, xLabel: 'iteration', yLabel: 'NashConv', logY: true }));
      }
      const summary = {
        game: opts.game,
        algorithm: 'cfr+',
        iterations: result.solver.iterations,
        seconds,
        nashConv: result.result.nashConv,
        exploitability: result.result.nashConv / 2,
        values: result.result.onPolicyValues,
        curve,
        out: opts.out,
      };
      if (opts.json) return printJson(summary);
      process.stderr.write(asciiPlot(series, { log: true }));
      process.stdout.write(
        `${opts.game}: ${summary.iterations} CFR+ iterations in ${seconds.toFixed(2)} s\n` +
          `NashConv ${summary.nashConv.toExponential(4)}  exploitability ${summary.exploitability.toExponential(4)}\n` +
          `value for player 0: ${summary.values[0]!.toFixed(6)}\npolicy written to ${opts.out}\n`,
      );
    });
}
