import { Rng } from '../environments/core/rng';
import { matrixGameGap, nashMetaSolver, solveMatrixGame, uniformMetaSolver } from './meta-solvers';

function expectClose(actual: readonly number[], expected: readonly number[], digits = 9): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((x, i) => expect(actual[i]).toBeCloseTo(x, digits));
}

describe('solveMatrixGame (simplex LP)', () => {
  test('matching pennies: value 0, both (1/2, 1/2)', () => {
    const s = solveMatrixGame([
      [1, -1],
      [-1, 1],
    ]);
    expect(s.value).toBeCloseTo(0, 12);
    expectClose(s.row, [0.5, 0.5]);
    expectClose(s.col, [0.5, 0.5]);
    expect(s.gap).toBeLessThan(1e-12);
  });

  test('rock-paper-scissors: value 0, uniform', () => {
    const s = solveMatrixGame([
      [0, -1, 1],
      [1, 0, -1],
      [-1, 1, 0],
    ]);
    expect(s.value).toBeCloseTo(0, 12);
    expectClose(s.row, [1 / 3, 1 / 3, 1 / 3]);
    expectClose(s.col, [1 / 3, 1 / 3, 1 / 3]);
  });

  test('weighted rock-paper-scissors (scissors beats paper by 2): (1/4, 1/2, 1/4)', () => {
    const a = [
      [0, -1, 2],
      [1, 0, -1],
      [-2, 1, 0],
    ];
    const s = solveMatrixGame(a);
    expect(s.value).toBeCloseTo(0, 12);
    expectClose(s.row, [0.25, 0.5, 0.25]);
    expectClose(s.col, [0.25, 0.5, 0.25]);
  });

  test('2x3 game [[1,3,-1],[2,-2,1]]: value 1/7, row (3/7, 4/7), column (0, 2/7, 5/7)', () => {
    // Row player p = P(row 0): columns pay 2 - p, 5p - 2, 1 - 2p; the lower envelope peaks where 5p - 2 = 1 - 2p.
    const s = solveMatrixGame([
      [1, 3, -1],
      [2, -2, 1],
    ]);
    expect(s.value).toBeCloseTo(1 / 7, 12);
    expectClose(s.row, [3 / 7, 4 / 7]);
    expectClose(s.col, [0, 2 / 7, 5 / 7]);
  });

  test('saddle point and 1x1', () => {
    const s = solveMatrixGame([
      [4, 2, 5],
      [3, 1, 0],
    ]);
    expect(s.value).toBeCloseTo(2, 12);
    expectClose(s.row, [1, 0]);
    expectClose(s.col, [0, 1, 0]);
    const one = solveMatrixGame([[-3.5]]);
    expect(one).toEqual({ row: [1], col: [1], value: -3.5, gap: 0 });
  });

  test('degenerate: duplicated rows and columns (as in PSRO populations) do not cycle', () => {
    const a = [
      [1, -1, -1, 1],
      [-1, 1, 1, -1],
      [1, -1, -1, 1],
      [-1, 1, 1, -1],
      [0, 0, 0, 0],
    ];
    const s = solveMatrixGame(a);
    expect(s.value).toBeCloseTo(0, 12);
    expect(s.gap).toBeLessThan(1e-12);
    expect((s.row[0] as number) + (s.row[2] as number)).toBeCloseTo((s.row[1] as number) + (s.row[3] as number), 12);
  });

  test('random matrices up to 60x45: an exact equilibrium (gap < 1e-10), value invariant to shift and scale', () => {
    const rng = Rng.fromSeed(7);
    for (const [m, n] of [[2, 2], [3, 7], [10, 10], [25, 8], [60, 45]] as const) {
      const a = Array.from({ length: m }, () => Array.from({ length: n }, () => rng.float() * 10 - 5));
      const s = solveMatrixGame(a);
      expect(s.gap).toBeGreaterThanOrEqual(-1e-12);
      expect(s.gap).toBeLessThan(1e-10);
      expect(s.row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
      expect(Math.min(...s.row, ...s.col)).toBeGreaterThanOrEqual(0);
      const t = solveMatrixGame(a.map((r) => r.map((x) => 3 * x + 100)));
      expect(t.value).toBeCloseTo(3 * s.value + 100, 8);
      // The transpose with signs flipped swaps the roles: value -v.
      const tr = Array.from({ length: n }, (_, j) => a.map((r) => -(r[j] as number)));
      expect(solveMatrixGame(tr).value).toBeCloseTo(-s.value, 9);
    }
  });

  test('matrixGameGap measures deviations; bad input is rejected', () => {
    const pennies = [
      [1, -1],
      [-1, 1],
    ];
    expect(matrixGameGap(pennies, [1, 0], [1, 0])).toEqual({ value: 1, gap: 2 });
    expect(() => solveMatrixGame([])).toThrow(/empty/);
    expect(() => solveMatrixGame([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => solveMatrixGame([[NaN]])).toThrow(/finite/);
  });
});

describe('meta-solvers', () => {
  test('uniform and nash', () => {
    const a = [
      [1, 3, -1],
      [2, -2, 1],
    ];
    expect(uniformMetaSolver(a)).toEqual({ row: [0.5, 0.5], col: [1 / 3, 1 / 3, 1 / 3] });
    const nash = nashMetaSolver(a);
    expectClose(nash.row, [3 / 7, 4 / 7]);
    expectClose(nash.col, [0, 2 / 7, 5 / 7]);
  });
});
