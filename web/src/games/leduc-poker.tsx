/**
 * Leduc hold'em: a private card each from J J Q Q K K, a public card after the first betting round; pairing the
 * public card wins. Keys: F fold, C check/call, R bet/raise.
 * Render data: `cards` per seat (null = hidden from you), `publicCard`, `round`, `round1`/`round2` action ids
 * (0 fold, 1 call/check, 2 raise), `pot`, `money`, `contributions`, `toAct`, `terminal`, `showdown`, `returns`.
 */
import type { JSX } from 'preact';
import type { BoardProps, GameViewEntry } from './types';
import { ActionBar, EmptyCardSlot, PlayingCard, PotChips, SeatArea, type PokerAction } from './cards';
import { legalIds } from './keys';

const RANKS = ['J', 'Q', 'K'] as const;
const SUITS = ['♠', '♥'] as const;

interface LeducRender {
  readonly round: number;
  readonly pot: number;
  readonly money: readonly number[];
  readonly contributions: readonly number[];
  readonly publicCard: number | null;
  readonly cards: readonly (number | null)[];
  readonly round1: readonly number[];
  readonly round2: readonly number[];
  readonly toAct: number | null;
  readonly terminal: boolean;
  readonly showdown: boolean;
  readonly returns: readonly number[];
}

function parse(render: unknown): LeducRender {
  const r = (render ?? {}) as Partial<LeducRender>;
  return {
    round: r.round ?? 1,
    pot: r.pot ?? 2,
    money: r.money ?? [99, 99],
    contributions: r.contributions ?? [1, 1],
    publicCard: r.publicCard ?? null,
    cards: r.cards ?? [null, null],
    round1: r.round1 ?? [],
    round2: r.round2 ?? [],
    toAct: r.toAct ?? null,
    terminal: r.terminal ?? false,
    showdown: r.showdown ?? false,
    returns: r.returns ?? [0, 0],
  };
}

/** A raise waits to be answered when it is the last action of the round. */
function actionName(action: number, facingRaise: boolean): string {
  if (action === 0) return 'Fold';
  if (action === 1) return facingRaise ? 'Call' : 'Check';
  return facingRaise ? 'Raise' : 'Bet';
}

function roundLog(actions: readonly number[]): { seat: number; text: string }[] {
  // Player 0 acts first in both rounds, and turns alternate within a round.
  return actions.map((a, i) => ({ seat: i % 2, text: actionName(a, i > 0 && actions[i - 1] === 2) }));
}

function card(id: number | null | undefined): { rank: string | null; suit?: string } {
  if (id === null || id === undefined || id < 0) return { rank: null };
  return { rank: RANKS[id >> 1] ?? '?', suit: SUITS[id & 1] ?? '' };
}

function Board({ render, seat, turn, act, seats }: BoardProps): JSX.Element {
  const r = parse(render);
  const me = seat ?? 0;
  const other = 1 - me;
  const current = r.round === 2 ? r.round2 : r.round1;
  const facing = current.length > 0 && current[current.length - 1] === 2;
  const keys = ['f', 'c', 'r'];
  const actions: PokerAction[] = [...legalIds(turn?.legalActions)].map((id) => ({
    id,
    label: actionName(id, facing),
    key: keys[id] ?? String(id),
    tone: id === 2 ? 'primary' : id === 0 ? 'danger' : undefined,
  }));
  const name = (s: number): string => seats[s]?.name ?? `Seat ${s + 1}`;
  const seatView = (s: number, position: 'top' | 'bottom'): JSX.Element => {
    const c = card(r.cards[s]);
    return (
      <SeatArea name={name(s)} you={seat === s} active={r.toAct === s} chips={`in pot ${r.contributions[s] ?? 0}`} position={position}>
        <PlayingCard rank={c.rank} {...(c.suit ? { suit: c.suit } : {})} label={name(s)} />
        {r.terminal && <span class={`result-chip ${(r.returns[s] ?? 0) > 0 ? 'up' : (r.returns[s] ?? 0) < 0 ? 'down' : ''}`}>{(r.returns[s] ?? 0) > 0 ? `+${r.returns[s]}` : String(r.returns[s] ?? 0)}</span>}
      </SeatArea>
    );
  };
  const pub = card(r.publicCard);
  const rounds = [roundLog(r.round1), roundLog(r.round2)];
  return (
    <div class="poker" data-testid="board" data-game="leduc-poker">
      <div class="felt">
        {seatView(other, 'top')}
        <div class="felt-center">
          <div class="table-middle">
            <div class="board-card">
              {pub.rank === null ? <EmptyCardSlot label="dealt after round 1" /> : <PlayingCard rank={pub.rank} {...(pub.suit ? { suit: pub.suit } : {})} label="Public card" />}
              <span class="board-label">Public card</span>
            </div>
            {/* At the end the pot has been paid out (0): show what was played for. */}
            <PotChips pot={Math.max(r.pot, (r.contributions[0] ?? 0) + (r.contributions[1] ?? 0))} />
          </div>
          <div class="bet-rounds">
            {rounds.map((log, i) =>
              log.length === 0 ? null : (
                <ol key={i} class="bet-log" aria-label={`Round ${i + 1}`}>
                  <li class="bet bet-round">Round {i + 1}</li>
                  {log.map((e, j) => (
                    <li key={j} class={`bet seat-${e.seat}`}>
                      <b>{name(e.seat)}</b> {e.text.toLowerCase()}s
                    </li>
                  ))}
                </ol>
              ),
            )}
          </div>
        </div>
        {seatView(me, 'bottom')}
      </div>
      <ActionBar actions={actions} act={act} />
    </div>
  );
}

function Icon(): JSX.Element {
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <rect x="2" y="4" width="76" height="58" rx="8" fill="#065f46" />
      <rect x="10" y="18" width="18" height="27" rx="3" fill="#fff" />
      <rect x="31" y="18" width="18" height="27" rx="3" fill="#fde68a" />
      <rect x="52" y="18" width="18" height="27" rx="3" fill="#fff" />
      <text x="14" y="36" font-size="11" font-weight="700" fill="#111827">J</text>
      <text x="35" y="36" font-size="11" font-weight="700" fill="#92400e">K</text>
      <text x="56" y="36" font-size="11" font-weight="700" fill="#be123c">K</text>
    </svg>
  );
}

export const leducPokerView: GameViewEntry = {
  id: 'leduc-poker',
  view: { kind: 'board', Board },
  seatLabel: (seat) => (seat === 0 ? 'First to act' : 'Second to act'),
  describe: (action, seat, before) => {
    if (seat < 0) return 'deals a card';
    if (typeof action !== 'number') return 'acts';
    const b = parse(before);
    const current = b.round === 2 ? b.round2 : b.round1;
    return `${actionName(action, current.length > 0 && current[current.length - 1] === 2).toLowerCase()}s`;
  },
  hint: 'use the buttons or their keys',
  Icon,
};
