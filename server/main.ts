/**
 * The server process (`npm start`, `arena serve`): configuration from flags and environment, graceful shutdown
 * on SIGTERM/SIGINT (running matches finish or are recorded as aborted), a one-line error and exit code 2 for a
 * bad configuration.
 */
import { isArenaError } from '../environments/core/errors';
import { createArenaServer, type ArenaServer } from './app';
import { loadConfig, type ArenaConfig } from './config';

export async function serve(flags: Partial<Record<keyof ArenaConfig, unknown>> = {}): Promise<ArenaServer> {
  const config = loadConfig(process.env, flags);
  const server = await createArenaServer(config);
  let signals = 0;
  const stop = (signal: string): void => {
    if (++signals > 1) {
      server.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    server.log.info({ signal }, 'signal received');
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return server;
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    if (isArenaError(error)) process.stderr.write(`arena: ${error.message}\n`);
    else if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') process.stderr.write(`arena: port already in use (${(error as Error).message})\n`);
    else process.stderr.write(`arena: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  });
}
