/**
 * Leduc hold'em, exactly as OpenSpiel's `leduc_poker` with default parameters (2 players).
 *
 * | Item        | Value                                                                                        |
 * | ----------- | -------------------------------------------------------------------------------------------- |
 * | Players     | 2; seat 0 acts first in both rounds. Chance (-1) deals seat 0's card, seat 1's card, and     |
 * |             | (after round 1) the public card; chance action = card id, uniform over the cards left.       |
 * | Cards       | ids 0..5 = J1 J2 Q1 Q2 K1 K2 (rank = id >> 1). Ante 1 each, 100 chips each to start.         |
 * | Actions     | 0 = Fold (only facing a bet), 1 = Call/Check (always), 2 = Raise (fewer than 2 raises this   |
 * |             | round; size 2 in round 1, 4 in round 2; a raise first matches the stakes).                   |
 * | Rounds      | a round ends on check-check or on a call after a raise; a fold ends the game.                |
 * | Showdown    | pairing the public card beats everything; else the higher private rank; equal ranks split.   |
 * | Observation | 16 floats: [observer one-hot 2][own card one-hot 6][public card one-hot 6][contribution 2]. |
 * | Info state  | OpenSpiel's perfect-recall string, e.g.                                                      |
 * |             | `[Observer: 0][Private: 1][Round 1][Player: 0][Pot: 4][Money: 99 97][Round1: 1 2][Round2: ]` |
 * | Obs. text   | OpenSpiel's default observer: the same up to [Public: x], then `[Ante: a0 a1]`.              |
 * | Rewards     | zero-sum, only at the end: chips at the end minus 100 (within [-13, 13]).                    |
 * | Hidden info | the opponent's private card; revealed (render only) at a showdown, never after a fold.       |
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

const GAME_ID = 'leduc-poker';
const NUM_CARDS = 6;
/** OpenSpiel's kInvalidCard, printed in strings for a card not yet dealt. */
const INVALID_CARD = -10000;
const STARTING_MONEY = 100;
const ANTE = 1;
const RAISE_AMOUNTS = [2, 4] as const;
const MAX_RAISES = 2;
const CARD_NAMES = ['J1', 'J2', 'Q1', 'Q2', 'K1', 'K2'] as const;
const ACTION_NAMES = ['Fold', 'Call', 'Raise'] as const;
export const LEDUC_FOLD = 0;
export const LEDUC_CALL = 1;
export const LEDUC_RAISE = 2;

export const leducParamsSchema = z.object({ players: z.literal(2).default(2) }).strict();
export type LeducParams = z.infer<typeof leducParamsSchema>;

/**
 * Immutable, JSON-serializable state. Mirrors OpenSpiel's LeducState fields so the strings match; everything
 * but the cards, the two betting sequences and `rng` is derived (deserialize replays and checks it).
 */
export interface LeducState {
  /** Private cards dealt so far, by seat. */
  readonly privateCards: readonly number[];
  /** The public card, or -1 before it is dealt. */
  readonly publicCard: number;
  /** Betting round, 1 or 2. */
  readonly round: number;
  /** OpenSpiel's cur_player_: -1 at chance nodes; at a terminal, the seat that acted last. */
  readonly player: number;
  /** Action ids of each betting round. */
  readonly round1: readonly number[];
  readonly round2: readonly number[];
  /** The current bet level every seat must reach to stay in. */
  readonly stakes: number;
  readonly numRaises: number;
  readonly numCalls: number;
  /** Chips in the pot (0 once the winner is paid). */
  readonly pot: number;
  /** Chips each seat has put in. */
  readonly ante: readonly number[];
  /** Chips each seat holds (100 - ante until the pot is paid out). */
  readonly money: readonly number[];
  /** The seat that folded, or -1. */
  readonly folded: number;
  readonly terminal: boolean;
  readonly rng: RngState;
}

const card = z.number().int().min(0).max(NUM_CARDS - 1);
const betAction = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const stateSchema = z
  .object({
    privateCards: z.array(card).max(2),
    publicCard: z.number().int().min(-1).max(NUM_CARDS - 1),
    round: z.number(),
    player: z.number(),
    round1: z.array(betAction).max(4),
    round2: z.array(betAction).max(4),
    stakes: z.number(),
    numRaises: z.number(),
    numCalls: z.number(),
    pot: z.number(),
    ante: z.array(z.number()),
    money: z.array(z.number()),
    folded: z.number(),
    terminal: z.boolean(),
    rng: z.array(z.number().int().min(-0x80000000).max(0xffffffff)).length(4),
  })
  .strict();

const spec: GameSpec<LeducParams> = {
  id: GAME_ID,
  // 2: seeds are mixed before the generator starts (environments/core/rng.ts); version-1 records deal differently.
  version: 2,
  title: "Leduc hold'em",
  summary:
    "Two-player poker with a six-card deck (J, Q, K in two suits). Each player antes 1 and gets one private " +
    'card; a betting round (raises of 2, at most two) is followed by one public card and a second round ' +
    '(raises of 4). Pairing the public card wins, else the higher card. The standard research benchmark ' +
    '(game value -0.0856 for the first player); OpenSpiel rules.',
  players: { min: 2, max: 2 },
  dynamics: 'sequential',
  utility: 'zero-sum',
  chance: true,
  perfectInformation: false,
  params: leducParamsSchema,
};

const ZERO: readonly number[] = Object.freeze([0, 0]);

function initialState(rng: RngState): LeducState {
  return {
    privateCards: [],
    publicCard: -1,
    round: 1,
    player: CHANCE,
    round1: [],
    round2: [],
    stakes: ANTE,
    numRaises: 0,
    numCalls: 0,
    pot: 2 * ANTE,
    ante: [ANTE, ANTE],
    money: [STARTING_MONEY - ANTE, STARTING_MONEY - ANTE],
    folded: -1,
    terminal: false,
    rng,
  };
}

function cardsLeft(state: LeducState): number[] {
  const out: number[] = [];
  for (let c = 0; c < NUM_CARDS; c++) {
    if (c !== state.publicCard && c !== state.privateCards[0] && c !== state.privateCards[1]) out.push(c);
  }
  return out;
}

function legalBets(state: LeducState): number[] {
  const p = state.player;
  const out: number[] = [];
  if (state.stakes > (state.ante[p] as number)) out.push(LEDUC_FOLD);
  out.push(LEDUC_CALL);
  if (state.numRaises < MAX_RAISES) out.push(LEDUC_RAISE);
  return out;
}

/** OpenSpiel's RankHand: a pair scores 36 + card; otherwise high rank * 6 + low rank of {public, private}. */
function rankHand(publicCard: number, privateCard: number): number {
  const lo = Math.min(publicCard, privateCard);
  const hi = Math.max(publicCard, privateCard);
  if (lo % 2 === 0 && hi === lo + 1) return NUM_CARDS * NUM_CARDS + lo;
  return (hi >> 1) * NUM_CARDS + (lo >> 1);
}

function deal(state: LeducState, c: number): LeducState {
  const rng = stepRng(state.rng);
  if (state.privateCards.length < 2) {
    const privateCards = [...state.privateCards, c];
    return { ...state, privateCards, player: privateCards.length === 2 ? 0 : CHANCE, rng };
  }
  return { ...state, publicCard: c, player: 0, rng };
}

function bet(state: LeducState, a: number): LeducState {
  const p = state.player;
  const other = 1 - p;
  const round1 = state.round === 1 ? [...state.round1, a] : state.round1;
  const round2 = state.round === 2 ? [...state.round2, a] : state.round2;
  const ante = [...state.ante];
  const money = [...state.money];
  let pot = state.pot;
  const put = (amount: number): void => {
    ante[p] = (ante[p] as number) + amount;
    money[p] = (money[p] as number) - amount;
    pot += amount;
  };

  if (a === LEDUC_FOLD) {
    money[other] = (money[other] as number) + pot;
    return { ...state, round1, round2, money, pot: 0, folded: p, terminal: true };
  }
  if (a === LEDUC_RAISE) {
    put(state.stakes - (ante[p] as number));
    const raise = RAISE_AMOUNTS[state.round - 1] as number;
    put(raise);
    return {
      ...state,
      round1,
      round2,
      ante,
      money,
      pot,
      stakes: state.stakes + raise,
      numRaises: state.numRaises + 1,
      numCalls: 0,
      player: other,
    };
  }
  // Call (a check when nothing is owed).
  put(state.stakes - (ante[p] as number));
  const numCalls = state.numCalls + 1;
  const roundOver = (state.numRaises === 0 && numCalls === 2) || (state.numRaises > 0 && numCalls === 1);
  if (!roundOver) return { ...state, round1, round2, ante, money, pot, numCalls, player: other };
  if (state.round === 1) {
    return { ...state, round1, round2, ante, money, pot, round: 2, numRaises: 0, numCalls: 0, player: CHANCE };
  }
  // Showdown.
  const r0 = rankHand(state.publicCard, state.privateCards[0] as number);
  const r1 = rankHand(state.publicCard, state.privateCards[1] as number);
  if (r0 > r1) money[0] = (money[0] as number) + pot;
  else if (r1 > r0) money[1] = (money[1] as number) + pot;
  else {
    money[0] = (money[0] as number) + pot / 2;
    money[1] = (money[1] as number) + pot / 2;
  }
  return { ...state, round1, round2, ante, money, pot: 0, numCalls, terminal: true };
}

function finalReturns(state: LeducState): readonly number[] {
  return [(state.money[0] as number) - STARTING_MONEY, (state.money[1] as number) - STARTING_MONEY];
}

function checkSeat(seat: Seat): void {
  if (seat !== 0 && seat !== 1) throw new RangeError(`${GAME_ID}: no seat ${seat}`);
}

/** The part of OpenSpiel's observer strings shared by the information state and the observation. */
function publicString(state: LeducState, seat: Seat): string {
  const priv = state.privateCards[seat] ?? INVALID_CARD;
  let s =
    `[Observer: ${seat}][Private: ${priv}][Round ${state.round}][Player: ${state.player}]` +
    `[Pot: ${state.pot}][Money: ${state.money.join(' ')}]`;
  if (state.publicCard >= 0) s += `[Public: ${state.publicCard}]`;
  return s;
}

function isShowdown(state: LeducState): boolean {
  return state.terminal && state.folded < 0;
}

/** Cards a viewer may see: its own, plus both at a showdown (never after a fold). */
function visibleCards(state: LeducState, viewer: Seat | null): (number | null)[] {
  const showdown = isShowdown(state);
  return [0, 1].map((s) => {
    const c = state.privateCards[s];
    return c !== undefined && (showdown || s === viewer) ? c : null;
  });
}

function makeGame(params: LeducParams): Game<LeducState, number> {
  const badState = (why: string): never => {
    throw new ArenaError('env/bad-serialization', `${GAME_ID}: ${why}`);
  };

  const game: Game<LeducState, number> = {
    spec,
    params: { players: params.players },
    numPlayers: 2,
    actionSpace: { kind: 'discrete', n: 3 },
    observationShape: [16],
    // 3 chance steps + at most 4 betting actions per round (check, raise, raise, call) = 11.
    maxLength: 11,
    minUtility: -13,
    maxUtility: 13,

    init(seed: number): LeducState {
      return initialState(rngFromSeed(seed));
    },

    currentPlayers(state) {
      return state.terminal ? NO_SEATS : onlySeat(state.player);
    },

    isTerminal(state) {
      return state.terminal;
    },

    chanceOutcomes(state): readonly ChanceOutcome<number>[] {
      if (state.terminal || state.player !== CHANCE) return [];
      return uniformOutcomes(cardsLeft(state));
    },

    sampleChance(state) {
      return sampleOutcome(state.rng, game.chanceOutcomes(state));
    },

    legalActions(state, seat) {
      if (state.terminal || seat !== state.player) return [];
      return seat === CHANCE ? cardsLeft(state) : legalBets(state);
    },

    apply(state, actions) {
      if (state.terminal) return new ArenaError('match/over', `${GAME_ID}: the game is over`);
      const a = singleDiscreteAction(GAME_ID, actions);
      if (a instanceof ArenaError) return a;
      if (state.player === CHANCE) {
        if (!cardsLeft(state).includes(a)) return illegalAction(GAME_ID, CHANCE, a);
        return deal(state, a);
      }
      if (!legalBets(state).includes(a)) return illegalAction(GAME_ID, state.player, a);
      return bet(state, a);
    },

    rewards(state) {
      // Terminal reward model: the only non-zero step is the last one.
      return state.terminal ? finalReturns(state) : ZERO;
    },

    returns(state) {
      return state.terminal ? finalReturns(state) : ZERO;
    },

    observationTensor(state, seat) {
      checkSeat(seat);
      const t = new Float32Array(16);
      t[seat] = 1;
      const priv = state.privateCards[seat];
      if (priv !== undefined) t[2 + priv] = 1;
      if (state.publicCard >= 0) t[8 + state.publicCard] = 1;
      t[14] = state.ante[0] as number;
      t[15] = state.ante[1] as number;
      return t;
    },

    observationText(state, seat) {
      checkSeat(seat);
      return `${publicString(state, seat)}[Ante: ${state.ante.join(' ')}]`;
    },

    informationState(state, seat) {
      checkSeat(seat);
      return `${publicString(state, seat)}[Round1: ${state.round1.join(' ')}][Round2: ${state.round2.join(' ')}]`;
    },

    actionToString(seat, action) {
      if (seat === CHANCE) return `Deal:${action}`;
      return ACTION_NAMES[action] ?? `Action ${action}`;
    },

    parseAction(state, seat, text) {
      return parseDiscreteAction(game, state, seat, text);
    },

    serialize(state) {
      return JSON.stringify(canonical(state));
    },

    deserialize(text) {
      const parsed = stateSchema.safeParse(parseSerialized(GAME_ID, text));
      if (!parsed.success) return badState('not a Leduc poker state');
      const data = parsed.data;
      // Replay the deal and the betting from scratch; the derived fields must agree.
      const step = (s: LeducState, a: number, chance: boolean): LeducState => {
        if (s.terminal || (s.player === CHANCE) !== chance) return badState('actions out of order');
        const next = game.apply(s, [a]);
        return next instanceof ArenaError ? badState(next.message) : next;
      };
      let s = initialState(data.rng);
      for (const c of data.privateCards) s = step(s, c, true);
      for (const a of data.round1) s = step(s, a, false);
      if (data.publicCard >= 0) s = step(s, data.publicCard, true);
      for (const a of data.round2) s = step(s, a, false);
      s = { ...s, rng: data.rng };
      if (JSON.stringify(canonical(s)) !== JSON.stringify(canonical(data))) return badState('inconsistent state');
      return s;
    },

    render(state, viewer): Json {
      return {
        round: state.round,
        pot: state.pot,
        money: [...state.money],
        contributions: [...state.ante],
        publicCard: state.publicCard >= 0 ? state.publicCard : null,
        cards: visibleCards(state, viewer),
        round1: [...state.round1],
        round2: [...state.round2],
        toAct: state.terminal ? null : state.player,
        terminal: state.terminal,
        showdown: isShowdown(state),
        returns: [...game.returns(state)],
      };
    },

    renderText(state, viewer) {
      const cards = visibleCards(state, viewer);
      const name = (c: number | null | undefined): string => (c == null || c < 0 ? '?' : (CARD_NAMES[c] ?? '?'));
      const seq = (xs: readonly number[]): string => xs.map((a) => ACTION_NAMES[a] ?? a).join(' ') || '-';
      const lines = [
        `Leduc hold'em   round ${state.round}   pot ${state.pot}   public ${state.publicCard >= 0 ? name(state.publicCard) : '-'}`,
        `Seat 0: ${name(cards[0])}  money ${state.money[0]}  in ${state.ante[0]}${state.folded === 0 ? '  (folded)' : ''}`,
        `Seat 1: ${name(cards[1])}  money ${state.money[1]}  in ${state.ante[1]}${state.folded === 1 ? '  (folded)' : ''}`,
        `Round 1: ${seq(state.round1)}   Round 2: ${seq(state.round2)}`,
      ];
      if (state.terminal) lines.push(`Over: returns ${game.returns(state).join(' ')}`);
      else if (state.player === CHANCE) lines.push('Dealing');
      else lines.push(`Seat ${state.player} to act (${legalBets(state).map((a) => ACTION_NAMES[a]).join(' / ')})`);
      return lines.join('\n');
    },
  };
  return game;
}

/** The state with a fixed key order (serialization and the consistency check of deserialize). */
function canonical(s: LeducState): LeducState {
  return {
    privateCards: s.privateCards,
    publicCard: s.publicCard,
    round: s.round,
    player: s.player,
    round1: s.round1,
    round2: s.round2,
    stakes: s.stakes,
    numRaises: s.numRaises,
    numCalls: s.numCalls,
    pot: s.pot,
    ante: s.ante,
    money: s.money,
    folded: s.folded,
    terminal: s.terminal,
    rng: s.rng,
  };
}

export const leducPoker: GameModule<LeducState, number, LeducParams> = {
  spec,
  create: (params) => makeGame(params),
};
