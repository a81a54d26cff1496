/**
 * Runtime schemas of everything a server receives (zod). Server-side only: the SDK's runtime does not import
 * this file, so zod is a peer dependency of the SDK, needed only by servers.
 */
import { z } from 'zod';
import { MAX_ACTIONS_PER_MESSAGE, TURN_FIELDS } from './protocol';

/** Largest JSON payload accepted from a client (room messages are also capped by the transport). */
export const MAX_MESSAGE_BYTES = 4096;

const gameId = z.string().min(1).max(64).regex(/^[a-z0-9-]+$/, 'a game id (kebab-case)');
const params = z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean(), z.null()])).optional();

export const QueueJoinSchema = z.object({ game: gameId, params, via: z.enum(['room', 'lobby']).optional(), observe: z.array(z.enum(TURN_FIELDS)).max(TURN_FIELDS.length).optional() }).strict();
export const QueueLeaveSchema = z.object({ game: gameId.optional() }).strict();
export const FeedSubscribeSchema = z.object({ game: gameId.optional() }).strict().optional();

export const ActionValueSchema = z.union([
  z.number().finite(),
  z.array(z.number().finite()).max(256),
  z.string().max(2048),
]);
export const ActionMessageSchema = z.object({ step: z.number().int().nonnegative(), action: ActionValueSchema }).strict();
export const ResignSchema = z.object({}).strict().optional();
const matchId = z.string().min(1).max(64);
export const LobbyActionsSchema = z.array(z.object({ matchId, step: z.number().int().nonnegative(), action: ActionValueSchema }).strict()).min(1).max(MAX_ACTIONS_PER_MESSAGE);
export const LobbyResignSchema = z.object({ matchId }).strict();

export const JoinOptionsSchema = z.union([
  z.object({ ticket: z.string().min(16).max(128) }).strict(),
  z.object({ spectate: z.literal(true) }).strict(),
]);

/** The first zod issue as one line: "field: problem". */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'message';
  return `${where}: ${issue.message}`;
}
