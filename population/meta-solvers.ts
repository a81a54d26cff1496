/**
 * Meta-solvers for PSRO (OpenSpiel psro_v2's `uniform` and `nash` for two-player zero-sum meta-games): given the
 * empirical payoff matrix between two populations, a probability distribution over each population.
 *
 * The `nash` solver solves the matrix game exactly by linear programming (a dense simplex tableau with Bland's
 * rule, so degenerate meta-games, such as populations holding the same policy twice, cannot cycle). The result is
 * exact up to floating-point rounding: the returned `gap` (how much either side could gain by deviating to a
 * pure strategy of the matrix game) is typically below 1e-12 for the matrices PSRO produces (entries of order
 * 1-10, a few dozen rows), and `solveMatrixGame` throws if it exceeds `tolerance` (default 1e-9).
 */

/** A meta-solver: the payoff matrix of player 0 (rows: population 0, columns: population 1) -> weights. */
export type MetaSolver = (payoffs: readonly (readonly number[])[]) => MetaStrategies;

export interface MetaStrategies {
  /** Distribution over population 0 (the rows). */
  readonly row: number[];
  /** Distribution over population 1 (the columns). */
  readonly col: number[];
}

export interface MatrixGameSolution extends MetaStrategies {
  /** Expected payoff of the row player under (row, col): the value of the game. */
  readonly value: number;
  /**
   * max_i (A col)_i - min_j (row^T A)_j >= 0: the sum of both players' gains from their best pure deviations
   * (the NashConv of the matrix game); 0 at an exact equilibrium.
   */
  readonly gap: number;
}

export interface SolveMatrixOptions {
  /** Throw when the solution's `gap` exceeds this (default 1e-9). */
  readonly tolerance?: number;
  /** Pivot limit (default 50 * (rows + columns) + 1000). */
  readonly maxPivots?: number;
}

function shape(a: readonly (readonly number[])[]): [number, number] {
  const m = a.length;
  const n = a[0]?.length ?? 0;
  if (m === 0 || n === 0) throw new Error('matrix game: empty payoff matrix');
  for (const row of a) {
    if (row.length !== n) throw new Error(`matrix game: ragged payoff matrix (rows of ${n} and ${row.length})`);
    for (const x of row) if (!Number.isFinite(x)) throw new Error(`matrix game: payoff ${x} is not finite`);
  }
  return [m, n];
}

/** Clips tiny negatives from rounding and rescales to sum 1. */
function normalise(v: Float64Array | number[]): number[] {
  const out = Array.from(v, (x) => (x > 0 ? x : 0));
  const sum = out.reduce((s, x) => s + x, 0);
  if (!(sum > 0)) throw new Error('matrix game: degenerate solution (all weights 0)');
  return out.map((x) => x / sum);
}

/** The gap (see MatrixGameSolution.gap) and value of a strategy pair in the game `a` (row player maximises). */
export function matrixGameGap(
  a: readonly (readonly number[])[],
  row: readonly number[],
  col: readonly number[],
): { value: number; gap: number } {
  const [m, n] = shape(a);
  let bestRow = -Infinity;
  let value = 0;
  const colPayoff = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const ai = a[i] as readonly number[];
    const xi = row[i] as number;
    let r = 0;
    for (let j = 0; j < n; j++) {
      const aij = ai[j] as number;
      r += aij * (col[j] as number);
      colPayoff[j] = (colPayoff[j] as number) + xi * aij;
    }
    value += xi * r;
    if (r > bestRow) bestRow = r;
  }
  let worstCol = Infinity;
  for (let j = 0; j < n; j++) if ((colPayoff[j] as number) < worstCol) worstCol = colPayoff[j] as number;
  return { value, gap: bestRow - worstCol };
}

/**
 * A Nash equilibrium (maximin / minimax strategies) of the two-player zero-sum matrix game `a`, where the row
 * player receives a[i][j] and the column player -a[i][j].
 *
 * Method: shift the matrix to B = a + c with every entry >= 1 (value v_B = v + c >= 1 > 0) and solve the column
 * player's LP  max 1'q  s.t.  B q <= 1, q >= 0  with the simplex method (slack basis, Bland's rule). At the optimum
 * 1'q = 1/v_B and col = q v_B; the row player's strategy is the dual solution p (the objective row's slack
 * entries in the final tableau), row = p v_B.
 */
export function solveMatrixGame(a: readonly (readonly number[])[], options: SolveMatrixOptions = {}): MatrixGameSolution {
  const [m, n] = shape(a);
  let min = Infinity;
  for (const r of a) for (const x of r) if (x < min) min = x;
  const shift = 1 - min;
  // Tableau: m constraint rows [B | I | 1] and the objective row [-1 .. -1 | 0 .. 0 | 0]; columns 0..n-1 are q,
  // n..n+m-1 the slacks, n+m the right-hand side.
  const width = n + m + 1;
  const rhsCol = n + m;
  const t: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const r = new Float64Array(width);
    const ai = a[i] as readonly number[];
    for (let j = 0; j < n; j++) r[j] = (ai[j] as number) + shift;
    r[n + i] = 1;
    r[rhsCol] = 1;
    t.push(r);
  }
  const obj = new Float64Array(width);
  for (let j = 0; j < n; j++) obj[j] = -1;
  const basis = Int32Array.from({ length: m }, (_, i) => n + i);
  const eps = 1e-12;
  const maxPivots = options.maxPivots ?? 50 * (m + n) + 1000;

  for (let pivots = 0; ; pivots++) {
    if (pivots > maxPivots) throw new Error(`matrix game: simplex did not finish in ${maxPivots} pivots`);
    // Bland's rule: the lowest-index column with a negative reduced cost enters ...
    let enter = -1;
    for (let j = 0; j < n + m; j++) {
      if ((obj[j] as number) < -eps) {
        enter = j;
        break;
      }
    }
    if (enter < 0) break;
    // ... and, among the rows attaining the minimum ratio, the one whose basic variable has the lowest index leaves.
    let leave = -1;
    let bestRatio = Infinity;
    for (let i = 0; i < m; i++) {
      const ti = t[i] as Float64Array;
      const coef = ti[enter] as number;
      if (coef <= eps) continue;
      const ratio = (ti[rhsCol] as number) / coef;
      if (
        ratio < bestRatio - 1e-14 ||
        (Math.abs(ratio - bestRatio) <= 1e-14 && leave >= 0 && (basis[i] as number) < (basis[leave] as number))
      ) {
        bestRatio = ratio;
        leave = i;
      }
    }
    // B > 0 and b = 1 keep the LP bounded (every q_j <= 1), so an entering column always has a positive entry.
    if (leave < 0) throw new Error('matrix game: simplex found an unbounded direction (numerical trouble)');
    const pr = t[leave] as Float64Array;
    const pv = pr[enter] as number;
    for (let j = 0; j < width; j++) pr[j] = (pr[j] as number) / pv;
    const eliminate = (r: Float64Array): void => {
      const f = r[enter] as number;
      if (f === 0) return;
      for (let j = 0; j < width; j++) r[j] = (r[j] as number) - f * (pr[j] as number);
      r[enter] = 0;
    };
    for (let i = 0; i < m; i++) if (i !== leave) eliminate(t[i] as Float64Array);
    eliminate(obj);
    basis[leave] = enter;
  }

  const q = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const b = basis[i] as number;
    if (b < n) q[b] = (t[i] as Float64Array)[rhsCol] as number;
  }
  const p = new Float64Array(m);
  for (let i = 0; i < m; i++) p[i] = obj[n + i] as number;
  const col = normalise(q);
  const row = normalise(p);
  const { value, gap } = matrixGameGap(a, row, col);
  const tolerance = options.tolerance ?? 1e-9;
  if (!(gap <= tolerance)) throw new Error(`matrix game: LP solution has gap ${gap}, above the tolerance ${tolerance}`);
  return { row, col, value, gap };
}

/** OpenSpiel's `uniform` meta-solver: every population member equally likely (PSRO with it is fictitious play). */
export const uniformMetaSolver: MetaSolver = (payoffs) => {
  const [m, n] = shape(payoffs);
  return { row: new Array<number>(m).fill(1 / m), col: new Array<number>(n).fill(1 / n) };
};

/** OpenSpiel's `nash` meta-solver for two-player zero-sum meta-games: an exact LP equilibrium (solveMatrixGame). */
export const nashMetaSolver: MetaSolver = (payoffs) => {
  const { row, col } = solveMatrixGame(payoffs);
  return { row, col };
};

export type MetaSolverName = 'uniform' | 'nash';

export const META_SOLVERS: Readonly<Record<MetaSolverName, MetaSolver>> = {
  uniform: uniformMetaSolver,
  nash: nashMetaSolver,
};
