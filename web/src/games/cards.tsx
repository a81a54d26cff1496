/**
 * Pieces shared by the poker views: a playing card (face or back), the felt table with a seat on each side, and
 * the action buttons with their keyboard shortcuts. A hidden card is rendered as a back with no rank anywhere in
 * the DOM (`data-card="hidden"`): what the server did not send cannot leak, and what it sent for you alone is only
 * on your side of the table.
 */
import type { ActionValue } from '@selfplay-arena/client';
import type { ComponentChildren, JSX } from 'preact';
import { useKeys } from './keys';

export function PlayingCard({ rank, suit, label }: { readonly rank: string | null; readonly suit?: string; readonly label?: string }): JSX.Element {
  if (rank === null) {
    return <div class="card card-back" data-card="hidden" aria-label={label ? `${label}: hidden card` : 'hidden card'} />;
  }
  const red = suit === '♥' || suit === '♦';
  return (
    <div class={`card card-face ${red ? 'card-red' : ''}`} data-card={rank} aria-label={label ? `${label}: ${rank}${suit ?? ''}` : `${rank}${suit ?? ''}`}>
      <span class="card-corner">
        {rank}
        {suit && <small>{suit}</small>}
      </span>
      <span class="card-center">{suit ?? rank}</span>
    </div>
  );
}

export function EmptyCardSlot({ label }: { readonly label: string }): JSX.Element {
  return (
    <div class="card card-slot" data-card="none">
      <span>{label}</span>
    </div>
  );
}

export interface PokerAction {
  readonly id: number;
  readonly label: string;
  /** Keyboard shortcut (a lowercase letter). */
  readonly key: string;
  readonly tone?: 'primary' | 'danger';
}

/** The legal actions as buttons; each also answers its key (F, C, B, R...). */
export function ActionBar({ actions, act }: { readonly actions: readonly PokerAction[]; readonly act: ((a: ActionValue) => void) | null }): JSX.Element | null {
  useKeys(act !== null && actions.length > 0, (key) => {
    const a = actions.find((x) => x.key === key.toLowerCase());
    if (!a || !act) return false;
    act(a.id);
    return true;
  });
  if (!act || actions.length === 0) return null;
  return (
    <div class="action-bar" role="group" aria-label="Your action">
      {actions.map((a) => (
        <button key={a.id} type="button" class={`btn ${a.tone === 'primary' ? 'btn-primary' : a.tone === 'danger' ? 'btn-danger' : 'btn-secondary'}`} data-action={a.id} onClick={() => act(a.id)}>
          {a.label} <kbd>{a.key.toUpperCase()}</kbd>
        </button>
      ))}
    </div>
  );
}

export function SeatArea({ name, you, active, chips, children, position }: {
  readonly name: string;
  readonly you: boolean;
  readonly active: boolean;
  readonly chips: string;
  readonly position: 'top' | 'bottom';
  readonly children: ComponentChildren;
}): JSX.Element {
  return (
    <div class={`seat-area seat-area-${position} ${active ? 'is-active' : ''}`} data-you={you ? 'true' : 'false'}>
      <div class="seat-area-head">
        <span class="seat-name">{name}</span>
        {you && <span class="badge badge-you">You</span>}
        <span class="seat-chips">{chips}</span>
      </div>
      <div class="hand">{children}</div>
    </div>
  );
}

export function PotChips({ pot }: { readonly pot: number }): JSX.Element {
  return (
    <div class="pot" aria-label={`Pot ${pot}`}>
      <span class="chip-stack" aria-hidden="true">
        {Array.from({ length: Math.min(pot, 8) }, (_, i) => (
          <span key={i} class="chip" style={{ '--i': i }} />
        ))}
      </span>
      <span class="pot-label">Pot {pot}</span>
    </div>
  );
}
