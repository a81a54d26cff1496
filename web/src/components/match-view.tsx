/**
 * A live match on screen, for a player or a spectator: the players with their seat colours and the clock of the
 * decision you owe, a status line, the game's board, refusals from the server inline, a banner while the
 * connection is being restored, and the result with what to do next.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { clock, outcomeFor, resultLine } from '../format';
import { GameBoard, viewFor } from '../games/registry';
import type { MatchController } from '../match-session';
import { challenge, useMatchState } from '../match-session';
import { Link, navigate } from '../router';
import { showError } from './toasts';

export function MatchView({ ctrl }: { readonly ctrl: MatchController }): JSX.Element {
  const s = useMatchState(ctrl);
  const [confirmResign, setConfirmResign] = useState(false);
  const w = s.welcome;
  if (!w) {
    return (
      <div class="state state-loading" role="status">
        <span class="spinner" aria-hidden="true" />
        {s.phase === 'failed' ? s.notice : 'Joining the match…'}
      </div>
    );
  }
  const entry = viewFor(w.game);
  const mySeat = w.seat;
  const name = (seat: number): string => w.seats[seat]?.name ?? `Seat ${seat + 1}`;
  const ended = s.summary !== null;
  const myTurn = s.turn !== null && !ended;
  const opponents = w.seats.map((_, i) => i).filter((i) => i !== mySeat);
  let status: string;
  if (s.summary) status = resultLine(s.summary, mySeat, name);
  else if (s.phase === 'failed') status = s.notice ?? 'The match could not continue.';
  else if (mySeat === null) status = s.view?.terminal ? 'Finishing…' : 'Live';
  else if (myTurn) status = s.sent ? 'Sending your move…' : 'Your move';
  else if (!s.view || s.view.step === 0) status = `Waiting for ${opponents.map(name).join(' and ')} to join…`;
  else status = `Waiting for ${opponents.map(name).join(' and ')}…`;
  const outcome = s.summary && mySeat !== null ? outcomeFor(s.summary.returns, mySeat) : null;

  const rematch = async (): Promise<void> => {
    const opponent = opponents[0];
    if (opponent === undefined) return;
    try {
      const matchId = await challenge({ game: w.game, opponent: name(opponent), ...(mySeat !== null ? { seat: 1 - mySeat } : {}) });
      navigate(`/play/${matchId}`);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <div class="match" data-phase={s.phase} data-match={ctrl.matchId} data-turn={myTurn && !s.sent ? String(s.turn!.step) : ''}>
      <div class="players">
        {w.seats.map((seat, i) => (
          <div key={i} class={`player seat-${i} ${mySeat === i ? 'is-me' : ''} ${isToAct(s.view?.render, i) && !ended ? 'is-to-act' : ''}`} data-seat={i}>
            <span class={`seat-dot seat-${i}`} aria-hidden="true" />
            <span class="player-text">
              <span class="player-name">{seat.name}</span>
              <span class="player-role">
                {entry.seatLabel(i)}
                {mySeat === i && <span class="badge badge-you">You</span>}
              </span>
            </span>
            {mySeat === i && myTurn && s.turn?.timeLimitMs !== undefined && <Clock deadline={s.turnAt + s.turn.timeLimitMs} />}
            {s.summary && <span class="player-return">{fmtReturn(s.summary.returns[i] ?? 0)}</span>}
          </div>
        ))}
      </div>

      <div class={`status ${outcome ? `status-${outcome}` : myTurn ? 'status-turn' : ''}`} data-testid="status" aria-live="polite">
        {status}
        {myTurn && !s.sent && <span class="status-hint">{entry.hint}</span>}
      </div>
      {s.connection === 'dropped' && (
        <div class="banner banner-warn" role="status">
          <span class="spinner" aria-hidden="true" /> Connection lost. Reconnecting…
        </div>
      )}
      {s.notice && s.phase !== 'failed' && (
        <div class="banner banner-error" role="alert" data-testid="notice">
          {s.notice}
        </div>
      )}

      <div class="board-wrap">
        <GameBoard game={w.game} render={s.view?.render ?? null} seat={mySeat} turn={ended ? null : s.turn} act={myTurn && !s.sent ? (a) => ctrl.act(a) : null} seats={w.seats} />
      </div>

      <div class="match-actions">
        {!ended && mySeat !== null && s.phase === 'playing' && (
          confirmResign ? (
            <span class="confirm">
              Give up this match?
              <button type="button" class="btn btn-danger btn-small" onClick={() => ctrl.resign()}>
                Resign
              </button>
              <button type="button" class="btn btn-secondary btn-small" onClick={() => setConfirmResign(false)}>
                Keep playing
              </button>
            </span>
          ) : (
            <button type="button" class="btn btn-ghost btn-small" onClick={() => setConfirmResign(true)}>
              Resign
            </button>
          )
        )}
        {ended && (
          <>
            {mySeat !== null && (
              <button type="button" class="btn btn-primary" onClick={() => void rematch()}>
                Rematch
              </button>
            )}
            <Link href={`/replays/${ctrl.matchId}`} class="btn btn-secondary" data-testid="replay-link">
              Watch the replay
            </Link>
            <Link href="/" class="btn btn-ghost">
              Lobby
            </Link>
          </>
        )}
      </div>
    </div>
  );
}

function Clock({ deadline }: { readonly deadline: number }): JSX.Element {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(t);
  }, [deadline]);
  const left = deadline - now;
  return (
    <span class={`clock ${left < 10_000 ? 'clock-low' : ''}`} role="timer" aria-label="Time left for your move">
      {clock(left)}
    </span>
  );
}

/** Whose turn it is, from the render data of games that say so (toMove / toAct). */
function isToAct(render: unknown, seat: number): boolean {
  const r = render as { toMove?: unknown; toAct?: unknown } | null;
  return r?.toMove === seat || r?.toAct === seat;
}

function fmtReturn(v: number): string {
  return v > 0 ? `+${v}` : String(v);
}
