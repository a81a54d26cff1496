/** Structured logs (pino). API keys, tickets and authorization headers are redacted wherever they appear. */
import pino, { type Logger } from 'pino';

export type { Logger };

/** Asynchronous writes (a per-match log line must not block the event loop); flushed on shutdown and exit. */
export function createLogger(level: string): Logger {
  const destination = pino.destination({ sync: false });
  process.once('exit', () => destination.flushSync());
  return pino(
    {
    level,
    base: { service: 'selfplay-arena' },
    redact: {
      paths: ['apiKey', '*.apiKey', 'ticket', '*.ticket', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  },
    destination,
  );
}
