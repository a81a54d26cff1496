import type { Command } from 'commander';
import { perft } from '../../agents/perft';
import { treeStats } from '../../agents/tree-stats';
import { loadGame } from '../../environments/registry';
import { intOption, jsonOption, printJson } from '../options';

export function registerPerft(program: Command): void {
  program
    .command('perft')
    .description('count the nodes at exactly --depth plies from the initial state (chance plies count; terminal nodes are not expanded)')
    .requiredOption('--game <id>', 'game id (see `arena games`)')
    .requiredOption('--depth <n>', 'depth in plies', intOption('depth', 0, 64))
    .option('--params <json>', 'game parameters as a JSON object', jsonOption('params'))
    .option('--json', 'print {"game","depth","nodes","seconds"}')
    .action((opts: { game: string; depth: number; params?: Record<string, unknown>; json?: boolean }) => {
      const game = loadGame(opts.game, opts.params);
      const t0 = performance.now();
      const nodes = perft(game, game.init(0), opts.depth);
      const seconds = (performance.now() - t0) / 1000;
      if (opts.json) return printJson({ game: opts.game, depth: opts.depth, nodes, seconds });
      process.stdout.write(`${opts.game} perft(${opts.depth}) = ${nodes.toLocaleString('en-US')}  (${seconds.toFixed(2)} s)\n`);
    });

  program
    .command('tree')
    .description('enumerate the whole game tree: complete games by outcome, histories and distinct positions (small games only)')
    .requiredOption('--game <id>', 'game id')
    .option('--params <json>', 'game parameters as a JSON object', jsonOption('params'))
    .option('--max-nodes <n>', 'give up beyond this many histories', intOption('max-nodes', 1), 5_000_000)
    .option('--json', 'print one JSON object')
    .action((opts: { game: string; params?: Record<string, unknown>; maxNodes: number; json?: boolean }) => {
      const game = loadGame(opts.game, opts.params);
      const stats = treeStats(game, opts.maxNodes);
      if (opts.json) return printJson({ game: opts.game, ...stats });
      const fmt = (n: number): string => n.toLocaleString('en-US');
      process.stdout.write(`${opts.game}: ${fmt(stats.games)} complete games, ${fmt(stats.nodes)} histories, ${fmt(stats.distinctPositions)} distinct positions\n`);
      for (const [returns, count] of Object.entries(stats.outcomes).sort((a, b) => b[1] - a[1])) {
        process.stdout.write(`  returns [${returns}]: ${fmt(count)}\n`);
      }
    });
}
