import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArenaError } from '../environments/core/errors';
import { loadGame } from '../environments/registry';
import { createAgent, splitAgentList } from './registry';

const KUHN_KEYS = ['0', '1', '2', '0p', '1p', '2p', '0b', '1b', '2b', '0pb', '1pb', '2pb'];

describe('agent specs', () => {
  it('splits agent lists whose parameters also use commas', () => {
    expect(splitAgentList('mcts:simulations=400,c=2,random,policy:a.json')).toEqual(['mcts:simulations=400,c=2', 'random', 'policy:a.json']);
  });

  it('policy files are validated once per file version: a rewritten file is read again', () => {
    const game = loadGame('kuhn-poker');
    const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'p.json');
    writeFileSync(file, JSON.stringify(Object.fromEntries(KUHN_KEYS.map((k) => [k, [0.5, 0.5]]))));
    expect(createAgent(`policy:${file}`, { game, seed: 1 }).name).toBe(`policy:${file}`);
    expect(createAgent(`policy:${file}`, { game, seed: 2 }).name).toBe(`policy:${file}`);
    // Same file, new content (different size, so a new version even within the mtime resolution): must be re-validated.
    writeFileSync(file, JSON.stringify({ '0': [0.5, 0.5] }));
    expect(() => createAgent(`policy:${file}`, { game, seed: 3 })).toThrow(ArenaError);
    expect(() => createAgent(`policy:${file}`, { game, seed: 3 })).toThrow(/missing information state/);
  });
});
