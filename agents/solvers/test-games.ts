/**
 * Tiny games for the solver tests, written from a few rule functions over the action history: a Kuhn poker
 * clone (independent of environments/zero-sum/kuhn-poker.ts, so the solvers are checked against the published
 * numbers on their own) and a game whose information sets hold histories of different lengths.
 */
import { z } from 'zod';
import { ArenaError } from '../../environments/core/errors';
import { CHANCE, type ChanceOutcome, type Game, type GameSpec } from '../../environments/core/game';

type History = readonly number[];

interface Rules {
  readonly id: string;
  readonly numActions: number;
  readonly maxLength: number;
  /** CHANCE, a seat, or null when terminal. */
  toMove(h: History): number | null;
  chance(h: History): ChanceOutcome[];
  legal(h: History): number[];
  info(h: History, seat: number): string;
  returns(h: History): [number, number];
}

function historyGame(rules: Rules): Game<History, number> {
  const spec: GameSpec<unknown> = {
    id: rules.id,
    version: 1,
    title: rules.id,
    summary: 'test game',
    players: { min: 2, max: 2 },
    dynamics: 'sequential',
    utility: 'zero-sum',
    chance: true,
    perfectInformation: false,
    params: z.object({}),
  };
  const seats = (h: History): number[] => {
    const p = rules.toMove(h);
    return p === null ? [] : [p];
  };
  const legal = (h: History, seat: number): number[] => {
    const p = rules.toMove(h);
    if (p === null || p !== seat) return [];
    return p === CHANCE ? rules.chance(h).map((o) => o.action) : rules.legal(h);
  };
  return {
    spec,
    params: {},
    numPlayers: 2,
    actionSpace: { kind: 'discrete', n: rules.numActions },
    observationShape: [1],
    maxLength: rules.maxLength,
    minUtility: -2,
    maxUtility: 2,
    init: () => [],
    currentPlayers: seats,
    isTerminal: (h) => rules.toMove(h) === null,
    chanceOutcomes: (h) => (rules.toMove(h) === CHANCE ? rules.chance(h) : []),
    sampleChance: (h) => rules.chance(h)[0]?.action ?? 0,
    legalActions: legal,
    apply: (h, actions) => {
      const a = actions[0];
      const p = rules.toMove(h);
      if (a === undefined || p === null || !legal(h, p).includes(a)) return new ArenaError('action/illegal', 'illegal');
      return [...h, a];
    },
    rewards: (h) => (rules.toMove(h) === null ? rules.returns(h) : [0, 0]),
    returns: (h) => (rules.toMove(h) === null ? rules.returns(h) : [0, 0]),
    observationTensor: () => new Float32Array(1),
    observationText: (h, seat) => rules.info(h, seat),
    informationState: (h, seat) => rules.info(h, seat),
    actionToString: (_seat, a) => String(a),
    parseAction: (_h, _seat, text) => Number(text),
    serialize: (h) => JSON.stringify(h),
    deserialize: (text) => JSON.parse(text) as History,
    render: (h) => [...h],
    renderText: (h) => h.join(' '),
  };
}

/** Kuhn poker with OpenSpiel's rules and information-state strings ("1pb"): 58 nodes, 12 information sets. */
export const miniKuhn: Game<History, number> = historyGame({
  id: 'mini-kuhn',
  numActions: 2,
  maxLength: 5,
  toMove(h) {
    if (h.length < 2) return CHANCE;
    const bets = h.slice(2).map((a) => (a === 1 ? 'b' : 'p')).join('');
    if (['pp', 'bp', 'bb', 'pbp', 'pbb'].includes(bets)) return null;
    return bets.length % 2;
  },
  chance(h) {
    const cards = [0, 1, 2].filter((c) => !h.includes(c));
    return cards.map((c) => ({ action: c, probability: 1 / cards.length }));
  },
  legal: () => [0, 1],
  info(h, seat) {
    return `${h[seat] ?? ''}${h.slice(2).map((a) => (a === 1 ? 'b' : 'p')).join('')}`;
  },
  returns(h) {
    const bets = h.slice(2).map((a) => (a === 1 ? 'b' : 'p')).join('');
    const win0 = (h[0] as number) > (h[1] as number) ? 1 : -1;
    const v = bets === 'bp' ? 1 : bets === 'pbp' ? -1 : bets === 'pp' ? win0 : 2 * win0;
    return [v, -v];
  },
});

/**
 * A coin decides whether player 0 moves (0/1/2, unseen by player 1) before player 1 guesses; player 1's single
 * information set "?" thus holds histories of lengths 1 and 2. Then player 0, knowing the coin, may double (1)
 * or not (0). Payoffs make the best response depend on all of the set's histories.
 */
export const unevenGame: Game<History, number> = historyGame({
  id: 'uneven',
  numActions: 3,
  maxLength: 4,
  toMove(h) {
    if (h.length === 0) return CHANCE;
    const coin = h[0] as number;
    const moves = h.length - 1;
    if (coin === 0) return moves === 0 ? 0 : moves === 1 ? 1 : moves === 2 ? 0 : null;
    return moves === 0 ? 1 : moves === 1 ? 0 : null;
  },
  chance: () => [
    { action: 0, probability: 0.4 },
    { action: 1, probability: 0.6 },
  ],
  legal(h) {
    return h.length === 1 && h[0] === 0 ? [0, 1, 2] : [0, 1];
  },
  info(h, seat) {
    if (seat === 1) return '?';
    return `coin${h[0]}:${h.slice(1).join(',')}`;
  },
  returns(h) {
    const coin = h[0] as number;
    const guess = (coin === 0 ? h[2] : h[1]) as number;
    const mine = coin === 0 ? (h[1] as number) : 0;
    const double = (coin === 0 ? h[3] : h[2]) === 1 ? 2 : 1;
    const v = (guess === mine ? -1 : 1 + guess) * double * (coin === 0 ? 1 : 0.5);
    return [v, -v];
  },
});
