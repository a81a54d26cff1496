/**
 * The published leaderboard of a game: live OpenSkill and Elo ratings from the store, and a batch
 * Bradley-Terry fit over the finished matches with bootstrap 95% intervals (ties as half a win). For tabular
 * policies of games with an exact best response (Kuhn, Leduc) it adds each policy's NashConv.
 */
import { resolve as resolvePath } from 'node:path';
import { nashConv } from '../agents/solvers/best-response';
import { buildGameTree, type GameTree } from '../agents/solvers/game-tree';
import { firstLegalPolicy, loadPolicyFile, uniformPolicy } from '../agents/tabular-policy';
import type { TabularPolicy } from '../agents/agent';
import type { AnyGame } from '../environments/core/game';
import type { MatchRecord } from '../engine/record';
import type { ArenaStore } from './store/store';
import { bootstrap, fitBradleyTerry, toEloScale } from './ratings/bradley-terry';

export interface LeaderboardRow {
  readonly agentId: string;
  readonly name: string;
  readonly matches: number;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  /** OpenSkill (live). */
  readonly mu: number;
  readonly sigma: number;
  readonly ordinal: number;
  /** Elo (live). */
  readonly elo: number;
  /** Bradley-Terry rating on an Elo-like scale with its bootstrap interval. */
  readonly bt: { readonly rating: number; readonly lower: number; readonly upper: number };
  /** Exact NashConv of the agent's tabular policy, where the game allows it. */
  readonly nashConv?: number;
}

export interface Leaderboard {
  readonly game: string;
  readonly matches: number;
  readonly resamples: number;
  readonly rows: readonly LeaderboardRow[];
}

/** Two-seat records between two different named agents, in commit order (mirror matches rate nothing). */
export function ratedRecords(records: readonly MatchRecord[]): MatchRecord[] {
  return records.filter(
    (r) => r.seats.length === 2 && r.seats.every((s) => s.agentId) && r.seats[0]!.agentId !== r.seats[1]!.agentId && r.endReason !== 'aborted',
  );
}

export function computeLeaderboard(
  store: ArenaStore,
  game: string,
  records: readonly MatchRecord[],
  options: { resamples?: number; seed?: number; specs?: ReadonlyMap<string, string>; rules?: AnyGame; baseDir?: string } = {},
): Leaderboard {
  const rated = ratedRecords(records);
  const ids: string[] = [];
  const index = new Map<string, number>();
  const idx = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      ids.push(id);
      index.set(id, i);
    }
    return i;
  };
  const tally = new Map<string, { w: number; d: number; l: number }>();
  const count = (id: string, k: 'w' | 'd' | 'l'): void => {
    const t = tally.get(id) ?? { w: 0, d: 0, l: 0 };
    t[k]++;
    tally.set(id, t);
  };
  const games = rated.map((r) => {
    const [a, b] = [r.seats[0]!.agentId!, r.seats[1]!.agentId!];
    const [ra, rb] = [r.returns[0]!, r.returns[1]!];
    const score = ra > rb ? 1 : ra < rb ? 0 : 0.5;
    count(a, score === 1 ? 'w' : score === 0 ? 'l' : 'd');
    count(b, score === 0 ? 'w' : score === 1 ? 'l' : 'd');
    return { a: idx(a), b: idx(b), score };
  });
  const resamples = options.resamples ?? 1000;
  // resamples 0 asks for the point estimates only (no interval: lower = upper = the fit).
  const bt =
    ids.length < 2 || games.length === 0
      ? null
      : resamples > 0
        ? bootstrap(games, { players: ids.length, seed: options.seed ?? 1, resamples })
        : { intervals: Array.from(fitBradleyTerry(games, { players: ids.length }).theta, (theta, player) => ({ player, theta, lower: theta, upper: theta })) };
  const tree = options.rules ? treeIfSmall(options.rules) : null;
  const rows = ids.map((id, i): LeaderboardRow => {
    const agent = store.getAgent(id);
    const rating = store.getRating(game, id);
    const t = tally.get(id) ?? { w: 0, d: 0, l: 0 };
    const interval = bt?.intervals[i];
    const spec = options.specs?.get(id);
    const nc = tree && spec && options.rules ? policyNashConv(options.rules, tree, spec, options.baseDir) : undefined;
    return {
      agentId: id,
      name: agent?.name ?? id,
      matches: t.w + t.d + t.l,
      wins: t.w,
      draws: t.d,
      losses: t.l,
      mu: rating?.mu ?? 25,
      sigma: rating?.sigma ?? 25 / 3,
      ordinal: rating ? rating.mu - 3 * rating.sigma : 0,
      elo: rating?.elo ?? 1200,
      bt: interval ? { rating: toEloScale(interval.theta), lower: toEloScale(interval.lower), upper: toEloScale(interval.upper) } : { rating: 1000, lower: 1000, upper: 1000 },
      ...(nc !== undefined ? { nashConv: nc } : {}),
    };
  });
  rows.sort((x, y) => y.bt.rating - x.bt.rating || y.ordinal - x.ordinal);
  return { game, matches: rated.length, resamples: bt && resamples > 0 ? resamples : 0, rows };
}

function treeIfSmall(game: AnyGame): GameTree | null {
  if (game.spec.perfectInformation) return null; // exploitability is reported for imperfect-information games
  try {
    return buildGameTree(game, { maxNodes: 200_000 });
  } catch {
    return null;
  }
}

/** NashConv of what an agent spec plays, when it is a tabular policy (random = uniform, first-legal, policy files). */
function policyNashConv(game: AnyGame, tree: GameTree, spec: string, baseDir = process.cwd()): number | undefined {
  let policy: TabularPolicy | undefined;
  if (spec === 'random') policy = uniformPolicy(tree);
  else if (spec === 'first-legal') policy = firstLegalPolicy(tree);
  else if (spec.startsWith('policy:')) policy = loadPolicyFile(game, resolvePath(baseDir, spec.slice(7)), { tree });
  return policy ? nashConv(tree, policy).nashConv : undefined;
}
