/**
 * Batch Bradley-Terry fit for the published leaderboard (LMArena style), with bootstrap confidence intervals.
 *
 * Model: P(a beats b) = 1 / (1 + exp(theta_b - theta_a)), theta = log-strength (natural log).
 * Data: games `{ a, b, score }` with player indices in [0, players); score 1 = a wins, 0 = b wins, 0.5 = draw,
 * which counts as half a win for each side (any score in [0, 1] is allowed: a gets `score` wins and b gets
 * `1 - score` out of one game).
 *
 * Fit: maximum a posteriori by Newton's method with an Armijo backtracking line search on
 *
 *   sum over games [ s log sigma(theta_a - theta_b) + (1 - s) log sigma(theta_b - theta_a) ] - ridge/2 * |theta|^2
 *
 * i.e. a Gaussian prior theta_i ~ N(0, 1/ridge) (default ridge 0.01: prior sd 10, about 1700 Elo points, so it
 * barely moves players with a few dozen games). The ridge makes the objective strictly concave, so the optimum
 * is unique and finite even for a player who won (or lost) every game or for a disconnected set of players,
 * and at the optimum the gradient sums to -ridge * sum(theta), so the mean log-strength is 0 (re-centred
 * explicitly as well, against rounding). Games are aggregated per pair first, so one Newton step costs
 * O(pairs + players^3) whatever the number of games.
 *
 * Elo-like scale (as LMArena publishes): elo = 400 / ln(10) * theta + 1000, so 400 points = 10:1 odds and the
 * mean player is at 1000. The map is increasing, so bootstrap quantiles convert one to one.
 *
 * Bootstrap: resample the games with replacement (seeded `Rng`), refit, and take per-player quantiles
 * (1 - level)/2 and (1 + level)/2 (2.5% / 97.5% for level 0.95; linear interpolation between order
 * statistics). The point estimate is the fit on all games. Same games + same seed give identical output.
 */
import { Rng } from '../../environments/core/rng';

// Local bindings: a global lookup per call is slow inside vm contexts (jest runs tests in one).
const { abs, exp, floor, log1p, max, min, sqrt } = Math;

/** One game between players `a` and `b` (indices, a !== b); `score` is a's result in [0, 1] (0.5 = draw). */
export type BtGame = {
  /** Index of the first player, in [0, players). */
  readonly a: number;
  /** Index of the second player, in [0, players), different from `a`. */
  readonly b: number;
  /** a's result: 1 win, 0.5 draw, 0 loss (b gets 1 - score). */
  readonly score: number;
};

/** Options of `fitBradleyTerry`. */
export type BtFitOptions = {
  /** Number of players (default: 1 + the largest index in the games). Players without games get theta 0. */
  readonly players?: number;
  /** Strength of the Gaussian prior on theta (precision, > 0; default 0.01). */
  readonly ridge?: number;
  /** Stop when the largest Newton step is below this (default 1e-10). */
  readonly tolerance?: number;
  /** Give up after this many Newton steps (default 100). */
  readonly maxIterations?: number;
};

/** Result of `fitBradleyTerry`. */
export type BtFit = {
  /** Log-strength per player index, mean 0. */
  readonly theta: number[];
  /** Newton steps taken. */
  readonly iterations: number;
  /** Whether the step size fell below the tolerance within `maxIterations`. */
  readonly converged: boolean;
};

/** Options of `bootstrap`: the fit options plus the resampling plan. */
export type BtBootstrapOptions = BtFitOptions & {
  /** Seed of the resampling generator (required: every run must be reproducible). */
  readonly seed: number;
  /** Number of bootstrap resamples (default 1000). */
  readonly resamples?: number;
  /** Central interval mass (default 0.95: the 2.5% and 97.5% quantiles). */
  readonly level?: number;
};

/** One player's bootstrap summary, in theta (log-strength) units; apply `toEloScale` for the Elo-like scale. */
export type BtInterval = {
  /** Player index. */
  readonly player: number;
  /** Point estimate: theta from the fit on all games. */
  readonly theta: number;
  /** Lower quantile, (1 - level)/2, of the bootstrap thetas. */
  readonly lower: number;
  /** Upper quantile, (1 + level)/2, of the bootstrap thetas. */
  readonly upper: number;
};

/** Result of `bootstrap`. */
export type BtBootstrap = {
  /** The fit on all games (the point estimates). */
  readonly fit: BtFit;
  /** One entry per player index, in index order. */
  readonly intervals: BtInterval[];
  /** Number of resamples used. */
  readonly resamples: number;
  /** The interval level used. */
  readonly level: number;
};

/** Points per unit of theta on the Elo-like scale: 400 / ln(10). */
export const BT_ELO_PER_THETA = 400 / Math.LN10;

/** The Elo-like rating of a log-strength: 400 / ln(10) * theta + base (base 1000 = the mean player). */
export function toEloScale(theta: number, base = 1000): number {
  return BT_ELO_PER_THETA * theta + base;
}

/** Fits Bradley-Terry log-strengths to the games (see the file comment). Throws (caller bug) on invalid games. */
export function fitBradleyTerry(games: readonly BtGame[], options: BtFitOptions = {}): BtFit {
  const problem = Problem.from(games, options);
  problem.addAll();
  const theta = new Float64Array(problem.n);
  const { iterations, converged } = problem.solve(theta);
  return { theta: Array.from(theta), iterations, converged };
}

/**
 * Bootstrap intervals of the Bradley-Terry log-strengths (see the file comment). Deterministic given the
 * games and the seed. Throws (caller bug) on invalid games or options.
 */
export function bootstrap(games: readonly BtGame[], options: BtBootstrapOptions): BtBootstrap {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`bootstrap: bad resamples ${resamples}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be in (0, 1), got ${level}`);
  const problem = Problem.from(games, options);
  const n = problem.n;
  problem.addAll();
  const full = new Float64Array(n);
  const fitResult = problem.solve(full);
  const fit: BtFit = { theta: Array.from(full), ...fitResult };

  const rng = Rng.fromSeed(options.seed);
  const samples = new Float64Array(resamples * n);
  const theta = new Float64Array(n);
  const g = games.length;
  for (let r = 0; r < resamples; r++) {
    problem.clear();
    for (let k = 0; k < g; k++) problem.addGame(rng.int(g));
    theta.set(full); // warm start: resamples stay close to the full fit
    problem.solve(theta);
    samples.set(theta, r * n);
  }

  const column = new Float64Array(resamples);
  const lowQ = (1 - level) / 2;
  const highQ = (1 + level) / 2;
  const intervals: BtInterval[] = [];
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < resamples; r++) column[r] = samples[r * n + i] as number;
    column.sort();
    intervals.push({ player: i, theta: full[i] as number, lower: quantile(column, lowQ), upper: quantile(column, highQ) });
  }
  return { fit, intervals, resamples, level };
}

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = floor(h);
  const a = sorted[lo] as number;
  const b = sorted[min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** log(sigmoid(x)), stable for large |x|. */
function logSigmoid(x: number): number {
  return x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x));
}

/**
 * The penalized likelihood over pair-aggregated counts, with scratch space for Newton steps. Games are stored
 * as (pair cell, score of the lower index) so that a resample only adds counts.
 */
class Problem {
  private readonly count: Float64Array; // games per pair cell lo * n + hi
  private readonly wins: Float64Array; // wins of lo per pair cell
  private readonly hess: Float64Array; // n x n negative Hessian, then its Cholesky factor
  private readonly grad: Float64Array;
  private readonly step: Float64Array;
  private readonly trial: Float64Array;
  private readonly cells: Int32Array; // touched pair cells (list), to loop over pairs only
  private cellCount = 0;

  private constructor(
    readonly n: number,
    private readonly gameCell: Int32Array,
    private readonly gameScore: Float64Array,
    private readonly ridge: number,
    private readonly tolerance: number,
    private readonly maxIterations: number,
  ) {
    this.count = new Float64Array(n * n);
    this.wins = new Float64Array(n * n);
    this.hess = new Float64Array(n * n);
    this.grad = new Float64Array(n);
    this.step = new Float64Array(n);
    this.trial = new Float64Array(n);
    this.cells = new Int32Array(n * n);
  }

  static from(games: readonly BtGame[], options: BtFitOptions): Problem {
    let maxIndex = -1;
    for (const game of games) maxIndex = max(maxIndex, game.a, game.b);
    const n = options.players ?? maxIndex + 1;
    const ridge = options.ridge ?? 0.01;
    if (!Number.isInteger(n) || n < 0) throw new Error(`bradley-terry: bad player count ${n}`);
    if (!(ridge > 0) || !Number.isFinite(ridge)) throw new Error(`bradley-terry: ridge must be > 0, got ${ridge}`);
    const gameCell = new Int32Array(games.length);
    const gameScore = new Float64Array(games.length);
    games.forEach(({ a, b, score }, k) => {
      const ok = Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < n && b < n && a !== b;
      if (!ok) throw new Error(`bradley-terry: game ${k} has bad players ${a}, ${b} (players: ${n})`);
      if (!(score >= 0 && score <= 1)) throw new Error(`bradley-terry: game ${k} has score ${score} outside [0, 1]`);
      gameCell[k] = a < b ? a * n + b : b * n + a;
      gameScore[k] = a < b ? score : 1 - score;
    });
    return new Problem(n, gameCell, gameScore, ridge, options.tolerance ?? 1e-10, options.maxIterations ?? 100);
  }

  clear(): void {
    for (let c = 0; c < this.cellCount; c++) {
      const cell = this.cells[c] as number;
      this.count[cell] = 0;
      this.wins[cell] = 0;
    }
    this.cellCount = 0;
  }

  addGame(k: number): void {
    const cell = this.gameCell[k] as number;
    if (this.count[cell] === 0) this.cells[this.cellCount++] = cell;
    this.count[cell] = (this.count[cell] as number) + 1;
    this.wins[cell] = (this.wins[cell] as number) + (this.gameScore[k] as number);
  }

  addAll(): void {
    this.clear();
    for (let k = 0; k < this.gameCell.length; k++) this.addGame(k);
  }

  /** The penalized log-likelihood at theta. */
  private objective(theta: Float64Array): number {
    const n = this.n;
    let f = 0;
    for (let c = 0; c < this.cellCount; c++) {
      const cell = this.cells[c] as number;
      const i = floor(cell / n);
      const d = (theta[i] as number) - (theta[cell - i * n] as number);
      // w log s(d) + (m - w) log s(-d), with log s(-d) = log s(d) - d
      const m = this.count[cell] as number;
      f += m * logSigmoid(d) - (m - (this.wins[cell] as number)) * d;
    }
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (theta[i] as number) ** 2;
    return f - 0.5 * this.ridge * sq;
  }

  /** Maximizes the objective by Newton steps from `theta` (updated in place), then centres it. */
  solve(theta: Float64Array): { iterations: number; converged: boolean } {
    const n = this.n;
    const { hess, grad, step, trial } = this;
    let value = this.objective(theta);
    let iterations = 0;
    let converged = n === 0;
    while (!converged && iterations < this.maxIterations) {
      iterations++;
      hess.fill(0);
      for (let i = 0; i < n; i++) {
        grad[i] = -this.ridge * (theta[i] as number);
        hess[i * n + i] = this.ridge;
      }
      for (let c = 0; c < this.cellCount; c++) {
        const cell = this.cells[c] as number;
        const i = floor(cell / n);
        const j = cell - i * n;
        const m = this.count[cell] as number;
        const p = 1 / (1 + exp((theta[j] as number) - (theta[i] as number)));
        const r = (this.wins[cell] as number) - m * p;
        grad[i] = (grad[i] as number) + r;
        grad[j] = (grad[j] as number) - r;
        const w = m * p * (1 - p);
        hess[i * n + i] = (hess[i * n + i] as number) + w;
        hess[j * n + j] = (hess[j * n + j] as number) + w;
        hess[i * n + j] = (hess[i * n + j] as number) - w;
      }
      choleskySolve(hess, grad, step, n); // step = H^-1 grad (H positive definite thanks to the ridge)
      let slope = 0;
      let size = 0;
      for (let i = 0; i < n; i++) {
        slope += (grad[i] as number) * (step[i] as number);
        size = max(size, abs(step[i] as number));
      }
      if (size < this.tolerance) {
        for (let i = 0; i < n; i++) theta[i] = (theta[i] as number) + (step[i] as number);
        converged = true;
        break;
      }
      let t = 1;
      for (;;) {
        for (let i = 0; i < n; i++) trial[i] = (theta[i] as number) + t * (step[i] as number);
        const next = this.objective(trial);
        if (next >= value + 1e-4 * t * slope || t < 1e-12) {
          value = next;
          break;
        }
        t /= 2;
      }
      theta.set(trial);
      if (t * size < this.tolerance) converged = true;
    }
    let mean = 0;
    for (let i = 0; i < n; i++) mean += theta[i] as number;
    mean = n > 0 ? mean / n : 0;
    for (let i = 0; i < n; i++) theta[i] = (theta[i] as number) - mean;
    return { iterations, converged };
  }
}

/**
 * Solves A x = b for a symmetric positive definite A given by its upper triangle (row-major n x n); A is
 * overwritten by its Cholesky factor (A = U^T U, U in the upper triangle).
 */
function choleskySolve(a: Float64Array, b: Float64Array, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let d = a[i * n + i] as number;
    for (let k = 0; k < i; k++) d -= (a[k * n + i] as number) ** 2;
    const u = sqrt(d);
    a[i * n + i] = u;
    for (let j = i + 1; j < n; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < i; k++) s -= (a[k * n + i] as number) * (a[k * n + j] as number);
      a[i * n + j] = s / u;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (a[k * n + i] as number) * (x[k] as number);
    x[i] = s / (a[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= (a[i * n + k] as number) * (x[k] as number);
    x[i] = s / (a[i * n + i] as number);
  }
}
