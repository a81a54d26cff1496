/**
 * Kuhn poker: one card each from J, Q, K; ante 1; check/bet, then fold/call. Your card at the bottom, the
 * opponent's face down at the top until a showdown. Keys: C check/call, B bet, F fold.
 * Render data: `cards` per seat (null = not visible to you), `contributions`, `pot`, `history` ("pb"), `toAct`,
 * `terminal`, `showdown`, `returns`.
 */
import type { JSX } from 'preact';
import type { BoardProps, GameViewEntry } from './types';
import { ActionBar, PlayingCard, PotChips, SeatArea, type PokerAction } from './cards';
import { legalIds } from './keys';

const RANKS = ['J', 'Q', 'K'] as const;

interface KuhnRender {
  readonly cards: readonly (number | null)[];
  readonly contributions: readonly number[];
  readonly pot: number;
  readonly history: string;
  readonly toAct: number | null;
  readonly terminal: boolean;
  readonly showdown: boolean;
  readonly returns: readonly number[];
}

function parse(render: unknown): KuhnRender {
  const r = (render ?? {}) as Partial<KuhnRender>;
  return {
    cards: r.cards ?? [null, null],
    contributions: r.contributions ?? [1, 1],
    pot: r.pot ?? 2,
    history: r.history ?? '',
    toAct: r.toAct ?? null,
    terminal: r.terminal ?? false,
    showdown: r.showdown ?? false,
    returns: r.returns ?? [0, 0],
  };
}

/** Action names depend on whether a bet is waiting to be answered. */
function actionName(action: number, facingBet: boolean): string {
  if (action === 1) return facingBet ? 'Call' : 'Bet';
  return facingBet ? 'Fold' : 'Check';
}

const rank = (card: number | null | undefined): string | null => (card === null || card === undefined ? null : (RANKS[card] ?? '?'));

function Board({ render, seat, turn, act, seats }: BoardProps): JSX.Element {
  const r = parse(render);
  const me = seat ?? 0;
  const other = 1 - me;
  const facing = r.history.includes('b');
  const legal = legalIds(turn?.legalActions);
  const actions: PokerAction[] = [...legal].map((id) => ({
    id,
    label: actionName(id, facing),
    key: id === 1 ? (facing ? 'c' : 'b') : facing ? 'f' : 'c',
    tone: id === 1 ? 'primary' : facing ? 'danger' : undefined,
  }));
  const log = [...r.history].map((ch, i) => ({ seat: i % 2, text: actionName(ch === 'b' ? 1 : 0, r.history.slice(0, i).includes('b')) }));
  const name = (s: number): string => seats[s]?.name ?? `Seat ${s + 1}`;
  const seatView = (s: number, position: 'top' | 'bottom'): JSX.Element => (
    <SeatArea name={name(s)} you={seat === s} active={r.toAct === s} chips={`in pot ${r.contributions[s] ?? 0}`} position={position}>
      <PlayingCard rank={rank(r.cards[s])} label={name(s)} />
      {r.terminal && <span class={`result-chip ${(r.returns[s] ?? 0) > 0 ? 'up' : (r.returns[s] ?? 0) < 0 ? 'down' : ''}`}>{fmtReturn(r.returns[s] ?? 0)}</span>}
    </SeatArea>
  );
  return (
    <div class="poker" data-testid="board" data-game="kuhn-poker">
      <div class="felt">
        {seatView(other, 'top')}
        <div class="felt-center">
          <PotChips pot={r.pot} />
          <ol class="bet-log" aria-label="Betting">
            {log.map((e, i) => (
              <li key={i} class={`bet seat-${e.seat}`}>
                <b>{name(e.seat)}</b> {e.text.toLowerCase()}s
              </li>
            ))}
            {r.terminal && <li class="bet bet-end">{r.showdown ? 'Showdown' : 'Fold: no showdown'}</li>}
          </ol>
        </div>
        {seatView(me, 'bottom')}
      </div>
      <ActionBar actions={actions} act={act} />
    </div>
  );
}

function fmtReturn(v: number): string {
  return v > 0 ? `+${v}` : String(v);
}

function Icon(): JSX.Element {
  return (
    <svg viewBox="0 0 80 64" class="game-icon" aria-hidden="true">
      <rect x="2" y="4" width="76" height="58" rx="8" fill="#047857" />
      <rect x="18" y="14" width="22" height="32" rx="3" fill="#fff" transform="rotate(-10 29 30)" />
      <rect x="40" y="16" width="22" height="32" rx="3" fill="#fff" transform="rotate(8 51 32)" />
      <text x="24" y="34" font-size="13" font-weight="700" fill="#111827" transform="rotate(-10 29 30)">K</text>
      <text x="46" y="36" font-size="13" font-weight="700" fill="#be123c" transform="rotate(8 51 32)">Q</text>
    </svg>
  );
}

export const kuhnPokerView: GameViewEntry = {
  id: 'kuhn-poker',
  view: { kind: 'board', Board },
  seatLabel: (seat) => (seat === 0 ? 'First to act' : 'Second to act'),
  describe: (action, seat, before) => {
    if (seat < 0) return 'deals a card';
    return typeof action === 'number' ? actionName(action, parse(before).history.includes('b')).toLowerCase() + 's' : 'acts';
  },
  hint: 'use the buttons or their keys',
  Icon,
};
