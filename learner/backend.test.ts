import { createRequire } from 'node:module';
import { selectBackend } from './backend';

/** Whether a native tfjs package is installed (never on our machines; possible on a CUDA host). */
const nativeInstalled = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((p) => {
  try {
    createRequire(__filename).resolve(p);
    return true;
  } catch {
    return false;
  }
});
const withoutNative = nativeInstalled ? describe.skip : describe;

withoutNative('selectBackend (no native tfjs installed)', () => {
  it('auto: tries the native packages (absent here), then takes wasm, and logs the choice', async () => {
    const lines: [string, object | undefined][] = [];
    const { name, tf } = await selectBackend({ prefer: 'auto', log: (msg, fields) => lines.push([msg, fields]) });
    expect(name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toContainEqual(['learner backend selected', { backend: 'wasm', simd: expect.any(Boolean) }]);
    // A working backend: a small product on it.
    expect(Array.from(tf.matMul(tf.tensor2d([1, 2], [1, 2]), tf.tensor2d([3, 4], [2, 1])).dataSync())).toEqual([11]);
  });

  it('a named backend is taken when available; tensorflow falls back (logged) when tfjs-node is not installed', async () => {
    expect((await selectBackend({ prefer: 'cpu' })).name).toBe('cpu');
    const lines: string[] = [];
    const r = await selectBackend({ prefer: 'tensorflow', log: (msg) => lines.push(msg) });
    expect(r.name).toBe('wasm');
    expect(lines[0]).toMatch(/no native tfjs package installed/);
  });
});
