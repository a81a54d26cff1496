/**
 * ArenaApi: the REST half of the SDK (games, agents, matches, replays, leaderboards, challenges, live matches).
 * Uses the global `fetch` (Node >= 18 and browsers). Every failure is an ArenaClientError with the server's code.
 */
import type {
  AgentInfo,
  AgentKind,
  AgentProfile,
  Challenge,
  ChallengeRequest,
  GameInfo,
  Leaderboard,
  LiveMatch,
  MatchDetail,
  MatchFilter,
  MatchInfo,
  Opponent,
  Registration,
  Replay,
} from './api-types';
import { ArenaClientError } from './errors';
import { WIRE_ERROR_CODES, type WireErrorCode } from './protocol';

export interface ArenaApiOptions {
  /** Server URL, e.g. http://127.0.0.1:2567 ('' in a browser page served by the arena: same origin). */
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>` (needed by `me` and `challenge`). */
  readonly apiKey?: string;
}

const KNOWN_CODES = new Set<string>(WIRE_ERROR_CODES);

export class ArenaApi {
  private readonly base: string;

  constructor(readonly options: ArenaApiOptions) {
    this.base = `${options.url.replace(/\/$/, '')}/api`;
  }

  games(): Promise<GameInfo[]> {
    return this.get<{ games: GameInfo[] }>('/games').then((r) => r.games);
  }

  game(id: string): Promise<GameInfo> {
    return this.get<{ game: GameInfo }>(`/games/${enc(id)}`).then((r) => r.game);
  }

  agents(): Promise<AgentInfo[]> {
    return this.get<{ agents: AgentInfo[] }>('/agents').then((r) => r.agents);
  }

  /** An agent by id or name, with its ratings (and their history) per game and its recent matches. */
  agent(idOrName: string): Promise<AgentProfile> {
    return this.get<AgentProfile>(`/agents/${enc(idOrName)}`);
  }

  /** Registers an agent (a person, a bot, a learner); the API key in the answer is shown only this once. */
  register(name: string, kind: AgentKind = 'bot'): Promise<Registration> {
    return this.send<Registration>('POST', '/agents', { name, kind });
  }

  /** The agent this client's API key belongs to (auth/unauthorized without a valid key). */
  me(): Promise<AgentInfo> {
    return this.get<{ agent: AgentInfo }>('/me').then((r) => r.agent);
  }

  matches(filter: MatchFilter = {}): Promise<MatchInfo[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    const query = q.toString();
    return this.get<{ matches: MatchInfo[] }>(`/matches${query ? `?${query}` : ''}`).then((r) => r.matches);
  }

  match(id: string): Promise<MatchDetail> {
    return this.get<MatchDetail>(`/matches/${enc(id)}`);
  }

  /** The public view after every step of a finished match (match/not-found while it runs). */
  replay(id: string): Promise<Replay> {
    return this.get<Replay>(`/matches/${enc(id)}/replay`);
  }

  /** Bradley-Terry with bootstrap intervals (`resamples`, default 1000 on the server), OpenSkill and Elo. */
  leaderboard(game: string, options: { resamples?: number } = {}): Promise<Leaderboard> {
    const q = options.resamples === undefined ? '' : `?resamples=${options.resamples}`;
    return this.get<{ leaderboard: Leaderboard }>(`/leaderboards/${enc(game)}${q}`).then((r) => r.leaderboard);
  }

  /** Agents that can be challenged in `game`: hosted by the server, or online in the lobby. */
  opponents(game: string): Promise<Opponent[]> {
    return this.get<{ opponents: Opponent[] }>(`/opponents/${enc(game)}`).then((r) => r.opponents);
  }

  /** Starts a match against an agent; join your seat with `ArenaClient.join(challenge)`. */
  challenge(request: ChallengeRequest): Promise<Challenge> {
    return this.send<{ challenge: Challenge }>('POST', '/challenges', request).then((r) => r.challenge);
  }

  /** Running matches that can be watched, newest first. */
  live(game?: string): Promise<LiveMatch[]> {
    return this.get<{ matches: LiveMatch[] }>(`/live${game ? `?game=${enc(game)}` : ''}`).then((r) => r.matches);
  }

  /** The room to watch a running match in (opened now for a lobby match that has none). */
  watch(matchId: string): Promise<{ roomId: string }> {
    return this.send<{ roomId: string }>('POST', `/live/${enc(matchId)}/watch`);
  }

  private get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  private async send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      // No answer at all (server down, network gone): not a server verdict, but callers get one error type.
      throw new ArenaClientError('server/internal', `cannot reach the arena server (${error instanceof Error ? error.message : String(error)})`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const code = typeof error?.code === 'string' && KNOWN_CODES.has(error.code) ? (error.code as WireErrorCode) : 'server/internal';
      throw new ArenaClientError(code, typeof error?.message === 'string' ? error.message : `HTTP ${res.status}`);
    }
    return json as T;
  }
}

const enc = encodeURIComponent;
