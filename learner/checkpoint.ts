/**
 * Learner checkpoints: everything needed to resume training exactly (the model, the optimizer's Adam moments and
 * counters, the RAE baselines, and free JSON for the process: feed cursor, snapshot versions, ...), in one file
 * written atomically (temporary file in the same directory, fsync, rename, fsync of the directory), so a learner
 * killed at any moment finds either the previous checkpoint or the new one, never a torn file.
 *
 * File format, version 1 (little-endian): ASCII `ARENACKP`, uint32 version, uint32 header length H, H bytes of
 * UTF-8 JSON `{"trainer": {"step", "updates"}, "baselines", "extra", "sections": [{"name", "bytes"}]}`, then each
 * section's bytes in order, each starting at a multiple of 4. Sections: `model` (an agents/mlp-snapshot.ts blob),
 * then `adam.m.<i>` and `adam.v.<i>` (float32) per model variable.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Json } from '../environments/core/game';
import type { RoleBaselinesState } from './advantage';
import { writeFileAtomic } from './atomic-file';
import type { PpoTrainerState } from './ppo';

const MAGIC = 'ARENACKP';
const VERSION = 1;

export interface LearnerCheckpoint {
  /** The model as a snapshot blob (learner/model.ts serializeModel). */
  readonly model: Uint8Array;
  readonly trainer: PpoTrainerState;
  readonly baselines: RoleBaselinesState;
  /** The caller's own resume state (JSON). */
  readonly extra: Readonly<Record<string, Json>>;
}

const headerSchema = z.object({
  trainer: z.object({ step: z.number().int().nonnegative(), updates: z.number().int().nonnegative() }),
  baselines: z.object({ decay: z.number(), values: z.record(z.string(), z.number()) }),
  extra: z.record(z.string(), z.json()),
  sections: z.array(z.object({ name: z.string(), bytes: z.number().int().nonnegative() })),
});

const align4 = (n: number): number => (n + 3) & ~3;

function bytesOf(a: Float32Array): Uint8Array {
  // Copy into a fresh little-endian buffer (every platform Node runs on is little-endian; DataView keeps it explicit).
  const out = new Uint8Array(a.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(i * 4, a[i]!, true);
  return out;
}

function floatsOf(b: Uint8Array): Float32Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float32Array(b.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function encodeCheckpoint(cp: LearnerCheckpoint): Uint8Array {
  const sections: { name: string; data: Uint8Array }[] = [{ name: 'model', data: cp.model }];
  cp.trainer.m.forEach((m, i) => sections.push({ name: `adam.m.${i}`, data: bytesOf(m) }));
  cp.trainer.v.forEach((v, i) => sections.push({ name: `adam.v.${i}`, data: bytesOf(v) }));
  const header = new TextEncoder().encode(
    JSON.stringify({
      trainer: { step: cp.trainer.step, updates: cp.trainer.updates },
      baselines: cp.baselines,
      extra: cp.extra,
      sections: sections.map((s) => ({ name: s.name, bytes: s.data.length })),
    }),
  );
  let at = align4(16 + header.length);
  const offsets = sections.map((s) => {
    const o = at;
    at = align4(at + s.data.length);
    return o;
  });
  const out = new Uint8Array(at);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, header.length, true);
  out.set(header, 16);
  sections.forEach((s, i) => out.set(s.data, offsets[i]!));
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): LearnerCheckpoint {
  const bad = (why: string): Error => new Error(`learner checkpoint: ${why}`);
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw bad('not a checkpoint file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8, true) !== VERSION) throw bad(`format version ${view.getUint32(8, true)}`);
  const headerLength = view.getUint32(12, true);
  const header = headerSchema.parse(JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))));
  let at = align4(16 + headerLength);
  const data = new Map<string, Uint8Array>();
  for (const s of header.sections) {
    if (at + s.bytes > bytes.length) throw bad(`section ${s.name} runs past the end`);
    data.set(s.name, bytes.slice(at, at + s.bytes));
    at = align4(at + s.bytes);
  }
  const model = data.get('model');
  if (!model) throw bad('no model section');
  const moments = (kind: 'm' | 'v'): Float32Array[] => {
    const out: Float32Array[] = [];
    for (let i = 0; data.has(`adam.${kind}.${i}`); i++) out.push(floatsOf(data.get(`adam.${kind}.${i}`)!));
    return out;
  };
  return {
    model,
    trainer: { step: header.trainer.step, updates: header.trainer.updates, m: moments('m'), v: moments('v') },
    baselines: header.baselines,
    extra: header.extra as Record<string, Json>,
  };
}

/** Writes `cp` to `path` atomically (learner/atomic-file.ts). */
export function saveCheckpoint(path: string, cp: LearnerCheckpoint): void {
  writeFileAtomic(path, encodeCheckpoint(cp));
}

/** Reads a checkpoint written by saveCheckpoint; undefined when the file does not exist. */
export function loadCheckpoint(path: string): LearnerCheckpoint | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return decodeCheckpoint(bytes);
}
