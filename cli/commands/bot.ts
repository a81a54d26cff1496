import type { Command } from 'commander';
import { createAgent } from '../../agents/registry';
import { ArenaError } from '../../environments/core/errors';
import { deriveSeed } from '../../environments/core/rng';
import { loadGame } from '../../environments/registry';
import { ArenaClient, ArenaClientError } from '../../client-sdk/src/client';
import { seatOutcome } from '../../engine/outcome';
import { agentPolicy } from '../../agents/turn-view';
import { intOption, jsonOption, printJson } from '../options';

export function registerBot(program: Command): void {
  program
    .command('bot')
    .description('connect a local agent to an arena server and play queued matches')
    .requiredOption('--game <id>', 'game to queue for')
    .option('--agent <spec>', 'local agent: random, alphabeta:depth=4, mcts:simulations=400, policy:FILE.json', 'random')
    .option('--url <url>', 'server URL', process.env.ARENA_URL ?? 'http://127.0.0.1:2567')
    .option('--key <apiKey>', 'API key of the agent (or ARENA_API_KEY)', process.env.ARENA_API_KEY)
    .option('--matches <n>', 'how many matches to play', intOption('matches', 1, 1_000_000), 1)
    .option('--seed <s>', 'seed of the local agent', intOption('seed', 0, 2 ** 32 - 1), 0)
    .option('--params <json>', 'game parameters as a JSON object', jsonOption('params'))
    .option('--json', 'print {"matches":[summaries]} at the end')
    .action(async (opts: { game: string; agent: string; url: string; key?: string; matches: number; seed: number; params?: Record<string, unknown>; json?: boolean }) => {
      if (!opts.key) throw new ArenaError('cli/usage', 'an API key is required: --key or ARENA_API_KEY (register with POST /api/agents)');
      const game = loadGame(opts.game, opts.params);
      const client = new ArenaClient({ url: opts.url, apiKey: opts.key });
      try {
        let played = 0;
        // One agent per match (search agents keep per-match state; seeds differ by match and seat).
        let current: { match: unknown; policy: ReturnType<typeof agentPolicy> } | null = null;
        const results = await client.play(
          opts.game,
          (turn, match) => {
            if (current?.match !== match) {
              current = { match, policy: agentPolicy(game, createAgent(opts.agent, { game, seed: deriveSeed(opts.seed, played, turn.seat) })) };
            }
            return current.policy(turn);
          },
          {
            matches: opts.matches,
            ...(opts.params ? { params: opts.params } : {}),
            onEnd: (s) => {
              played++;
              if (!opts.json) {
                process.stdout.write(`match ${played}/${opts.matches} ${s.matchId}: seat ${s.seat}, ${seatOutcome(s.returns, s.seat)}, returns [${s.returns.join(', ')}] (${s.endReason}${s.forfeit ? `, seat ${s.forfeit.seat}: ${s.forfeit.reason}` : ''})\n`);
              }
            },
          },
        );
        if (opts.json) printJson({ matches: results });
      } catch (error) {
        if (error instanceof ArenaClientError) throw new ArenaError('cli/usage', `${error.code}: ${error.message}`);
        throw error;
      } finally {
        client.close();
      }
    });
}
