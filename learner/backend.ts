/**
 * Chooses the TensorFlow.js backend at learner start-up, fastest first, and logs the choice:
 *   1. `@tensorflow/tfjs-node-gpu` (CUDA), 2. `@tensorflow/tfjs-node` (native CPU) - both loaded only when
 *      installed (they cannot be installed on our machines: their install script downloads libtensorflow);
 *   3. the wasm backend with the BatchMatMul fix (learner/wasm-batchmatmul.ts), binaries from
 *      node_modules/@tensorflow/tfjs-backend-wasm/dist;
 *   4. the plain JavaScript cpu backend.
 * The native packages bring their own tfjs namespace, so the learner uses the `tf` returned here everywhere
 * instead of importing @tensorflow/tfjs itself.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { patchWasmBatchMatMul } from './wasm-batchmatmul';

export type Tf = typeof tfjs;
export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendLog = (msg: string, fields?: object) => void;

export interface SelectedBackend {
  /** tfjs backend name: 'tensorflow' (tfjs-node or tfjs-node-gpu), 'wasm' or 'cpu'. */
  readonly name: string;
  /** The tfjs namespace whose engine runs on that backend. */
  readonly tf: Tf;
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
const localRequire = createRequire(__filename);

/** Loads an optional native tfjs package if it is installed; undefined (and a log line) otherwise. */
function loadNative(pkg: string, log: BackendLog): Tf | undefined {
  try {
    localRequire.resolve(pkg);
  } catch {
    return undefined;
  }
  try {
    return localRequire(pkg) as Tf;
  } catch (error) {
    log('learner backend: native package failed to load', { package: pkg, error: String(error) });
    return undefined;
  }
}

let wasmPathsSet = false;

async function tryWasm(log: BackendLog): Promise<boolean> {
  try {
    if (!wasmPathsSet) {
      // The binaries sit beside the package's entry point; point the loader there explicitly.
      const dist = dirname(localRequire.resolve('@tensorflow/tfjs-backend-wasm'));
      setWasmPaths(join(dist, '/'));
      wasmPathsSet = true;
    }
    if (!(await tfjs.setBackend('wasm'))) return false;
    await tfjs.ready();
    patchWasmBatchMatMul(tfjs);
    return true;
  } catch (error) {
    log('learner backend: wasm failed to start', { error: String(error) });
    return false;
  }
}

/**
 * Selects and initialises a backend. `prefer` 'auto' tries the order of the module comment; a named preference
 * tries that backend first and falls back along the same order when it is unavailable. Each fallback and the
 * final choice are logged.
 */
export async function selectBackend(opts: { prefer?: BackendPreference; log?: BackendLog } = {}): Promise<SelectedBackend> {
  const log: BackendLog = opts.log ?? (() => {});
  const prefer = opts.prefer ?? 'auto';
  const order: BackendPreference[] =
    prefer === 'cpu' ? ['cpu'] : prefer === 'wasm' ? ['wasm', 'cpu'] : ['tensorflow', 'wasm', 'cpu'];
  for (const kind of order) {
    if (kind === 'tensorflow') {
      for (const pkg of NATIVE_PACKAGES) {
        const tf = loadNative(pkg, log);
        if (!tf) continue;
        if (await tf.setBackend('tensorflow')) {
          await tf.ready();
          log('learner backend selected', { backend: 'tensorflow', package: pkg });
          return { name: 'tensorflow', tf };
        }
      }
      if (prefer === 'tensorflow') log('learner backend: no native tfjs package installed, falling back', {});
    } else if (kind === 'wasm') {
      if (await tryWasm(log)) {
        log('learner backend selected', { backend: 'wasm', simd: tfjs.env().getBool('WASM_HAS_SIMD_SUPPORT') });
        return { name: 'wasm', tf: tfjs };
      }
    } else {
      await tfjs.setBackend('cpu');
      await tfjs.ready();
      // The cpu backend prints a "install tfjs-node" banner on first use; the choice is logged here instead.
      (tfjs.backend() as { firstUse?: boolean }).firstUse = false;
      log('learner backend selected', { backend: 'cpu' });
      return { name: 'cpu', tf: tfjs };
    }
  }
  throw new Error('unreachable: the cpu backend is always available');
}
