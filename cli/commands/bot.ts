import type { Command } from 'commander';
import { createAgent } from '../../agents/registry';
import { ArenaError } from '../../environments/core/errors';
import { deriveSeed } from '../../environments/core/rng';
import { loadGame } from '../../environments/registry';
import { ArenaClient, ArenaClientError, type PlayedMatch, type Policy } from '../../client-sdk/src/client';
import { seatOutcome } from '../../engine/outcome';
import { agentPolicy } from '../../agents/turn-view';
import { intOption, jsonOption, printJson } from '../options';
import { onStopSignals } from '../signals';

export function registerBot(program: Command): void {
  program
    .command('bot')
    .description('connect a local agent to an arena server and play queued matches (or, with --serve, the matches the server offers it)')
    .requiredOption('--game <id>', 'game to queue for (with --serve: the game whose offers are accepted)')
    .option('--agent <spec>', 'local agent: random, alphabeta:depth=4, mcts:simulations=400, policy:FILE.json', 'random')
    .option('--url <url>', 'server URL', process.env.ARENA_URL ?? 'http://127.0.0.1:2567')
    .option('--key <apiKey>', 'API key of the agent (or ARENA_API_KEY)', process.env.ARENA_API_KEY)
    .option('--matches <n>', 'how many matches to play (default 1; with --serve: until Ctrl-C)', intOption('matches', 1, 1_000_000))
    .option('--concurrency <n>', 'matches played at once over the one lobby connection (default 1)', intOption('concurrency', 1, 256), 1)
    .option('--serve', "don't queue: accept every match of --game the server offers (league matches with this agent as a remote: member, challenges), several at once")
    .option('--seed <s>', 'seed of the local agent', intOption('seed', 0, 2 ** 32 - 1), 0)
    .option('--params <json>', 'game parameters as a JSON object', jsonOption('params'))
    .option('--json', 'print {"matches":[summaries]} at the end')
    .action(async (opts: { game: string; agent: string; url: string; key?: string; matches?: number; concurrency: number; seed: number; params?: Record<string, unknown>; json?: boolean; serve?: boolean }) => {
      if (!opts.key) throw new ArenaError('cli/usage', 'an API key is required: --key or ARENA_API_KEY (register with POST /api/agents)');
      const game = loadGame(opts.game, opts.params);
      const client = new ArenaClient({ url: opts.url, apiKey: opts.key });
      try {
        let played = 0;
        const total = opts.matches ?? (opts.serve ? undefined : 1);
        const onEnd = (s: PlayedMatch): void => {
          played++;
          if (!opts.json) {
            process.stdout.write(`match ${played}${total ? `/${total}` : ''} ${s.matchId}: seat ${s.seat}, ${seatOutcome(s.returns, s.seat)}, returns [${s.returns.join(', ')}] (${s.endReason}${s.forfeit ? `, seat ${s.forfeit.seat}: ${s.forfeit.reason}` : ''})\n`);
          }
        };
        // One agent per match (search agents keep per-match state; seeds differ by match and seat).
        let started = 0;
        const policyFor = (seat: number): Policy => agentPolicy(game, createAgent(opts.agent, { game, seed: deriveSeed(opts.seed, started++, seat) }));
        let results: PlayedMatch[];
        if (opts.serve) {
          const stop = new AbortController();
          onStopSignals(() => stop.abort());
          if (!opts.json) process.stderr.write(`serving ${opts.game} matches offered to this agent (Ctrl-C stops after the running ones)\n`);
          results = await client.serve((found) => (found.game === opts.game ? policyFor(found.seat) : null), { ...(total ? { matches: total } : {}), signal: stop.signal, onEnd });
        } else {
          const policies = new WeakMap<object, Policy>();
          results = await client.play(
            opts.game,
            (turn, match) => {
              let policy = policies.get(match);
              if (!policy) policies.set(match, (policy = policyFor(turn.seat)));
              return policy(turn, match);
            },
            { matches: total ?? 1, concurrency: opts.concurrency, ...(opts.params ? { params: opts.params } : {}), onEnd },
          );
        }
        if (opts.json) printJson({ matches: results });
      } catch (error) {
        if (error instanceof ArenaClientError) throw new ArenaError('cli/usage', `${error.code}: ${error.message}`);
        throw error;
      } finally {
        client.close();
      }
    });
}
