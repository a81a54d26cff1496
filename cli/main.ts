/**
 * `arena`: the command-line interface. Every command has --help; commands that scripts read take --json and
 * then print exactly one JSON object on stdout. Expected mistakes exit with code 2 and one line on stderr.
 */
import { Command } from 'commander';
import { registerBot } from './commands/bot';
import { registerDemo } from './commands/demo';
import { registerExploitability } from './commands/exploitability';
import { registerGames } from './commands/games';
import { registerLearn } from './commands/learn';
import { registerLeague } from './commands/league';
import { registerPerft } from './commands/perft';
import { registerPlay } from './commands/play';
import { registerReplay } from './commands/replay';
import { registerSchema } from './commands/schema';
import { registerServe } from './commands/serve';
import { registerSolve } from './commands/solve';
import { reportAndExit } from './errors';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside rootDir for tsc
const { version } = require('../../package.json') as { version: string };

/** Usage errors as one line, in the same form as the CLI's own errors: "arena: <problem> (see --help)". */
const ONE_LINE_ERRORS = {
  writeErr: (s: string) => process.stderr.write(s),
  outputError: (s: string, write: (s: string) => void) => write(`arena: ${s.replace(/^error: /, '').trim()} (see --help)\n`),
};

export function buildProgram(): Command {
  const program = new Command()
    .name('arena')
    .description('selfplay-arena: games, agents, solvers and matches for multi-agent self-play')
    .version(version)
    .exitOverride()
    .configureOutput(ONE_LINE_ERRORS);
  registerGames(program);
  registerPlay(program);
  registerPerft(program);
  registerSolve(program);
  registerExploitability(program);
  registerReplay(program);
  registerSchema(program);
  registerLeague(program);
  registerLearn(program);
  registerServe(program);
  registerBot(program);
  registerDemo(program);
  // Subcommands inherit exitOverride so usage errors reach reportAndExit (exit code 2).
  for (const c of program.commands) c.exitOverride().configureOutput(ONE_LINE_ERRORS);
  return program;
}

if (require.main === module || process.argv[1]?.endsWith('arena') || process.argv[1]?.endsWith('arena.js')) {
  buildProgram()
    .parseAsync(process.argv)
    .catch(reportAndExit);
}
