/**
 * Rates one committed match, exactly once: OpenSkill for every seat (each seat a team of one, so more than two
 * players work) and Elo for two-player matches, committed together with `consumer`'s feed cursor. Aborted
 * matches, mirror matches (one agent in every seat) and seats without an agent change nothing but the cursor.
 */
import type { MatchRecord } from '../../engine/record';
import type { ArenaStore, RatingUpdate } from '../store/store';
import { ELO_INITIAL, updateElo } from './elo';
import { initialRating, rateMatch, ranksFromReturns } from './openskill';

export function applyMatchRatings(store: ArenaStore, consumer: string, seq: number, record: MatchRecord): boolean {
  const game = record.game.id;
  const ids = record.seats.map((s) => s.agentId);
  const rateable = record.endReason !== 'aborted' && ids.every((id): id is string => id !== undefined) && new Set(ids).size === ids.length && ids.length >= 2;
  let updates: RatingUpdate[] = [];
  if (rateable) {
    const agents = ids as string[];
    const current = agents.map((id) => store.getRating(game, id));
    const rated = rateMatch(current.map((r) => [r ? { mu: r.mu, sigma: r.sigma } : initialRating()]), { ranks: ranksFromReturns(record.returns) });
    const elos = current.map((r) => r?.elo ?? ELO_INITIAL);
    if (agents.length === 2) {
      const [r0, r1] = [record.returns[0]!, record.returns[1]!];
      const e = updateElo(elos[0]!, elos[1]!, r0 > r1 ? 1 : r0 < r1 ? 0 : 0.5);
      elos[0] = e.a;
      elos[1] = e.b;
    }
    updates = agents.map((subject, i) => ({ subject, mu: rated[i]![0]!.mu, sigma: rated[i]![0]!.sigma, elo: elos[i]! }));
  }
  return store.applyRatings(consumer, game, seq, record.id, updates);
}
