/**
 * Classic Elo for two-player games (the ML-Agents ghost trainer's rating: initial 1200, K = 32 here by default).
 *
 *   expected score of A against B:  E_A = 1 / (1 + 10^((R_B - R_A) / 400))
 *   update after a game:            R_A' = R_A + K (S_A - E_A),  S_A = 1 win, 0.5 draw, 0 loss
 *
 * The pair update is zero-sum: B moves by exactly the opposite amount (S_B = 1 - S_A, E_B = 1 - E_A).
 * Pure functions over plain numbers; a score outside [0, 1] or a non-finite number is a caller bug (throws).
 */

/** The rating of a new player (ML-Agents' default initial ELO). */
export const ELO_INITIAL = 1200;

/** The default K-factor: the largest change one game can make. */
export const ELO_K_DEFAULT = 32;

/** The Elo scale: a difference of this many points means 10:1 odds. */
export const ELO_SCALE = 400;

/** A's result against B: 1 win, 0.5 draw, 0 loss (any value in [0, 1] is accepted, e.g. an average). */
export type EloScore = number;

/** The expected score of a player rated `a` against one rated `b` (in (0, 1); 0.5 when equal). */
export function expectedScore(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error('expectedScore: ratings must be finite');
  return 1 / (1 + Math.pow(10, (b - a) / ELO_SCALE));
}

/** How much A's rating changes after scoring `score` against B: K (score - expected). B changes by minus this. */
export function eloDelta(a: number, b: number, score: EloScore, k: number = ELO_K_DEFAULT): number {
  if (!(score >= 0 && score <= 1)) throw new Error(`eloDelta: score must be in [0, 1], got ${score}`);
  if (!(k >= 0) || !Number.isFinite(k)) throw new Error(`eloDelta: K must be finite and >= 0, got ${k}`);
  return k * (score - expectedScore(a, b));
}

/**
 * New ratings of both players after one game where A scored `score` (1 win, 0.5 draw, 0 loss) against B.
 * Zero-sum: `a' + b' === a + b` up to rounding.
 */
export function updateElo(
  a: number,
  b: number,
  score: EloScore,
  k: number = ELO_K_DEFAULT,
): { readonly a: number; readonly b: number } {
  const d = eloDelta(a, b, score, k);
  return { a: a + d, b: b - d };
}
