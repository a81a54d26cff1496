/** The app shell: header with navigation and identity, the page for the current route, toasts. */
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { Toasts } from './components/toasts';
import { initial } from './format';
import { useIdentity, verifyIdentity } from './identity';
import { useOngoingMatch } from './match-session';
import { AccountPage } from './pages/account';
import { AgentPage } from './pages/agent';
import { LeaderboardPage } from './pages/leaderboard';
import { LobbyPage } from './pages/lobby';
import { PlayPage } from './pages/play';
import { ReplayPage } from './pages/replay';
import { ReplaysPage } from './pages/replays';
import { WatchListPage, WatchPage } from './pages/watch';
import { Link, matchPath, useLocation } from './router';

interface Route {
  readonly path: string;
  readonly page: (params: Record<string, string>, query: URLSearchParams) => JSX.Element;
  /** Which navigation tab is lit. */
  readonly tab: string;
}

const ROUTES: readonly Route[] = [
  { path: '/', tab: 'play', page: () => <LobbyPage /> },
  { path: '/play/:matchId', tab: 'play', page: (p) => <PlayPage matchId={p.matchId!} /> },
  { path: '/watch', tab: 'watch', page: () => <WatchListPage /> },
  { path: '/watch/:matchId', tab: 'watch', page: (p) => <WatchPage matchId={p.matchId!} /> },
  { path: '/replays', tab: 'replays', page: (_p, q) => <ReplaysPage game={q.get('game') ?? ''} mine={q.get('mine') === '1'} /> },
  { path: '/replays/:matchId', tab: 'replays', page: (p) => <ReplayPage matchId={p.matchId!} /> },
  { path: '/leaderboard', tab: 'leaderboard', page: () => <LeaderboardPage game="" /> },
  { path: '/leaderboard/:game', tab: 'leaderboard', page: (p) => <LeaderboardPage game={p.game!} /> },
  { path: '/agents/:name', tab: 'leaderboard', page: (p) => <AgentPage name={p.name!} /> },
  { path: '/account', tab: 'account', page: () => <AccountPage /> },
];

const TABS = [
  { id: 'play', href: '/', label: 'Play' },
  { id: 'watch', href: '/watch', label: 'Watch' },
  { id: 'replays', href: '/replays', label: 'Replays' },
  { id: 'leaderboard', href: '/leaderboard', label: 'Leaderboards' },
] as const;

export function App(): JSX.Element {
  const { path, query } = useLocation();
  const me = useIdentity();
  const ongoing = useOngoingMatch();
  useEffect(() => void verifyIdentity(), []);
  let page: JSX.Element | null = null;
  let tab = '';
  for (const r of ROUTES) {
    const params = matchPath(r.path, path);
    if (params) {
      page = r.page(params, query);
      tab = r.tab;
      break;
    }
  }
  const onItsPage = ongoing !== null && path === `/play/${ongoing.matchId}`;
  return (
    <div class="shell">
      <header class="topbar">
        <div class="topbar-inner">
          <Link href="/" class="brand" aria-label="selfplay arena, home">
            <span class="brand-mark" aria-hidden="true">
              <svg viewBox="0 0 24 24">
                <circle cx="8" cy="12" r="5" />
                <circle cx="16" cy="12" r="5" />
              </svg>
            </span>
            <span class="brand-name">
              selfplay<b>arena</b>
            </span>
          </Link>
          <nav class="tabs" aria-label="Main">
            {TABS.map((t) => (
              <Link key={t.id} href={t.href} class={`tab ${tab === t.id ? 'is-current' : ''}`} aria-current={tab === t.id ? 'page' : undefined}>
                {t.label}
              </Link>
            ))}
          </nav>
          <Link href="/account" class={`me ${tab === 'account' ? 'is-current' : ''}`} data-testid="identity">
            <span class="avatar" aria-hidden="true">
              {initial(me?.name ?? 'guest-')}
            </span>
            <span class="me-name">{me ? me.name : 'Guest'}</span>
          </Link>
        </div>
      </header>
      {ongoing && !onItsPage && (
        <div class="ongoing" role="status">
          You have a match in progress.{' '}
          <Link href={`/play/${ongoing.matchId}`} class="ongoing-link">
            Back to your game →
          </Link>
        </div>
      )}
      <main class="page">{page ?? <NotFound />}</main>
      <footer class="footer">
        selfplay-arena · people, bots and learners in one rated pool · <a href="/api/games">API</a>
      </footer>
      <Toasts />
    </div>
  );
}

function NotFound(): JSX.Element {
  return (
    <section class="panel narrow">
      <h1>Page not found</h1>
      <p class="muted">There is nothing at this address.</p>
      <Link href="/" class="btn btn-primary">
        Back to the lobby
      </Link>
    </section>
  );
}
