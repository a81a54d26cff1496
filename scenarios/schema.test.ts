import { formatPath, namedWeighting, validateScenario, type PfspMatchmaking, type Scenario, type ScenarioResult } from './schema';

/** A valid document; each test changes one thing. */
function base(): Record<string, unknown> {
  return {
    name: 'test',
    game: { id: 'tic-tac-toe' },
    seed: 3,
    population: [
      { name: 'learner', agent: 'random', learner: true },
      { name: 'ab', agent: 'alphabeta:depth=2' },
    ],
    matchmaking: { strategy: 'pfsp', weighting: 'hard' },
    budget: { matches: 100 },
  };
}

function ok(doc: unknown): Scenario {
  const r = validateScenario(doc);
  if (!r.ok) throw new Error(`expected a valid scenario, got ${r.path}: ${r.message}`);
  return r.scenario;
}

function problem(doc: unknown): string {
  const r: ScenarioResult = validateScenario(doc);
  if (r.ok) throw new Error('expected a problem');
  expect(r.message).not.toContain('\n');
  return r.path ? `${r.path}: ${r.message}` : r.message;
}

const pfsp = (s: Scenario): PfspMatchmaking => {
  if (s.matchmaking.strategy !== 'pfsp') throw new Error('not pfsp');
  return s.matchmaking;
};

describe('validateScenario: valid documents', () => {
  it('fills defaults and loads the game', () => {
    const s = ok(base());
    expect(s.workers).toBe(2);
    expect(s.ratings).toEqual({ bootstrap: 1000 });
    expect(s.snapshots).toEqual({});
    expect(s.schedules).toEqual({});
    expect(s.game.rules.spec.id).toBe('tic-tac-toe');
    expect(s.game.params).toEqual({});
    expect(s.population.map((p) => p.learner)).toEqual([true, false]);
  });

  it('compiles named weightings (REFERENCES.md formulas) and p', () => {
    const hard = pfsp(ok(base()));
    expect(hard.p).toBe(2);
    expect(hard.weight(0.25)).toBe(0.5625);
    const cubed = pfsp(ok({ ...base(), matchmaking: { strategy: 'pfsp', weighting: 'hard', p: 3 } }));
    expect(cubed.weight(0.5)).toBe(0.125);
    const w = (name: 'variance' | 'linear' | 'linear_capped') => pfsp(ok({ ...base(), matchmaking: { strategy: 'pfsp', weighting: name } }));
    expect(w('variance').weight(0.25)).toBe(0.1875);
    expect(w('variance').p).toBeUndefined();
    expect(w('linear').weight(0.25)).toBe(0.75);
    expect(w('linear_capped').weight(0.25)).toBe(0.5);
    expect(w('linear_capped').weight(0.75)).toBe(0.25);
    expect(namedWeighting('hard')(0)).toBe(1);
  });

  it('compiles expression weightings and schedules once', () => {
    const s = ok({ ...base(), matchmaking: { strategy: 'pfsp', weighting: 'x * (1 - x)' }, schedules: { lr: '0.1 * exp(-step / 1000)', warm: 'step < 100 ? 1 : 0.5' } });
    expect(pfsp(s).weight(0.5)).toBe(0.25);
    expect(s.schedules['lr']?.({ step: 1000 })).toBe(0.1 * Math.exp(-1));
    expect(s.schedules['warm']?.({ step: 100 })).toBe(0.5);
  });

  it.each([
    [{ strategy: 'selfplay-latest' }, { strategy: 'selfplay-latest' }],
    [{ strategy: 'fictitious' }, { strategy: 'fictitious' }],
    [{ strategy: 'openai-five' }, { strategy: 'openai-five', latestRatio: 0.8 }],
    [
      { strategy: 'alphastar', stepBudget: 500 },
      { strategy: 'alphastar', roles: { main: 1, mainExploiter: 1, leagueExploiter: 2 }, snapshotWinRate: 0.7, stepBudget: 500 },
    ],
    [{ strategy: 'alphastar', roles: { leagueExploiter: 0 }, stepBudget: 9 }, { roles: { main: 1, mainExploiter: 1, leagueExploiter: 0 } }],
    [{ strategy: 'psro', metaSolver: 'uniform', iterations: 5 }, { strategy: 'psro', metaSolver: 'uniform', iterations: 5 }],
    [{ strategy: 'round-robin' }, { strategy: 'round-robin' }],
  ])('matchmaking %j', (matchmaking, expected) => {
    expect(ok({ ...base(), matchmaking }).matchmaking).toMatchObject(expected);
  });
});

describe('validateScenario: each kind of mistake names its field and what was expected', () => {
  const without = (key: string) => {
    const d = base();
    delete d[key];
    return d;
  };

  it.each<[string, unknown, string]>([
    ['missing field', without('seed'), 'seed: missing (expected an integer)'],
    ['missing nested field', { ...base(), game: {} }, 'game.id: missing (expected a string)'],
    ['wrong type', { ...base(), seed: 'seven' }, 'seed: expected an integer, got "seven"'],
    ['wrong type (list)', { ...base(), population: { name: 'a' } }, 'population: expected a list, got a mapping'],
    ['out of range', { ...base(), workers: 0 }, 'workers: expected a number >= 1, got number 0'],
    ['not an integer', { ...base(), seed: 1.5 }, 'seed: expected an integer, got number 1.5'],
    ['empty population', { ...base(), population: [] }, 'population: expected at least 1 entry, got 0'],
    ['unknown top-level key', { ...base(), seeds: 3 }, 'unknown key "seeds" (expected name, game, seed, population, matchmaking, snapshots, budget, ratings, workers, schedules or learner)'],
    ['unknown nested key', { ...base(), matchmaking: { strategy: 'pfsp', weighting: 'hard', weightng: 1 } }, 'matchmaking: unknown key "weightng" (expected strategy, weighting or p)'],
    ['unknown key in a list entry', { ...base(), population: [{ name: 'a', agent: 'random', lerner: true }] }, 'population[0]: unknown key "lerner" (expected name, agent, learner or share)'],
    [
      'unknown strategy',
      { ...base(), matchmaking: { strategy: 'elo' } },
      'matchmaking.strategy: unknown strategy "elo" (expected selfplay-latest, fictitious, pfsp, openai-five, alphastar, psro or round-robin)',
    ],
    ['missing strategy', { ...base(), matchmaking: {} }, 'matchmaking.strategy: missing (expected selfplay-latest, fictitious, pfsp, openai-five, alphastar, psro or round-robin)'],
    ['strategy-specific field', { ...base(), matchmaking: { strategy: 'psro', metaSolver: 'alpharank', iterations: 3 } }, 'matchmaking.metaSolver: expected "uniform" or "nash", got "alpharank"'],
    ['missing strategy field', { ...base(), matchmaking: { strategy: 'alphastar' } }, 'matchmaking.stepBudget: missing (expected an integer)'],
    [
      'unknown weighting',
      { ...base(), matchmaking: { strategy: 'pfsp', weighting: 'hardd' } },
      'matchmaking.weighting: unknown weighting "hardd" (expected hard, variance, linear, linear_capped or an expression in x)',
    ],
    ['p with another weighting', { ...base(), matchmaking: { strategy: 'pfsp', weighting: 'linear', p: 2 } }, 'matchmaking.p: p applies only to weighting hard, (1 - x)^p (weighting is "linear")'],
    [
      'negative weighting expression',
      { ...base(), matchmaking: { strategy: 'pfsp', weighting: 'x - 0.5' } },
      'matchmaking.weighting: weighting "x - 0.5" gave -0.5 for x = 0 (expected a number >= 0); it must give a finite number >= 0 for every x in [0, 1]',
    ],
    [
      'weighting expression failing at an edge',
      { ...base(), matchmaking: { strategy: 'pfsp', weighting: 'log(x)' } },
      'matchmaking.weighting: weighting "log(x)" gave -Infinity for x = 0 (expected a finite number); it must give a finite number >= 0 for every x in [0, 1]',
    ],
    ['hostile weighting expression', { ...base(), matchmaking: { strategy: 'pfsp', weighting: 'evaluate("1")' } }, 'matchmaking.weighting: invalid weighting expression: function "evaluate" is not allowed'],
    ['hostile schedule', { ...base(), schedules: { lr: 'step = 2' } }, 'schedules.lr: invalid schedule expression in step: assignment is not allowed ("step = 2")'],
    ['schedule with an unknown symbol', { ...base(), schedules: { lr: '0.1 * x' } }, 'schedules.lr: invalid schedule expression in step: unknown symbol "x" (expected step, pi, e)'],
    ['schedule import', { ...base(), schedules: { lr: 'import({})' } }, 'schedules.lr: invalid schedule expression in step: function "import" is not allowed'],
    ['schedule too long', { ...base(), schedules: { lr: `${'step+'.repeat(2000)}1` } }, 'schedules.lr: invalid schedule expression in step: expression is 10001 characters long (at most 200)'],
    ['bad schedule name', { ...base(), schedules: { 'learning rate': '1' } }, 'schedules["learning rate"]: expected a schedule name of letters, digits and "_" (starting with a letter or "_")'],
    ['unknown agent', { ...base(), population: [{ name: 'a', agent: 'mcst:simulations=5' }] }, 'population[0].agent: unknown agent "mcst" (known: random, first-legal'],
    ['malformed agent parameters', { ...base(), population: [{ name: 'a', agent: 'mcts:simulations' }] }, 'population[0].agent: agent mcts: expected key=value, got "simulations"'],
    ['bad agent parameter value', { ...base(), population: [{ name: 'a', agent: 'alphabeta:depth=0' }] }, 'population[0].agent: agent alphabeta: depth:'],
    ['unknown agent parameter', { ...base(), population: [{ name: 'a', agent: 'random:depth=2' }] }, 'population[0].agent: agent random: unknown parameter(s) depth'],
    [
      'agent that does not support the game',
      { ...base(), game: { id: 'kuhn-poker' }, population: [{ name: 'a', agent: 'alphabeta:depth=2' }], matchmaking: { strategy: 'round-robin' } },
      'population[0].agent: alphabeta needs a perfect-information game (kuhn-poker)',
    ],
    ['missing policy file', { ...base(), population: [{ name: 'a', agent: 'policy:no-such-policy.json' }], matchmaking: { strategy: 'round-robin' } }, 'population[0].agent: '],
    ['duplicate names', { ...base(), population: [{ name: 'a', agent: 'random' }, { name: 'a', agent: 'random', learner: true }] }, 'population[1].name: duplicate name "a" (also population[0])'],
    ['bad name', { ...base(), population: [{ name: 'a b', agent: 'random' }] }, 'population[0].name: expected a name of letters, digits'],
    ['unknown game', { ...base(), game: { id: 'chess' } }, 'game.id: unknown game "chess" (expected tic-tac-toe, connect-four, kuhn-poker, leduc-poker, hanabi, overcooked, negotiation, slime-volleyball or drone-volleyball)'],
    ['invalid game params', { ...base(), game: { id: 'kuhn-poker', params: { players: 3 } } }, 'game.params.players: expected 2, got number 3'],
    ['unknown game param', { ...base(), game: { id: 'connect-four', params: { rows: 5 } } }, 'game.params: unknown parameter "rows" (connect-four takes no parameters)'],
    ['unknown game param (game with parameters)', { ...base(), game: { id: 'kuhn-poker', params: { player: 2 } } }, 'game.params: unknown parameter "player" (expected players)'],
    ['empty budget', { ...base(), budget: {} }, 'budget: expected matches, seconds or both'],
    ['learner required', { ...base(), population: [{ name: 'a', agent: 'random' }], matchmaking: { strategy: 'selfplay-latest' } }, 'population: strategy selfplay-latest needs at least one entry with learner: true'],
    ['remote member with an impossible agent name', { ...base(), population: [{ name: 'l', agent: 'random', learner: true }, { name: 'a', agent: 'remote:my bot' }] }, 'population[1].agent: expected remote:<agent name> (1-64 letters, digits, "_", "." or "-": the name the agent registered with), got "remote:my bot"'],
    ['share without a learner section', { ...base(), population: [{ name: 'l', agent: 'random', learner: true }, { name: 'a', agent: 'random', share: 0.2 }] }, 'population[1].share: share applies only to scenarios with a learner section'],
    ['share on the learner line', { ...base(), learner: {}, population: [{ name: 'l', agent: 'random', learner: true, share: 0.2 }] }, 'population[0].share: share is for fixed opponents; the learner line cannot have one'],
    [
      'shares above 1',
      { ...base(), learner: {}, population: [{ name: 'l', agent: 'random', learner: true }, { name: 'a', agent: 'random', share: 0.7 }, { name: 'b', agent: 'alphabeta:depth=2', share: 0.4 }] },
      'population: the shares of fixed opponents add up to 1.1; expected at most 1',
    ],
    ['share out of range', { ...base(), learner: {}, population: [{ name: 'l', agent: 'random', learner: true }, { name: 'a', agent: 'random', share: -0.1 }] }, 'population[1].share: expected a number >= 0, got number -0.1'],
    ['not a mapping', 'hello', 'expected a mapping, got "hello"'],
    ['null section', { ...base(), budget: null }, 'budget: expected a mapping, got nothing (null)'],
  ])('%s', (_what, doc, expected) => {
    // Exact text up to what the table gives (some messages go on with a list of known names).
    expect(problem(doc).slice(0, expected.length)).toBe(expected);
  });
});

describe('formatPath', () => {
  it('writes dotted keys and bracketed indexes', () => {
    expect(formatPath(['population', 1, 'agent'])).toBe('population[1].agent');
    expect(formatPath(['schedules', 'a b'])).toBe('schedules["a b"]');
    expect(formatPath([])).toBe('');
  });
});
