/**
 * /replays/<matchId>: a finished match move by move (the public view, rebuilt by the server from the record):
 * a step slider, buttons, a clickable move list, and keys (arrows step, Home/End jump, Space plays).
 */
import type { Replay } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorState, Loading, useAsync } from '../components/async';
import { resultLine } from '../format';
import { gameTitle, useGames } from '../game-info';
import { useKeys } from '../games/keys';
import { GameBoard, viewFor } from '../games/registry';
import { publicApi } from '../identity';
import { Link } from '../router';

export function ReplayPage({ matchId }: { readonly matchId: string }): JSX.Element {
  const replay = useAsync(() => publicApi.replay(matchId), [matchId]);
  if (replay.loading && !replay.data) return <Loading label="Loading the replay…" />;
  if (replay.error !== null || !replay.data) return <ErrorState error={replay.error} retry={replay.reload} />;
  return <ReplayViewer replay={replay.data} />;
}

function ReplayViewer({ replay }: { readonly replay: Replay }): JSX.Element {
  const entry = viewFor(replay.game.id);
  const games = useGames();
  const total = replay.frames.length;
  const [step, setStep] = useState(total);
  const [playing, setPlaying] = useState(false);
  const go = (n: number): void => setStep(Math.max(0, Math.min(total, n)));
  useEffect(() => {
    if (!playing) return;
    if (step >= total) {
      setPlaying(false);
      return;
    }
    const t = window.setTimeout(() => setStep((s) => s + 1), 700);
    return () => window.clearTimeout(t);
  }, [playing, step, total]);
  useKeys(true, (key) => {
    if (key === 'ArrowLeft') go(step - 1);
    else if (key === 'ArrowRight') go(step + 1);
    else if (key === 'Home') go(0);
    else if (key === 'End') go(total);
    else if (key === ' ') setPlaying((p) => (step >= total ? (go(0), true) : !p));
    else return false;
    return true;
  });
  const render = step === 0 ? replay.initial : replay.frames[step - 1]!.render;
  const name = (seat: number): string => replay.seats[seat]?.name ?? entry.seatLabel(seat);
  const moves = replay.frames.map((f, i) => {
    const before = i === 0 ? replay.initial : replay.frames[i - 1]!.render;
    return f.actions.map((a) => ({ seat: a.seat, who: a.seat < 0 ? 'Dealer' : name(a.seat), text: entry.describe(a.action, a.seat, before) }));
  });
  const caption = (i: number): string => moves[i]?.map((m) => `${m.who} ${m.text}`).join(', ') ?? '';
  const finished = resultLine(replay, null, name);
  return (
    <div class="replay" data-testid="replay">
      <div class="panel-head">
        <h1>
          {replay.seats.map((s) => s.name).join(' vs ')}
          <span class="muted"> · {gameTitle(games, replay.game.id)}</span>
        </h1>
      </div>
      <div class="replay-layout">
        <div class="replay-main">
          <div class="board-wrap">
            <GameBoard game={replay.game.id} render={render} seat={null} turn={null} act={null} seats={replay.seats} />
          </div>
          <div class="scrubber">
            <div class="scrubber-buttons" role="group" aria-label="Replay controls">
              <button type="button" class="btn btn-icon" onClick={() => go(0)} aria-label="First move" disabled={step === 0}>
                <Icon d="M6 5v14M18 6l-9 6 9 6z" />
              </button>
              <button type="button" class="btn btn-icon" onClick={() => go(step - 1)} aria-label="Previous move" disabled={step === 0} data-testid="prev">
                <Icon d="M15 6l-6 6 6 6" />
              </button>
              <button type="button" class="btn btn-icon btn-play" onClick={() => (step >= total ? (go(0), setPlaying(true)) : setPlaying(!playing))} aria-label={playing ? 'Pause' : 'Play'}>
                {playing ? <Icon d="M8 5v14M16 5v14" /> : <Icon d="M8 5l11 7-11 7z" fill />}
              </button>
              <button type="button" class="btn btn-icon" onClick={() => go(step + 1)} aria-label="Next move" disabled={step === total} data-testid="next">
                <Icon d="M9 6l6 6-6 6" />
              </button>
              <button type="button" class="btn btn-icon" onClick={() => go(total)} aria-label="Last move" disabled={step === total}>
                <Icon d="M18 5v14M6 6l9 6-9 6z" />
              </button>
            </div>
            <input type="range" class="slider" min={0} max={total} value={step} aria-label="Step" data-testid="step-slider" onInput={(e) => go(Number((e.currentTarget as HTMLInputElement).value))} />
            <div class="scrubber-caption" data-testid="step-caption">
              <b>
                Step {step} / {total}
              </b>
              <span>{step === 0 ? 'Start' : caption(step - 1)}</span>
            </div>
          </div>
          {step === total && <div class="status status-final">{finished}</div>}
        </div>
        <aside class="move-list-wrap">
          <h2 class="section-title">Moves</h2>
          <ol class="move-list">
            {moves.map((m, i) => (
              <li key={i}>
                <button type="button" class={`move ${step === i + 1 ? 'is-current' : ''}`} onClick={() => go(i + 1)}>
                  <span class="move-n">{i + 1}</span>
                  {m.map((a, j) => (
                    <span key={j} class="move-part">
                      <span class={`seat-dot seat-${a.seat}`} aria-hidden="true" />
                      <b>{a.who}</b> {a.text}
                    </span>
                  ))}
                </button>
              </li>
            ))}
          </ol>
          <Link href="/replays" class="btn btn-ghost btn-small">
            ← All replays
          </Link>
        </aside>
      </div>
    </div>
  );
}

function Icon({ d, fill = false }: { readonly d: string; readonly fill?: boolean }): JSX.Element {
  return (
    <svg viewBox="0 0 24 24" class="icon" aria-hidden="true">
      <path d={d} fill={fill ? 'currentColor' : 'none'} stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
