/**
 * The learner lines of a training scenario and the names the actors and the learner share for each.
 *
 * A scenario's one `learner: true` population entry is one line, except under the AlphaStar strategy, where it
 * seeds one line per role slot (`matchmaking.roles`): `<entry>.main-0`, `<entry>.main-exploiter-0`,
 * `<entry>.league-exploiter-0`, ... All lines start from the same initial weights (AlphaStar's roles all start
 * from the supervised agent) and train independently, each on the records its own snapshots played.
 */
import type { LeagueRole } from '../population/matchmaking/alphastar';
import { agentNamed } from '../population/store/agent-named';
import type { ArenaStore } from '../population/store/store';
import type { Scenario } from '../scenarios/schema';

export interface LearnerLine {
  /** `<entry>` or `<entry>.<role>-<k>`. */
  readonly name: string;
  /** Position in learnerLines (seeds the line's own generator). */
  readonly index: number;
  /** The AlphaStar role, under that strategy. */
  readonly role?: LeagueRole;
}

export function learnerLines(scenario: Scenario): LearnerLine[] {
  const entry = scenario.population.find((p) => p.learner);
  if (!entry) throw new Error(`${scenario.name}: no learner entry`);
  const m = scenario.matchmaking;
  if (m.strategy !== 'alphastar') return [{ name: entry.name, index: 0 }];
  const slots: [LeagueRole, number][] = [
    ['main', m.roles.main],
    ['main-exploiter', m.roles.mainExploiter],
    ['league-exploiter', m.roles.leagueExploiter],
  ];
  const lines: LearnerLine[] = [];
  for (const [role, count] of slots) for (let k = 0; k < count; k++) lines.push({ name: `${entry.name}.${role}-${k}`, index: lines.length, role });
  return lines;
}

/** Names shared by the actors and the learner of one line. */
export interface RunNames {
  /** The line's agent name in the store (`<scenario>.<line>`). */
  readonly agentName: string;
  /** The learner's checkpoint key and cursor prefix. */
  readonly learner: string;
  /** Cursor the learner advances as it reads (actors' backpressure). */
  readonly readCursor: string;
  /** Resets requested by the actors (AlphaStar exploiters), a counter. */
  readonly resetsRequested: string;
  /** Resets the learner has carried out, a counter. */
  readonly resetsDone: string;
}

export function runNames(scenario: Scenario, line: LearnerLine = learnerLines(scenario)[0]!): RunNames {
  const agentName = `${scenario.name}.${line.name}`;
  return {
    agentName,
    learner: agentName,
    readCursor: `learner:${agentName}:read`,
    resetsRequested: `learner:${agentName}:resets-requested`,
    resetsDone: `learner:${agentName}:resets-done`,
  };
}

/** The line's agent, created on first use. */
export function learnerAgent(store: ArenaStore, scenario: Scenario, line?: LearnerLine): { id: string; name: string } {
  const agent = agentNamed(store, runNames(scenario, line).agentName, 'learner');
  return { id: agent.id, name: agent.name };
}
