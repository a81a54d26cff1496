/**
 * /play/<matchId>: your seat in a match. After a reload the seat is rejoined with the reconnection token kept in
 * this tab; a match that cannot be resumed (finished, or held by another tab) says so and links to its replay.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorState, Loading, useAsync } from '../components/async';
import { MatchView } from '../components/match-view';
import { publicApi } from '../identity';
import { resumeMatch, type MatchController } from '../match-session';
import { Link } from '../router';

export function PlayPage({ matchId }: { readonly matchId: string }): JSX.Element {
  const [ctrl, setCtrl] = useState<MatchController | null | 'none'>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setCtrl(null);
    resumeMatch(matchId).then(
      (c) => live && setCtrl(c ?? 'none'),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [matchId]);
  if (error !== null) return <ErrorState error={error} />;
  if (ctrl === null) return <Loading label="Rejoining your match…" />;
  if (ctrl === 'none') return <NotResumable matchId={matchId} />;
  return <MatchView ctrl={ctrl} />;
}

function NotResumable({ matchId }: { readonly matchId: string }): JSX.Element {
  const match = useAsync(() => publicApi.match(matchId), [matchId]);
  if (match.loading) return <Loading />;
  if (match.error !== null) return <ErrorState error={match.error} />;
  const row = match.data!.match;
  return (
    <section class="panel narrow">
      <h1>{row.status === 'running' ? 'This match is being played elsewhere' : 'This match is over'}</h1>
      <p class="muted">
        {row.seats.map((s) => s.name).join(' vs ')} · {row.game}
      </p>
      <div class="row-actions">
        {row.status === 'finished' && (
          <Link href={`/replays/${matchId}`} class="btn btn-primary">
            Watch the replay
          </Link>
        )}
        {row.status === 'running' && (
          <Link href="/watch" class="btn btn-primary">
            Watch live matches
          </Link>
        )}
        <Link href="/" class="btn btn-secondary">
          Lobby
        </Link>
      </div>
    </section>
  );
}
