/**
 * Rebuilds per-seat trajectories from a MatchRecord. Records hold no observations: the record's actions are
 * replayed through the rules (engine/replay.ts, which also checks chance draws, legality, the final-state hash
 * and the returns), and each learning seat's observation tensor and legal mask are recomputed at each of its
 * decisions, exactly as the live match showed them to the agent.
 *
 * Rewards: `rewards[t]` is the sum of `game.rewards` over every step from the seat's decision t (included) up to
 * its next decision (excluded); the last one runs to the end of the match, and rewards before the seat's first
 * decision count for the first one. When a match ends by forfeit the
 * forfeit adjustment (record returns minus rule returns) is added to the last reward, so the rewards of a
 * trajectory always sum to the record's return for that seat.
 */
import { ArenaError, isArenaError } from '../environments/core/errors';
import type { AnyGame, Seat } from '../environments/core/game';
import type { MatchRecord, SeatInfo } from '../engine/record';
import { replay } from '../engine/replay';

export interface SeatTrajectory {
  readonly recordId: string;
  readonly seat: Seat;
  /** The snapshot that played this seat (record.seats[seat].snapshotId), if any. */
  readonly snapshotId: string | undefined;
  /** Number of decisions T. */
  readonly length: number;
  /** T observation tensors, flat, row-major: [T, inputSize]. */
  readonly observations: Float32Array;
  /** T legal masks (1 = legal): [T, numActions]. */
  readonly legalMasks: Uint8Array;
  /** The action taken at each decision. */
  readonly actions: Int32Array;
  /** Reward credited to each decision (see the module comment); sums to `finalReturn`. */
  readonly rewards: Float64Array;
  /** The seat's return in the record (after forfeit rules). */
  readonly finalReturn: number;
  /** True when the match ended by the rules or a forfeit; false for 'max-steps' and 'aborted' (cut short). */
  readonly complete: boolean;
}

/** Decides which seats of a record to learn from (e.g. seats played by recent snapshots of the learner's line). */
export type LearnSeats = (seat: Seat, info: SeatInfo) => boolean;

/**
 * The trajectories of the seats for which `learnSeats` is true (seats with no decision give none). Throws
 * ArenaError 'record/malformed' (unsupported game, wrong seat count) or 'record/mismatch' (the record does not
 * replay); callers log and skip such records.
 */
export function trajectoriesFromRecord(record: MatchRecord, game: AnyGame, learnSeats: LearnSeats): SeatTrajectory[] {
  if (game.actionSpace.kind !== 'discrete') {
    throw new ArenaError('record/malformed', `record ${record.id}: ${game.spec.id} has no discrete action space`);
  }
  if (record.seats.length !== game.numPlayers) {
    throw new ArenaError('record/malformed', `record ${record.id}: ${record.seats.length} seats, ${game.spec.id} has ${game.numPlayers}`);
  }
  const numActions = game.actionSpace.n;
  const inputSize = game.observationShape.reduce((a, b) => a * b, 1);
  const seats = record.seats.map((info, seat) => learnSeats(seat, info));
  const obs: number[][] = seats.map(() => []);
  const masks: number[][] = seats.map(() => []);
  const actions: number[][] = seats.map(() => []);
  const rewards: number[][] = seats.map(() => []);
  /** Reward accumulated by each seat since its last decision. */
  const pending = new Float64Array(game.numPlayers);

  const onStep = (s: { before: unknown; after: unknown; actions: readonly { seat: number; action: unknown }[] }): void => {
    for (const { seat, action } of s.actions) {
      if (seat < 0 || !seats[seat]) continue;
      if (typeof action !== 'number') throw new ArenaError('record/malformed', `record ${record.id}: non-integer action`);
      // The reward since the previous decision belongs to that decision (rewards before the first decision stay
      // pending and go to the first one).
      if (actions[seat]!.length > 0) {
        rewards[seat]!.push(pending[seat]!);
        pending[seat] = 0;
      }
      const o = game.observationTensor(s.before, seat);
      if (o.length !== inputSize) throw new Error(`${game.spec.id}: observation of ${o.length} values, shape says ${inputSize}`);
      for (let i = 0; i < o.length; i++) obs[seat]!.push(o[i]!);
      const mask = new Array<number>(numActions).fill(0);
      for (const a of game.legalActions(s.before, seat) as readonly number[]) mask[a] = 1;
      masks[seat]!.push(...mask);
      actions[seat]!.push(action);
    }
    const r = game.rewards(s.after);
    for (let seat = 0; seat < game.numPlayers; seat++) pending[seat] = pending[seat]! + (r[seat] ?? 0);
  };

  let result;
  try {
    result = replay(record, { game, onStep });
  } catch (error) {
    if (isArenaError(error)) throw error;
    throw new ArenaError('record/mismatch', `record ${record.id}: replay failed: ${String(error)}`, { cause: error });
  }
  const ruleReturns = game.returns(result.finalState);
  const out: SeatTrajectory[] = [];
  seats.forEach((learn, seat) => {
    const T = actions[seat]!.length;
    if (!learn || T === 0) return;
    // Last decision: what is left, plus the forfeit adjustment, so the rewards sum to the recorded return.
    const last = pending[seat]! + (record.returns[seat]! - (ruleReturns[seat] ?? 0));
    const r = Float64Array.from([...rewards[seat]!, last]);
    out.push({
      recordId: record.id,
      seat,
      snapshotId: record.seats[seat]!.snapshotId,
      length: T,
      observations: Float32Array.from(obs[seat]!),
      legalMasks: Uint8Array.from(masks[seat]!),
      actions: Int32Array.from(actions[seat]!),
      rewards: r,
      finalReturn: record.returns[seat]!,
      complete: record.endReason === 'terminal' || record.endReason === 'forfeit',
    });
  });
  return out;
}
