/** How the CLI turns errors into exit codes: expected problems are one line on stderr and exit code 2. */
import { CommanderError } from 'commander';
import { isArenaError } from '../environments/core/errors';

export const EXIT_USAGE = 2;

export function reportAndExit(error: unknown): never {
  if (error instanceof CommanderError) {
    // Commander already printed its message (help, version, or a usage error).
    const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exit(ok ? 0 : EXIT_USAGE);
  }
  if (isArenaError(error)) {
    process.stderr.write(`arena: ${error.message.split('\n')[0]}\n`);
    process.exit(EXIT_USAGE);
  }
  // A bug: keep the stack, it is what a maintainer needs.
  process.stderr.write(`arena: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
