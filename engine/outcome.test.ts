import { loadGame } from '../environments/registry';
import { forfeitReturns, seatOutcome } from './outcome';

describe('seatOutcome', () => {
  it('wins, draws and losses by return', () => {
    expect(seatOutcome([1, -1], 0)).toBe('win');
    expect(seatOutcome([1, -1], 1)).toBe('loss');
    expect(seatOutcome([0, 0], 1)).toBe('draw');
    expect(seatOutcome([2, 2, -4], 0)).toBe('win');
    expect(seatOutcome([2, 2, -4], 2)).toBe('loss');
  });
});

describe('forfeitReturns', () => {
  it('gives the forfeiting seat the minimum utility and keeps zero-sum games zero-sum', () => {
    const leduc = loadGame('leduc-poker');
    const r = forfeitReturns(leduc, leduc.init(0), 1);
    expect(r).toEqual([13, -13]);
    expect(r[0]! + r[1]!).toBe(0);
  });
});
