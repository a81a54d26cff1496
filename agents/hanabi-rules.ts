/**
 * A rule-based Hanabi agent. It reads only what its seat is shown: the canonical observation tensor (decoded
 * with the game's own decoder) and the legal actions; never the state. Deterministic given the view.
 *
 * What a seat may know about its own card: the plausible cards from hints (HLE card knowledge), minus every
 * card whose copies are all visible (discarded, on the fireworks, or in a teammate's hand). In order:
 * 1. Play the oldest card known to be playable (every card it may still be is playable now).
 * 2. With a hint token, a hint: the one that makes the most of a teammate's playable cards known playable,
 *    else the one that tells the most of a teammate's cards something new (ties: nearest teammate first, then
 *    the lowest action id).
 * 3. Discard (not at max tokens): the oldest card known to be useless (already played), else the oldest card
 *    no hint has touched, else the oldest card.
 * 4. A legal hint that tells nothing new (rather than a blind play), else the first legal action.
 *
 * Self-play, standard 2-player game, seeds 0..999: mean score 12.29 (sd 3.04); the uniformly random agent 0.00.
 */
import type { Agent, SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';
import type { AnyGame } from '../environments/core/game';
import { hanabi, hanabiConfig, type HanabiConfig } from '../environments/cooperative/hanabi';
import {
  decodeObservation,
  hanabiLayout,
  type DecodedObservation,
  type HanabiLayout,
} from '../environments/cooperative/hanabi-observation';

/** Cards (bit = card id) that could be played now. */
function playableCards(cfg: HanabiConfig, fireworks: readonly number[]): number {
  let m = 0;
  for (let c = 0; c < cfg.colors; c++) {
    const f = fireworks[c] as number;
    if (f < cfg.ranks) m |= 1 << (c * cfg.ranks + f);
  }
  return m;
}

/** Cards (bit = card id) already played: any further copy is useless. */
function deadCards(cfg: HanabiConfig, fireworks: readonly number[]): number {
  let m = 0;
  for (let c = 0; c < cfg.colors; c++) for (let r = 0; r < (fireworks[c] as number); r++) m |= 1 << (c * cfg.ranks + r);
  return m;
}

/** Cards (bit = card id) whose every copy the observer can see, so none can be in its own hand. */
function exhaustedCards(cfg: HanabiConfig, o: DecodedObservation): number {
  const seen = o.discards.slice();
  for (let c = 0; c < cfg.colors; c++) for (let r = 0; r < (o.fireworks[c] as number); r++) seen[c * cfg.ranks + r]! += 1;
  for (let k = 1; k < o.hands.length; k++) for (const card of o.hands[k] as readonly number[]) seen[card]! += 1;
  let m = 0;
  for (let id = 0; id < cfg.numCards; id++) {
    if ((seen[id] as number) >= (cfg.rankCounts[cfg.cardRank[id] as number] as number)) m |= 1 << id;
  }
  return m;
}

/** Card ids of one colour or of one rank, as a bitmask. */
function colorCards(cfg: HanabiConfig, c: number): number {
  return ((1 << cfg.ranks) - 1) << (c * cfg.ranks);
}
function rankCards(cfg: HanabiConfig, r: number): number {
  let m = 0;
  for (let c = 0; c < cfg.colors; c++) m |= 1 << (c * cfg.ranks + r);
  return m;
}

/** The first item with the highest positive score, or null. */
function bestBy<T>(items: readonly T[], score: (item: T) => number): T | null {
  let best: T | null = null;
  let top = 0;
  for (const item of items) {
    const v = score(item);
    if (v > top) {
      best = item;
      top = v;
    }
  }
  return best;
}

interface Hint {
  readonly action: number;
  /** Teammate cards that become known playable. */
  readonly madePlayable: number;
  /** Teammate cards whose plausible set shrinks. */
  readonly informed: number;
}

export class HanabiRulesAgent implements Agent<number> {
  readonly name = 'hanabi-rules';
  private decoder: { game: AnyGame; cfg: HanabiConfig; layout: HanabiLayout } | null = null;

  /** With `game`, refuses a game other than Hanabi now (agent/unsupported-game) rather than at the first move. */
  constructor(game?: AnyGame) {
    if (game !== undefined) this.decoderFor(game);
  }

  act(view: SeatView<unknown, number>): number {
    const legal = view.legalActions;
    if (legal.length === 0) throw new ArenaError('agent/unsupported-game', 'hanabi-rules: no legal action');
    const { cfg, layout } = this.decoderFor(view.game);
    const o = decodeObservation(cfg, layout, view.observationTensor);
    const isLegal = (a: number): boolean => legal.includes(a);

    const playable = playableCards(cfg, o.fireworks);
    const own = o.knowledge[0] ?? [];
    const unseen = ~exhaustedCards(cfg, o);
    const possible = own.map((k) => (k.plausible & unseen) || k.plausible);

    // 1. A card known to be playable.
    for (let i = 0; i < possible.length; i++) {
      if (((possible[i] as number) & ~playable) === 0 && isLegal(cfg.playBase + i)) return cfg.playBase + i;
    }
    // 2. A hint (there are none without a token): one that makes a teammate's playable card known, else the
    // one that tells the most cards something new.
    const hints = this.hints(cfg, o, playable).filter((h) => isLegal(h.action));
    const hint = bestBy(hints, (h) => h.madePlayable) ?? bestBy(hints, (h) => h.informed);
    if (hint !== null) return hint.action;
    // 3. Discard (illegal at max tokens).
    if (o.info < cfg.maxInfo) {
      const dead = deadCards(cfg, o.fireworks);
      let slot = possible.findIndex((m) => (m & ~dead) === 0);
      if (slot < 0) slot = own.findIndex((k) => k.color < 0 && k.rank < 0);
      if (slot < 0) slot = 0;
      if (isLegal(slot)) return slot;
    }
    // 4. A hint that tells nothing new still beats a blind play; a blind play only when nothing else is legal.
    return hints[0]?.action ?? (legal[0] as number);
  }

  /** Every hint that touches a teammate's card, nearest teammate first, ascending action id within one. */
  private hints(cfg: HanabiConfig, o: DecodedObservation, playable: number): Hint[] {
    const out: Hint[] = [];
    for (let k = 1; k < cfg.players; k++) {
      const hand = o.hands[k] as readonly number[];
      const know = o.knowledge[k] ?? [];
      const consider = (action: number, cards: number): void => {
        let touched = false;
        let madePlayable = 0;
        let informed = 0;
        hand.forEach((card, i) => {
          const before = know[i]?.plausible ?? 0;
          const hit = ((cards >> card) & 1) === 1;
          touched ||= hit;
          const after = hit ? before & cards : before & ~cards;
          if (after !== before) informed++;
          if ((before & ~playable) !== 0 && (after & ~playable) === 0) madePlayable++;
        });
        if (touched) out.push({ action, madePlayable, informed });
      };
      for (let c = 0; c < cfg.colors; c++) consider(cfg.colorBase + (k - 1) * cfg.colors + c, colorCards(cfg, c));
      for (let r = 0; r < cfg.ranks; r++) consider(cfg.rankBase + (k - 1) * cfg.ranks + r, rankCards(cfg, r));
    }
    return out;
  }

  private decoderFor(game: AnyGame): { cfg: HanabiConfig; layout: HanabiLayout } {
    if (this.decoder?.game !== game) {
      if (game.spec.id !== hanabi.spec.id) {
        throw new ArenaError('agent/unsupported-game', `hanabi-rules plays hanabi, not ${game.spec.id}`);
      }
      const cfg = hanabiConfig(hanabi.spec.params.parse(game.params));
      this.decoder = { game, cfg, layout: hanabiLayout(cfg) };
    }
    return this.decoder;
  }
}
