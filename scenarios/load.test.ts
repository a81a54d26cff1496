import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArenaError } from '../environments/core/errors';
import { loadScenario, parseScenarioText } from './load';

const tmp = mkdtempSync(join(tmpdir(), 'arena-scenarios-'));

const GOOD = `# a comment
name: good
game: { id: tic-tac-toe }
seed: 1
population:
  - { name: a, agent: random }
  - { name: b, agent: "mcts:simulations=10" }
matchmaking:
  strategy: pfsp
  weighting: linear_capped
budget: { matches: 10 }
`;

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** The one-line message loadScenario throws for `text` written to `name`. */
function messageFor(name: string, text: string): string {
  const path = write(name, text);
  try {
    loadScenario(path);
  } catch (error) {
    if (!(error instanceof ArenaError)) throw error;
    expect(error.code).toBe('cli/usage');
    expect(error.message).not.toContain('\n');
    return error.message.replace(`${tmp}/`, '');
  }
  throw new Error(`expected ${name} to be refused`);
}

describe('loadScenario', () => {
  it('reads YAML and JSON', () => {
    expect(loadScenario(write('good.yaml', GOOD)).name).toBe('good');
    const json = JSON.stringify({ name: 'j', game: { id: 'connect-four' }, seed: 2, population: [{ name: 'a', agent: 'random' }], matchmaking: { strategy: 'round-robin' }, budget: { seconds: 5 } }, null, 2);
    const s = loadScenario(write('good.json', json));
    expect(s.game.rules.spec.id).toBe('connect-four');
    expect(s.budget).toEqual({ seconds: 5 });
  });

  it.each<[string, string, string]>([
    ['missing field', GOOD.replace('seed: 1\n', ''), 'bad.yaml: seed: missing (expected an integer)'],
    ['wrong type', GOOD.replace('seed: 1', 'seed: [1]'), 'bad.yaml: seed: expected an integer, got a list'],
    ['unknown key', GOOD.replace('seed: 1', 'seed: 1\nworker: 4'), 'bad.yaml: unknown key "worker" (expected name, game, seed, population, matchmaking, snapshots, budget, ratings, workers, schedules or learner)'],
    ['unknown strategy', GOOD.replace('strategy: pfsp', 'strategy: pfsp2'), 'bad.yaml: matchmaking.strategy: unknown strategy "pfsp2" (expected selfplay-latest, fictitious, pfsp, openai-five, alphastar, psro or round-robin)'],
    [
      'unknown weighting',
      GOOD.replace('weighting: linear_capped', 'weighting: hardd'),
      'bad.yaml: matchmaking.weighting: unknown weighting "hardd" (expected hard, variance, linear, linear_capped or an expression in x)',
    ],
    ['hostile expression', GOOD.replace('weighting: linear_capped', 'weighting: \'cos.constructor("return process")()\''), 'bad.yaml: matchmaking.weighting: invalid weighting expression: syntax error: Value expected (char 35)'],
    ['hostile schedule', `${GOOD}schedules:\n  lr: 'createUnit("foo")'\n`, 'bad.yaml: schedules.lr: invalid schedule expression in step: function "createUnit" is not allowed'],
    ['bad agent spec', GOOD.replace('agent: random', 'agent: randomm'), 'bad.yaml: population[0].agent: unknown agent "randomm" (known: random, first-legal'],
    ['bad agent parameter', GOOD.replace('mcts:simulations=10', 'mcts:simulations=ten'), 'bad.yaml: population[1].agent: agent mcts: simulations:'],
    ['unknown game', GOOD.replace('id: tic-tac-toe', 'id: go'), 'bad.yaml: game.id: unknown game "go" (expected tic-tac-toe, connect-four, kuhn-poker, leduc-poker, hanabi, overcooked, negotiation, slime-volleyball or drone-volleyball)'],
    ['invalid game params', GOOD.replace('{ id: tic-tac-toe }', '{ id: tic-tac-toe, params: { size: 4 } }'), 'bad.yaml: game.params: unknown parameter "size" (tic-tac-toe takes no parameters)'],
    ['YAML syntax error', GOOD.replace('seed: 1', 'seed: [1, 2'), 'bad.yaml: line 5, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['YAML bad indentation', GOOD.replace('  - { name: b', ' - { name: b'), 'bad.yaml: line 7, column 1: '],
    ['duplicate key', GOOD.replace('seed: 1', 'seed: 1\nseed: 2'), 'bad.yaml: line 5, column 1: Map keys must be unique'],
    ['unresolved alias', GOOD.replace('seed: 1', 'seed: *s'), 'bad.yaml: Unresolved alias'],
    ['empty file', '# nothing\n', 'bad.yaml: the file is empty (expected a scenario mapping'],
    ['a list at the top', '- a\n- b\n', 'bad.yaml: expected a mapping, got a list'],
  ])('%s', (_what, text, expected) => {
    expect(messageFor('bad.yaml', text).slice(0, expected.length)).toBe(expected);
  });

  it('names the line of a JSON syntax error', () => {
    expect(messageFor('bad.json', '{\n  "name": "x",\n  "seed": 1\n  "game": {}\n}\n')).toMatch(/^bad\.json: line \d+, column \d+: /);
  });

  it('refuses missing files, folders and other extensions in one line', () => {
    expect(() => loadScenario(join(tmp, 'nope.yaml'))).toThrow(`${tmp}/nope.yaml: cannot read the scenario (no such file)`);
    const dir = join(tmp, 'dir.yaml');
    mkdirSync(dir);
    expect(() => loadScenario(dir)).toThrow('cannot read the scenario (is a directory)');
    expect(() => loadScenario(write('s.txt', GOOD))).toThrow('s.txt: expected a .yaml, .yml or .json scenario file');
  });

  it('resolves policy files against the scenario folder', () => {
    const text = GOOD.replace('{ id: tic-tac-toe }', '{ id: kuhn-poker }').replace('"mcts:simulations=10"', 'policy:missing-policy.json');
    expect(messageFor('policy.yaml', text)).toContain(`population[1].agent: cannot read ${tmp}/missing-policy.json`);
    expect(() => parseScenarioText(text, { file: 'x.yaml', baseDir: '/nowhere' })).toThrow('x.yaml: population[1].agent: cannot read /nowhere/missing-policy.json');
  });
});

describe('shipped scenario files', () => {
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.yaml'));

  it('are the documented ones', () => {
    expect(files.sort()).toEqual([
      'connect-four-alphastar.yaml',
      'connect-four-selfplay.yaml',
      'kuhn-psro.yaml',
      'kuhn-selfplay.yaml',
      'leduc-psro.yaml',
      'leduc-selfplay.yaml',
      'tic-tac-toe-smoke.yaml',
    ]);
  });

  it.each(files)('%s loads', (file) => {
    const s = loadScenario(join(__dirname, file));
    expect(`${s.name}.yaml`).toBe(file);
    for (const [, schedule] of Object.entries(s.schedules)) {
      for (const step of [0, 1, 999, 1000, 10_000, 1_000_000]) expect(Number.isFinite(schedule({ step }))).toBe(true);
    }
  });

  it('have the settings their headers describe', () => {
    const kuhn = loadScenario(join(__dirname, 'kuhn-psro.yaml'));
    expect(kuhn.matchmaking).toEqual({ strategy: 'psro', metaSolver: 'nash', iterations: 20 });
    expect(kuhn.population.filter((p) => p.learner).map((p) => p.name)).toEqual(['learner']);
    const c4 = loadScenario(join(__dirname, 'connect-four-alphastar.yaml'));
    expect(c4.matchmaking).toMatchObject({ strategy: 'alphastar', roles: { main: 1, mainExploiter: 1, leagueExploiter: 2 }, snapshotWinRate: 0.7, stepBudget: 2000 });
    expect(c4.schedules['lr']?.({ step: 0 })).toBeCloseTo(3e-7, 15);
    expect(c4.schedules['entropy']?.({ step: 1e9 })).toBe(0.001);
    const smoke = loadScenario(join(__dirname, 'tic-tac-toe-smoke.yaml'));
    expect(smoke.matchmaking.strategy).toBe('round-robin');
    expect(smoke.budget.matches).toBeLessThanOrEqual(1000);
  });
});
