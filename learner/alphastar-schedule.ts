/**
 * The AlphaStar league as the actors of `arena train` run it (scenario strategy `alphastar`): one learner line per
 * role slot (learner/lines.ts), opponents chosen by population/matchmaking/alphastar.ts, and the snapshot and
 * reset rules applied after every committed match.
 *
 * Players. A line's *current* player is its newest published snapshot (the learner publishes every few updates);
 * the payoff table keys it by the line's agent id, so its win rates are the decayed statistics of the line as it
 * learns, as in AlphaStar. A *past* player is a frozen copy of a line's snapshot, taken when the snapshot rule
 * fires: a new agent `<line agent>.past-<k>` with one snapshot (the weights, with the role, the line and the source
 * snapshot in its metadata), keyed by that snapshot's id. The scenario's fixed members are past players too.
 *
 * Rules (REFERENCES.md, "League mechanics"): match i is played by line i mod L; its opponent comes from
 * `chooseOpponent(role)`. After each match, each learning line in it counts a step; `snapshotDecision` freezes a
 * line when its lowest win rate against its relevant set passes `snapshotWinRate`, or after `stepBudget` of its
 * matches. Main exploiters then reset, league exploiters with probability 0.25: the actors count a requested reset
 * in the store (cursor `learner:<line>:resets-requested`), the learner reinitialises that line's weights and
 * publishes at its next update.
 *
 * What is not kept across a restart of the actors: the payoff table and the steps since each line's last freeze
 * (they start again from empty; past players, snapshots and resets are in the store).
 */
import { deriveSeed, Rng } from '../environments/core/rng';
import type { MatchRecord } from '../engine/record';
import { chooseOpponent, snapshotDecision, snapshotRelevantSet, type LeagueRole, type LeagueSnapshot, type LeagueState } from '../population/matchmaking/alphastar';
import { PayoffTable, seatZeroScore } from '../population/payoff';
import type { ArenaStore } from '../population/store/store';
import type { Scenario } from '../scenarios/schema';
import { fixedMembers, neuralOpponent, SnapshotCache, type MatchSchedule, type Opponent } from './match-schedule';
import { agentNamed } from '../population/store/agent-named';
import { learnerAgent, learnerLines, runNames, type LearnerLine, type RunNames } from './lines';

interface Line {
  readonly line: LearnerLine;
  readonly role: LeagueRole;
  readonly agent: { readonly id: string; readonly name: string };
  readonly names: RunNames;
  readonly cache: SnapshotCache;
  stepsSinceSnapshot: number;
  /** Frozen past players of this line, in order. */
  readonly past: { readonly snapshot: LeagueSnapshot; readonly opponent: Opponent }[];
}

/** What a frozen past player is called: the line's agent name and the freeze count. */
export const pastPlayerName = (lineAgent: string, k: number): string => `${lineAgent}.past-${k}`;

export function alphaStarSchedule(store: ArenaStore, scenario: Scenario): MatchSchedule {
  const m = scenario.matchmaking;
  if (m.strategy !== 'alphastar') throw new Error(`${scenario.name}: not an alphastar scenario`);
  const lines: Line[] = learnerLines(scenario).map((line) => {
    const agent = learnerAgent(store, scenario, line);
    const l: Line = { line, role: line.role!, agent, names: runNames(scenario, line), cache: new SnapshotCache(store, agent), stepsSinceSnapshot: 0, past: [] };
    // Past players frozen by an earlier run of the actors.
    for (let k = 0; ; k++) {
      const frozen = store.agentByName(pastPlayerName(agent.name, k));
      const snapshot = frozen && store.listSnapshotInfos({ agentId: frozen.id })[0];
      if (!frozen || !snapshot) break;
      l.past.push({ snapshot: { id: snapshot.id, parent: agent.id, role: l.role }, opponent: neuralOpponent(snapshot, frozen, store, frozen.name) });
    }
    return l;
  });
  const byAgent = new Map(lines.map((l) => [l.agent.id, l]));
  // Fixed members are past players of no line; their role only matters to the main agent's exploiter check.
  const fixed = fixedMembers(store, scenario).map((f) => ({ snapshot: { id: f.id, parent: f.agentId, role: 'league-exploiter' as LeagueRole }, opponent: f }));
  const payoff = new PayoffTable();
  const rates = { winRate: (a: string, b: string) => payoff.winRate(a, b) };
  // The league exploiters' reset coin, one stream for the run.
  const coin = Rng.fromSeed(deriveSeed(scenario.seed, 0xa15a));

  const state = (self: string): LeagueState => ({
    self,
    learners: lines.map((l) => ({ id: l.agent.id, role: l.role })),
    snapshots: [...fixed.map((f) => f.snapshot), ...lines.flatMap((l) => l.past.map((p) => p.snapshot))],
  });
  const pastById = (id: string): Opponent | undefined => {
    for (const f of fixed) if (f.snapshot.id === id) return f.opponent;
    for (const l of lines) for (const p of l.past) if (p.snapshot.id === id) return p.opponent;
    return undefined;
  };
  /** The payoff key of a seat: the line (current player) or the snapshot (past player, fixed member). */
  const keyOf = (seat: { agentId?: string | undefined; snapshotId?: string | undefined }): string => (seat.agentId !== undefined && byAgent.has(seat.agentId) ? seat.agentId : seat.snapshotId!);

  const freeze = (l: Line, reset: boolean): void => {
    const current = l.cache.latest()!;
    const agent = agentNamed(store, pastPlayerName(l.agent.name, l.past.length), 'bot');
    const snapshot = store.createSnapshot({
      agentId: agent.id,
      game: scenario.game.id,
      artifact: store.getSnapshot(current.id)!.artifact,
      parentId: current.id,
      step: current.step,
      metadata: { role: l.role, line: l.line.name, frozenFrom: current.id, reset },
    });
    l.past.push({ snapshot: { id: snapshot.id, parent: l.agent.id, role: l.role }, opponent: neuralOpponent(snapshot, agent, store, agent.name) });
    l.stepsSinceSnapshot = 0;
    if (reset) store.setCursor(l.names.resetsRequested, store.getCursor(l.names.resetsRequested) + 1);
  };

  return {
    learnerIds: lines.map((l) => l.agent.id),
    readCursors: lines.map((l) => l.names.readCursor),
    next(i, rng) {
      // Every line publishes its initial snapshot when the learner starts; wait for all of them.
      if (lines.some((l) => !l.cache.latest())) return null;
      const l = lines[i % lines.length]!;
      const choice = chooseOpponent(l.role, state(l.agent.id), rates, rng);
      const current = (x: Line): Opponent => x.cache.opponent(x.cache.latest()!.id)!;
      const other = byAgent.get(choice.opponent);
      return [current(l), other ? current(other) : (pastById(choice.opponent) ?? current(l))];
    },
    finished(record: MatchRecord) {
      if (record.endReason === 'aborted' || record.seats.length !== 2) return;
      const [a, b] = record.seats as [MatchRecord['seats'][number], MatchRecord['seats'][number]];
      payoff.update(keyOf(a), keyOf(b), seatZeroScore(record));
      const learning = new Set(record.seats.flatMap((s) => (s.agentId !== undefined && byAgent.has(s.agentId) ? [byAgent.get(s.agentId)!] : [])));
      for (const l of learning) {
        l.stepsSinceSnapshot++;
        const s = state(l.agent.id);
        const winRates = snapshotRelevantSet(l.role, s).filter((id) => id !== l.agent.id).map((id) => payoff.winRate(l.agent.id, id));
        const decision = snapshotDecision(l.role, { winRates, stepsSinceSnapshot: l.stepsSinceSnapshot, maxSteps: m.stepBudget, snapshotAbove: m.snapshotWinRate }, coin);
        if (decision.snapshot) freeze(l, decision.reset);
      }
    },
  };
}
