import type { AnyGame } from '../environments/core/game';

/** A token bucket per connection: `rate` tokens per second, holding at most `burst`. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number = rate * 2,
  ) {
    this.tokens = burst;
  }

  /** Takes one token if there is one. */
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Messages per second one seat of a match may send (a room client, or a lobby seat): twice the request rate, and
 * for a realtime game two per tick (drone volleyball sends one action per tick at 100 Hz).
 */
export function seatMessageRate(rateLimit: number, game: AnyGame): number {
  return Math.max(2 * rateLimit, 2 * (game.spec.tickHz ?? 0));
}
