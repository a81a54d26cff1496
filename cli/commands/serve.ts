import type { Command } from 'commander';
import { ENV_NAMES } from '../../server/config';
import { serve } from '../../server/main';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(`run the arena server (REST, rooms, lobby, web app); flags override ${Object.values(ENV_NAMES).join(', ')}`)
    .option('--port <n>', 'HTTP port (default 2567; 0 = any free port)')
    .option('--host <addr>', 'interface to listen on (default 127.0.0.1)')
    .option('--data <dir>', 'directory of the SQLite store (default ./data)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (default info)')
    .option('--reconnect-seconds <s>', 'reconnection window of a dropped seat (default 20)')
    .option('--decision-ms <ms>', 'default per-decision time limit of remote seats (default 30000; 0 = none)')
    .action(async (opts: { port?: string; host?: string; data?: string; logLevel?: string; reconnectSeconds?: string; decisionMs?: string }) => {
      await serve({ port: opts.port, host: opts.host, dataDir: opts.data, logLevel: opts.logLevel, reconnectSeconds: opts.reconnectSeconds, decisionMs: opts.decisionMs });
    });
}
