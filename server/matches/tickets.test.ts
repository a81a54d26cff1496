import { issueTickets } from './tickets';

describe('seat tickets', () => {
  it('each ticket redeems its own seat once, and only before it expires', () => {
    const { tickets, book } = issueTickets(3, 1000, 0);
    expect(new Set(tickets).size).toBe(3);
    expect(tickets.every((t) => t.length >= 24)).toBe(true);
    expect(book.redeem(tickets[1]!, 10)).toEqual({ seat: 1 });
    expect(book.redeem(tickets[1]!, 20)).toEqual({ error: 'used' });
    expect(book.redeem('not-a-ticket-at-all-000', 20)).toEqual({ error: 'unknown' });
    expect(book.unclaimed()).toEqual([0, 2]);
    expect(book.redeem(tickets[0]!, 1001)).toEqual({ error: 'expired' });
    expect(book.redeem(tickets[0]!, 1000)).toEqual({ seat: 0 });
  });
});
