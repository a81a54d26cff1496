import { PairingQueue, queueKey } from './queue';

describe('PairingQueue', () => {
  it('pairs first come, first served per key', () => {
    const q = new PairingQueue<string>();
    const k = queueKey('kuhn-poker');
    expect(q.join(k, 'a')).toBe(true);
    expect(q.join(k, 'a')).toBe(false);
    expect(q.take(k, 2)).toBeNull();
    q.join(k, 'b');
    q.join(k, 'c');
    expect(q.take(k, 2)).toEqual(['a', 'b']);
    expect(q.size(k)).toBe(1);
  });
  it('leaves one game or all, and keys ignore parameter order', () => {
    const q = new PairingQueue<string>();
    q.join(queueKey('g', { a: 1, b: 2 }), 'x');
    q.join(queueKey('h'), 'x');
    expect(queueKey('g', { b: 2, a: 1 })).toBe(queueKey('g', { a: 1, b: 2 }));
    expect(q.leave('x', 'g')).toBe(true);
    expect(q.size()).toBe(1);
    expect(q.leave('x')).toBe(true);
    expect(q.leave('x')).toBe(false);
    expect(q.size()).toBe(0);
  });
});
