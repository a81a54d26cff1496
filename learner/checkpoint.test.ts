import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint, type LearnerCheckpoint } from './checkpoint';

const cp: LearnerCheckpoint = {
  model: Uint8Array.from([1, 2, 3, 4, 5]),
  trainer: { step: 12, updates: 3, m: [Float32Array.from([0.5, -1e-7]), Float32Array.from([3])], v: [Float32Array.from([1e-9, 2]), Float32Array.from([0])] },
  baselines: { decay: 0.95, values: { 'kuhn-poker|seat0': -0.125 } },
  extra: { cursor: 42, snapshots: ['a', 'b'] },
};

describe('learner checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips every field exactly (odd-sized sections are padded)', () => {
    const back = decodeCheckpoint(encodeCheckpoint(cp));
    expect(back).toEqual(cp);
  });

  it('saves atomically and loads back; a missing file is undefined, a foreign one an error', () => {
    const path = join(dir, 'learner.ckpt');
    expect(loadCheckpoint(path)).toBeUndefined();
    saveCheckpoint(path, cp);
    saveCheckpoint(path, { ...cp, extra: { cursor: 43 } });
    expect(loadCheckpoint(path)!.extra).toEqual({ cursor: 43 });
    // Only the checkpoint itself is left (no temporary files).
    expect(readdirSync(dir)).toEqual(['learner.ckpt']);
    writeFileSync(join(dir, 'other'), 'hello world, not a checkpoint');
    expect(() => loadCheckpoint(join(dir, 'other'))).toThrow(/not a checkpoint/);
  });
});
