import { loadGame } from '../environments/registry';
import { selectBackend, type Tf } from './backend';
import { nashConvOfPolicy } from './evaluate';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { PRESETS, runSelfPlay, SelfPlayTrainer } from './selfplay-loop';

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend({ prefer: 'wasm' })).tf;
});

const kuhn = loadGame('kuhn-poker');
/** The Kuhn preset with smaller batches, so that the test stays within a few seconds. */
const hyper = { ...PRESETS['kuhn-poker'], episodesPerUpdate: 256 };

describe('in-process self-play', () => {
  it('a short seeded Kuhn run lowers NashConv from 0.92 to below 0.5 within 12 updates', async () => {
    const result = await runSelfPlay({
      tf,
      game: kuhn,
      hyper,
      seed: 1,
      maxUpdates: 12,
      evalEvery: 4,
      evaluate: (s) => ({ nashConv: nashConvOfPolicy(kuhn, s.policy).nashConv }),
    });
    const curve = result.curve.map((r) => r.nashConv!);
    expect(result.curve.map((r) => r.updates)).toEqual([0, 4, 8, 12]);
    expect(curve[0]).toBeGreaterThan(0.9);
    expect(curve[0]).toBeLessThan(0.93);
    expect(Math.min(...curve.slice(1))).toBeLessThan(0.5);
    expect(curve[curve.length - 1]).toBeLessThan(0.5);
    // Every update used 256 matches; in latest-vs-latest matches both seats learn.
    expect(result.curve[3]!.episodes).toBe(12 * 256);
    expect(result.curve[3]!.samples).toBeGreaterThan(12 * 256 * 1.5);
  });

  it('is deterministic per seed (same snapshots), different across seeds, and publishes snapshots as configured', async () => {
    const run = async (seed: number): Promise<Uint8Array[]> => {
      const t = new SelfPlayTrainer({ tf, game: kuhn, hyper: { ...hyper, episodesPerUpdate: 64, snapshotEvery: 2 }, seed });
      const published: Uint8Array[] = [t.latest.blob];
      for (let i = 0; i < 4; i++) {
        const r = await t.step();
        expect(r.published !== undefined).toBe(i % 2 === 1);
        if (r.published) published.push(r.published.blob);
      }
      expect(t.latest.id).toBe('learner@2');
      t.dispose();
      return published;
    };
    const a = await run(3);
    expect(a.length).toBe(3);
    expect(await run(3)).toEqual(a);
    expect((await run(4))[2]).not.toEqual(a[2]);
  });

  it('resumes from a checkpoint exactly: the restored trainer continues with identical weights', async () => {
    const h = { ...hyper, episodesPerUpdate: 64, pastOpponentRate: 0 };
    const a = new SelfPlayTrainer({ tf, game: kuhn, hyper: h, seed: 5 });
    await a.step();
    await a.step();
    const cp = decodeCheckpoint(encodeCheckpoint(a.checkpoint()));
    await a.step();
    await a.step();
    const b = new SelfPlayTrainer({ tf, game: kuhn, hyper: h, seed: 5 });
    b.restore(cp);
    expect(b.updates).toBe(2);
    expect(b.episodes).toBe(128);
    await b.step();
    await b.step();
    expect(b.model.getWeights()).toEqual(a.model.getWeights());
    expect(b.baselines.toJSON()).toEqual(a.baselines.toJSON());
    a.dispose();
    b.dispose();
  });
});
