#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm ci` (prepare) and `npm run build`.
//
// `arena serve` runs the server with the young generation `npm start` gives it: under load the server allocates
// for every message, and with V8's default 16 MB semi-space, garbage collection was its largest single cost
// (bench:server: about 25% fewer actions/s). V8 takes the flag only at start, so serve re-runs itself with it.
const SERVER_FLAGS = ['--max-semi-space-size=128'];
if (process.argv[2] === 'serve' && !process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  const { spawn } = require('node:child_process');
  const { constants } = require('node:os');
  const child = spawn(process.execPath, [...process.execArgv, ...SERVER_FLAGS, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  // A supervisor's SIGTERM reaches this process only: pass it on. Ctrl-C reaches the whole foreground group, the
  // server included, so SIGINT is not passed on (a second one would make the server skip its graceful shutdown).
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
} else {
  require('../dist/cli/main.js');
}
