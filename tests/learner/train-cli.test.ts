/**
 * `arena train` end to end: two processes (actors and learner) on one store, a learning curve that goes down,
 * the CSV and the plot on disk; and the learner commands' one-line usage errors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arena, arenaJson, ROOT } from '../cli/run-cli';

describe('arena train / learn (needs `npm run build`)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arena-train-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains Kuhn self-play for 25 s: NashConv of the latest snapshot falls well below uniform (0.917)', () => {
    const data = join(dir, 'kuhn');
    const out = arenaJson<{ scenario: string; updates: number; curve: string; plot: string; last: { nashConv: number } | null }>([
      'train',
      '--scenario',
      join(ROOT, 'scenarios', 'kuhn-selfplay.yaml'),
      '--data',
      data,
      '--seconds',
      '25',
    ]);
    expect(out.scenario).toBe('kuhn-selfplay');
    const rows = readFileSync(out.curve, 'utf8').trim().split('\n');
    // The curve goes into the failure message: on a loaded machine it says whether learning was slow or wrong.
    const context = `${out.updates} updates; curve:\n${rows.join('\n')}`;
    if (out.updates < 10) throw new Error(`expected >= 10 updates in 25 s, got ${context}`);
    expect(rows[0]).toBe('seconds,updates,samples,nashConv');
    const nashConv = rows.slice(1).map((r) => Number(r.split(',')[3]));
    expect(nashConv.length).toBeGreaterThanOrEqual(2);
    // Uniform random play is 0.917; the first snapshots already improve on it and the best is far below.
    if (!(Math.min(...nashConv) < 0.6 && out.last!.nashConv < 0.917)) throw new Error(`expected NashConv below 0.6 at best and below 0.917 at the end, got ${context}`);
    expect(readFileSync(out.plot, 'utf8')).toContain('<svg');
    expect(existsSync(join(data, 'arena.db'))).toBe(true);
  }, 120_000);

  it('refuses a scenario without a learner section and a bad backend, with one line and exit code 2', () => {
    const none = arena(['learn', '--scenario', join(ROOT, 'scenarios', 'tic-tac-toe-smoke.yaml'), '--data', join(dir, 'x')]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toMatch(/^arena: .*no learner section/);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    const backend = arena(['learn', '--scenario', join(ROOT, 'scenarios', 'kuhn-selfplay.yaml'), '--data', join(dir, 'y'), '--backend', 'tpu']);
    expect(backend.code).toBe(2);
    expect(backend.stderr).toContain('--backend must be auto, tensorflow, wasm or cpu');
  });
});
