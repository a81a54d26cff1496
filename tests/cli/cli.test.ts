import { GAME_MODULES } from '../../environments/registry';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arena, arenaJson } from './run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'arena-cli-'));

describe('arena games / perft / tree', () => {
  it('lists the registry', () => {
    const out = arenaJson<{ games: { id: string; numPlayers: number }[] }>(['games']);
    expect(out.games.map((g) => g.id)).toEqual(GAME_MODULES.map((m) => m.spec.id));
    expect(out.games.map((g) => g.id).slice(0, 4)).toEqual(['tic-tac-toe', 'connect-four', 'kuhn-poker', 'leduc-poker']);
  });

  it.each([
    [1, 9], [2, 72], [3, 504], [4, 3024], [5, 15120], [6, 54720], [7, 148176], [8, 200448], [9, 127872],
  ])('tic-tac-toe perft(%i) = %i', (depth, nodes) => {
    expect(arenaJson(['perft', '--game', 'tic-tac-toe', '--depth', String(depth)])).toMatchObject({ game: 'tic-tac-toe', depth, nodes });
  });

  it.each([
    [1, 7], [2, 49], [3, 343], [4, 2401], [5, 16807], [6, 117649], [7, 823536], [8, 5673234],
  ])('connect-four perft(%i) = %i', (depth, nodes) => {
    expect(arenaJson(['perft', '--game', 'connect-four', '--depth', String(depth)])).toMatchObject({ depth, nodes });
  });

  it('tic-tac-toe full tree: 255,168 games (131,184 / 77,904 / 46,080), 5,478 positions', () => {
    const t = arenaJson(['tree', '--game', 'tic-tac-toe']);
    expect(t).toMatchObject({ games: 255168, distinctPositions: 5478, outcomes: { '1,-1': 131184, '-1,1': 77904, '0,0': 46080 } });
  });
});

describe('arena exploitability / solve', () => {
  const nc = (game: string, policy: string): number => arenaJson<{ nashConv: number }>(['exploitability', '--game', game, '--policy', policy]).nashConv;

  it('gives the published NashConv of simple policies', () => {
    expect(nc('kuhn-poker', 'uniform')).toBeCloseTo(11 / 12, 9);
    expect(nc('kuhn-poker', 'first-legal')).toBeCloseTo(2, 9);
    expect(nc('leduc-poker', 'uniform')).toBeCloseTo(4.747222222222222, 9);
    expect(nc('leduc-poker', 'first-legal')).toBeCloseTo(2, 9);
    const out = arenaJson(['exploitability', '--game', 'kuhn-poker', '--policy', 'uniform']);
    expect(out).toEqual({
      game: 'kuhn-poker',
      nashConv: expect.closeTo(0.916667, 6),
      exploitability: expect.closeTo(0.458333, 6),
      bestResponseValues: [expect.any(Number), expect.any(Number)],
      policyValues: [expect.closeTo(0.125, 9), expect.closeTo(-0.125, 9)],
    });
  });

  it('solve writes a policy whose exploitability the CLI confirms', () => {
    const file = join(tmp, 'kuhn-cfr.json');
    const plot = join(tmp, 'kuhn.svg');
    const s = arenaJson<{ nashConv: number; values: number[]; curve: unknown[] }>(['solve', '--game', 'kuhn-poker', '--iterations', '2000', '--out', file, '--plot', plot]);
    expect(s.nashConv).toBeLessThan(1e-3);
    expect(s.values[0]).toBeCloseTo(-1 / 18, 3);
    expect(s.curve.length).toBeGreaterThan(10);
    expect(nc('kuhn-poker', file)).toBeCloseTo(s.nashConv, 9);
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg[\s\S]*<path d="M/);
  });
});

describe('arena play / replay', () => {
  it('alpha-beta depth 4 beats random in at least 95 of 100 seeded Connect Four games, and records replay', () => {
    const out = join(tmp, 'c4.jsonl');
    const r = arenaJson<{ agents: { spec: string; wins: number }[] }>(['play', '--game', 'connect-four', '--agents', 'alphabeta:depth=4,random', '--games', '100', '--seed', '1', '--out', out]);
    expect(r.agents[0]!.wins).toBeGreaterThanOrEqual(95);
    const rep = arenaJson<{ records: number; ok: number }>(['replay', out]);
    expect(rep).toEqual({ records: 100, ok: 100, mismatches: [] });
  });

  it('is reproducible from the seed', () => {
    const a = arenaJson(['play', '--game', 'kuhn-poker', '--agents', 'random,random', '--games', '50', '--seed', '9']);
    const b = arenaJson(['play', '--game', 'kuhn-poker', '--agents', 'random,random', '--games', '50', '--seed', '9']);
    expect(a).toEqual(b);
  });

  it('plays a CFR policy file as an agent', () => {
    const file = join(tmp, 'kuhn-play.json');
    arenaJson(['solve', '--game', 'kuhn-poker', '--iterations', '500', '--out', file]);
    const r = arenaJson<{ agents: { meanReturn: number }[] }>(['play', '--game', 'kuhn-poker', '--agents', `policy:${file},random`, '--games', '2000']);
    expect(r.agents[0]!.meanReturn).toBeGreaterThan(0.05);
  });

  it('reports a tampered record and exits 1', () => {
    const out = join(tmp, 'ttt.jsonl');
    arenaJson(['play', '--game', 'tic-tac-toe', '--agents', 'random,random', '--games', '3', '--out', out]);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const rec = JSON.parse(lines[1]!) as { returns: number[] };
    rec.returns = rec.returns.map((x) => x + 1);
    writeFileSync(out, [lines[0], JSON.stringify(rec), lines[2], '{not json'].join('\n'));
    const r = arena(['replay', out, '--json']);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as { records: number; ok: number; mismatches: { line: number; code: string }[] };
    expect(body.ok).toBe(2);
    expect(body.mismatches.map((m) => [m.line, m.code])).toEqual([[2, 'record/mismatch'], [4, 'record/malformed']]);
  });

  it('prints the record JSON Schema, and records written by play satisfy its required fields', () => {
    const r = arena(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['recordVersion', 'game', 'seed', 'seats', 'actions', 'returns', 'finalStateHash']));
    const out = join(tmp, 'schema.jsonl');
    arenaJson(['play', '--game', 'leduc-poker', '--agents', 'random,random', '--out', out]);
    const record = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    for (const key of schema.required) expect(record).toHaveProperty(key);
    expect(Object.keys(record).every((k) => k in schema.properties)).toBe(true);
  });

  it('renders a match', () => {
    const r = arena(['play', '--game', 'connect-four', '--agents', 'first-legal,first-legal', '--render']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/step 7/);
    expect(r.stdout).toMatch(/result: returns \[1, -1\]/);
  });
});

describe('bad input: exit code 2 and one line naming the problem', () => {
  const kuhnPolicy = (rows: Record<string, unknown>): string => {
    const base: Record<string, unknown> = Object.fromEntries(['0', '1', '2', '0p', '1p', '2p', '0b', '1b', '2b', '0pb', '1pb', '2pb'].map((k) => [k, [0.5, 0.5]]));
    const file = join(tmp, `policy-${Math.random().toString(36).slice(2)}.json`);
    const merged = { ...base, ...rows };
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
    writeFileSync(file, JSON.stringify(merged));
    return file;
  };
  const fails = (args: string[], pattern: RegExp): void => {
    const r = arena(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^arena: /);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };
  const exploit = (file: string): string[] => ['exploitability', '--game', 'kuhn-poker', '--policy', file];

  it('unknown game, unknown agent, wrong seat count, bad flags', () => {
    fails(['play', '--game', 'chess', '--agents', 'random,random'], /unknown game "chess"/);
    fails(['play', '--game', 'kuhn-poker', '--agents', 'random,wizard'], /unknown agent "wizard"/);
    fails(['play', '--game', 'kuhn-poker', '--agents', 'random'], /needs 2 agents/);
    fails(['play', '--game', 'kuhn-poker', '--agents', 'alphabeta,random'], /perfect-information/);
    fails(['play', '--game', 'connect-four', '--agents', 'mcts:simulations=abc,random'], /simulations/);
    fails(['play', '--game', 'connect-four', '--agents', 'mcts:sims=10,random'], /unknown parameter.*sims/);
    fails(['perft', '--game', 'kuhn-poker', '--depth', '-3'], /--depth/);
    fails(['perft', '--game', 'kuhn-poker'], /required option '--depth/);
    fails(['play', '--game', 'kuhn-poker', '--agents', 'random,random', '--params', '{"players":3}'], /invalid parameter players/);
    fails(['solve', '--game', 'connect-four', '--iterations', '1', '--out', join(tmp, 'x.json')], /connect-four/);
  });

  it('malformed policy files name the offending key', () => {
    fails(exploit(join(tmp, 'missing-file.json')), /cannot read/);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"0": [0.5, 0.5],');
    fails(exploit(bad), /not valid JSON/);
    fails(exploit(kuhnPolicy({ '1pb': undefined })), /missing information state "1pb"/);
    fails(exploit(kuhnPolicy({ '2b': [0.7, 0.4] })), /"2b".*sum to 1\.1/);
    fails(exploit(kuhnPolicy({ '0p': [1.5, -0.5] })), /"0p".*-0\.5/);
    fails(exploit(kuhnPolicy({ '1': [0.5] })), /"1".*expected 2 probabilities/);
    fails(exploit(kuhnPolicy({ '1': 'half' })), /"1".*array of numbers/);
    fails(exploit(kuhnPolicy({ '3pp': [0.5, 0.5] })), /"3pp".*not an information state/);
    const leduc = join(tmp, 'leduc.json');
    arenaJson(['solve', '--game', 'leduc-poker', '--iterations', '1', '--out', leduc]);
    const rows = JSON.parse(readFileSync(leduc, 'utf8')) as Record<string, number[]>;
    const key = Object.keys(rows).find((k) => k.includes('[Round1: ]'))!; // nothing to call: fold is illegal
    rows[key] = [0.5, 0.5, 0];
    writeFileSync(leduc, JSON.stringify(rows));
    fails(['exploitability', '--game', 'leduc-poker', '--policy', leduc], /probability 0\.5 on action 0, which is illegal there/);
  });
});

describe('--help', () => {
  it.each(['games', 'play', 'perft', 'tree', 'solve', 'exploitability', 'replay', 'schema', 'demo'])('arena %s --help', (cmd) => {
    const r = arena([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: arena ${cmd}`));
  });
});
