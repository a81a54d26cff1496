import type { Command } from 'commander';
import type { Agent } from '../../agents/agent';
import { createAgent } from '../../agents/registry';
import { deriveSeed } from '../../environments/core/rng';
import { loadGame } from '../../environments/registry';
import { runMatch } from '../../engine/match';
import { intOption } from '../options';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('watch a Connect Four match in the terminal: alpha-beta (depth 5) against MCTS (2000 simulations)')
    .option('--seed <s>', 'seed', intOption('seed', 0, 2 ** 32 - 1), 1)
    .option('--delay-ms <ms>', 'pause between moves (default 250 on a terminal, 0 otherwise)', intOption('delay-ms', 0, 10_000))
    .option('--agents <a,b>', 'the two agent specs', 'alphabeta:depth=5;mcts:simulations=2000')
    .action(async (opts: { seed: number; delayMs?: number; agents: string }) => {
      const game = loadGame('connect-four');
      const specs = opts.agents.split(';');
      const delay = opts.delayMs ?? (process.stdout.isTTY ? 250 : 0);
      // Pace the match for people watching: each agent's move is held back by `delay` ms.
      const seats = specs.map((spec, s) => {
        const inner = createAgent(spec, { game, seed: deriveSeed(opts.seed, s) });
        const agent: Agent = delay > 0 ? { name: inner.name, act: async (v) => { const a = await inner.act(v); await sleep(delay); return a; } } : inner;
        return { agent };
      });
      const out = process.stdout;
      const clear = out.isTTY ? '\x1b[2J\x1b[H' : '\n';
      const header = `selfplay-arena demo: Connect Four\n  X = ${seats[0]!.agent.name}\n  O = ${seats[1]!.agent.name}\n`;
      out.write(`${clear}${header}\n${game.renderText(game.init(opts.seed), null)}\n`);
      const record = await runMatch(game, opts.seed, seats, {
        listener: {
          onStep: (e) => {
            const a = e.actions[0]!;
            out.write(`${clear}${header}\nmove ${e.step + 1}: ${a.seat === 0 ? 'X' : 'O'} plays ${game.actionToString(a.seat, a.action)}\n${game.renderText(e.state, null)}\n`);
          },
        },
      });
      const [x, o] = record.returns as [number, number];
      const result = x > o ? `X (${seats[0]!.agent.name}) wins` : o > x ? `O (${seats[1]!.agent.name}) wins` : 'draw';
      out.write(`\n${result} after ${record.steps} moves. Try \`npx arena --help\` for more.\n`);
    });
}
