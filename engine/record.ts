/**
 * The match record: small, versioned, and enough to replay a match exactly. Observations are not stored;
 * replaying (game id, version, params, seed, actions) through the rules recreates every state.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ArenaError } from '../environments/core/errors';

export const RECORD_VERSION = 1;

const JsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

export const ActionValueSchema = z.union([z.number(), z.array(z.number()).readonly(), z.string()]);

export const RecordedActionSchema = z.object({
  /** Engine step (one `apply` call); simultaneous moves share a step. */
  step: z.number().int().nonnegative(),
  /** Seat index, or -1 for the chance player. */
  seat: z.number().int().min(-1),
  action: ActionValueSchema,
  /** Milliseconds the seat took to decide (0 for chance and replays). */
  ms: z.number().nonnegative(),
});

export const END_REASONS = ['terminal', 'forfeit', 'max-steps', 'aborted'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const SeatInfoSchema = z.object({
  /** Display name of the agent in this seat ("alphabeta:depth=4", a person's handle). */
  name: z.string(),
  agentId: z.string().optional(),
  snapshotId: z.string().optional(),
});

export const MatchRecordSchema = z.object({
  recordVersion: z.literal(RECORD_VERSION),
  id: z.string().min(1),
  game: z.object({ id: z.string(), version: z.number().int(), params: z.record(z.string(), JsonValue) }),
  seed: z.number().int(),
  seats: z.array(SeatInfoSchema).min(1),
  /**
   * Every applied action in order. Realtime games record an entry only when a seat's action changes; the
   * seat's latest action holds until then.
   */
  actions: z.array(RecordedActionSchema),
  steps: z.number().int().nonnegative(),
  endReason: z.enum(END_REASONS),
  /** Set when endReason is 'forfeit': who forfeited and why (timeout, invalid action, agent error, left). */
  forfeit: z.object({ seat: z.number().int().nonnegative(), reason: z.string() }).optional(),
  /** Final returns per seat (after forfeit rules when a seat forfeited). */
  returns: z.array(z.number()),
  /** sha256 of the serialized final state: replays must reproduce it. */
  finalStateHash: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
});

export type RecordedAction = z.infer<typeof RecordedActionSchema>;
export type SeatInfo = z.infer<typeof SeatInfoSchema>;
export type MatchRecord = z.infer<typeof MatchRecordSchema>;

/** Validates untrusted JSON as a match record; ArenaError('record/malformed') names the first bad field. */
export function parseMatchRecord(value: unknown): MatchRecord {
  const r = MatchRecordSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(record)';
    throw new ArenaError('record/malformed', `match record: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

export function stateHash(serialized: string): string {
  return createHash('sha256').update(serialized).digest('hex');
}

/** The JSON Schema of the record (for clients in other languages). */
export function matchRecordJsonSchema(): unknown {
  return z.toJSONSchema(MatchRecordSchema, { unrepresentable: 'any' });
}
