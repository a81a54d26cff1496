import { describe, expect, it } from '@jest/globals';
import { ago, clock, forfeitReason, initial, outcomeFor, resultLine } from './format';

describe('format', () => {
  it('decides each seat\'s outcome from the returns (ties are draws, any better seat is a loss)', () => {
    expect([0, 1].map((s) => outcomeFor([1, -1], s))).toEqual(['win', 'loss']);
    expect([0, 1].map((s) => outcomeFor([0, 0], s))).toEqual(['draw', 'draw']);
    expect([0, 1, 2].map((s) => outcomeFor([2, 2, -4], s))).toEqual(['draw', 'draw', 'loss']);
  });

  it('words the result for a player and for a spectator, forfeits included', () => {
    const name = (s: number): string => ['alice', 'bob'][s]!;
    expect(resultLine({ returns: [1, -1], endReason: 'terminal' }, 0, name)).toBe('You won');
    expect(resultLine({ returns: [1, -1], endReason: 'terminal' }, 1, name)).toBe('You lost');
    expect(resultLine({ returns: [0, 0], endReason: 'terminal' }, null, name)).toBe('Draw');
    expect(resultLine({ returns: [-1, 1], endReason: 'terminal' }, null, name)).toBe('bob wins');
    expect(resultLine({ returns: [-1, 1], endReason: 'forfeit', forfeit: { seat: 0, reason: 'timeout' } }, 0, name)).toBe('You lost: alice ran out of time');
    expect(resultLine({ returns: [1, -1], endReason: 'forfeit', forfeit: { seat: 1, reason: 'agent error: resigned' } }, null, name)).toBe('alice wins: bob resigned');
    expect(resultLine({ returns: [0, 0], endReason: 'aborted' }, 0, name)).toBe('The match was aborted');
  });

  it('reads the engine\'s forfeit reasons', () => {
    expect(forfeitReason('agent error: disconnected')).toBe('left the match');
    expect(forfeitReason('invalid action: action/illegal: column 3 is full')).toBe('made an illegal move');
    expect(forfeitReason('something new')).toBe('something new');
  });

  it('formats clocks, ages and avatar initials', () => {
    expect([clock(30_000), clock(29_001), clock(61_000), clock(-5)]).toEqual(['0:30', '0:30', '1:01', '0:00']);
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(ago('2026-01-10T11:59:30Z', now)).toBe('just now');
    expect(ago('2026-01-10T11:30:00Z', now)).toBe('30 min ago');
    expect(ago('2026-01-10T07:00:00Z', now)).toBe('5 h ago');
    expect(ago('not a date', now)).toBe('');
    expect([initial('guest-a1b2c3'), initial('house.random'), initial('zoe'), initial('_x')]).toEqual(['G', 'R', 'Z', 'X']);
  });
});
