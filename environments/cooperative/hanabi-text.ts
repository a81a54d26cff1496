/**
 * Hanabi's strings and views: action names, the per-seat text observation (for LLM agents), the perfect-recall
 * information-state string and the render payloads. Everything here shows a seat only what it may see: its own
 * cards never (only what hints told it), the other hands always; spectators see no card faces until the end.
 */
import { ArenaError } from '../core/errors';
import { CHANCE, type Json, type Seat } from '../core/game';
import { historyActions } from '../core/helpers';
import {
  applyMove,
  COLOR_CHARS,
  decodeMove,
  hintedColor,
  hintedRank,
  initialState,
  OVER,
  playerToDeal,
  plausibleColors,
  plausibleRanks,
  score,
  type HanabiConfig,
  type HanabiState,
} from './hanabi-rules';

/** "R3": colour letter and 1-based rank. */
export function cardName(cfg: HanabiConfig, card: number): string {
  return `${COLOR_CHARS[cfg.cardColor[card] as number]}${(cfg.cardRank[card] as number) + 1}`;
}

/** HLE's move names without the parentheses: "Discard 0", "Play 2", "Reveal player +1 color R", "Deal R3". */
export function moveName(cfg: HanabiConfig, seat: Seat, action: number): string {
  if (seat === CHANCE) return `Deal ${cardName(cfg, action)}`;
  const m = decodeMove(cfg, action);
  switch (m.kind) {
    case 'discard':
      return `Discard ${m.slot}`;
    case 'play':
      return `Play ${m.slot}`;
    case 'color':
      return `Reveal player +${m.offset} color ${COLOR_CHARS[m.color]}`;
    case 'rank':
      return `Reveal player +${m.offset} rank ${m.rank + 1}`;
  }
}

const seatLabel = (p: Seat, viewer: Seat | null, players: number): string =>
  viewer === null ? `seat ${p}` : p === viewer ? 'you' : `seat ${p} (+${(p - viewer + players) % players})`;

/** "hinted R? | could be RY 123": the hinted values and what is still plausible. */
function knowledgeText(cfg: HanabiConfig, k: number): string {
  const hc = hintedColor(k);
  const hr = hintedRank(k);
  let colors = '';
  for (let c = 0; c < cfg.colors; c++) if ((plausibleColors(k) >> c) & 1) colors += COLOR_CHARS[c];
  let ranks = '';
  for (let r = 0; r < cfg.ranks; r++) if ((plausibleRanks(k) >> r) & 1) ranks += String(r + 1);
  const hinted = hc < 0 && hr < 0 ? 'none' : `${hc < 0 ? '?' : COLOR_CHARS[hc]}${hr < 0 ? '?' : hr + 1}`;
  return `hinted ${hinted} | could be ${colors} ${ranks}`;
}

/** The last move that was not a deal, in words relative to `viewer`. */
function lastMoveText(cfg: HanabiConfig, s: HanabiState, viewer: Seat | null): string {
  const m = s.last;
  if (m === null) return 'none';
  const who = seatLabel(m.player, viewer, cfg.players);
  const mv = decodeMove(cfg, m.action);
  if (mv.kind === 'play' || mv.kind === 'discard') {
    const card = cardName(cfg, m.card);
    if (mv.kind === 'discard') return `${who} discarded slot ${mv.slot}: ${card}`;
    const outcome = m.scored ? `scored${m.infoToken ? ' and regained a hint token' : ''}` : 'failed (lost a life)';
    return `${who} played slot ${mv.slot}: ${card}, ${outcome}`;
  }
  const target = seatLabel((m.player + mv.offset) % cfg.players, viewer, cfg.players);
  const what = mv.kind === 'color' ? `colour ${COLOR_CHARS[mv.color]}` : `rank ${mv.rank + 1}`;
  const slots: number[] = [];
  for (let i = 0; i < cfg.handSize; i++) if ((m.reveal >> i) & 1) slots.push(i);
  return `${who} told ${target} about ${what}: slot${slots.length > 1 ? 's' : ''} ${slots.join(', ')}`;
}

function status(cfg: HanabiConfig, s: HanabiState, viewer: Seat | null): string {
  if (s.toAct === OVER) return `Game over: score ${score(s)} of ${cfg.maxScore}.`;
  if (s.toAct === CHANCE) return 'Dealing cards.';
  const finalRound = s.deckSize === 0 ? ` The deck is empty: ${s.turnsLeft} turn${s.turnsLeft === 1 ? '' : 's'} left.` : '';
  return `To act: ${seatLabel(s.toAct, viewer, cfg.players)}.${finalRound}`;
}

function discardList(cfg: HanabiConfig, s: HanabiState): string[] {
  const out: string[] = [];
  for (let id = 0; id < cfg.numCards; id++) for (let n = s.discards[id] as number; n > 0; n--) out.push(cardName(cfg, id));
  return out;
}

/** The text observation of `seat`: board, others' hands with what they know, own knowledge, last move. */
export function observationString(cfg: HanabiConfig, s: HanabiState, seat: Seat): string {
  const H = cfg.handSize;
  const lines = [
    `Hanabi: ${cfg.players} players, ${cfg.colors} colours (${COLOR_CHARS.slice(0, cfg.colors)}), ranks 1-${cfg.ranks}. ` +
      `You are seat ${seat}.`,
    status(cfg, s, seat),
    `Score ${score(s)}/${cfg.maxScore}. Info tokens ${s.info}/${cfg.maxInfo}. Lives ${s.lives}/${cfg.maxLives}. Deck ${s.deckSize}.`,
    `Fireworks: ${Array.from({ length: cfg.colors }, (_, c) => `${COLOR_CHARS[c]}${s.fireworks[c]}`).join(' ')}`,
    `Discards: ${discardList(cfg, s).join(' ') || 'none'}`,
    `Your hand (hidden from you; slot 0 is the oldest):`,
  ];
  for (let i = 0; i < (s.handCounts[seat] as number); i++) {
    lines.push(`  slot ${i}: ?? ${knowledgeText(cfg, s.knowledge[seat * H + i] as number)}`);
  }
  for (let k = 1; k < cfg.players; k++) {
    const p = (seat + k) % cfg.players;
    lines.push(`Hand of seat ${p} (+${k}), with what they know:`);
    for (let i = 0; i < (s.handCounts[p] as number); i++) {
      lines.push(`  slot ${i}: ${cardName(cfg, s.hands[p * H + i] as number)} ${knowledgeText(cfg, s.knowledge[p * H + i] as number)}`);
    }
  }
  lines.push(`Last action: ${lastMoveText(cfg, s, seat)}`);
  return lines.join('\n');
}

/**
 * Perfect-recall information state of `seat`: everything it has seen, in order, with seats relative to it.
 * Deals: "+R3>1" (R3 to seat +1), "+??>0" (a card to itself, unseen). Moves: "1:Play 2=R3", "0:Discard 0=Y1",
 * "1:Reveal player +1 color R@0,2" (slots touched). Built by replaying the history (not a hot path).
 */
export function informationString(cfg: HanabiConfig, s: HanabiState, seat: Seat): string {
  const P = cfg.players;
  const parts = [`observer ${seat} of ${P}`];
  let st = initialState(cfg, s.rng);
  for (const a of historyActions(s.history)) {
    const actor = st.toAct;
    const to = actor === CHANCE ? playerToDeal(cfg, st.handCounts) : -1;
    const next = applyMove(cfg, st, a);
    if (next instanceof ArenaError) throw new Error('hanabi: history does not replay', { cause: next });
    if (actor === CHANCE) {
      const rel = (to - seat + P) % P;
      parts.push(`+${rel === 0 ? '??' : cardName(cfg, a)}>${rel}`);
    } else {
      const rel = (actor - seat + P) % P;
      const m = next.last;
      let detail = '';
      if (m !== null && m.card >= 0) detail = `=${cardName(cfg, m.card)}`;
      else if (m !== null) {
        const slots: number[] = [];
        for (let i = 0; i < cfg.handSize; i++) if ((m.reveal >> i) & 1) slots.push(i);
        detail = `@${slots.join(',')}`;
      }
      parts.push(`${rel}:${moveName(cfg, actor, a)}${detail}`);
    }
    st = next;
  }
  return parts.join(' ');
}

/** Card faces `viewer` may see in seat `p`'s hand: others' during play, everyone's at the end, none for spectators. */
function showsCards(s: HanabiState, viewer: Seat | null, p: Seat): boolean {
  return s.toAct === OVER || (viewer !== null && viewer !== p);
}

export function renderView(cfg: HanabiConfig, s: HanabiState, viewer: Seat | null, returns: readonly number[]): Json {
  const H = cfg.handSize;
  const hands: Json[] = [];
  for (let p = 0; p < cfg.players; p++) {
    const cards: (string | null)[] = [];
    const knowledge: Json[] = [];
    for (let i = 0; i < (s.handCounts[p] as number); i++) {
      cards.push(showsCards(s, viewer, p) ? cardName(cfg, s.hands[p * H + i] as number) : null);
      const k = s.knowledge[p * H + i] as number;
      const hc = hintedColor(k);
      const hr = hintedRank(k);
      let colors = '';
      for (let c = 0; c < cfg.colors; c++) if ((plausibleColors(k) >> c) & 1) colors += COLOR_CHARS[c];
      let ranks = '';
      for (let r = 0; r < cfg.ranks; r++) if ((plausibleRanks(k) >> r) & 1) ranks += String(r + 1);
      knowledge.push({ color: hc < 0 ? null : (COLOR_CHARS[hc] as string), rank: hr < 0 ? null : hr + 1, colors, ranks });
    }
    hands.push({ seat: p, cards, knowledge });
  }
  return {
    colors: COLOR_CHARS.slice(0, cfg.colors),
    ranks: cfg.ranks,
    // Slots per full hand: decodes the move ids (discard/play slot i) for views and replays.
    handSize: H,
    fireworks: [...s.fireworks],
    info: s.info,
    maxInfo: cfg.maxInfo,
    lives: s.lives,
    maxLives: cfg.maxLives,
    deckSize: s.deckSize,
    score: score(s),
    maxScore: cfg.maxScore,
    discards: discardList(cfg, s),
    hands,
    toAct: s.toAct >= 0 ? s.toAct : null,
    dealing: s.toAct === CHANCE,
    terminal: s.toAct === OVER,
    turnsLeft: s.deckSize === 0 ? s.turnsLeft : null,
    lastMove: s.last === null ? null : lastMoveText(cfg, s, viewer),
    returns: [...returns],
  };
}

export function renderBoard(cfg: HanabiConfig, s: HanabiState, viewer: Seat | null): string {
  const H = cfg.handSize;
  const lines = [
    `Hanabi   score ${score(s)}/${cfg.maxScore}   info ${s.info}/${cfg.maxInfo}   ` +
      `lives ${s.lives}/${cfg.maxLives}   deck ${s.deckSize}`,
    `Fireworks: ${Array.from({ length: cfg.colors }, (_, c) => `${COLOR_CHARS[c]}${s.fireworks[c]}`).join(' ')}`,
    `Discards:  ${discardList(cfg, s).join(' ') || '-'}`,
  ];
  for (let p = 0; p < cfg.players; p++) {
    const slots: string[] = [];
    for (let i = 0; i < (s.handCounts[p] as number); i++) {
      const k = s.knowledge[p * H + i] as number;
      const face = showsCards(s, viewer, p) ? cardName(cfg, s.hands[p * H + i] as number) : '??';
      const hc = hintedColor(k);
      const hr = hintedRank(k);
      slots.push(`${face}[${hc < 0 ? '.' : COLOR_CHARS[hc]}${hr < 0 ? '.' : hr + 1}]`);
    }
    lines.push(`Seat ${p}${p === s.toAct ? '*' : ' '} ${slots.join(' ')}`);
  }
  lines.push(`Last: ${lastMoveText(cfg, s, viewer)}`);
  lines.push(status(cfg, s, viewer));
  return lines.join('\n');
}
