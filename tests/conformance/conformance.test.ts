import { conformanceChecks } from '../../environments/testing/check-game';
import { GAME_MODULES } from '../../environments/registry';
import { lineRace } from '../fixtures/line-race';

// Every registered game passes the same checks; a new game gets them by being registered.
describe.each([...GAME_MODULES, lineRace].map((m) => [m.spec.id, m] as const))('%s conformance', (_id, module) => {
  it.each(conformanceChecks(module, { runs: 150 }).map((c) => [c.name, c] as const))('%s', (_name, check) => {
    check.run();
  });
});

describe('registry', () => {
  it('lists exactly the four foundation games, each once', () => {
    expect(GAME_MODULES.map((m) => m.spec.id)).toEqual(['tic-tac-toe', 'connect-four', 'kuhn-poker', 'leduc-poker']);
  });
});
