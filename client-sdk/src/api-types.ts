/**
 * Response types of the REST API (`/api/...`), shared by the server (which checks its responses against them with
 * `satisfies`) and the SDK's `ArenaApi`. docs/PROTOCOL.md section 1 lists the endpoints.
 */
import type { ActionValue, RoomMatchFound } from './protocol';

export type AgentKind = 'bot' | 'person' | 'learner';

export interface AgentInfo {
  readonly id: string;
  /** Unique, 1-64 characters of [A-Za-z0-9_.-]. */
  readonly name: string;
  readonly kind: AgentKind;
  readonly createdAt: string;
  /** Connected to the lobby right now (absent where the server does not say). */
  readonly online?: boolean;
}

/** POST /api/agents: the new agent and its API key, shown this once. */
export interface Registration {
  readonly agent: AgentInfo;
  readonly apiKey: string;
}

/** GET /api/games: a registered game with the facts of its default parameters. */
export interface GameInfo {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly summary: string;
  readonly players: { readonly min: number; readonly max: number };
  /** sequential | simultaneous | realtime */
  readonly dynamics: string;
  /** Ticks per second of a realtime game. */
  readonly tickHz?: number;
  readonly utility: string;
  readonly chance: boolean;
  readonly perfectInformation: boolean;
  readonly defaultParams: Readonly<Record<string, unknown>>;
  readonly numPlayers: number;
  readonly actionSpace: unknown;
  readonly observationShape: readonly number[];
  readonly maxLength: number;
  readonly utilityBounds: readonly [number, number];
}

export interface SeatRef {
  readonly name: string;
  readonly agentId?: string;
  readonly snapshotId?: string;
}

/** A match row (GET /api/matches). The seed of a running match is withheld. */
export interface MatchInfo {
  readonly id: string;
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  readonly status: 'running' | 'finished' | 'aborted';
  readonly seats: readonly SeatRef[];
  readonly createdAt: string;
  readonly endedAt: string | null;
  readonly returns: readonly number[] | null;
  readonly endReason: string | null;
  readonly seq: number | null;
}

export interface MatchFilter {
  readonly game?: string;
  /** Agent id or name. */
  readonly agent?: string;
  readonly status?: MatchInfo['status'];
  /** At most this many, newest first (1-500, default 50). */
  readonly limit?: number;
  /** Matches created before this match id (paging). */
  readonly before?: string;
}

/** GET /api/matches/:id: the row and, once finished, its record (`arena schema` describes it). */
export interface MatchDetail {
  readonly match: MatchInfo;
  readonly record: unknown;
}

export interface ReplayFrame {
  readonly step: number;
  /** Actions of this step by seat; -1 is chance, whose hidden outcomes are null. */
  readonly actions: readonly { readonly seat: number; readonly action: ActionValue | null }[];
  /** The public render data after the step. */
  readonly render: unknown;
}

/** GET /api/matches/:id/replay: the public view at every step of a finished match. */
export interface Replay {
  readonly matchId: string;
  readonly game: { readonly id: string; readonly version: number; readonly params: Readonly<Record<string, unknown>> };
  readonly seats: readonly SeatRef[];
  /** The public render data before the first step. */
  readonly initial: unknown;
  readonly frames: readonly ReplayFrame[];
  readonly returns: readonly number[];
  readonly endReason: string;
  /** Who forfeited and why, when endReason is 'forfeit'. */
  readonly forfeit?: { readonly seat: number; readonly reason: string };
}

export interface LeaderboardRow {
  readonly agentId: string;
  readonly name: string;
  readonly matches: number;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  /** OpenSkill (live). */
  readonly mu: number;
  readonly sigma: number;
  /** mu - 3 sigma. */
  readonly ordinal: number;
  readonly elo: number;
  /** Bradley-Terry rating (Elo-like scale) with its bootstrap 95% interval. */
  readonly bt: { readonly rating: number; readonly lower: number; readonly upper: number };
  readonly nashConv?: number;
}

/** GET /api/leaderboards/:game */
export interface Leaderboard {
  readonly game: string;
  readonly matches: number;
  readonly resamples: number;
  readonly rows: readonly LeaderboardRow[];
}

/** One rating after one match. */
export interface RatingPoint {
  readonly seq: number;
  readonly matchId: string;
  readonly mu: number;
  readonly sigma: number;
  readonly elo: number;
  readonly at: string;
}

export interface AgentRating {
  readonly game: string;
  readonly subject: string;
  readonly mu: number;
  readonly sigma: number;
  readonly elo: number;
  readonly matches: number;
  readonly updatedAt: string;
  /** Oldest first. */
  readonly history: readonly RatingPoint[];
}

/** GET /api/agents/:id (id or name). */
export interface AgentProfile {
  readonly agent: AgentInfo;
  readonly ratings: readonly AgentRating[];
  readonly recentMatches: readonly MatchInfo[];
}

/** A rating summary in one game. */
export interface RatingSummary {
  readonly mu: number;
  readonly sigma: number;
  readonly ordinal: number;
  readonly elo: number;
  readonly matches: number;
}

/** GET /api/opponents/:game: who can be challenged in a game right now. */
export interface Opponent {
  readonly agentId: string;
  readonly name: string;
  readonly kind: AgentKind;
  /** Played by the server itself (always available). */
  readonly hosted: boolean;
  /** Connected to the lobby (a challenge is offered to it). */
  readonly online: boolean;
  /** What a hosted agent plays ("alphabeta:depth=4"). */
  readonly spec?: string;
  readonly rating: RatingSummary | null;
}

/** POST /api/challenges (authenticated): a match against a named agent, or the closest-rated hosted one. */
export interface ChallengeRequest {
  readonly game: string;
  /** Agent name or id; omitted: the hosted agent whose rating is closest to yours. */
  readonly opponent?: string;
  /** Your seat (0 = first to move); omitted: drawn at random. */
  readonly seat?: number;
  readonly params?: Readonly<Record<string, string | number | boolean | null>>;
  /** Time limit per decision in ms (1 000 - 600 000); omitted: the server's default. */
  readonly decisionMs?: number;
}

/** The answer to a challenge: your seat's pairing (join it with ArenaClient.join) and who you play. */
export type Challenge = RoomMatchFound & { readonly opponent: { readonly agentId: string; readonly name: string } };

/** GET /api/live: a running match that can be watched (ArenaClient.watch(matchId)). */
export interface LiveMatch {
  readonly matchId: string;
  /** Its Colyseus room (ArenaClient.spectate(roomId)); null for a lobby match nobody watches yet. */
  readonly roomId: string | null;
  readonly game: string;
  readonly seats: readonly SeatRef[];
  readonly createdAt: string;
  /** Spectators watching now. */
  readonly watchers: number;
}
