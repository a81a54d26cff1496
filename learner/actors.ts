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
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deriveSeed, Rng } from '../environments/core/rng';
import type { MatchRecord } from '../engine/record';
import { MatchPool } from '../population/match-pool';
import { chooseByStrategy, fixedByShare, type OpponentStrategy, type PopulationView } from '../population/matchmaking/strategies';
import { PayoffTable, seatZeroScore } from '../population/payoff';
import { applyMatchRatings } from '../population/ratings/apply';
import { StoreError, type ArenaStore, type SnapshotRow } from '../population/store/store';
import type { Scenario } from '../scenarios/schema';
import { sleep } from './sleep';
import { writeFileAtomic } from './atomic-file';

/** How stale the actors' list of the learner's snapshots may get (ms); the learner publishes every few seconds. */
const REFRESH_MS = 250;

/** Names shared by the actors and the learner of one scenario. */
export interface RunNames {
  /** The learner line's agent name in the store (`<scenario>.<entry>`). */
  readonly agentName: string;
  /** The learner's checkpoint key and cursor prefix. */
  readonly learner: string;
  /** Cursor the learner advances as it reads (actors' backpressure). */
  readonly readCursor: string;
}

export function runNames(scenario: Scenario): RunNames {
  const entry = scenario.population.find((p) => p.learner);
  if (!entry) throw new Error(`${scenario.name}: no learner entry`);
  const agentName = `${scenario.name}.${entry.name}`;
  return { agentName, learner: agentName, readCursor: `learner:${agentName}:read` };
}

/** The learner line's agent, created on first use. */
export function learnerAgent(store: ArenaStore, scenario: Scenario): { id: string; name: string } {
  const { agentName } = runNames(scenario);
  let agent = store.agentByName(agentName);
  if (!agent) {
    try {
      agent = store.createAgent({ name: agentName, kind: 'learner', keyHash: randomBytes(32).toString('hex') });
    } catch (error) {
      // `arena train` starts the learner and the actors together: the other process may have created it first.
      if (!(error instanceof StoreError && error.kind === 'conflict')) throw error;
      agent = store.agentByName(agentName)!;
    }
  }
  return { id: agent.id, name: agent.name };
}

/**
 * Where a neural snapshot's file lives (agents/mlp-snapshot.ts format; the store keeps it base64 in the
 * snapshot's artifact and is the truth): written from the store when missing.
 */
export function snapshotFile(dataDir: string, snapshot: SnapshotRow): string {
  const file = join(dataDir, 'snapshots', `${snapshot.id}.mlp`);
  if (!existsSync(file)) writeFileAtomic(file, Buffer.from(snapshot.artifact, 'base64'));
  return file;
}

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

interface Opponent {
  readonly id: string; // snapshot id
  readonly spec: (dataDir: string) => string;
  readonly name: string;
  readonly agentId: string;
  /** Fixed members only: the share of matches reserved for this opponent (PopulationEntry.share). */
  readonly share?: number | undefined;
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
      throw new Error(`strategy ${m.strategy} is not trained by arena train (use selfplay-latest, openai-five, fictitious or pfsp)`);
  }
}

/**
 * Plays until the scenario's match budget is reached or `signal` aborts. Matches already in the store from an
 * earlier run of this scenario count towards the budget. Returns the number of matches committed by this call.
 */
export async function runActors(options: ActorOptions): Promise<number> {
  const { store, scenario, dataDir, signal } = options;
  const names = runNames(scenario);
  const learner = learnerAgent(store, scenario);
  const strategy = strategyOf(scenario);
  const workers = options.workers ?? scenario.workers;
  const maxBacklog = options.maxBacklog ?? workers * 256;
  const consumer = `train:${scenario.name}:ratings`;

  // Fixed agents of the scenario: one agent and one snapshot (the spec) each, as the league runner stores them.
  const fixed: Opponent[] = scenario.population
    .filter((p) => !p.learner)
    .map((p) => {
      const name = `${scenario.name}.${p.name}`;
      const agent = store.agentByName(name) ?? store.createAgent({ name, kind: 'bot', keyHash: randomBytes(32).toString('hex') });
      const snap = store.createSnapshot({ agentId: agent.id, game: scenario.game.id, artifact: p.agent, metadata: { spec: p.agent } });
      return { id: snap.id, spec: () => p.agent, name, agentId: agent.id, share: p.share };
    });
  const neural = (s: SnapshotRow): Opponent => {
    let file: string | undefined; // written (if missing) on first use, not checked again for every match
    return { id: s.id, spec: (dir) => `neural:${(file ??= snapshotFile(dir, s))}`, name: `${learner.name}@${s.step}`, agentId: learner.id };
  };

  const payoff = new PayoffTable();
  const pool = new MatchPool(workers);
  const inflight = new Set<Promise<void>>();
  let played = 0;
  let lastSeq = 0;
  const budget = scenario.budget.matches ?? Number.POSITIVE_INFINITY;
  let committed = countCommitted(store, learner.id);
  // Match i's seeds derive from (scenario seed, i): a restarted run continues the sequence after the committed ones.
  let index = committed;
  try {
    // The learner's snapshots, re-read at most every REFRESH_MS: rows carry the weights, and reading them for every
    // match launch (hundreds a second in Kuhn) cost more than playing the matches.
    let known: { at: number; latest: SnapshotRow | undefined; byId: Map<string, Opponent>; view: PopulationView } | undefined;
    const current = (): NonNullable<typeof known> => {
      const t = performance.now();
      if (known && t - known.at < REFRESH_MS) return known;
      const snapshots = store.listSnapshots({ agentId: learner.id });
      if (known && snapshots.length > 0 && snapshots[snapshots.length - 1]!.id === known.latest?.id) return (known = { ...known, at: t });
      const byId = new Map<string, Opponent>([...snapshots.map((s) => [s.id, neural(s)] as const), ...fixed.map((f) => [f.id, f] as const)]);
      const view: PopulationView = {
        self: learner.id,
        snapshots: [...fixed.map((f) => ({ id: f.id, parent: f.agentId })), ...snapshots.map((s) => ({ id: s.id, parent: learner.id }))],
      };
      return (known = { at: t, latest: snapshots[snapshots.length - 1], byId, view });
    };
    while (!signal?.aborted && committed + inflight.size < budget) {
      const { latest, byId, view } = current();
      const backlog = lastSeq - store.getCursor(names.readCursor);
      if (!latest || backlog > maxBacklog || inflight.size >= pool.size * 2) {
        // No signal here: a match finishing usually wins the race, and a signal listener per iteration would pile
        // up until each 50 ms timer fired. The loop condition sees an abort within 50 ms anyway.
        if (inflight.size > 0) await Promise.race([...inflight, sleep(50)]);
        else await sleep(latest ? 20 : 100, signal);
        continue;
      }
      const i = index++;
      const rng = Rng.fromSeed(deriveSeed(scenario.seed, i, 1));
      const rates = { winRate: (a: string, b: string) => payoff.winRate(a === learner.id ? latest.id : a, b) };
      // One draw decides between the fixed shares and the strategy, so the sequence stays a function of (seed, i).
      const chosen = fixedByShare(fixed, rng.float())?.id ?? chooseByStrategy(strategy, view, rates, rng);
      const me = byId.get(latest.id)!;
      const them = byId.get(chosen) ?? me;
      const pair = i % 2 === 0 ? [me, them] : [them, me];
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
          if (record.endReason !== 'aborted' && record.seats.length === 2) {
            payoff.update(record.seats[0]!.snapshotId!, record.seats[1]!.snapshotId!, seatZeroScore(record));
          }
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

/** Matches of this learner already committed (so a restarted run keeps its budget). */
function countCommitted(store: ArenaStore, agentId: string): number {
  let n = 0;
  for (let before: string | undefined; ; ) {
    const page = store.listMatches({ agentId, limit: 500, ...(before ? { before } : {}) });
    n += page.filter((m) => m.seq !== null).length;
    if (page.length < 500) return n;
    before = page[page.length - 1]!.id;
  }
}
