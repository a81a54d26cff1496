/**
 * A faster BatchMatMul for the tfjs wasm backend. Its kernel runs products with transposeA/transposeB on a slow
 * path (10-15x slower than the plain one), and every backward pass of a dense layer uses them (dW = x^T dy,
 * dx = dy W^T). Re-registering the kernel so that it transposes its inputs explicitly (the wasm Transpose kernel)
 * and then calls the original kernel without transposes made a PPO step 5.7x faster in our measurements
 * (shared/STACK.md), with results equal to the cpu backend within float rounding.
 */
import type { Tf } from './backend';

const patched = new WeakSet<object>();

/**
 * Replaces the wasm backend's BatchMatMul kernel in `tf`'s registry (idempotent). Call after the wasm backend is
 * registered (importing @tensorflow/tfjs-backend-wasm); returns false when there is no wasm kernel to patch.
 */
export function patchWasmBatchMatMul(tf: Tf): boolean {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (!original || !transposeKernel) return false;
  if (patched.has(original)) return true;
  type Info = import('@tensorflow/tfjs').TensorInfo;
  const kernelFunc: typeof original.kernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const transposeA = (attrs as { transposeA?: boolean } | undefined)?.transposeA === true;
    const transposeB = (attrs as { transposeB?: boolean } | undefined)?.transposeB === true;
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const { a, b } = inputs as { a: Info; b: Info };
    const swapLast = (x: Info): Info => {
      const perm = x.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
      return transposeKernel.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as Info;
    };
    const ta = transposeA ? swapLast(a) : a;
    const tb = transposeB ? swapLast(b) : b;
    try {
      return original.kernelFunc({ inputs: { a: ta, b: tb }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      // The transposed copies are kernel-internal: free them here (the engine only tracks the output).
      const owner = backend as unknown as { disposeData(id: object): void };
      if (ta !== a) owner.disposeData(ta.dataId);
      if (tb !== b) owner.disposeData(tb.dataId);
    }
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  const config = { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc, ...(original.setupFunc ? { setupFunc: original.setupFunc } : {}) };
  tf.registerKernel(config);
  const replaced = tf.getKernel('BatchMatMul', 'wasm');
  if (replaced) patched.add(replaced);
  return true;
}
