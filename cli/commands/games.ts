import type { Command } from 'commander';
import { describeGame } from '../../environments/describe';
import { GAME_MODULES } from '../../environments/registry';
import { printJson } from '../options';

export function registerGames(program: Command): void {
  program
    .command('games')
    .description('list the registered games with their specs')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) => {
      const games = GAME_MODULES.map(describeGame);
      if (opts.json) return printJson({ games });
      for (const g of games) {
        const players = g.players.min === g.players.max ? `${g.players.min}` : `${g.players.min}-${g.players.max}`;
        process.stdout.write(
          `${g.id} v${g.version}  ${g.title}\n  ${players} players, ${g.dynamics}, ${g.utility}, ` +
            `${g.chance ? 'chance' : 'no chance'}, ${g.perfectInformation ? 'perfect' : 'imperfect'} information, ` +
            `actions ${JSON.stringify(g.actionSpace)}, observation [${g.observationShape.join('x')}], max length ${g.maxLength}\n  ${g.summary}\n\n`,
        );
      }
    });
}
