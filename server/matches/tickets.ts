/**
 * Seat reservations: a random ticket per seat, handed to the agent in `match:found`, redeemed once when it
 * joins the room, refused after it expires. Only the sha256 of a ticket is kept.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface TicketBook {
  /** Redeems a ticket: the seat it reserves, or why not. */
  redeem(ticket: string, now?: number): { seat: number } | { error: 'unknown' | 'used' | 'expired' };
  /** Marks a seat taken without its ticket (a lobby seat, seated by the server); false if it was taken already. */
  claim(seat: number): boolean;
  /** Seats whose tickets are still unredeemed. */
  unclaimed(): number[];
  readonly expiresAt: number;
}

const digest = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

export function issueTickets(seats: number, ttlMs: number, now = Date.now()): { tickets: string[]; book: TicketBook } {
  const tickets = Array.from({ length: seats }, () => randomBytes(18).toString('base64url'));
  const bySeat = new Map(tickets.map((t, seat) => [digest(t), seat]));
  const used = new Set<number>();
  const expiresAt = now + ttlMs;
  const book: TicketBook = {
    expiresAt,
    redeem(ticket, at = Date.now()) {
      const seat = bySeat.get(digest(ticket));
      if (seat === undefined) return { error: 'unknown' };
      if (used.has(seat)) return { error: 'used' };
      if (at > expiresAt) return { error: 'expired' };
      used.add(seat);
      return { seat };
    },
    claim(seat) {
      if (!Number.isInteger(seat) || seat < 0 || seat >= tickets.length || used.has(seat)) return false;
      used.add(seat);
      return true;
    },
    unclaimed: () => [...bySeat.values()].filter((s) => !used.has(s)),
  };
  return { tickets, book };
}
