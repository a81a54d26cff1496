/**
 * Hanabi's observation tensor: the Hanabi Learning Environment's CanonicalObservationEncoder (card-knowledge
 * observation type), bit for bit, and a decoder that turns a tensor back into the facts an agent reasons about.
 *
 * Sections, in order (P players, C colours, R ranks, H hand size, D full deck, B = C * R bits per card, card
 * bit = colour * R + rank; "relative" = (seat - observer + P) % P; 658 floats in the standard 2-player game):
 * 1. Hands, (P - 1) * H * B + P: each other seat's cards by relative seat 1..P-1, one-hot per slot (empty
 *    slots all zero); then one bit per relative seat 0..P-1 set while that hand is short of H cards.
 * 2. Board, (D - P * H) + B + maxInfo + maxLives: deck size (thermometer; clamped to its D - P * H bits, which
 *    only matters before the first deal ends), fireworks (per colour R bits, one-hot at the top rank played,
 *    all zero when none), information tokens (thermometer), life tokens (thermometer).
 * 3. Discards, D: per colour and rank, a thermometer over that card's copies (3 / 2 / ... / 1 bits).
 * 4. Last move that was not a deal, P + 4 + P + C + R + H + H + B + 2 (all zero before the first move):
 *    acting seat (relative, one-hot); type (play, discard, reveal colour, reveal rank); hint target (relative
 *    to the observer, one-hot); colour hinted; rank hinted; slots the hint touched; slot played/discarded;
 *    card played/discarded; for a play: scored, gave an information token.
 * 5. Card knowledge, P * H * (B + C + R): for every relative seat 0..P-1 (the observer's own hand first) and
 *    slot: plausible cards (colour plausible and rank plausible, from positive and negative hints), then the
 *    colour and the rank revealed by a hint (one-hot, or zero). Empty slots all zero.
 */
import type { Seat } from '../core/game';
import { hintedColor, hintedRank, plausibleColors, plausibleRanks, type HanabiConfig, type HanabiState } from './hanabi-rules';

/** Start offsets of the tensor's sections and fields (see the file comment). */
export interface HanabiLayout {
  readonly bitsPerCard: number;
  readonly hands: number;
  readonly missing: number;
  readonly deck: number;
  readonly deckBits: number;
  readonly fireworks: number;
  readonly info: number;
  readonly lives: number;
  readonly discards: number;
  readonly lastPlayer: number;
  readonly lastType: number;
  readonly lastTarget: number;
  readonly lastColor: number;
  readonly lastRank: number;
  readonly lastReveal: number;
  readonly lastSlot: number;
  readonly lastCard: number;
  readonly lastOutcome: number;
  readonly knowledge: number;
  /** Floats per slot in the knowledge section (B + C + R). */
  readonly knowledgeStride: number;
  readonly size: number;
}

export function hanabiLayout(cfg: HanabiConfig): HanabiLayout {
  const { players: P, colors: C, ranks: R, handSize: H } = cfg;
  const B = C * R;
  const hands = 0;
  const missing = hands + (P - 1) * H * B;
  const deck = missing + P;
  const deckBits = cfg.deckTotal - P * H;
  const fireworks = deck + deckBits;
  const info = fireworks + B;
  const lives = info + cfg.maxInfo;
  const discards = lives + cfg.maxLives;
  const lastPlayer = discards + cfg.deckTotal;
  const lastType = lastPlayer + P;
  const lastTarget = lastType + 4;
  const lastColor = lastTarget + P;
  const lastRank = lastColor + C;
  const lastReveal = lastRank + R;
  const lastSlot = lastReveal + H;
  const lastCard = lastSlot + H;
  const lastOutcome = lastCard + B;
  const knowledge = lastOutcome + 2;
  const knowledgeStride = B + C + R;
  return {
    bitsPerCard: B,
    hands,
    missing,
    deck,
    deckBits,
    fireworks,
    info,
    lives,
    discards,
    lastPlayer,
    lastType,
    lastTarget,
    lastColor,
    lastRank,
    lastReveal,
    lastSlot,
    lastCard,
    lastOutcome,
    knowledge,
    knowledgeStride,
    size: knowledge + P * H * knowledgeStride,
  };
}

const TYPE_PLAY = 0;
const TYPE_DISCARD = 1;
const TYPE_COLOR = 2;
const TYPE_RANK = 3;

/** The canonical observation of `seat` (see the file comment). */
export function encodeObservation(cfg: HanabiConfig, L: HanabiLayout, s: HanabiState, seat: Seat): Float32Array {
  const { players: P, colors: C, ranks: R, handSize: H } = cfg;
  const B = L.bitsPerCard;
  const t = new Float32Array(L.size);
  // 1. Other hands and short hands.
  for (let k = 1; k < P; k++) {
    const p = (seat + k) % P;
    const at = L.hands + (k - 1) * H * B;
    for (let i = 0, n = s.handCounts[p] as number; i < n; i++) t[at + i * B + (s.hands[p * H + i] as number)] = 1;
  }
  for (let k = 0; k < P; k++) if ((s.handCounts[(seat + k) % P] as number) < H) t[L.missing + k] = 1;
  // 2. Board.
  t.fill(1, L.deck, L.deck + Math.min(s.deckSize, L.deckBits));
  for (let c = 0; c < C; c++) {
    const f = s.fireworks[c] as number;
    if (f > 0) t[L.fireworks + c * R + f - 1] = 1;
  }
  t.fill(1, L.info, L.info + s.info);
  t.fill(1, L.lives, L.lives + s.lives);
  // 3. Discards: thermometer per card, each card's block as wide as its copies.
  let at = L.discards;
  for (let id = 0; id < cfg.numCards; id++) {
    t.fill(1, at, at + (s.discards[id] as number));
    at += cfg.rankCounts[cfg.cardRank[id] as number] as number;
  }
  // 4. Last move.
  const m = s.last;
  if (m !== null) {
    const rel = (m.player - seat + P) % P;
    t[L.lastPlayer + rel] = 1;
    if (m.action < cfg.colorBase) {
      const isPlay = m.action >= cfg.playBase;
      t[L.lastType + (isPlay ? TYPE_PLAY : TYPE_DISCARD)] = 1;
      t[L.lastSlot + (isPlay ? m.action - cfg.playBase : m.action)] = 1;
      t[L.lastCard + m.card] = 1;
      if (isPlay) {
        if (m.scored) t[L.lastOutcome] = 1;
        if (m.infoToken) t[L.lastOutcome + 1] = 1;
      }
    } else {
      const isColor = m.action < cfg.rankBase;
      const u = isColor ? m.action - cfg.colorBase : m.action - cfg.rankBase;
      const per = isColor ? C : R;
      t[L.lastType + (isColor ? TYPE_COLOR : TYPE_RANK)] = 1;
      t[L.lastTarget + ((rel + 1 + Math.floor(u / per)) % P)] = 1;
      t[(isColor ? L.lastColor : L.lastRank) + (u % per)] = 1;
      for (let i = 0; i < H; i++) if ((m.reveal >> i) & 1) t[L.lastReveal + i] = 1;
    }
  }
  // 5. Card knowledge, the observer's own hand first.
  for (let k = 0; k < P; k++) {
    const p = (seat + k) % P;
    for (let i = 0, n = s.handCounts[p] as number; i < n; i++) {
      const kw = s.knowledge[p * H + i] as number;
      const o = L.knowledge + (k * H + i) * L.knowledgeStride;
      const colors = plausibleColors(kw);
      const ranks = plausibleRanks(kw);
      for (let c = 0; c < C; c++) {
        if (((colors >> c) & 1) === 0) continue;
        for (let r = 0; r < R; r++) if ((ranks >> r) & 1) t[o + c * R + r] = 1;
      }
      const hc = hintedColor(kw);
      if (hc >= 0) t[o + B + hc] = 1;
      const hr = hintedRank(kw);
      if (hr >= 0) t[o + B + C + hr] = 1;
    }
  }
  return t;
}

/** What one slot's holder knows from hints. */
export interface SlotKnowledge {
  /** Bit `card id` set for every card this slot may hold given the hints (colour * ranks + rank). */
  readonly plausible: number;
  /** The colour / rank a hint revealed, or -1. */
  readonly color: number;
  readonly rank: number;
}

/** The facts in one observation tensor, relative to its observer (index 0 = the observer). */
export interface DecodedObservation {
  /** Cards played per colour. */
  readonly fireworks: readonly number[];
  readonly info: number;
  readonly lives: number;
  readonly deckSize: number;
  /** Discarded copies per card id. */
  readonly discards: readonly number[];
  /** Cards in each relative seat's hand, slot order; the observer's own cards are -1. */
  readonly hands: readonly (readonly number[])[];
  /** Knowledge of each relative seat's cards, slot order (the same length as `hands`). */
  readonly knowledge: readonly (readonly SlotKnowledge[])[];
}

/** Reads an observation tensor made by `encodeObservation` back into facts (what the rule-based agent uses). */
export function decodeObservation(cfg: HanabiConfig, L: HanabiLayout, t: Float32Array): DecodedObservation {
  const { players: P, colors: C, ranks: R, handSize: H } = cfg;
  const B = L.bitsPerCard;
  const count = (from: number, n: number): number => {
    let c = 0;
    for (let i = 0; i < n; i++) if (t[from + i] === 1) c++;
    return c;
  };
  const fireworks: number[] = [];
  for (let c = 0; c < C; c++) {
    let f = 0;
    for (let r = 0; r < R; r++) if (t[L.fireworks + c * R + r] === 1) f = r + 1;
    fireworks.push(f);
  }
  const discards: number[] = [];
  let at = L.discards;
  for (let id = 0; id < cfg.numCards; id++) {
    const copies = cfg.rankCounts[cfg.cardRank[id] as number] as number;
    discards.push(count(at, copies));
    at += copies;
  }
  const hands: number[][] = [];
  const knowledge: SlotKnowledge[][] = [];
  for (let k = 0; k < P; k++) {
    const hand: number[] = [];
    const know: SlotKnowledge[] = [];
    for (let i = 0; i < H; i++) {
      const o = L.knowledge + (k * H + i) * L.knowledgeStride;
      let plausible = 0;
      for (let b = 0; b < B; b++) if (t[o + b] === 1) plausible |= 1 << b;
      if (plausible === 0) break; // a card always has a plausible value: an empty slot, the hand ends here
      let color = -1;
      let rank = -1;
      for (let c = 0; c < C; c++) if (t[o + B + c] === 1) color = c;
      for (let r = 0; r < R; r++) if (t[o + B + C + r] === 1) rank = r;
      know.push({ plausible, color, rank });
      let card = -1;
      if (k > 0) {
        const h = L.hands + ((k - 1) * H + i) * B;
        for (let b = 0; b < B; b++) if (t[h + b] === 1) card = b;
      }
      hand.push(card);
    }
    hands.push(hand);
    knowledge.push(know);
  }
  return {
    fireworks,
    info: count(L.info, cfg.maxInfo),
    lives: count(L.lives, cfg.maxLives),
    deckSize: count(L.deck, L.deckBits),
    discards,
    hands,
    knowledge,
  };
}
