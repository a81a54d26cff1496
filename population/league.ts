/**
 * The league runner: plays scheduled bot-vs-bot matches between a population of local agents on worker threads,
 * commits every record to the store, applies rating updates exactly once through the store's feed cursor, keeps
 * the payoff table, and reports a leaderboard. All its progress lives in the store, so a runner killed at any
 * moment continues where it stopped: committed matches count once, uncommitted ones are played again.
 */
import { ArenaError } from '../environments/core/errors';
import { deriveSeed, Rng } from '../environments/core/rng';
import { loadGame } from '../environments/registry';
import type { MatchRecord } from '../engine/record';
import { agentNamed } from './store/agent-named';
import type { ArenaStore } from './store/store';
import { computeLeaderboard, type Leaderboard } from './leaderboard';
import { MatchPool } from './match-pool';
import type { PfspWeighting } from './matchmaking/pfsp';
import { chooseByStrategy, type OpponentStrategy, type PopulationView, type WinRateSource } from './matchmaking/strategies';
import { PayoffTable, seatZeroScore } from './payoff';
import { applyMatchRatings } from './ratings/apply';
import { remoteAgentName } from './remote-member';

/**
 * How the runner pairs members. Strategies that need learners (AlphaStar roles, PSRO best responses) are not run
 * by this runner: PSRO runs exactly through population/psro.ts; AlphaStar roles wait for the learner.
 */
export type PairingRule =
  | { readonly kind: 'round-robin' }
  | { readonly kind: 'fictitious' }
  | { readonly kind: 'selfplay-latest' }
  | { readonly kind: 'openai-five' }
  | { readonly kind: 'pfsp'; readonly weighting: PfspWeighting };

export interface LeagueConfig {
  /** League name: members are stored as agents named "<name>.<member>". */
  readonly name: string;
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly population: readonly { readonly name: string; readonly spec: string }[];
  readonly pairing: PairingRule;
  /** Total matches of the league (across restarts). */
  readonly matches: number;
  readonly workers: number;
  /** Bootstrap resamples for the published leaderboard. */
  readonly resamples: number;
  /** Base directory of relative policy-file paths in specs. */
  readonly baseDir?: string;
}

/** One seat of a scheduled league match. */
export interface LeagueSeat {
  readonly spec: string;
  readonly seed: number;
  readonly name: string;
  readonly agentId: string;
  readonly snapshotId: string;
  /** Played by the registered agent `agentId` over the network (a `remote:` member). */
  readonly remote: boolean;
}

/** A scheduled league match with at least one remote seat. */
export interface RemoteLeagueMatch {
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly seats: readonly LeagueSeat[];
  /** Base directory of relative policy-file paths in the local seats' specs. */
  readonly baseDir?: string;
}

/**
 * Plays league matches with remote members through the server (server/league-remote.ts): resolves once the
 * record is committed to the store (with its feed position), or with null when the match could not be played
 * (a remote member is offline) and should be scheduled again later.
 */
export interface RemoteMatchRunner {
  play(match: RemoteLeagueMatch, signal?: AbortSignal): Promise<{ readonly record: MatchRecord; readonly seq: number | null } | null>;
}

export interface LeagueProgress {
  readonly played: number;
  readonly total: number;
  readonly record: MatchRecord;
}

interface Member {
  readonly name: string;
  readonly spec: string;
  readonly agentId: string;
  readonly snapshotId: string;
  readonly remote: boolean;
}

/**
 * Picks the two members of match `index`: round-robin cycles through every ordered pair; the other rules are the
 * matchmaking strategies of matchmaking/strategies.ts, seen from a focal member drawn uniformly (each member is a
 * line whose one snapshot is itself). Seat order alternates so nobody always moves first.
 */
export function pairFor(rule: PairingRule, members: readonly Member[], payoff: PayoffTable, index: number, rng: Rng): [Member, Member] {
  const n = members.length;
  if (rule.kind === 'round-robin') {
    const k = index % (n * (n - 1));
    const a = members[Math.floor(k / (n - 1))]!;
    const b = members.filter((m) => m !== a)[k % (n - 1)]!;
    return [a, b];
  }
  const a = members[rng.int(n)]!;
  const view: PopulationView = { self: a.agentId, snapshots: members.map((m) => ({ id: m.snapshotId, parent: m.agentId })) };
  // The payoff table is keyed by snapshot; the focal member is asked about as its line (agent id).
  const rates: WinRateSource = { winRate: (x, y) => payoff.winRate(x === a.agentId ? a.snapshotId : x, y) };
  const strategy: OpponentStrategy =
    rule.kind === 'selfplay-latest'
      ? { kind: 'latest' }
      : rule.kind === 'openai-five'
        ? { kind: 'openai-five' }
        : rule.kind === 'fictitious'
          ? { kind: 'fictitious', pool: 'all' }
          : { kind: 'pfsp', weighting: rule.weighting, pool: 'all' };
  const chosen = chooseByStrategy(strategy, view, rates, rng);
  const b = members.find((m) => m.snapshotId === chosen || m.agentId === chosen) ?? a;
  return index % 2 === 0 ? [a, b] : [b, a];
}

export class League {
  private readonly members: Member[];
  private readonly bySnapshot = new Map<string, Member>();
  readonly payoff = new PayoffTable();
  private readonly records: MatchRecord[] = [];
  private readonly consumer: string;

  constructor(
    readonly config: LeagueConfig,
    private readonly store: ArenaStore,
  ) {
    if (config.population.length < 2 && config.pairing.kind !== 'selfplay-latest') {
      throw new ArenaError('cli/usage', `league ${config.name}: needs at least two members`);
    }
    loadGame(config.game, config.params); // validates game and params up front
    this.consumer = `league:${config.name}:ratings`;
    this.members = config.population.map((m) => {
      const remote = remoteAgentName(m.spec);
      const name = remote ?? `${config.name}.${m.name}`;
      if (remote !== undefined && !store.agentByName(name)) {
        throw new ArenaError('cli/usage', `league ${config.name}: member ${m.name} is ${m.spec}, but no agent named ${JSON.stringify(remote)} is registered on this server (register it first: POST /api/agents)`);
      }
      const agent = agentNamed(store, name, 'bot');
      const snapshot = store.createSnapshot({ agentId: agent.id, game: config.game, artifact: m.spec, metadata: { spec: m.spec } });
      const member = { name, spec: m.spec, agentId: agent.id, snapshotId: snapshot.id, remote: remote !== undefined };
      this.bySnapshot.set(snapshot.id, member);
      return member;
    });
    this.catchUp();
  }

  get played(): number {
    return this.records.length;
  }

  /**
   * Reads every committed match of this league from the feed: rebuilds the payoff table and the match list, and
   * applies rating updates the cursor has not seen yet (a runner killed between commit and rating).
   */
  private catchUp(): void {
    for (let after = 0; ; ) {
      const page = this.store.feedAfter(after, 500);
      if (page.length === 0) break;
      for (const { seq, record } of page) {
        after = seq;
        if (this.isOurs(record)) this.absorb(seq, record);
      }
    }
  }

  private isOurs(record: MatchRecord): boolean {
    return record.game.id === this.config.game && record.seats.every((s) => s.snapshotId !== undefined && this.bySnapshot.has(s.snapshotId));
  }

  /**
   * Payoff, match list and (exactly once) ratings for one committed match. An aborted match (a remote member
   * that never joined, a server shutdown mid-match) is not played: it neither counts towards the budget nor
   * rates anybody. Local matches never abort.
   */
  private absorb(seq: number, record: MatchRecord): void {
    if (record.endReason === 'aborted') return;
    this.records.push(record);
    const [s0, s1] = [record.seats[0]!.snapshotId!, record.seats[1]!.snapshotId!];
    this.payoff.update(s0, s1, seatZeroScore(record));
    applyMatchRatings(this.store, this.consumer, seq, record);
  }

  /** Whether some member plays over the network (the league then runs inside the server, with a RemoteMatchRunner). */
  get hasRemoteMembers(): boolean {
    return this.members.some((m) => m.remote);
  }

  /**
   * Plays until the league has `config.matches` committed matches (or `signal` aborts). Matches between local
   * members run on worker threads; matches with a remote member go through `remote` (the server's rooms).
   */
  async run(options: { signal?: AbortSignal; onMatch?: (p: LeagueProgress) => void; remote?: RemoteMatchRunner } = {}): Promise<void> {
    const { config, store } = this;
    const { remote } = options;
    if (this.hasRemoteMembers && !remote) {
      throw new ArenaError('cli/usage', `league ${config.name} has remote: members, which play through a server: run it there (ARENA_LEAGUE=<scenario> npm start)`);
    }
    const pool = new MatchPool(config.workers);
    let next = this.played; // index of the next match to schedule
    // Remote matches wait for their agents and their moves, not for a core: more of them may run at once.
    const capacity = pool.size * 2 + (this.hasRemoteMembers ? 8 : 0);
    try {
      const inflight = new Set<Promise<void>>();
      const launch = (): void => {
        const index = next++;
        const rng = Rng.fromSeed(deriveSeed(config.seed, index, 1));
        const [a, b] = pairFor(config.pairing, this.members, this.payoff, index, rng);
        const seed = deriveSeed(config.seed, index, 2);
        const seats: LeagueSeat[] = [a, b].map((m, s) => ({ spec: m.spec, seed: deriveSeed(seed, s + 1), name: m.name, agentId: m.agentId, snapshotId: m.snapshotId, remote: m.remote }));
        const baseDir = config.baseDir ? { baseDir: config.baseDir } : {};
        const played: Promise<{ record: MatchRecord; seq: number | null } | null> =
          a.remote || b.remote
            ? remote!.play({ game: config.game, params: config.params, seed, seats, ...baseDir }, options.signal)
            : pool
                .run({ jobId: index, game: config.game, params: config.params, seed, seats: seats.map(({ remote: _, ...seat }) => seat), ...baseDir })
                .then((record) => ({ record, seq: store.finishMatch(record) })); // durable before anything counts it
        const job = played.then((done) => {
          if (!done || done.seq === null) return; // not played (or not committed): scheduled again under a new index
          const before = this.played;
          this.absorb(done.seq, done.record);
          if (this.played > before) options.onMatch?.({ played: this.played, total: config.matches, record: done.record });
        });
        inflight.add(job);
        void job.catch(() => undefined).finally(() => inflight.delete(job));
      };
      while (this.played < config.matches && !options.signal?.aborted) {
        while (inflight.size < capacity && this.played + inflight.size < config.matches && !options.signal?.aborted) launch();
        if (inflight.size === 0) break;
        await Promise.race(inflight);
      }
      await Promise.all(inflight);
    } finally {
      await pool.close();
    }
  }

  leaderboard(seed = this.config.seed): Leaderboard {
    const specs = new Map(this.members.map((m) => [m.agentId, m.spec]));
    return computeLeaderboard(this.store, this.config.game, this.records, {
      resamples: this.config.resamples,
      seed,
      specs,
      rules: loadGame(this.config.game, this.config.params),
      ...(this.config.baseDir ? { baseDir: this.config.baseDir } : {}),
    });
  }
}
