import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';
import type { Action, Game } from '../environments/core/game';
import { kuhnPoker } from '../environments/zero-sum/kuhn-poker';
import { leducPoker } from '../environments/zero-sum/leduc-poker';
import { nashConv } from './solvers/best-response';
import { solve } from './solvers/cfr-plus';
import { buildGameTree } from './solvers/game-tree';
import {
  PolicyTable,
  TabularPolicyAgent,
  firstLegalPolicy,
  loadPolicyFile,
  parsePolicyFile,
  policyToJson,
  uniformPolicy,
} from './tabular-policy';

const kuhn = kuhnPoker.create(kuhnPoker.spec.params.parse({})) as Game<unknown, Action>;
const leduc = leducPoker.create(leducPoker.spec.params.parse({})) as Game<unknown, Action>;
const kuhnTree = buildGameTree(kuhn);
const leducTree = buildGameTree(leduc);

/** The ArenaError thrown by `fn` (fails the test if none). */
function thrown(fn: () => unknown): ArenaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ArenaError) return e;
    throw e;
  }
  throw new Error('expected an ArenaError');
}

/** A complete, valid Kuhn policy file with entries overridden. */
function kuhnFile(overrides: Record<string, unknown> = {}, drop: string[] = []): string {
  const data: Record<string, unknown> = JSON.parse(policyToJson(uniformPolicy(kuhnTree))) as Record<string, unknown>;
  for (const k of drop) delete data[k];
  return JSON.stringify({ ...data, ...overrides });
}

describe('policy files', () => {
  test('policyToJson -> parsePolicyFile round trip keeps the NashConv exactly (Kuhn CFR+, Leduc uniform)', () => {
    const { policy, result } = solve(kuhnTree, { iterations: 200 });
    const text = policyToJson(policy);
    expect(text.split('\n')[1]).toMatch(/^ {2}"0": \[0\.\d+,0\.\d+\],$/);
    const back = parsePolicyFile(kuhn, text, { tree: kuhnTree });
    expect(back.keys().sort()).toEqual(policy.keys().sort());
    expect(nashConv(kuhnTree, back).nashConv).toBe(result.nashConv);
    const uniform = parsePolicyFile(leduc, policyToJson(uniformPolicy(leducTree)), { tree: leducTree });
    expect(nashConv(leducTree, uniform).nashConv).toBeCloseTo(4.747222222222222, 9);
    expect(policyToJson(uniform)).toBe(policyToJson(uniformPolicy(leducTree)));
    expect(nashConv(leducTree, firstLegalPolicy(leduc)).nashConv).toBeCloseTo(2, 9);
  });

  test.each([
    ['unparsable JSON', '{"0": [0.5, 0.5]', /not valid JSON/],
    ['not an object', '[[0.5, 0.5]]', /expected a JSON object/],
    ['not an array of numbers', kuhnFile({ '1p': [0.5, '0.5'] }), /entry "1p": expected an array of numbers/],
    ['null entry (NaN)', kuhnFile({ '1p': [null, 1] }), /entry "1p": expected an array of numbers/],
    ['wrong length', kuhnFile({ '2b': [1] }), /entry "2b": expected 2 probabilities \(one per action id\), got 1/],
    ['negative', kuhnFile({ '0pb': [1.5, -0.5] }), /entry "0pb": probability of action 1 is -0.5/],
    ['not summing to 1', kuhnFile({ '1': [0.5, 0.6] }), /entry "1": probabilities sum to 1.1, not 1/],
    ['unknown key', kuhnFile({ '3p': [0.5, 0.5] }), /entry "3p": not an information state of kuhn-poker/],
    ['missing key', kuhnFile({}, ['1pb', '2pb']), /missing information state "1pb" \(and 1 more\)/],
  ])('rejects %s with one line naming the key', (_what, text, message) => {
    const e = thrown(() => parsePolicyFile(kuhn, text, { tree: kuhnTree, source: 'k.json' }));
    expect(e.code).toBe('policy/malformed');
    expect(e.message).toMatch(message);
    expect(e.message.startsWith('k.json: ')).toBe(true);
    expect(e.message).not.toContain('\n');
  });

  test('rejects weight on an illegal action (Leduc: fold with nothing to call)', () => {
    const rows = JSON.parse(policyToJson(uniformPolicy(leducTree))) as Record<string, number[]>;
    const key = '[Observer: 0][Private: 0][Round 1][Player: 0][Pot: 2][Money: 99 99][Round1: ][Round2: ]';
    expect(rows[key]).toEqual([0, 0.5, 0.5]);
    rows[key] = [0.2, 0.4, 0.4];
    const e = thrown(() => parsePolicyFile(leduc, JSON.stringify(rows), { tree: leducTree }));
    expect(e.message).toBe(`policy: entry ${JSON.stringify(key)}: probability 0.2 on action 0, which is illegal there`);
  });

  test('options: partial files, unknown keys, no tree; sums within 1e-6', () => {
    const partial = parsePolicyFile(kuhn, '{"0": [0.25, 0.75]}', { requireComplete: false });
    expect(partial.size).toBe(1);
    expect(partial.actionProbabilities('1p', [0, 1])).toEqual([0.5, 0.5]);
    const extra = kuhnFile({ zzz: [1, 0] });
    expect(parsePolicyFile(kuhn, extra, { tree: kuhnTree, allowUnknownKeys: true }).has('zzz')).toBe(true);
    expect(parsePolicyFile(kuhn, '{"x": [1, 0]}', { tree: null, requireComplete: false }).get('x')).toEqual([1, 0]);
    expect(() => parsePolicyFile(kuhn, kuhnFile({ '0': [0.3333333, 0.6666666] }), { tree: kuhnTree })).not.toThrow();
    expect(() => parsePolicyFile(kuhn, kuhnFile({ '0': [0.333333, 0.666665] }), { tree: kuhnTree })).toThrow(/sum/);
  });

  test('loadPolicyFile reads a file; a missing file is policy/malformed naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const path = join(dir, 'kuhn.json');
    writeFileSync(path, policyToJson(firstLegalPolicy(kuhnTree)));
    expect(nashConv(kuhnTree, loadPolicyFile(kuhn, path)).nashConv).toBeCloseTo(2, 12);
    const missing = join(dir, 'nope.json');
    const e = thrown(() => loadPolicyFile(kuhn, missing));
    expect(e.code).toBe('policy/malformed');
    expect(e.message).toMatch(new RegExp(`^cannot read ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    writeFileSync(path, '{');
    expect(thrown(() => loadPolicyFile(kuhn, path)).message).toMatch(/kuhn\.json: not valid JSON/);
  });
});

describe('PolicyTable', () => {
  test('rows are copied and checked for length; missing states are uniform over the legal actions', () => {
    const row = [0.1, 0.9];
    const table = new PolicyTable(2, [['a', row]]);
    row[0] = 5;
    expect(table.get('a')).toEqual([0.1, 0.9]);
    expect(() => table.set('b', [1])).toThrow(/row of 1/);
    expect(new PolicyTable(3).actionProbabilities('?', [1, 2])).toEqual([0, 0.5, 0.5]);
  });
});

describe('TabularPolicyAgent', () => {
  const view = (informationState: string, legalActions: number[]): SeatView<unknown, number> => ({
    game: kuhn as Game<unknown, number>,
    seat: 0,
    legalActions,
    step: 2,
    state: undefined,
    informationState,
    observationText: '',
    observationTensor: new Float32Array(0),
    timeLimitMs: undefined,
  });

  test('samples the policy with its seed, only legal actions, reproducibly', () => {
    const table = new PolicyTable(3, [['s', [0, 0.25, 0.75]]]);
    const draw = (seed: number): number[] => {
      const agent = new TabularPolicyAgent(table, seed, 'p.json');
      return Array.from({ length: 4000 }, () => agent.act(view('s', [0, 1, 2])));
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(a).not.toContain(0);
    expect(a.filter((x) => x === 2).length / a.length).toBeCloseTo(0.75, 1);
    expect(new TabularPolicyAgent(table, 1, 'p.json').name).toBe('policy:p.json');
  });

  test('a policy with no weight on any legal action is policy/malformed', () => {
    const agent = new TabularPolicyAgent(new PolicyTable(3, [['s', [1, 0, 0]]]), 1);
    expect(thrown(() => agent.act(view('s', [1, 2]))).code).toBe('policy/malformed');
  });
});
