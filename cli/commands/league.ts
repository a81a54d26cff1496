import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { policyToJson } from '../../agents/tabular-policy';
import { runActors } from '../../learner/actors';
import { League } from '../../population/league';
import type { Leaderboard } from '../../population/leaderboard';
import { runPsro } from '../../population/psro';
import { leagueConfigFromScenario } from '../../scenarios/league-config';
import { loadScenario } from '../../scenarios/load';
import type { Scenario } from '../../scenarios/schema';
import { SqliteStore } from '../../population/store/sqlite-store';
import { asciiPlot, svgPlot } from '../plot';
import { printJson } from '../options';
import { onStopSignals } from '../signals';

function printLeaderboard(board: Leaderboard): void {
  const out = process.stdout;
  out.write(`\n${board.game}: ${board.matches} rated matches; Bradley-Terry with ${board.resamples} bootstrap resamples (95% interval)\n`);
  const w = Math.max(6, ...board.rows.map((r) => r.name.length));
  out.write(`${'#'.padStart(2)}  ${'agent'.padEnd(w)}  ${'BT'.padStart(6)}  ${'95% interval'.padEnd(13)}  ${'W-D-L'.padEnd(11)}  ${'mu'.padStart(6)}  ${'sigma'.padStart(5)}  ${'Elo'.padStart(6)}${board.rows.some((r) => r.nashConv !== undefined) ? '  NashConv' : ''}\n`);
  board.rows.forEach((r, i) => {
    const nc = r.nashConv !== undefined ? `  ${r.nashConv.toFixed(6)}` : '';
    out.write(
      `${String(i + 1).padStart(2)}  ${r.name.padEnd(w)}  ${r.bt.rating.toFixed(0).padStart(6)}  ${`${r.bt.lower.toFixed(0)}..${r.bt.upper.toFixed(0)}`.padEnd(13)}  ${`${r.wins}-${r.draws}-${r.losses}`.padEnd(11)}  ${r.mu.toFixed(2).padStart(6)}  ${r.sigma.toFixed(2).padStart(5)}  ${r.elo.toFixed(0).padStart(6)}${nc}\n`,
    );
  });
}

export function registerLeague(program: Command): void {
  program
    .command('league')
    .description('run a league from a scenario file headless (matches on worker threads, ratings, leaderboard); resumes from the store')
    .requiredOption('--scenario <file>', 'scenario file (YAML or JSON; see scenarios/)')
    .option('--data <dir>', 'directory of the SQLite store', process.env.ARENA_DATA ?? './data')
    .option('--json', 'print one JSON object: {"scenario","played","leaderboard"} (PSRO: {"scenario","nashConv","curve"})')
    .option('--quiet', 'no progress bar')
    .action(async (opts: { scenario: string; data: string; json?: boolean; quiet?: boolean }) => {
      const scenario = loadScenario(opts.scenario);
      if (scenario.matchmaking.strategy === 'psro') return runPsroScenario(scenario, opts);
      if (scenario.learner) return runActorScenario(scenario, opts);
      const config = leagueConfigFromScenario(scenario, opts.scenario);
      const matches = config.matches;
      mkdirSync(opts.data, { recursive: true });
      const store = SqliteStore.open(join(opts.data, 'arena.db'));
      const league = new League(config, store);
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      onStopSignals(stop);
      if (scenario.budget.seconds !== undefined) setTimeout(stop, scenario.budget.seconds * 1000).unref();
      const bar = new SingleBar({ format: `league ${scenario.name} {bar} {value}/{total} matches | {duration_formatted}`, stream: process.stderr, hideCursor: true });
      bar.start(matches, league.played);
      try {
        await league.run({ signal: controller.signal, onMatch: (p) => bar.update(p.played) });
      } finally {
        bar.stop();
      }
      const board = league.leaderboard();
      store.close();
      if (opts.json) return printJson({ scenario: scenario.name, played: league.played, leaderboard: board });
      printLeaderboard(board);
    });
}

/** A scenario with a learner section: this process is the actors of `arena train` (the learner runs beside it). */
async function runActorScenario(scenario: Scenario, opts: { data: string; json?: boolean; quiet?: boolean }): Promise<void> {
  mkdirSync(opts.data, { recursive: true });
  const store = SqliteStore.open(join(opts.data, 'arena.db'));
  const controller = new AbortController();
  onStopSignals(() => controller.abort());
  if (scenario.budget.seconds !== undefined) setTimeout(() => controller.abort(), scenario.budget.seconds * 1000).unref();
  const bar = opts.quiet || opts.json ? undefined : new SingleBar({ format: `actors ${scenario.name} {value} matches | {duration_formatted}`, stream: process.stderr, hideCursor: true });
  bar?.start(scenario.budget.matches ?? 0, 0);
  let played = 0;
  try {
    played = await runActors({ store, scenario, dataDir: opts.data, signal: controller.signal, onMatch: (n) => bar?.update(n) });
  } finally {
    bar?.stop();
    store.close();
  }
  if (opts.json) printJson({ scenario: scenario.name, played });
}

async function runPsroScenario(scenario: Scenario, opts: { data: string; json?: boolean }): Promise<void> {
  const m = scenario.matchmaking;
  if (m.strategy !== 'psro') return;
  const bar = new SingleBar({ format: `PSRO (${m.metaSolver}) {bar} {value}/{total} iterations | NashConv {nc}`, stream: process.stderr, hideCursor: true });
  bar.start(m.iterations, 0, { nc: '-' });
  const result = runPsro(scenario.game.rules, {
    iterations: m.iterations,
    metaSolver: m.metaSolver,
    onIteration: (i, nc) => bar.update(i, { nc: nc.toExponential(3) }),
  });
  bar.stop();
  mkdirSync(opts.data, { recursive: true });
  const policyFile = join(opts.data, `${scenario.name}-psro-policy.json`);
  writeFileSync(policyFile, policyToJson(result.policy));
  const curve = result.nashConvCurve.map((nashConv, iteration) => ({ iteration, nashConv }));
  const plot = join(opts.data, `${scenario.name}-psro-nashconv.svg`);
  writeFileSync(plot, svgPlot([{ name: 'NashConv', points: curve.map((p) => ({ x: p.iteration, y: Math.max(p.nashConv, 1e-12) })) }], { title: `PSRO (${m.metaSolver}) on ${scenario.game.id}`, xLabel: 'iteration', yLabel: 'NashConv', logY: true }));
  const final = curve[curve.length - 1]!.nashConv;
  if (opts.json) return printJson({ scenario: scenario.name, nashConv: final, curve, policy: policyFile, plot });
  process.stderr.write(asciiPlot({ name: 'NashConv', points: curve.map((p) => ({ x: p.iteration, y: Math.max(p.nashConv, 1e-12) })) }, { log: true }));
  process.stdout.write(`${scenario.game.id}: PSRO (${m.metaSolver}) ${m.iterations} iterations, NashConv ${final.toExponential(4)}\npolicy ${policyFile}\nplot ${plot}\n`);
}
