/**
 * Hanabi: the fireworks (one stack per colour), hint and life tokens, the deck, the discard pile grouped by
 * colour, every hand (the others' cards face up with what their owner knows, your own as backs showing only what
 * hints told you), the last move, and your legal moves as buttons: play or discard under each of your cards, and
 * the colour and rank hints you may give next to each teammate's hand (hovering one lights the cards it touches).
 *
 * Hidden information: a card the server did not send (`null`: your own, or everyone's for spectators until the
 * end) is a back with `data-card="hidden"` and no colour or rank of its own in the DOM; its hinted colour/rank
 * chips are the hint knowledge the server sent to everyone.
 *
 * Render data (environments/cooperative/hanabi-text.ts `renderView`): `colors` ("RYGWB"), `ranks`, `handSize`,
 * `fireworks`, `info`/`maxInfo`, `lives`/`maxLives`, `deckSize`, `score`/`maxScore`, `discards` ("R3"...),
 * `hands` [{seat, cards (name or null), knowledge [{color, rank, colors, ranks}]}], `toAct`, `terminal`,
 * `turnsLeft`, `lastMove`. Move ids are HLE's (environments/cooperative/hanabi.ts): discard slot i, play slot i,
 * then colour hints and rank hints to the player k seats on.
 */
import type { ActionValue } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import './hanabi.css';
import { legalIds } from './keys';
import type { BoardProps, GameViewEntry } from './types';

interface Knowledge {
  readonly color: string | null;
  readonly rank: number | null;
  /** Colours and ranks the card may still be ("RY", "123"). */
  readonly colors: string;
  readonly ranks: string;
}
interface Hand {
  readonly seat: number;
  readonly cards: readonly (string | null)[];
  readonly knowledge: readonly Knowledge[];
}
interface HanabiRender {
  readonly colors: string;
  readonly ranks: number;
  readonly handSize: number;
  readonly fireworks: readonly number[];
  readonly info: number;
  readonly maxInfo: number;
  readonly lives: number;
  readonly maxLives: number;
  readonly deckSize: number;
  readonly score: number;
  readonly maxScore: number;
  readonly discards: readonly string[];
  readonly hands: readonly Hand[];
  readonly toAct: number | null;
  readonly terminal: boolean;
  readonly turnsLeft: number | null;
  readonly lastMove: string | null;
}

const COLOR_NAMES: Readonly<Record<string, string>> = { R: 'Red', Y: 'Yellow', G: 'Green', W: 'White', B: 'Blue' };

function parse(render: unknown): HanabiRender | null {
  const r = render as Partial<HanabiRender> | null;
  if (!r || typeof r.colors !== 'string' || !Array.isArray(r.hands) || typeof r.handSize !== 'number') return null;
  return r as HanabiRender;
}

type HanabiMove =
  | { readonly kind: 'discard' | 'play'; readonly slot: number }
  | { readonly kind: 'color'; readonly offset: number; readonly color: string }
  | { readonly kind: 'rank'; readonly offset: number; readonly rank: number };

/** An HLE move id in the terms of a board (the inverse of the game's numbering); null if out of range. */
function decodeMove(r: Pick<HanabiRender, 'colors' | 'ranks' | 'handSize' | 'hands'>, id: number): HanabiMove | null {
  const H = r.handSize;
  const C = r.colors.length;
  const R = r.ranks;
  const others = r.hands.length - 1;
  if (!Number.isInteger(id) || id < 0) return null;
  if (id < H) return { kind: 'discard', slot: id };
  if (id < 2 * H) return { kind: 'play', slot: id - H };
  const c = id - 2 * H;
  if (c < others * C) return { kind: 'color', offset: Math.floor(c / C) + 1, color: r.colors[c % C] ?? '?' };
  const k = c - others * C;
  if (k < others * R) return { kind: 'rank', offset: Math.floor(k / R) + 1, rank: (k % R) + 1 };
  return null;
}

const playerName = (seat: number): string => `Player ${seat + 1}`;

function Board({ render, seat, turn, act, seats }: BoardProps): JSX.Element {
  const r = parse(render);
  const [hover, setHover] = useState<{ target: number; color?: string; rank?: number } | null>(null);
  if (!r) return <div class="hanabi" data-testid="board" data-game="hanabi" />;
  const P = r.hands.length;
  const me = seat !== null && seat >= 0 && seat < P ? seat : null;
  const legal = act ? legalIds(turn?.legalActions) : new Set<number>();
  const moves = [...legal].map((id) => ({ id, move: decodeMove(r, id) })).filter((m): m is { id: number; move: HanabiMove } => m.move !== null);
  const name = (s: number): string => seats[s]?.name ?? playerName(s);
  const send = (id: number): void => {
    setHover(null);
    act?.(id);
  };
  // Teammates in turn order after you, your own hand last (at the bottom); spectators see seat order.
  const order = me === null ? r.hands.map((h) => h.seat) : Array.from({ length: P }, (_, k) => (me + 1 + k) % P);

  return (
    <div class="hanabi" data-testid="board" data-game="hanabi">
      <div class="hb-table">
        <div class="hb-tokens">
          <TokenRow label="Hints" count={r.info} max={r.maxInfo} kind="info" />
          <TokenRow label="Lives" count={r.lives} max={r.maxLives} kind="life" />
          <div class="hb-deck" data-deck={r.deckSize} aria-label={`Deck: ${r.deckSize} cards`}>
            <span class="hb-deck-card" aria-hidden="true" />
            <span>
              <b>{r.deckSize}</b> in deck
              {r.turnsLeft !== null && !r.terminal && <small> · {r.turnsLeft} turn{r.turnsLeft === 1 ? '' : 's'} left</small>}
            </span>
          </div>
          <div class="hb-score" data-score={r.score}>
            <b>{r.score}</b>
            <span>/ {r.maxScore}</span>
          </div>
        </div>
        <div class="hb-fireworks" aria-label="Fireworks">
          {[...r.colors].map((c, i) => {
            const top = r.fireworks[i] ?? 0;
            return (
              <div key={c} class={`hb-stack hb-${c}`} data-color={c} data-top={top}>
                {top > 0 ? <CardFace name={`${c}${top}`} /> : <span class="hb-card hb-slot">{COLOR_NAMES[c] ?? c}</span>}
                <span class="hb-stack-count">
                  {top}/{r.ranks}
                </span>
              </div>
            );
          })}
        </div>
        <Discards discards={r.discards} colors={r.colors} />
      </div>

      <div class="hb-hands">
        {order.map((p) => {
          const hand = r.hands[p];
          if (!hand) return null;
          const mine = p === me;
          const offset = me === null ? 0 : (p - me + P) % P;
          const hints = moves.filter(({ move }) => (move.kind === 'color' || move.kind === 'rank') && move.offset === offset);
          return (
            <section key={p} class={`hb-hand ${r.toAct === p && !r.terminal ? 'is-active' : ''}`} data-seat={p} data-you={mine ? 'true' : 'false'}>
              <div class="hb-hand-head">
                <span class="hb-name">{name(p)}</span>
                {mine && <span class="badge badge-you">You</span>}
                {r.toAct === p && !r.terminal && <span class="hb-to-act">to act</span>}
              </div>
              <div class="hb-cards">
                {hand.cards.map((card, i) => {
                  const k = hand.knowledge[i];
                  const lit = hover !== null && hover.target === p && card !== null && (hover.color === card[0] || hover.rank === Number(card.slice(1)));
                  const slotMoves = mine ? moves.filter(({ move }) => (move.kind === 'play' || move.kind === 'discard') && move.slot === i) : [];
                  return (
                    <div key={i} class={`hb-slot-wrap ${lit ? 'is-lit' : ''}`} data-slot={i}>
                      {card === null ? <CardBack knowledge={k} /> : <CardFace name={card} />}
                      {k && card !== null && <KnowledgeLine k={k} />}
                      {slotMoves.length > 0 && (
                        <div class="hb-slot-actions">
                          {slotMoves
                            .sort((a, b) => (a.move.kind === 'play' ? -1 : 1) - (b.move.kind === 'play' ? -1 : 1))
                            .map(({ id, move }) => (
                              <button
                                key={id}
                                type="button"
                                class={`btn btn-small ${move.kind === 'play' ? 'btn-primary' : 'btn-secondary'}`}
                                data-action={id}
                                aria-label={`${move.kind === 'play' ? 'Play' : 'Discard'} slot ${i}`}
                                onClick={() => send(id)}
                              >
                                {move.kind === 'play' ? 'Play' : 'Discard'}
                              </button>
                            ))}
                        </div>
                      )}
                    </div>
                  );
                })}
              </div>
              {hints.length > 0 && (
                <div class="hb-hints" role="group" aria-label={`Hints for ${name(p)}`}>
                  <span class="hb-hints-label">Tell {name(p)}:</span>
                  {hints.map(({ id, move }) => {
                    const value = move.kind === 'color' ? { color: move.color } : move.kind === 'rank' ? { rank: move.rank } : {};
                    const text = move.kind === 'color' ? COLOR_NAMES[move.color] ?? move.color : move.kind === 'rank' ? String(move.rank) : '';
                    return (
                      <button
                        key={id}
                        type="button"
                        class={`hb-hint ${move.kind === 'color' ? `hb-hint-color hb-${move.color}` : 'hb-hint-rank'}`}
                        data-action={id}
                        aria-label={`Tell ${name(p)} about ${move.kind === 'color' ? `${text} cards` : `${text}s`}`}
                        onMouseEnter={() => setHover({ target: p, ...value })}
                        onMouseLeave={() => setHover(null)}
                        onFocus={() => setHover({ target: p, ...value })}
                        onBlur={() => setHover(null)}
                        onClick={() => send(id)}
                      >
                        {move.kind === 'color' ? <span class="hb-dot" aria-hidden="true" /> : text}
                      </button>
                    );
                  })}
                </div>
              )}
            </section>
          );
        })}
      </div>

      <div class={`hb-last ${r.terminal ? 'is-final' : ''}`} data-testid="last-move">
        {r.terminal ? (
          <b>
            Final score {r.score} of {r.maxScore}
            {r.lives === 0 ? ': the fuse burnt out' : ''}
          </b>
        ) : null}
        <span>{r.lastMove ? `Last move: ${withNames(r.lastMove, name)}.` : 'No move yet.'}</span>
      </div>
    </div>
  );
}

/** The server's last-move line names seats ("seat 1 (+1) played…"): show the players' names instead. */
function withNames(line: string, name: (seat: number) => string): string {
  return line.replace(/\bseat (\d+)(?: \(\+\d+\))?/g, (_, s: string) => name(Number(s))).replace(/^you\b/, 'You');
}

function TokenRow({ label, count, max, kind }: { readonly label: string; readonly count: number; readonly max: number; readonly kind: 'info' | 'life' }): JSX.Element {
  return (
    <div class={`hb-token-row hb-${kind}`} data-count={count} aria-label={`${label}: ${count} of ${max}`}>
      <span class="hb-token-label">{label}</span>
      <span class="hb-token-list" aria-hidden="true">
        {Array.from({ length: max }, (_, i) => (
          <span key={i} class={`hb-token ${i < count ? 'is-on' : ''}`} />
        ))}
      </span>
    </div>
  );
}

function CardFace({ name }: { readonly name: string }): JSX.Element {
  const color = name[0] ?? '?';
  const rank = name.slice(1);
  return (
    <div class={`hb-card hb-face hb-${color}`} data-card={name} aria-label={`${COLOR_NAMES[color] ?? color} ${rank}`}>
      <span class="hb-corner">{rank}</span>
      <span class="hb-rank">{rank}</span>
    </div>
  );
}

/** Your own card (or any card for spectators): a back, with the hinted colour and rank when hints gave them. */
function CardBack({ knowledge }: { readonly knowledge: Knowledge | undefined }): JSX.Element {
  const color = knowledge?.color ?? null;
  const rank = knowledge?.rank ?? null;
  const could = knowledge ? `could be ${[...knowledge.colors].map((c) => COLOR_NAMES[c] ?? c).join(', ')}; ${[...knowledge.ranks].join(', ')}` : '';
  return (
    <div class={`hb-card hb-back ${color ? `hb-hinted hb-${color}` : ''}`} data-card="hidden" aria-label={`hidden card${color || rank ? `, hinted ${color ? COLOR_NAMES[color] : ''} ${rank ?? ''}` : ''}; ${could}`}>
      {(color !== null || rank !== null) && <span class="hb-hint-mark">{rank ?? '?'}</span>}
      {knowledge && (
        <span class="hb-could" aria-hidden="true">
          <span class="hb-could-colors">
            {[...knowledge.colors].map((c) => (
              <span key={c} class={`hb-mini hb-${c}`} />
            ))}
          </span>
          <span class="hb-could-ranks">{knowledge.ranks}</span>
        </span>
      )}
    </div>
  );
}

/** Under a visible card: what its owner knows about it (a hinted value, else the colours and ranks still open). */
function KnowledgeLine({ k }: { readonly k: Knowledge }): JSX.Element {
  const colors = k.color ? [k.color] : [...k.colors];
  return (
    <span class="hb-knows" title={`Its owner knows: ${k.color ? COLOR_NAMES[k.color] : `one of ${colors.length} colours`}, ${k.rank ?? `rank ${k.ranks}`}`}>
      <span class="hb-could-colors">
        {colors.map((c) => (
          <span key={c} class={`hb-mini hb-${c}`} />
        ))}
      </span>
      {k.rank !== null ? <b>{k.rank}</b> : <span>{k.ranks}</span>}
    </span>
  );
}

function Discards({ discards, colors }: { readonly discards: readonly string[]; readonly colors: string }): JSX.Element {
  return (
    <div class="hb-discards" aria-label="Discard pile">
      <span class="hb-token-label">Discards</span>
      {discards.length === 0 ? (
        <span class="muted small">none yet</span>
      ) : (
        <span class="hb-discard-groups">
          {[...colors].map((c) => {
            const group = discards.filter((d) => d[0] === c).sort();
            if (group.length === 0) return null;
            return (
              <span key={c} class="hb-discard-group">
                {group.map((d, i) => (
                  <span key={i} class={`hb-chip hb-${c}`} data-card={d}>
                    {d.slice(1)}
                  </span>
                ))}
              </span>
            );
          })}
        </span>
      )}
    </div>
  );
}

function describe(action: ActionValue | null, seat: number, before: unknown): string {
  if (seat < 0) return 'deals a card';
  const r = parse(before);
  const m = r && typeof action === 'number' ? decodeMove(r, action) : null;
  if (!r || !m) return 'moves';
  const P = r.hands.length;
  switch (m.kind) {
    case 'play':
      return `plays slot ${m.slot}`;
    case 'discard':
      return `discards slot ${m.slot}`;
    case 'color':
      return `tells ${playerName((seat + m.offset) % P)} about ${COLOR_NAMES[m.color] ?? m.color}`;
    case 'rank':
      return `tells ${playerName((seat + m.offset) % P)} about ${m.rank}s`;
  }
}

function Icon(): JSX.Element {
  const cards = [
    ['#ef4444', -14, '1'],
    ['#facc15', -4, '2'],
    ['#22c55e', 6, '3'],
    ['#3b82f6', 16, '4'],
  ] as const;
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <rect x="2" y="4" width="76" height="58" rx="8" fill="#1e1b4b" />
      <circle cx="16" cy="15" r="2" fill="#fde68a" />
      <circle cx="64" cy="13" r="1.6" fill="#fde68a" />
      {cards.map(([fill, rot, n]) => (
        <g key={n} transform={`rotate(${rot} 40 70)`}>
          <rect x="31" y="18" width="18" height="27" rx="3" fill={fill} stroke="#fff" stroke-width="1.5" />
          <text x="40" y="36" font-size="11" font-weight="800" text-anchor="middle" fill="#111827">
            {n}
          </text>
        </g>
      ))}
    </svg>
  );
}

export const hanabiView: GameViewEntry = {
  id: 'hanabi',
  view: { kind: 'board', Board },
  seatLabel: playerName,
  describe,
  hint: 'play or discard one of your cards, or give a teammate a hint',
  Icon,
};
