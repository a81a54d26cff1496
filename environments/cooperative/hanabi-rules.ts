/**
 * Hanabi rules core (the Hanabi Learning Environment's semantics, as wrapped by OpenSpiel's `hanabi`): the
 * parameterisation, the immutable state, move decoding, legality and `applyMove`. The game module
 * (`hanabi.ts`) adds the Game interface around it; observations live in `hanabi-observation.ts` and
 * `hanabi-text.ts`.
 *
 * Hot path: a step copies only the arrays it changes (a deal touches hands, knowledge and deck; a hint only the
 * knowledge) and allocates one state object, written field by field in one order (one hidden class).
 */
import { ArenaError } from '../core/errors';
import { CHANCE, type Seat } from '../core/game';
import { illegalAction, stepRng, type MoveList } from '../core/helpers';
import type { RngState } from '../core/rng';

export const HANABI_ID = 'hanabi';
/** HLE's colour letters, in colour-index order. */
export const COLOR_CHARS = 'RYGWB';
/** `toAct` once the game is over. */
export const OVER = -2;

/*
 * Card knowledge, one integer per hand slot (HLE's CardKnowledge: the hinted value plus the plausible values,
 * which negative hints narrow):
 *   bits 0..4    plausible colours (bit c)
 *   bits 5..9    plausible ranks (bit 5 + r)
 *   bits 10..12  hinted colour + 1 (0: the colour was never revealed)
 *   bits 13..15  hinted rank + 1 (0: the rank was never revealed)
 */
export const RANK_SHIFT = 5;
const HINTED_COLOR_SHIFT = 10;
const HINTED_RANK_SHIFT = 13;
export const plausibleColors = (k: number): number => k & 0x1f;
export const plausibleRanks = (k: number): number => (k >> RANK_SHIFT) & 0x1f;
/** The colour revealed by a hint, or -1. */
export const hintedColor = (k: number): number => ((k >> HINTED_COLOR_SHIFT) & 7) - 1;
/** The rank revealed by a hint, or -1. */
export const hintedRank = (k: number): number => ((k >> HINTED_RANK_SHIFT) & 7) - 1;

/** Parameters with every default resolved (HLE parameter names). */
export interface HanabiConfig {
  readonly players: number;
  readonly colors: number;
  readonly ranks: number;
  readonly handSize: number;
  readonly maxInfo: number;
  readonly maxLives: number;
  /** Copies of each card by rank (HLE NumberCardInstances): 3 of the lowest, 1 of the highest, 2 of the rest. */
  readonly rankCounts: readonly number[];
  /** Distinct cards (colors * ranks); card id = color * ranks + rank, also the chance outcome id. */
  readonly numCards: number;
  /** Colour and rank of each card id. */
  readonly cardColor: readonly number[];
  readonly cardRank: readonly number[];
  /** Cards in a full deck (50 in the standard game). */
  readonly deckTotal: number;
  readonly maxScore: number;
  /** Action ids (HLE uids): [0, H) discard slot, [H, 2H) play slot, then colour hints, then rank hints. */
  readonly playBase: number;
  readonly colorBase: number;
  readonly rankBase: number;
  readonly numActions: number;
  /** Card-knowledge word of a freshly dealt card: every colour and rank plausible, nothing hinted. */
  readonly fullKnowledge: number;
}

/** The number of copies of a card of rank `rank` (0-based) among `ranks` ranks, exactly as HLE. */
export function rankCount(rank: number, ranks: number): number {
  if (rank === 0) return 3;
  return rank === ranks - 1 ? 1 : 2;
}

export function makeConfig(p: {
  players: number;
  colors: number;
  ranks: number;
  handSize: number;
  maxInfo: number;
  maxLives: number;
}): HanabiConfig {
  const { players, colors, ranks, handSize } = p;
  const rankCounts = Array.from({ length: ranks }, (_, r) => rankCount(r, ranks));
  const numCards = colors * ranks;
  const perColor = rankCounts.reduce((a, b) => a + b, 0);
  const playBase = handSize;
  const colorBase = 2 * handSize;
  const rankBase = colorBase + (players - 1) * colors;
  return {
    ...p,
    rankCounts,
    numCards,
    cardColor: Array.from({ length: numCards }, (_, id) => Math.floor(id / ranks)),
    cardRank: Array.from({ length: numCards }, (_, id) => id % ranks),
    deckTotal: perColor * colors,
    maxScore: colors * ranks,
    playBase,
    colorBase,
    rankBase,
    numActions: rankBase + (players - 1) * ranks,
    fullKnowledge: ((1 << colors) - 1) | (((1 << ranks) - 1) << RANK_SHIFT),
  };
}

/** The last move that was not a deal (HLE history item), for observations. */
export interface LastMove {
  readonly player: Seat;
  readonly action: number;
  /** Card played or discarded; -1 for a hint. */
  readonly card: number;
  /** A play that went onto the fireworks. */
  readonly scored: boolean;
  /** The move gave back an information token (a discard, or completing a firework). */
  readonly infoToken: boolean;
  /** Hints: bit i set when the hint touched slot i of the target's hand. */
  readonly reveal: number;
}

/** Immutable, plain state. Serialized as its move list and generator (see hanabi.ts). */
export interface HanabiState {
  /** Cards in hand, seat-major (slot i of seat p at p * handSize + i), oldest first, -1 past the hand's end. */
  readonly hands: readonly number[];
  /** Cards in each seat's hand. */
  readonly handCounts: readonly number[];
  /** Knowledge word per slot, same layout as `hands` (0 for empty slots). */
  readonly knowledge: readonly number[];
  /** Copies of each card id left in the deck. */
  readonly deck: readonly number[];
  readonly deckSize: number;
  /** Cards played per colour (the top rank on each firework). */
  readonly fireworks: readonly number[];
  /** Copies of each card id in the discard pile (failed plays included). */
  readonly discards: readonly number[];
  readonly info: number;
  readonly lives: number;
  /** The seat to act, CHANCE while dealing, or OVER. */
  readonly toAct: number;
  /** The next seat to act after dealing (HLE next_non_chance_player). */
  readonly next: Seat;
  /** HLE turns_to_play: counts down once per move after the deck ran out; the game ends at 0. */
  readonly turnsLeft: number;
  /** Sum of the fireworks. */
  readonly fireworksSum: number;
  /** Reward of the last step (the same for every seat). */
  readonly reward: number;
  readonly last: LastMove | null;
  /** Every action applied (chance deals included), newest first. */
  readonly history: MoveList | null;
  readonly rng: RngState;
}

/** The score: the fireworks, or 0 once every life is lost. */
export function score(s: HanabiState): number {
  return s.lives > 0 ? s.fireworksSum : 0;
}

export function initialState(cfg: HanabiConfig, rng: RngState): HanabiState {
  const deck: number[] = [];
  for (let id = 0; id < cfg.numCards; id++) deck.push(cfg.rankCounts[cfg.cardRank[id] as number] as number);
  const slots = cfg.players * cfg.handSize;
  return {
    hands: new Array<number>(slots).fill(-1),
    handCounts: new Array<number>(cfg.players).fill(0),
    knowledge: new Array<number>(slots).fill(0),
    deck,
    deckSize: cfg.deckTotal,
    fireworks: new Array<number>(cfg.colors).fill(0),
    discards: new Array<number>(cfg.numCards).fill(0),
    info: cfg.maxInfo,
    lives: cfg.maxLives,
    toAct: CHANCE,
    next: 0,
    turnsLeft: cfg.players,
    fireworksSum: 0,
    reward: 0,
    last: null,
    history: null,
    rng,
  };
}

/** The seat that receives the next card (the first with a short hand), or -1 (HLE PlayerToDeal). */
export function playerToDeal(cfg: HanabiConfig, handCounts: readonly number[]): number {
  for (let p = 0; p < cfg.players; p++) if ((handCounts[p] as number) < cfg.handSize) return p;
  return -1;
}

/** The chance outcome drawn from the state's generator: card id, with probability copies left / deck size. */
export function sampleDeal(cfg: HanabiConfig, s: HanabiState, draw: number): number {
  // `draw` is uniform in [0, deckSize): walk the counts (no outcome list: dealing is half of all steps).
  let r = draw;
  for (let id = 0; id < cfg.numCards; id++) {
    r -= s.deck[id] as number;
    if (r < 0) return id;
  }
  throw new Error('hanabi: sampled from an empty deck');
}

/** Colours (bit c) or ranks (bit r) present in seat `p`'s hand. */
function handColorMask(cfg: HanabiConfig, s: HanabiState, p: Seat): number {
  let m = 0;
  const base = p * cfg.handSize;
  for (let i = 0, n = s.handCounts[p] as number; i < n; i++) m |= 1 << (cfg.cardColor[s.hands[base + i] as number] as number);
  return m;
}
function handRankMask(cfg: HanabiConfig, s: HanabiState, p: Seat): number {
  let m = 0;
  const base = p * cfg.handSize;
  for (let i = 0, n = s.handCounts[p] as number; i < n; i++) m |= 1 << (cfg.cardRank[s.hands[base + i] as number] as number);
  return m;
}

/** Legal action ids of the seat to act, ascending (HLE LegalMoves order). */
export function legalMoves(cfg: HanabiConfig, s: HanabiState): number[] {
  const p = s.toAct;
  const out: number[] = [];
  const n = s.handCounts[p] as number;
  if (s.info < cfg.maxInfo) for (let i = 0; i < n; i++) out.push(i);
  for (let i = 0; i < n; i++) out.push(cfg.playBase + i);
  if (s.info <= 0) return out;
  const P = cfg.players;
  for (let k = 1; k < P; k++) {
    const m = handColorMask(cfg, s, (p + k) % P);
    for (let c = 0; c < cfg.colors; c++) if ((m >> c) & 1) out.push(cfg.colorBase + (k - 1) * cfg.colors + c);
  }
  for (let k = 1; k < P; k++) {
    const m = handRankMask(cfg, s, (p + k) % P);
    for (let r = 0; r < cfg.ranks; r++) if ((m >> r) & 1) out.push(cfg.rankBase + (k - 1) * cfg.ranks + r);
  }
  return out;
}

/** Chance outcomes still in the deck, ascending. */
export function dealableCards(cfg: HanabiConfig, s: HanabiState): number[] {
  const out: number[] = [];
  for (let id = 0; id < cfg.numCards; id++) if ((s.deck[id] as number) > 0) out.push(id);
  return out;
}

/** A decoded action id. */
export type HanabiMove =
  | { readonly kind: 'discard'; readonly slot: number }
  | { readonly kind: 'play'; readonly slot: number }
  | { readonly kind: 'color'; readonly offset: number; readonly color: number }
  | { readonly kind: 'rank'; readonly offset: number; readonly rank: number };

/** Decodes an action id (assumed in [0, numActions)). */
export function decodeMove(cfg: HanabiConfig, a: number): HanabiMove {
  if (a < cfg.playBase) return { kind: 'discard', slot: a };
  if (a < cfg.colorBase) return { kind: 'play', slot: a - cfg.playBase };
  if (a < cfg.rankBase) {
    const u = a - cfg.colorBase;
    return { kind: 'color', offset: 1 + Math.floor(u / cfg.colors), color: u % cfg.colors };
  }
  const u = a - cfg.rankBase;
  return { kind: 'rank', offset: 1 + Math.floor(u / cfg.ranks), rank: u % cfg.ranks };
}

/** Removes slot `slot` of seat `p` (later cards move down one slot, as HLE's RemoveFromHand). */
function removeCard(
  cfg: HanabiConfig,
  s: HanabiState,
  p: Seat,
  slot: number,
): { hands: number[]; knowledge: number[]; handCounts: number[] } {
  const hands = s.hands.slice();
  const knowledge = s.knowledge.slice();
  const handCounts = s.handCounts.slice();
  const base = p * cfg.handSize;
  const n = handCounts[p] as number;
  for (let i = slot; i < n - 1; i++) {
    hands[base + i] = hands[base + i + 1] as number;
    knowledge[base + i] = knowledge[base + i + 1] as number;
  }
  hands[base + n - 1] = -1;
  knowledge[base + n - 1] = 0;
  handCounts[p] = n - 1;
  return { hands, knowledge, handCounts };
}

/**
 * Who acts after a move (HLE AdvanceToNextPlayer, with the end of game checked first): OVER when the game
 * ended, CHANCE while the deck has cards and a hand is short, else `next` (the next seat in turn).
 */
function whoActs(
  cfg: HanabiConfig,
  lives: number,
  fireworksSum: number,
  turnsLeft: number,
  deckSize: number,
  handCounts: readonly number[],
  next: Seat,
): number {
  if (lives <= 0 || fireworksSum >= cfg.maxScore || turnsLeft <= 0) return OVER;
  if (deckSize > 0 && playerToDeal(cfg, handCounts) >= 0) return CHANCE;
  return next;
}

/**
 * Applies one action (a card id at chance nodes, else an action id) to a state that is not over. Returns the new
 * state or ArenaError('action/illegal'); never mutates `s`.
 */
export function applyMove(cfg: HanabiConfig, s: HanabiState, a: number): HanabiState | ArenaError {
  const p = s.toAct;
  const history: MoveList = { a, prev: s.history };
  // HLE decrements turns_to_play before every move made with an empty deck (deals never are).
  const turnsLeft = s.deckSize === 0 ? s.turnsLeft - 1 : s.turnsLeft;

  if (p === CHANCE) {
    if (a < 0 || a >= cfg.numCards || (s.deck[a] as number) <= 0) return illegalAction(HANABI_ID, CHANCE, a);
    const to = playerToDeal(cfg, s.handCounts);
    const hands = s.hands.slice();
    const knowledge = s.knowledge.slice();
    const handCounts = s.handCounts.slice();
    const deck = s.deck.slice();
    const slot = to * cfg.handSize + (handCounts[to] as number);
    hands[slot] = a;
    knowledge[slot] = cfg.fullKnowledge;
    handCounts[to] = (handCounts[to] as number) + 1;
    deck[a] = (deck[a] as number) - 1;
    const deckSize = s.deckSize - 1;
    const toAct = whoActs(cfg, s.lives, s.fireworksSum, turnsLeft, deckSize, handCounts, s.next);
    const next = toAct >= 0 ? (s.next + 1) % cfg.players : s.next;
    // Every state literal lists the fields in initialState's order: one object shape (a spread is 10x slower).
    return {
      hands, handCounts, knowledge, deck, deckSize,
      fireworks: s.fireworks, discards: s.discards, info: s.info, lives: s.lives,
      toAct, next, turnsLeft, fireworksSum: s.fireworksSum, reward: 0, last: s.last, history, rng: stepRng(s.rng),
    };
  }

  if (a < 0 || a >= cfg.numActions) return illegalAction(HANABI_ID, p, a);
  const n = s.handCounts[p] as number;

  if (a < cfg.colorBase) {
    // Discard or play.
    const isPlay = a >= cfg.playBase;
    const slot = isPlay ? a - cfg.playBase : a;
    if (slot >= n || (!isPlay && s.info >= cfg.maxInfo)) return illegalAction(HANABI_ID, p, a);
    const card = s.hands[p * cfg.handSize + slot] as number;
    const color = cfg.cardColor[card] as number;
    const { hands, knowledge, handCounts } = removeCard(cfg, s, p, slot);
    let { info, lives, fireworksSum } = s;
    let fireworks: number[] | readonly number[] = s.fireworks;
    let discards: number[] | readonly number[] = s.discards;
    let scored = false;
    let infoToken = false;
    if (isPlay && s.fireworks[color] === cfg.cardRank[card]) {
      scored = true;
      const f = s.fireworks.slice();
      f[color] = (f[color] as number) + 1;
      fireworks = f;
      fireworksSum++;
      // Completing a firework gives back a hint token, if one is missing.
      if (f[color] === cfg.ranks && info < cfg.maxInfo) {
        info++;
        infoToken = true;
      }
    } else {
      const d = s.discards.slice();
      d[card] = (d[card] as number) + 1;
      discards = d;
      if (isPlay) lives--;
      else {
        info++;
        infoToken = true;
      }
    }
    const reward = (lives > 0 ? fireworksSum : 0) - score(s);
    const last: LastMove = { player: p, action: a, card, scored, infoToken, reveal: 0 };
    const toAct = whoActs(cfg, lives, fireworksSum, turnsLeft, s.deckSize, handCounts, s.next);
    const next = toAct >= 0 ? (s.next + 1) % cfg.players : s.next;
    return {
      hands, handCounts, knowledge, deck: s.deck, deckSize: s.deckSize, fireworks, discards, info, lives,
      toAct, next, turnsLeft, fireworksSum, reward, last, history, rng: s.rng,
    };
  }

  // A hint: needs a token and must touch at least one card of the target.
  if (s.info <= 0) return illegalAction(HANABI_ID, p, a);
  const isColor = a < cfg.rankBase;
  const u = isColor ? a - cfg.colorBase : a - cfg.rankBase;
  const per = isColor ? cfg.colors : cfg.ranks;
  const offset = 1 + Math.floor(u / per);
  const value = u % per;
  const target = (p + offset) % cfg.players;
  const base = target * cfg.handSize;
  const count = s.handCounts[target] as number;
  const knowledge = s.knowledge.slice();
  let reveal = 0;
  for (let i = 0; i < count; i++) {
    const card = s.hands[base + i] as number;
    const k = knowledge[base + i] as number;
    if (isColor) {
      if (cfg.cardColor[card] === value) {
        reveal |= 1 << i;
        knowledge[base + i] = (k & ~0x1f & ~(7 << HINTED_COLOR_SHIFT)) | (1 << value) | ((value + 1) << HINTED_COLOR_SHIFT);
      } else knowledge[base + i] = k & ~(1 << value);
    } else if (cfg.cardRank[card] === value) {
      reveal |= 1 << i;
      knowledge[base + i] =
        (k & ~(0x1f << RANK_SHIFT) & ~(7 << HINTED_RANK_SHIFT)) | (1 << (RANK_SHIFT + value)) | ((value + 1) << HINTED_RANK_SHIFT);
    } else knowledge[base + i] = k & ~(1 << (RANK_SHIFT + value));
  }
  if (reveal === 0) return illegalAction(HANABI_ID, p, a);
  const last: LastMove = { player: p, action: a, card: -1, scored: false, infoToken: false, reveal };
  const info = s.info - 1;
  const toAct = whoActs(cfg, s.lives, s.fireworksSum, turnsLeft, s.deckSize, s.handCounts, s.next);
  const next = toAct >= 0 ? (s.next + 1) % cfg.players : s.next;
  return {
    hands: s.hands, handCounts: s.handCounts, knowledge, deck: s.deck, deckSize: s.deckSize,
    fireworks: s.fireworks, discards: s.discards, info, lives: s.lives,
    toAct, next, turnsLeft, fireworksSum: s.fireworksSum, reward: 0, last, history, rng: s.rng,
  };
}
