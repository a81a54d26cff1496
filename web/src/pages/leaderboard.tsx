/**
 * /leaderboard/<game>: the published leaderboard (Bradley-Terry with bootstrap 95% intervals, drawn on one
 * scale), with the live OpenSkill and Elo ratings and a challenge button for agents the server plays.
 */
import type { Leaderboard, Opponent } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Empty, ErrorState, Loading, useAsync } from '../components/async';
import { IntervalBar } from '../components/interval-bar';
import { showError } from '../components/toasts';
import { fmt0, fmt1 } from '../format';
import { loadGames } from '../game-info';
import { currentIdentity, publicApi } from '../identity';
import { challenge } from '../match-session';
import { Link, navigate } from '../router';

export function LeaderboardPage({ game }: { readonly game: string }): JSX.Element {
  const games = useAsync(loadGames, []);
  const id = game || games.data?.[0]?.id || '';
  return (
    <section class="panel">
      <div class="panel-head">
        <h1>Leaderboards</h1>
      </div>
      <nav class="filter" aria-label="Game">
        {(games.data ?? []).map((g) => (
          <Link key={g.id} href={`/leaderboard/${g.id}`} class={`pill ${id === g.id ? 'is-current' : ''}`}>
            {g.title}
          </Link>
        ))}
      </nav>
      {games.error !== null && <ErrorState error={games.error} retry={games.reload} />}
      {id && <Board key={id} game={id} />}
    </section>
  );
}

function Board({ game }: { readonly game: string }): JSX.Element {
  const board = useAsync(() => publicApi.leaderboard(game), [game]);
  const opponents = useAsync(() => publicApi.opponents(game), [game]);
  if (board.loading && !board.data) return <Loading label="Fitting ratings…" />;
  if (board.error !== null || !board.data) return <ErrorState error={board.error} retry={board.reload} />;
  if (board.data.rows.length === 0) {
    return (
      <Empty>
        No rated matches in this game yet. <Link href="/">Play one</Link> and you will be on the board.
      </Empty>
    );
  }
  return <Table board={board.data} opponents={opponents.data ?? []} />;
}

function Table({ board, opponents }: { readonly board: Leaderboard; readonly opponents: readonly Opponent[] }): JSX.Element {
  const me = currentIdentity()?.agentId;
  const [busy, setBusy] = useState<string | null>(null);
  const playable = new Set(opponents.map((o) => o.agentId));
  const min = Math.min(...board.rows.map((r) => r.bt.lower));
  const max = Math.max(...board.rows.map((r) => r.bt.upper));
  const play = async (name: string): Promise<void> => {
    setBusy(name);
    try {
      navigate(`/play/${await challenge({ game: board.game, opponent: name })}`);
    } catch (error) {
      showError(error);
      setBusy(null);
    }
  };
  return (
    <>
      <p class="muted small board-note">
        {board.matches} rated matches. Rating: Bradley-Terry fit on an Elo scale with its 95% interval from {board.resamples} bootstrap resamples; OpenSkill μ ± σ and Elo are the live ratings.
      </p>
      <div class="table-wrap">
        <table class="leaderboard" data-testid="leaderboard">
          <thead>
            <tr>
              <th class="num">#</th>
              <th>Player</th>
              <th class="num">Rating</th>
              <th class="interval-col">95% interval</th>
              <th class="num hide-sm">OpenSkill</th>
              <th class="num hide-sm">Elo</th>
              <th class="num">W-D-L</th>
              <th class="hide-sm" />
            </tr>
          </thead>
          <tbody>
            {board.rows.map((r, i) => (
              <tr key={r.agentId} class={r.agentId === me ? 'is-me' : ''} data-agent={r.name}>
                <td class="num rank">{i + 1}</td>
                <td>
                  <Link href={`/agents/${encodeURIComponent(r.name)}`} class="agent-link">
                    {r.name}
                  </Link>
                  {r.agentId === me && <span class="badge badge-you">You</span>}
                  {r.nashConv !== undefined && <span class="muted small"> · NashConv {r.nashConv.toFixed(3)}</span>}
                </td>
                <td class="num strong">{fmt0(r.bt.rating)}</td>
                <td class="interval-col">
                  <IntervalBar lower={r.bt.lower} rating={r.bt.rating} upper={r.bt.upper} min={min} max={max} />
                  <span class="interval-text" data-testid="interval">
                    {fmt0(r.bt.lower)} – {fmt0(r.bt.upper)}
                  </span>
                </td>
                <td class="num hide-sm">
                  {fmt1(r.mu)} ± {fmt1(r.sigma)}
                </td>
                <td class="num hide-sm">{fmt0(r.elo)}</td>
                <td class="num">
                  {r.wins}-{r.draws}-{r.losses}
                </td>
                <td class="hide-sm">
                  {playable.has(r.agentId) && r.agentId !== me && (
                    <button type="button" class="btn btn-small btn-secondary" disabled={busy !== null} onClick={() => void play(r.name)}>
                      {busy === r.name ? 'Starting…' : 'Challenge'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
