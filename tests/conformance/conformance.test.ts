import { conformanceChecks } from '../../environments/testing/check-game';
import { GAME_MODULES } from '../../environments/registry';
import { lineRace } from '../fixtures/line-race';

/**
 * Random games per property: 150 for board and card games; long games (Overcooked's 400 steps, physics games'
 * thousands of ticks) get proportionally fewer, so every game costs about the same number of steps. Each game's
 * own test file checks its named parameterisations and hand-built scenes on top of this.
 */
function runsFor(module: (typeof GAME_MODULES)[number]): number {
  const maxLength = module.create(module.spec.params.parse({}) as never).maxLength;
  return Math.max(6, Math.min(150, Math.round((150 * 60) / maxLength)));
}

// Every registered game passes the same checks; a new game gets them by being registered.
describe.each([...GAME_MODULES, lineRace].map((m) => [m.spec.id, m] as const))('%s conformance', (_id, module) => {
  it.each(conformanceChecks(module, { runs: runsFor(module) }).map((c) => [c.name, c] as const))('%s', (_name, check) => {
    check.run();
  });
});

describe('registry', () => {
  it('lists exactly the registered games, each once', () => {
    expect(GAME_MODULES.map((m) => m.spec.id)).toEqual([
      'tic-tac-toe',
      'connect-four',
      'kuhn-poker',
      'leduc-poker',
      'hanabi',
      'overcooked',
      'negotiation',
      'slime-volleyball',
      'drone-volleyball',
    ]);
  });
});
