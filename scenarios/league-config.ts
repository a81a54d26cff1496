/** Turns a validated scenario into the league runner's configuration (the CLI and the server both start leagues). */
import { dirname, resolve } from 'node:path';
import { ArenaError } from '../environments/core/errors';
import type { LeagueConfig, PairingRule } from '../population/league';
import type { Scenario } from './schema';

/** The runner's pairing for a scenario; AlphaStar and PSRO are refused here (they are not match-runner leagues). */
export function pairingOf(scenario: Scenario): PairingRule {
  const m = scenario.matchmaking;
  switch (m.strategy) {
    case 'round-robin':
      return { kind: 'round-robin' };
    case 'fictitious':
      return { kind: 'fictitious' };
    case 'selfplay-latest':
      return { kind: 'selfplay-latest' };
    case 'openai-five':
      return { kind: 'openai-five' };
    case 'pfsp':
      return { kind: 'pfsp', weighting: m.weight };
    default:
      throw new ArenaError('cli/usage', `strategy ${m.strategy} trains learner lines: add a learner: section and run it with arena train`);
  }
}

export function leagueConfigFromScenario(scenario: Scenario, file: string): LeagueConfig {
  const matches = scenario.budget.matches;
  if (matches === undefined) throw new ArenaError('cli/usage', `${file}: budget.matches is required by the match runner`);
  return {
    name: scenario.name,
    game: scenario.game.id,
    params: scenario.game.params,
    seed: scenario.seed,
    population: scenario.population.map((p) => ({ name: p.name, spec: p.agent })),
    pairing: pairingOf(scenario),
    matches,
    workers: scenario.workers,
    resamples: scenario.ratings.bootstrap,
    baseDir: dirname(resolve(file)),
  };
}
