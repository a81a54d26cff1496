import { ERROR_CODES } from '../../environments/core/errors';
import { ActionMessageSchema, JoinOptionsSchema, QueueJoinSchema } from './protocol-schemas';
import { WIRE_ERROR_CODES } from './protocol';

describe('protocol', () => {
  it('carries every core error code on the wire under the same name', () => {
    for (const code of ERROR_CODES) expect(WIRE_ERROR_CODES).toContain(code);
    expect(new Set(WIRE_ERROR_CODES).size).toBe(WIRE_ERROR_CODES.length);
  });
  it('schemas accept good messages and refuse extra keys, wrong types and oversize values', () => {
    expect(QueueJoinSchema.safeParse({ game: 'kuhn-poker' }).success).toBe(true);
    expect(QueueJoinSchema.safeParse({ game: 'Kuhn Poker' }).success).toBe(false);
    expect(QueueJoinSchema.safeParse({ game: 'kuhn-poker', admin: true }).success).toBe(false);
    expect(ActionMessageSchema.safeParse({ step: 3, action: 1 }).success).toBe(true);
    expect(ActionMessageSchema.safeParse({ step: -1, action: 1 }).success).toBe(false);
    expect(ActionMessageSchema.safeParse({ step: 1, action: 'x'.repeat(5000) }).success).toBe(false);
    expect(ActionMessageSchema.safeParse({ step: 1, action: { seat: 1 } }).success).toBe(false);
    expect(JoinOptionsSchema.safeParse({ spectate: true }).success).toBe(true);
    expect(JoinOptionsSchema.safeParse({ ticket: 'short' }).success).toBe(false);
    expect(JoinOptionsSchema.safeParse({ ticket: 'x'.repeat(24), seat: 0 }).success).toBe(false);
  });
});
