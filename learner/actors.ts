/**
 * The actors of a training run: the league runner side of `arena train`. It plays matches between the learner's
 * newest snapshot and opponents chosen by the scenario's matchmaking strategy (its own past snapshots and the
 * scenario's fixed agents), on worker threads, and commits every record to the store, where the learner process
 * reads them from the feed. The two processes share nothing but the store:
 *
 *   actors --finishMatch--> feed --feedAfter--> learner --saveLearnerCheckpoint(snapshot)--> snapshots --> actors
 *
 * Backpressure: the learner writes how far it has read (cursor `learner:<name>:read`); actors pause while more
 * than `maxBacklog` committed matches wait unread, so they never run far ahead of what the learner can use.
 */
import { deriveSeed, Rng } from '../environments/core/rng';
import type { MatchRecord } from '../engine/record';
import { MatchPool } from '../population/match-pool';
import { chooseByStrategy, fixedByShare, type OpponentStrategy, type PopulationView } from '../population/matchmaking/strategies';
import { PayoffTable, seatZeroScore } from '../population/payoff';
import { applyMatchRatings } from '../population/ratings/apply';
import type { ArenaStore } from '../population/store/store';
import type { Scenario } from '../scenarios/schema';
import { sleep } from './sleep';
import { alphaStarSchedule } from './alphastar-schedule';
import { learnerAgent, runNames } from './lines';
import { fixedMembers, SnapshotCache, type MatchSchedule } from './match-schedule';

export interface ActorOptions {
  readonly store: ArenaStore;
  readonly scenario: Scenario;
  /** Directory of the store; snapshot files go to <dataDir>/snapshots. */
  readonly dataDir: string;
  readonly workers?: number;
  /** Matches committed but not yet read by the learner before the actors wait (default 4 x workers x 64). */
  readonly maxBacklog?: number;
  readonly signal?: AbortSignal;
  readonly onMatch?: (played: number, record: MatchRecord) => void;
}

function strategyOf(scenario: Scenario): OpponentStrategy {
  const m = scenario.matchmaking;
  switch (m.strategy) {
    case 'selfplay-latest':
      return { kind: 'latest' };
    case 'openai-five':
      return { kind: 'openai-five', latestRatio: m.latestRatio };
    case 'fictitious':
      return { kind: 'fictitious', pool: 'all' };
    case 'pfsp':
      return { kind: 'pfsp', weighting: m.weight, pool: 'all' };
    default:
      throw new Error(`strategy ${m.strategy} is not trained by arena train (use selfplay-latest, openai-five, fictitious, pfsp or alphastar)`);
  }
}

/** One learner line against itself, its past snapshots and the fixed members, by the scenario's strategy and shares. */
function selfPlaySchedule(store: ArenaStore, scenario: Scenario): MatchSchedule {
  const names = runNames(scenario);
  const learner = learnerAgent(store, scenario);
  const strategy = strategyOf(scenario);
  const fixed = fixedMembers(store, scenario);
  const cache = new SnapshotCache(store, learner);
  const payoff = new PayoffTable();
  return {
    learnerIds: [learner.id],
    readCursors: [names.readCursor],
    next(_i, rng) {
      const snapshots = cache.snapshots();
      const latest = snapshots[snapshots.length - 1];
      if (!latest) return null;
      const view: PopulationView = {
        self: learner.id,
        snapshots: [...fixed.map((f) => ({ id: f.id, parent: f.agentId })), ...snapshots.map((s) => ({ id: s.id, parent: learner.id }))],
      };
      const rates = { winRate: (a: string, b: string) => payoff.winRate(a === learner.id ? latest.id : a, b) };
      // One draw decides between the fixed shares and the strategy, so the sequence stays a function of (seed, i).
      const chosen = fixedByShare(fixed, rng.float())?.id ?? chooseByStrategy(strategy, view, rates, rng);
      const me = cache.opponent(latest.id)!;
      return [me, cache.opponent(chosen) ?? fixed.find((f) => f.id === chosen) ?? me];
    },
    finished(record) {
      if (record.endReason !== 'aborted' && record.seats.length === 2) {
        payoff.update(record.seats[0]!.snapshotId!, record.seats[1]!.snapshotId!, seatZeroScore(record));
      }
    },
  };
}

/**
 * Plays until the scenario's match budget is reached or `signal` aborts. Matches already in the store from an
 * earlier run of this scenario count towards the budget. Returns the number of matches committed by this call.
 */
export async function runActors(options: ActorOptions): Promise<number> {
  const { store, scenario, dataDir, signal } = options;
  const schedule = scenario.matchmaking.strategy === 'alphastar' ? alphaStarSchedule(store, scenario) : selfPlaySchedule(store, scenario);
  const workers = options.workers ?? scenario.workers;
  const maxBacklog = options.maxBacklog ?? workers * 256;
  const consumer = `train:${scenario.name}:ratings`;
  const pool = new MatchPool(workers);
  const inflight = new Set<Promise<void>>();
  let played = 0;
  let lastSeq = 0;
  const budget = scenario.budget.matches ?? Number.POSITIVE_INFINITY;
  let committed = countCommitted(store, schedule.learnerIds);
  // Match i's seeds derive from (scenario seed, i): a restarted run continues the sequence after the committed ones.
  let index = committed;
  try {
    while (!signal?.aborted && committed + inflight.size < budget) {
      const read = Math.min(...schedule.readCursors.map((c) => store.getCursor(c)));
      const busy = lastSeq - read > maxBacklog || inflight.size >= pool.size * 2;
      const players = busy ? null : schedule.next(index, Rng.fromSeed(deriveSeed(scenario.seed, index, 1)));
      if (!players) {
        // No signal here: a match finishing usually wins the race, and a signal listener per iteration would pile
        // up until each 50 ms timer fired. The loop condition sees an abort within 50 ms anyway.
        if (inflight.size > 0) await Promise.race([...inflight, sleep(50)]);
        else await sleep(busy ? 20 : 100, signal);
        continue;
      }
      const i = index++;
      const pair = i % 2 === 0 ? players : [players[1], players[0]];
      const seed = deriveSeed(scenario.seed, i, 2);
      const job = pool
        .run({
          jobId: i,
          game: scenario.game.id,
          params: scenario.game.params,
          seed,
          seats: pair.map((o, s) => ({ spec: o.spec(dataDir), seed: deriveSeed(seed, s + 1), name: o.name, agentId: o.agentId, snapshotId: o.id })),
        })
        .then((record) => {
          const seq = store.finishMatch(record);
          lastSeq = Math.max(lastSeq, seq);
          played++;
          committed++;
          schedule.finished(record);
          applyMatchRatings(store, consumer, seq, record);
          options.onMatch?.(played, record);
        });
      inflight.add(job);
      void job.catch(() => undefined).finally(() => inflight.delete(job));
    }
    await Promise.all(inflight);
  } finally {
    await pool.close();
  }
  return played;
}

/** Matches of the learner lines already committed (so a restarted run keeps its budget); each match once. */
function countCommitted(store: ArenaStore, agentIds: readonly string[]): number {
  const seen = new Set<string>();
  for (const agentId of agentIds) {
    for (let before: string | undefined; ; ) {
      const page = store.listMatches({ agentId, limit: 500, ...(before ? { before } : {}) });
      for (const m of page) if (m.seq !== null) seen.add(m.id);
      if (page.length < 500) break;
      before = page[page.length - 1]!.id;
    }
  }
  return seen.size;
}
