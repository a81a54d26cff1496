/** /watch: running matches, refreshed every few seconds; /watch/<matchId>: one of them, live (public view). */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Empty, ErrorState, Loading, useAsync } from '../components/async';
import { MatchView } from '../components/match-view';
import { ago } from '../format';
import { gameTitle, useGames } from '../game-info';
import { viewFor } from '../games/registry';
import { publicApi } from '../identity';
import { spectate, type MatchController } from '../match-session';
import { Link } from '../router';

export function WatchListPage(): JSX.Element {
  const live = useAsync(() => publicApi.live(), []);
  const games = useGames();
  useEffect(() => {
    const t = window.setInterval(live.reload, 3000);
    return () => window.clearInterval(t);
  }, [live.reload]);
  return (
    <section class="panel">
      <div class="panel-head">
        <h1>Live matches</h1>
        <span class="live-pill">
          <span class="dot dot-live" aria-hidden="true" /> live
        </span>
      </div>
      {live.loading && !live.data && <Loading />}
      {live.error !== null && !live.data && <ErrorState error={live.error} retry={live.reload} />}
      {live.data && live.data.length === 0 && (
        <Empty>
          Nobody is playing right now. <Link href="/">Start a match</Link> and others can watch it here.
        </Empty>
      )}
      {live.data && live.data.length > 0 && (
        <ul class="match-list">
          {live.data.map((m) => {
            const Icon = viewFor(m.game).Icon;
            return (
              <li key={m.matchId} class="match-row" data-match={m.matchId}>
                <Icon />
                <span class="match-row-main">
                  <span class="match-row-title">{m.seats.map((s) => s.name).join(' vs ')}</span>
                  <span class="muted small">
                    {gameTitle(games, m.game)} · started {ago(m.createdAt)} · {m.watchers} watching
                  </span>
                </span>
                <Link href={`/watch/${m.matchId}`} class="btn btn-small btn-primary">
                  Watch
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function WatchPage({ matchId }: { readonly matchId: string }): JSX.Element {
  const [ctrl, setCtrl] = useState<MatchController | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    let mine: MatchController | null = null;
    spectate(matchId).then(
      (c) => {
        mine = c;
        if (live) setCtrl(c);
        else c.leave();
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
      mine?.leave();
    };
  }, [matchId]);
  if (error !== null) {
    return (
      <section class="panel narrow">
        <ErrorState error={error} />
        <Link href="/watch" class="btn btn-secondary">
          Other live matches
        </Link>
      </section>
    );
  }
  if (!ctrl) return <Loading label="Connecting…" />;
  return <MatchView ctrl={ctrl} />;
}
