import { ArenaError } from '../environments/core/errors';
import { decodeMlpSnapshot, encodeMlpSnapshot, parameterCount, weightLayout, type ModelSpec } from './mlp-snapshot';

const spec: ModelSpec = { inputSize: 3, numActions: 2, hidden: [4, 5], activation: 'tanh', torso: 'separate' };

function weightsFor(s: ModelSpec): Float32Array[] {
  let k = 0;
  return weightLayout(s).map((t) => Float32Array.from({ length: t.shape.reduce((a, b) => a * b, 1) }, () => Math.fround(Math.sin(++k) * 3)));
}

const expectMalformed = (f: () => unknown, text: RegExp): void => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ArenaError);
    expect((e as ArenaError).code).toBe('policy/malformed');
    expect((e as ArenaError).message).toMatch(text);
    return;
  }
  throw new Error('expected policy/malformed');
};

describe('mlp snapshot format', () => {
  it('lays out separate and shared torsos in the documented order', () => {
    expect(weightLayout(spec).map((t) => `${t.name}[${t.shape.join('x')}]`)).toEqual([
      'policy.0/kernel[3x4]', 'policy.0/bias[4]', 'policy.1/kernel[4x5]', 'policy.1/bias[5]', 'policy/kernel[5x2]', 'policy/bias[2]',
      'value.0/kernel[3x4]', 'value.0/bias[4]', 'value.1/kernel[4x5]', 'value.1/bias[5]', 'value/kernel[5x1]', 'value/bias[1]',
    ]);
    const shared = { ...spec, torso: 'shared' as const };
    expect(weightLayout(shared).map((t) => t.name)).toEqual([
      'torso.0/kernel', 'torso.0/bias', 'torso.1/kernel', 'torso.1/bias', 'policy/kernel', 'policy/bias', 'value/kernel', 'value/bias',
    ]);
    // 2 * (3*4+4 + 4*5+5) + (5*2+2) + (5*1+1)
    expect(parameterCount(spec)).toBe(2 * 41 + 12 + 6);
    expect(parameterCount(shared)).toBe(41 + 12 + 6);
    expect(parameterCount({ ...spec, hidden: [] })).toBe(3 * 2 + 2 + 3 + 1);
  });

  it('round-trips weights bit for bit with metadata, and the size is header + 4 bytes per parameter', () => {
    const weights = weightsFor(spec);
    const meta = { game: { id: 'kuhn-poker', version: 1 }, updates: 7 };
    const blob = encodeMlpSnapshot({ spec, weights, meta });
    expect(new TextDecoder().decode(blob.subarray(0, 8))).toBe('ARENAMLP');
    const headerLength = new DataView(blob.buffer).getUint32(12, true);
    expect(blob.length).toBe(((16 + headerLength + 3) & ~3) + 4 * parameterCount(spec));
    const back = decodeMlpSnapshot(blob);
    expect(back.spec).toEqual(spec);
    expect(back.meta).toEqual(meta);
    expect(back.weights).toEqual(weights);
    // A view into a larger buffer decodes the same (byteOffset honoured).
    const padded = new Uint8Array(blob.length + 5);
    padded.set(blob, 5);
    expect(decodeMlpSnapshot(padded.subarray(5)).weights).toEqual(weights);
  });

  it('refuses malformed blobs with policy/malformed', () => {
    const blob = encodeMlpSnapshot({ spec, weights: weightsFor(spec), meta: {} });
    expectMalformed(() => decodeMlpSnapshot(blob.subarray(0, 10)), /too short/);
    const badMagic = blob.slice();
    badMagic[0] = 0x58;
    expectMalformed(() => decodeMlpSnapshot(badMagic), /magic/);
    const badVersion = blob.slice();
    new DataView(badVersion.buffer).setUint32(8, 2, true);
    expectMalformed(() => decodeMlpSnapshot(badVersion), /format version 2/);
    expectMalformed(() => decodeMlpSnapshot(blob.subarray(0, blob.length - 4)), /expected \d+ bytes/);
    expectMalformed(() => encodeMlpSnapshot({ spec, weights: weightsFor(spec).slice(1), meta: {} }), /weight tensors/);
  });
});
