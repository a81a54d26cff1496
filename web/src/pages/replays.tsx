/** /replays: finished matches, newest first, by game, yours or everyone's, a page at a time. */
import type { MatchInfo } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Empty, ErrorState, Loading, useAsync } from '../components/async';
import { showError } from '../components/toasts';
import { ago, outcomeFor } from '../format';
import { gameTitle, loadGames, useGames } from '../game-info';
import { viewFor } from '../games/registry';
import { publicApi, useIdentity } from '../identity';
import { Link } from '../router';

const PAGE = 25;

export function ReplaysPage({ game, mine }: { readonly game: string; readonly mine: boolean }): JSX.Element {
  const games = useAsync(loadGames, []);
  const me = useIdentity();
  const agent = mine && me ? me.agentId : undefined;
  const filter = { status: 'finished' as const, limit: PAGE, ...(game ? { game } : {}), ...(agent ? { agent } : {}) };
  const first = useAsync(() => publicApi.matches(filter), [game, agent]);
  const [more, setMore] = useState<MatchInfo[]>([]);
  const [done, setDone] = useState(false);
  useEffect(() => {
    setMore([]);
    setDone(false);
  }, [game, agent]);
  const list = [...(first.data ?? []), ...more];
  const loadMore = async (): Promise<void> => {
    const last = list[list.length - 1];
    if (!last) return;
    try {
      const next = await publicApi.matches({ ...filter, before: last.id });
      setMore((m) => [...m, ...next]);
      if (next.length < PAGE) setDone(true);
    } catch (error) {
      showError(error);
    }
  };
  const href = (g: string, m: boolean): string => {
    const q = new URLSearchParams();
    if (g) q.set('game', g);
    if (m) q.set('mine', '1');
    const s = q.toString();
    return s ? `/replays?${s}` : '/replays';
  };
  return (
    <section class="panel">
      <div class="panel-head">
        <h1>Replays</h1>
        {me && (
          <nav class="segmented" aria-label="Whose matches">
            <Link href={href(game, false)} class={`segment ${!mine ? 'is-current' : ''}`}>
              Everyone
            </Link>
            <Link href={href(game, true)} class={`segment ${mine ? 'is-current' : ''}`}>
              Yours
            </Link>
          </nav>
        )}
      </div>
      <nav class="filter" aria-label="Game">
        <Link href={href('', mine)} class={`pill ${game === '' ? 'is-current' : ''}`}>
          All games
        </Link>
        {(games.data ?? []).map((g) => (
          <Link key={g.id} href={href(g.id, mine)} class={`pill ${game === g.id ? 'is-current' : ''}`}>
            {g.title}
          </Link>
        ))}
      </nav>
      {first.loading && !first.data && <Loading />}
      {first.error !== null && !first.data && <ErrorState error={first.error} retry={first.reload} />}
      {first.data && list.length === 0 && <Empty>{mine ? 'You have no finished matches yet.' : 'No finished matches yet.'}</Empty>}
      {list.length > 0 && (
        <ul class="match-list" data-testid="replay-list">
          {list.map((m) => (
            <ReplayRow key={m.id} match={m} me={me?.agentId} />
          ))}
        </ul>
      )}
      {first.data && first.data.length === PAGE && !done && (
        <div class="row-actions">
          <button type="button" class="btn btn-secondary" onClick={() => void loadMore()}>
            Older matches
          </button>
        </div>
      )}
    </section>
  );
}

function ReplayRow({ match, me }: { readonly match: MatchInfo; readonly me: string | undefined }): JSX.Element {
  const Icon = viewFor(match.game).Icon;
  const games = useGames();
  const mine = match.seats.findIndex((s) => s.agentId !== undefined && s.agentId === me);
  const returns = match.returns ?? [];
  const result = mine >= 0 && returns.length > 0 ? outcomeFor(returns, mine) : null;
  return (
    <li class="match-row" data-match={match.id}>
      <Icon />
      <span class="match-row-main">
        <span class="match-row-title">
          {match.seats.map((s, i) => (
            <span key={i} class={returns.length > 0 && outcomeFor(returns, i) === 'win' ? 'winner' : ''}>
              {i > 0 && <span class="vs"> vs </span>}
              {s.name}
            </span>
          ))}
        </span>
        <span class="muted small">
          {gameTitle(games, match.game)} · {ago(match.endedAt)}
          {match.endReason && match.endReason !== 'terminal' ? ` · ${match.endReason}` : ''}
        </span>
      </span>
      {result && <span class={`chip-tag result-${result}`}>{result === 'win' ? 'You won' : result === 'loss' ? 'You lost' : 'Draw'}</span>}
      <Link href={`/replays/${match.id}`} class="btn btn-small btn-secondary">
        Replay
      </Link>
    </li>
  );
}
