/**
 * A random bot: queue for a game and play N matches with uniformly random legal actions.
 *   ARENA_API_KEY=sa_... node dist/client-sdk/examples/random-bot.js connect-four 10
 */
import { ArenaClient } from '@selfplay-arena/client';

async function main(): Promise<void> {
  const [game = 'connect-four', matches = '10'] = process.argv.slice(2);
  const client = new ArenaClient({ url: process.env.ARENA_URL ?? 'http://127.0.0.1:2567', apiKey: process.env.ARENA_API_KEY });
  const results = await client.play(game, (turn) => turn.legalActions[Math.floor(Math.random() * turn.legalActions.length)]!, {
    matches: Number(matches),
    observe: [], // this policy reads only the legal actions: the server sends no observation fields
    onEnd: (m) => console.log(`${m.matchId}: seat ${m.seat}, returns [${m.returns.join(', ')}] (${m.endReason})`),
  });
  console.log(`played ${results.length} matches`);
  client.close();
}

main().catch((e: unknown) => {
  console.error(String(e));
  process.exit(1);
});
