/**
 * Kuhn poker, exactly as OpenSpiel's `kuhn_poker` (2 players).
 *
 * | Item        | Value                                                                                     |
 * | ----------- | ----------------------------------------------------------------------------------------- |
 * | Players     | 2; seat 0 acts first. Chance (-1) deals seat 0's card, then seat 1's.                     |
 * | Cards       | 0 = J, 1 = Q, 2 = K; chance action = card id, uniform over the cards left.               |
 * | Actions     | 0 = Pass (check/fold), 1 = Bet (bet/call); bet size 1, ante 1 each.                       |
 * | Terminals   | pp (showdown, pot 2), bp (seat 1 folds), pbp (seat 0 folds), bb / pbb (showdown, pot 4). |
 * | Observation | 7 floats: [observer one-hot 2][own card one-hot 3][pot contribution per seat 2].         |
 * | Info state  | own card digit + betting letters, e.g. "0", "1pb", "2b" (OpenSpiel's string).            |
 * | Obs. text   | OpenSpiel's default observer: own card digit + contributions, e.g. "112" ("" undealt).   |
 * | Rewards     | zero-sum, only at the end: winner +pot - own contribution, loser -own contribution.       |
 * | Hidden info | the opponent's card; revealed (render only) at a showdown, never after a fold.           |
 */
import { z } from 'zod';
import { ArenaError } from '../core/errors';
import { CHANCE, type ChanceOutcome, type Game, type GameModule, type GameSpec, type Json, type Seat } from '../core/game';
import {
  illegalAction,
  NO_SEATS,
  onlySeat,
  parseDiscreteAction,
  parseSerialized,
  rngFromSeed,
  sampleOutcome,
  singleDiscreteAction,
  stepRng,
  uniformOutcomes,
} from '../core/helpers';
import type { RngState } from '../core/rng';

const GAME_ID = 'kuhn-poker';
const NUM_CARDS = 3;
const CARD_NAMES = ['J', 'Q', 'K'] as const;
export const KUHN_PASS = 0;
export const KUHN_BET = 1;

export const kuhnParamsSchema = z.object({ players: z.literal(2).default(2) }).strict();
export type KuhnParams = z.infer<typeof kuhnParamsSchema>;

/** Immutable, JSON-serializable state: the deal so far, the betting actions, and the chance generator. */
export interface KuhnState {
  /** Cards dealt so far, by seat: [] then [c0] then [c0, c1]. */
  readonly cards: readonly number[];
  /** Betting actions so far (0 = pass, 1 = bet), seat 0 first, alternating. */
  readonly bets: readonly number[];
  readonly rng: RngState;
}

const stateSchema = z
  .object({
    cards: z.array(z.number().int().min(0).max(NUM_CARDS - 1)).max(2),
    bets: z.array(z.union([z.literal(0), z.literal(1)])).max(3),
    rng: z.array(z.number().int().min(-0x80000000).max(0xffffffff)).length(4),
  })
  .strict();

const spec: GameSpec<KuhnParams> = {
  id: GAME_ID,
  // 2: seeds are mixed before the generator starts (environments/core/rng.ts); version-1 records deal differently.
  version: 2,
  title: 'Kuhn poker',
  summary:
    'Three-card poker (J, Q, K) for two players: each antes 1 and gets one card, then a single betting round ' +
    'with bets of 1 (pass or bet). The higher card wins at showdown. The smallest poker with a known ' +
    'equilibrium (game value -1/18 for the first player); OpenSpiel rules.',
  players: { min: 2, max: 2 },
  dynamics: 'sequential',
  utility: 'zero-sum',
  chance: true,
  perfectInformation: false,
  params: kuhnParamsSchema,
};

const TERMINALS = new Set(['00', '10', '11', '010', '011']);
const ZERO: readonly number[] = Object.freeze([0, 0]);

function betString(bets: readonly number[]): string {
  let s = '';
  for (const b of bets) s += b === KUHN_BET ? 'b' : 'p';
  return s;
}

function isTerminal(state: KuhnState): boolean {
  return state.cards.length === 2 && TERMINALS.has(state.bets.join(''));
}

/** Chips each seat has put in (ante plus its bet, if any). */
function contributions(state: KuhnState): [number, number] {
  let c0 = 1;
  let c1 = 1;
  const bets = state.bets;
  for (let i = 0; i < bets.length; i++) {
    if (bets[i] === KUHN_BET) {
      if (i % 2 === 0) c0++;
      else c1++;
    }
  }
  return [c0, c1];
}

/** Whether the terminal sequence ended with a fold (bp or pbp). */
function endedInFold(bets: readonly number[]): boolean {
  const k = bets.join('');
  return k === '10' || k === '010';
}

function finalReturns(state: KuhnState): readonly number[] {
  const [c0, c1] = state.cards as [number, number];
  const contrib = contributions(state);
  let winner: Seat;
  if (endedInFold(state.bets)) winner = state.bets.length === 2 ? 0 : 1; // bp: seat 1 folded; pbp: seat 0 folded.
  else winner = c0 > c1 ? 0 : 1;
  const loser = 1 - winner;
  const r = [0, 0];
  r[winner] = contrib[loser] as number;
  r[loser] = -(contrib[loser] as number);
  return r;
}

function toAct(state: KuhnState): Seat {
  if (isTerminal(state)) return -2;
  if (state.cards.length < 2) return CHANCE;
  return state.bets.length % 2;
}

function checkSeat(seat: Seat): void {
  if (seat !== 0 && seat !== 1) throw new RangeError(`${GAME_ID}: no seat ${seat}`);
}

function infoString(state: KuhnState, seat: Seat): string {
  const card = state.cards[seat];
  return card === undefined ? '' : `${card}${betString(state.bets)}`;
}

/** Cards a viewer may see: its own, plus both at a showdown (never the folded hand's). */
function visibleCards(state: KuhnState, viewer: Seat | null): (number | null)[] {
  const showdown = isTerminal(state) && !endedInFold(state.bets);
  return [0, 1].map((s) => {
    const c = state.cards[s];
    return c !== undefined && (showdown || s === viewer) ? c : null;
  });
}

function makeGame(params: KuhnParams): Game<KuhnState, number> {
  const game: Game<KuhnState, number> = {
    spec,
    params: { players: params.players },
    numPlayers: 2,
    actionSpace: { kind: 'discrete', n: 2 },
    observationShape: [7],
    maxLength: 5,
    minUtility: -2,
    maxUtility: 2,

    init(seed: number): KuhnState {
      return { cards: [], bets: [], rng: rngFromSeed(seed) };
    },

    currentPlayers(state) {
      const p = toAct(state);
      return p === -2 ? NO_SEATS : onlySeat(p);
    },

    isTerminal,

    chanceOutcomes(state): readonly ChanceOutcome<number>[] {
      if (state.cards.length >= 2) return [];
      return uniformOutcomes([0, 1, 2].filter((c) => !state.cards.includes(c)));
    },

    sampleChance(state) {
      return sampleOutcome(state.rng, game.chanceOutcomes(state));
    },

    legalActions(state, seat) {
      const p = toAct(state);
      if (p !== seat) return [];
      if (p === CHANCE) return [0, 1, 2].filter((c) => !state.cards.includes(c));
      return [KUHN_PASS, KUHN_BET];
    },

    apply(state, actions) {
      const p = toAct(state);
      if (p === -2) return new ArenaError('match/over', `${GAME_ID}: the game is over`);
      const a = singleDiscreteAction(GAME_ID, actions);
      if (a instanceof ArenaError) return a;
      if (p === CHANCE) {
        if (a < 0 || a >= NUM_CARDS || state.cards.includes(a)) return illegalAction(GAME_ID, CHANCE, a);
        return { cards: [...state.cards, a], bets: state.bets, rng: stepRng(state.rng) };
      }
      if (a !== KUHN_PASS && a !== KUHN_BET) return illegalAction(GAME_ID, p, a);
      return { cards: state.cards, bets: [...state.bets, a], rng: state.rng };
    },

    rewards(state) {
      // Terminal reward model: the only non-zero step is the last one.
      return isTerminal(state) ? finalReturns(state) : ZERO;
    },

    returns(state) {
      return isTerminal(state) ? finalReturns(state) : ZERO;
    },

    observationTensor(state, seat) {
      checkSeat(seat);
      const t = new Float32Array(7);
      t[seat] = 1;
      const card = state.cards[seat];
      if (card !== undefined) t[2 + card] = 1;
      const [c0, c1] = contributions(state);
      t[5] = c0;
      t[6] = c1;
      return t;
    },

    observationText(state, seat) {
      checkSeat(seat);
      const card = state.cards[seat];
      if (card === undefined) return '';
      const [c0, c1] = contributions(state);
      return `${card}${c0}${c1}`;
    },

    informationState(state, seat) {
      checkSeat(seat);
      return infoString(state, seat);
    },

    actionToString(seat, action) {
      if (seat === CHANCE) return `Deal:${action}`;
      return action === KUHN_PASS ? 'Pass' : 'Bet';
    },

    parseAction(state, seat, text) {
      return parseDiscreteAction(game, state, seat, text);
    },

    serialize(state) {
      return JSON.stringify({ cards: state.cards, bets: state.bets, rng: state.rng });
    },

    deserialize(text) {
      const parsed = stateSchema.safeParse(parseSerialized(GAME_ID, text));
      if (!parsed.success) throw new ArenaError('env/bad-serialization', `${GAME_ID}: not a Kuhn poker state`);
      const { cards, bets, rng } = parsed.data;
      const bad = (why: string): never => {
        throw new ArenaError('env/bad-serialization', `${GAME_ID}: inconsistent state (${why})`);
      };
      if (cards.length === 2 && cards[0] === cards[1]) bad('a card dealt twice');
      if (bets.length > 0 && cards.length < 2) bad('betting before the deal');
      for (let i = 1; i < bets.length; i++) {
        if (TERMINALS.has(bets.slice(0, i).join(''))) bad('actions after the end');
      }
      return { cards, bets, rng };
    },

    render(state, viewer): Json {
      const terminal = isTerminal(state);
      const showdown = terminal && !endedInFold(state.bets);
      const cards = visibleCards(state, viewer);
      const p = toAct(state);
      const contrib = contributions(state);
      return {
        cards,
        contributions: contrib,
        pot: contrib[0] + contrib[1],
        history: betString(state.bets),
        toAct: p === -2 ? null : p,
        terminal,
        showdown,
        returns: [...game.returns(state)],
      };
    },

    renderText(state, viewer) {
      const cards = visibleCards(state, viewer);
      const cardName = (c: number | null | undefined): string => (c == null ? '?' : (CARD_NAMES[c] ?? '?'));
      const contrib = contributions(state);
      const lines = [
        `Kuhn poker   pot ${contrib[0] + contrib[1]}   bets: ${betString(state.bets) || '-'}`,
        `Seat 0: ${cardName(cards[0])}  in ${contrib[0]}`,
        `Seat 1: ${cardName(cards[1])}  in ${contrib[1]}`,
      ];
      const p = toAct(state);
      if (p === -2) lines.push(`Over: returns ${game.returns(state).join(' ')}`);
      else lines.push(p === CHANCE ? 'Dealing' : `Seat ${p} to act (Pass / Bet)`);
      return lines.join('\n');
    },
  };
  return game;
}

export const kuhnPoker: GameModule<KuhnState, number, KuhnParams> = {
  spec,
  create: (params) => makeGame(params),
};
