/** Structured logs (pino). API keys, tickets and authorization headers are redacted wherever they appear. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'selfplay-arena' },
    redact: {
      paths: ['apiKey', '*.apiKey', 'ticket', '*.ticket', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
