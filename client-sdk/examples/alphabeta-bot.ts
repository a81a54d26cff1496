/**
 * An alpha-beta bot for perfect-information games: the server sends the serialized state with each turn, the bot
 * rebuilds it with the same rules and searches locally.
 *   ARENA_API_KEY=sa_... node dist/client-sdk/examples/alphabeta-bot.js connect-four 4 10
 */
import { ArenaClient } from '@selfplay-arena/client';
import { AlphaBetaAgent } from '../../agents/alphabeta';
import { loadGame } from '../../environments/registry';
import { agentPolicy } from '../../agents/turn-view';

async function main(): Promise<void> {
  const [gameId = 'connect-four', depth = '4', matches = '10'] = process.argv.slice(2);
  const game = loadGame(gameId);
  const agent = new AlphaBetaAgent(game as never, { depth: Number(depth), seed: 1 });
  const client = new ArenaClient({ url: process.env.ARENA_URL ?? 'http://127.0.0.1:2567', apiKey: process.env.ARENA_API_KEY });
  // The search reads only the state and the legal actions: ask for just that.
  const results = await client.play(gameId, agentPolicy(game, agent), { matches: Number(matches), observe: ['state'] });
  const wins = results.filter((m) => (m.returns[m.seat] ?? 0) > 0).length;
  console.log(`won ${wins} of ${results.length} matches`);
  client.close();
}

main().catch((e: unknown) => {
  console.error(String(e));
  process.exit(1);
});
