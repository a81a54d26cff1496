/**
 * Rated queue pairing for people and agents waiting for a two-player game.
 *
 * Each waiting entry has a rating (the OpenSkill ordinal, mu - 3 sigma, or any number on one scale) and the
 * seconds it has waited. Its acceptance window widens with waiting:
 *
 *     window(e) = min(max, base + perSecond * waitSeconds)
 *
 * Two entries may meet when their rating difference is within BOTH windows (|ra - rb| <= min(window(a),
 * window(b))), so nobody gets an opponent further away than they currently accept. Among allowed pairs the
 * closest in rating go first (greedy by difference); ties go to the pair whose longer waiter has waited
 * longest, then to the pair with more total waiting, then by ids. The result depends only on the set of
 * entries, not on their order, and uses no randomness. Call it again as time passes: windows grow, so an
 * entry left waiting now may be paired later.
 */

/** One entry waiting in a rated queue. */
export interface RatedEntry {
  /** Unique id within the queue (agent id, connection id). */
  readonly id: string;
  /** Rating on the queue's scale (OpenSkill ordinal); finite. */
  readonly rating: number;
  /** Seconds waited so far (negative counts as 0). */
  readonly waitSeconds: number;
  /** Entries of one group never meet (several entries of one agent, which would play itself). */
  readonly group?: string;
}

/** How the acceptance window grows; all in rating units (per second for `perSecond`). */
export interface RatingWindow {
  /** Window of an entry that has just joined; >= 0. */
  readonly base: number;
  /** Growth per second waited; >= 0. */
  readonly perSecond: number;
  /** The window never grows past this; >= base. Infinity lets anyone eventually meet anyone. */
  readonly max: number;
}

/**
 * Defaults for OpenSkill ordinals (new players start at 0, mu 25, sigma 25/3): 3 points at once, +0.2 per
 * second, capped at 15 (reached after 60 s).
 */
export const DEFAULT_RATING_WINDOW: RatingWindow = Object.freeze({ base: 3, perSecond: 0.2, max: 15 });

/** What `pairRatedQueue` decided. */
export interface RatedPairing {
  /** Pairs to start, closest first; in each pair the longer waiter comes first (ties: smaller id). */
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  /** Ids left waiting, in input order. */
  readonly waiting: readonly string[];
}

/** An entry's current acceptance window under `window`. */
export function acceptanceWindow(entry: RatedEntry, window: RatingWindow = DEFAULT_RATING_WINDOW): number {
  return Math.min(window.max, window.base + window.perSecond * Math.max(0, entry.waitSeconds));
}

interface Candidate {
  readonly a: RatedEntry;
  readonly b: RatedEntry;
  readonly diff: number;
  readonly longest: number;
  readonly total: number;
  /** The pair's ids in order (the last tie-break), computed once rather than in every comparison. */
  readonly lo: string;
  readonly hi: string;
}

function byId(a: RatedEntry, b: RatedEntry): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** First of a pair: the longer waiter, ties to the smaller id. */
function ordered(a: RatedEntry, b: RatedEntry): readonly [string, string] {
  const aFirst = a.waitSeconds > b.waitSeconds || (a.waitSeconds === b.waitSeconds && a.id < b.id);
  return aFirst ? [a.id, b.id] : [b.id, a.id];
}

/**
 * Pairs waiting entries as described in the module doc. Throws RangeError for duplicate ids, a non-finite
 * rating or wait, or an invalid window (caller bugs). Cost: O(n log n) plus the allowed pairs, which the
 * `max` window bounds.
 */
export function pairRatedQueue(
  entries: readonly RatedEntry[],
  window: RatingWindow = DEFAULT_RATING_WINDOW,
): RatedPairing {
  if (!(window.base >= 0 && window.perSecond >= 0 && window.max >= window.base)) {
    throw new RangeError(`invalid rating window ${JSON.stringify(window)}`);
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.id)) throw new RangeError(`rated queue: duplicate id ${e.id}`);
    seen.add(e.id);
    if (!Number.isFinite(e.rating) || !Number.isFinite(e.waitSeconds)) {
      throw new RangeError(`rated queue: ${e.id} has a non-finite rating or wait`);
    }
  }
  const sorted = [...entries].sort((x, y) => x.rating - y.rating || byId(x, y));
  const candidates: Candidate[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as RatedEntry;
    const wa = acceptanceWindow(a, window);
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j] as RatedEntry;
      const diff = b.rating - a.rating;
      if (diff > wa) break; // sorted: every later entry is further away
      if (diff > acceptanceWindow(b, window)) continue;
      if (a.group !== undefined && a.group === b.group) continue;
      const wA = Math.max(0, a.waitSeconds);
      const wB = Math.max(0, b.waitSeconds);
      const [lo, hi] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
      candidates.push({ a, b, diff, longest: Math.max(wA, wB), total: wA + wB, lo, hi });
    }
  }
  candidates.sort((x, y) => {
    if (x.diff !== y.diff) return x.diff - y.diff;
    if (x.longest !== y.longest) return y.longest - x.longest;
    if (x.total !== y.total) return y.total - x.total;
    return x.lo < y.lo ? -1 : x.lo > y.lo ? 1 : x.hi < y.hi ? -1 : x.hi > y.hi ? 1 : 0;
  });
  const paired = new Set<string>();
  const pairs: Array<readonly [string, string]> = [];
  for (const c of candidates) {
    if (paired.has(c.a.id) || paired.has(c.b.id)) continue;
    paired.add(c.a.id);
    paired.add(c.b.id);
    pairs.push(ordered(c.a, c.b));
  }
  return { pairs, waiting: entries.filter((e) => !paired.has(e.id)).map((e) => e.id) };
}
