/**
 * `npm run bench`: prints one JSON object {"machine": {...}, "results": [{"name","value","unit"}, ...]} on
 * stdout (progress on stderr). Everything runs on one core, through the public interfaces people use.
 */
import { AlphaBetaAgent } from '../agents/alphabeta';
import { RandomAgent } from '../agents/random';
import { nashConv } from '../agents/solvers/best-response';
import { CfrPlusSolver } from '../agents/solvers/cfr-plus';
import { buildGameTree } from '../agents/solvers/game-tree';
import { perft } from '../agents/perft';
import type { Game } from '../environments/core/game';
import { Rng } from '../environments/core/rng';
import { loadGame } from '../environments/registry';
import { runMatch } from '../engine/match';
import { replay } from '../engine/replay';
import { LazySeatView } from '../engine/view';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { League } from '../population/league';
import { runPsro } from '../population/psro';
import { updateElo } from '../population/ratings/elo';
import { initialRating, rateMatch } from '../population/ratings/openskill';
import { SqliteStore } from '../population/store/sqlite-store';
import { log, machine, randomRollouts, rate, type BenchResult } from './harness';
import { benchDroneVolleyball, benchDroneVolleyballMatches } from './drone-volleyball';
import { benchHanabi } from './hanabi';
import { benchSlimeVolleyball } from './slime-volleyball';
import { baselineScore, benchOvercooked } from './overcooked';
import type { OvercookedGame } from '../environments/cooperative/overcooked';

/** Seconds (and iterations) for CFR+ to bring NashConv to `target`, checking exactly every `every` iterations. */
function cfrToTarget(gameId: string, target: number, every: number): { seconds: number; iterations: number; value: number } {
  const t0 = performance.now();
  const tree = buildGameTree(loadGame(gameId));
  const solver = new CfrPlusSolver(tree);
  for (;;) {
    solver.iterate(every);
    const r = nashConv(tree, solver.averageSlots());
    if (r.nashConv < target) return { seconds: (performance.now() - t0) / 1000, iterations: solver.iterations, value: r.onPolicyValues[0] };
    if (solver.iterations > 1_000_000) throw new Error(`${gameId}: CFR+ did not reach ${target}`);
  }
}

/** League figures: headless matches per second on every core, rating-update cost, PSRO on Kuhn. */
async function leagueBenchmarks(add: (r: BenchResult) => void, secs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-league-'));
  const store = SqliteStore.open(join(dir, 'arena.db'));
  const population = [
    { name: 'ab2-a', spec: 'alphabeta:depth=2' },
    { name: 'ab2-b', spec: 'alphabeta:depth=2' },
    { name: 'ab2-c', spec: 'alphabeta:depth=2' },
  ];
  const matches = Math.max(200, Math.round(secs * 600));
  const league = new League({ name: 'bench', game: 'connect-four', params: {}, seed: 1, population, pairing: { kind: 'fictitious' }, matches, workers: availableParallelism(), resamples: 100 }, store);
  const t0 = performance.now();
  await league.run();
  const seconds = (performance.now() - t0) / 1000;
  add({ name: 'league.connect-four-alphabeta2-matches-per-second', value: Math.round(matches / seconds), unit: 'matches/s', note: `${matches} matches on ${availableParallelism()} worker threads, committed and rated` });
  store.close();

  // Rating update per match: OpenSkill + Elo for a 1v1 and the exactly-once store transaction.
  const rstore = SqliteStore.open(join(dir, 'ratings.db'));
  let seq = 0;
  let a = initialRating();
  let b = initialRating();
  const perSecond = rate(() => {
    for (let i = 0; i < 100; i++) {
      [[a], [b]] = rateMatch([[a], [b]], { ranks: i % 3 === 0 ? [2, 1] : [1, 2] }) as [[typeof a], [typeof b]];
      const e = updateElo(1200, 1200, 1);
      rstore.applyRatings('bench', 'g', ++seq, `m${seq}`, [{ subject: 'a', ...a, elo: e.a }, { subject: 'b', ...b, elo: e.b }]);
    }
    return 100;
  }, secs);
  add({ name: 'league.rating-update-microseconds', value: Number((1e6 / perSecond).toFixed(1)), unit: 'us/match', note: 'OpenSkill (Plackett-Luce) 1v1 + Elo + committed with the feed cursor (SQLite WAL)' });
  rstore.close();

  const tP = performance.now();
  let reached = -1;
  runPsro(loadGame('kuhn-poker'), { iterations: 20, metaSolver: 'nash', onIteration: (i, nc) => { if (reached < 0 && nc < 0.05) reached = i; } });
  add({ name: 'league.psro-kuhn-iterations-to-nashconv-0.05', value: reached, unit: 'iterations', note: `Nash meta-solver, exact best responses; 20 iterations took ${((performance.now() - tP) / 1000).toFixed(3)} s` });
}

/** Issue 8's games: steps or games per second on one core, and each baseline against random and itself. */
async function cooperativeAndPhysicsBenchmarks(add: (r: BenchResult) => void, secs: number, quick: boolean): Promise<void> {
  for (const r of benchHanabi(secs)) add(r);
  for (const r of benchOvercooked(secs)) add(r);
  for (const r of benchSlimeVolleyball(secs)) add(r);
  for (const r of benchDroneVolleyball(secs)) add(r);
  for (const r of await benchDroneVolleyballMatches(secs)) add(r);
  const cramped = loadGame('overcooked', { layout: 'cramped_room' }) as OvercookedGame;
  const episodes = quick ? 100 : 1000;
  for (const pairing of ['greedy+greedy', 'greedy+random', 'random+random'] as const) {
    const s = await baselineScore(cramped, pairing, episodes);
    add({ name: `overcooked.cramped_room.${pairing}-mean-return`, value: Number(s.meanReturn.toFixed(2)), unit: 'return', note: `${episodes} seeded episodes, horizon 400, ${s.meanSoups.toFixed(2)} soups/episode` });
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const secs = quick ? 0.5 : 2;
  const results: BenchResult[] = [];
  const add = (r: BenchResult): void => {
    results.push(r);
    log(`${r.name} = ${r.value.toLocaleString('en-US', { maximumFractionDigits: 4 })} ${r.unit}`);
  };

  for (const id of ['connect-four', 'tic-tac-toe', 'kuhn-poker', 'leduc-poker']) {
    const r = randomRollouts(loadGame(id), secs);
    add({ name: `${id}.random-rollouts`, value: Math.round(r.gamesPerSecond), unit: 'games/s', note: `one core, public interface, mean length ${r.meanLength.toFixed(2)} steps` });
  }

  const c4 = loadGame('connect-four');
  const t0 = performance.now();
  const nodes8 = perft(c4, c4.init(0), 8);
  add({ name: 'connect-four.perft-8-seconds', value: (performance.now() - t0) / 1000, unit: 's', note: `${nodes8} nodes` });

  // Alpha-beta: nodes searched per second at depth 7 from the opening and from a few random middle games.
  {
    const ab = new AlphaBetaAgent(c4 as Game<unknown, number>, { depth: 7, seed: 1 });
    let nodes = 0;
    const tAb = performance.now();
    const rng = Rng.fromSeed(3);
    for (let p = 0; p < 6; p++) {
      let s = c4.init(p);
      for (let k = 0; k < p * 3 && !c4.isTerminal(s); k++) {
        const legal = c4.legalActions(s, c4.currentPlayers(s)[0]!);
        s = c4.apply(s, [legal[rng.int(legal.length)]!]);
      }
      if (c4.isTerminal(s)) continue;
      ab.act(new LazySeatView(c4, s, c4.currentPlayers(s)[0]!, 0, undefined) as never);
      nodes += ab.lastNodes;
    }
    add({ name: 'connect-four.alphabeta-nodes', value: Math.round(nodes / ((performance.now() - tAb) / 1000)), unit: 'nodes/s', note: 'depth 7, heuristic leaves' });
  }

  // The match loop itself: complete random-vs-random Connect Four matches through runMatch (records included).
  {
    let seed = 0;
    const tM = performance.now();
    let matches = 0;
    while (performance.now() - tM < secs * 1000) {
      await runMatch(c4, seed, [{ agent: new RandomAgent(seed) }, { agent: new RandomAgent(seed + 1) }]);
      seed++;
      matches++;
    }
    add({ name: 'engine.connect-four-random-matches', value: Math.round(matches / ((performance.now() - tM) / 1000)), unit: 'matches/s' });
    const rec = await runMatch(c4, 1, [{ agent: new RandomAgent(1) }, { agent: new RandomAgent(2) }]);
    add({ name: 'engine.connect-four-replays', value: Math.round(rate(() => (replay(rec), 1), secs)), unit: 'replays/s' });
  }

  // Times include the exact NashConv checks (every iteration for Kuhn and Leduc to 1e-2, every 10 to 1e-3).
  const kuhn = cfrToTarget('kuhn-poker', 1e-3, 1);
  add({ name: 'kuhn-poker.cfr-plus-seconds-to-nashconv-1e-3', value: kuhn.seconds, unit: 's', note: `${kuhn.iterations} iterations, value ${kuhn.value.toFixed(6)}` });
  const leduc = cfrToTarget('leduc-poker', 1e-2, 1);
  add({ name: 'leduc-poker.cfr-plus-seconds-to-nashconv-1e-2', value: leduc.seconds, unit: 's', note: `${leduc.iterations} iterations, value ${leduc.value.toFixed(6)}` });
  const leduc3 = cfrToTarget('leduc-poker', 1e-3, 10);
  add({ name: 'leduc-poker.cfr-plus-seconds-to-nashconv-1e-3', value: leduc3.seconds, unit: 's', note: `${leduc3.iterations} iterations, value ${leduc3.value.toFixed(6)}` });

  await leagueBenchmarks(add, secs);
  await cooperativeAndPhysicsBenchmarks(add, secs, quick);

  const tT = performance.now();
  const tttTree = buildGameTree(loadGame('tic-tac-toe'));
  add({ name: 'tic-tac-toe.tree-build-seconds', value: (performance.now() - tT) / 1000, unit: 's', note: `${tttTree.numNodes} nodes` });

  process.stdout.write(`${JSON.stringify({ machine: machine(), results })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
