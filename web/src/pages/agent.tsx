/** /agents/<name>: an agent or person: ratings per game with their history, recent matches, a challenge button. */
import type { AgentProfile, AgentRating, MatchInfo } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Empty, ErrorState, Loading, useAsync } from '../components/async';
import { RatingChart } from '../components/rating-chart';
import { showError } from '../components/toasts';
import { ago, fmt0, fmt1, initial, outcomeFor } from '../format';
import { gameTitle, useGames } from '../game-info';
import { viewFor } from '../games/registry';
import { currentIdentity, publicApi } from '../identity';
import { challenge } from '../match-session';
import { Link, navigate } from '../router';

export function AgentPage({ name }: { readonly name: string }): JSX.Element {
  const profile = useAsync(() => publicApi.agent(name), [name]);
  if (profile.loading && !profile.data) return <Loading />;
  if (profile.error !== null || !profile.data) return <ErrorState error={profile.error} retry={profile.reload} />;
  return <Profile profile={profile.data} />;
}

const KIND_LABEL: Record<string, string> = { person: 'Person', bot: 'Bot', learner: 'Learner' };

function Profile({ profile }: { readonly profile: AgentProfile }): JSX.Element {
  const { agent } = profile;
  const me = currentIdentity()?.agentId === agent.id;
  return (
    <div class="agent-page">
      <section class="panel agent-head">
        <span class="avatar avatar-lg" aria-hidden="true">
          {initial(agent.name)}
        </span>
        <div>
          <h1>
            {agent.name} {me && <span class="badge badge-you">You</span>}
          </h1>
          <p class="muted">
            <span class={`chip-tag kind-${agent.kind}`}>{KIND_LABEL[agent.kind] ?? agent.kind}</span>{' '}
            {agent.online && (
              <>
                <span class="dot dot-on" aria-hidden="true" /> online ·{' '}
              </>
            )}
            joined {ago(agent.createdAt)}
          </p>
        </div>
      </section>
      {profile.ratings.length === 0 && (
        <section class="panel">
          <Empty>No rated matches yet.</Empty>
        </section>
      )}
      <div class="rating-grid">
        {profile.ratings.map((r) => (
          <RatingCard key={r.game} rating={r} agentName={agent.name} canChallenge={!me} />
        ))}
      </div>
      <section class="panel">
        <h2 class="section-title">Recent matches</h2>
        {profile.recentMatches.length === 0 ? <Empty>No matches yet.</Empty> : <Recent matches={profile.recentMatches} agentId={agent.id} />}
      </section>
    </div>
  );
}

function RatingCard({ rating, agentName, canChallenge }: { readonly rating: AgentRating; readonly agentName: string; readonly canChallenge: boolean }): JSX.Element {
  const Icon = viewFor(rating.game).Icon;
  const games = useGames();
  const [busy, setBusy] = useState(false);
  const play = async (): Promise<void> => {
    setBusy(true);
    try {
      navigate(`/play/${await challenge({ game: rating.game, opponent: agentName })}`);
    } catch (error) {
      showError(error);
      setBusy(false);
    }
  };
  return (
    <section class="panel rating-card" data-game={rating.game}>
      <div class="rating-card-head">
        <Icon />
        <div>
          <h2>
            <Link href={`/leaderboard/${rating.game}`}>{gameTitle(games, rating.game)}</Link>
          </h2>
          <p class="muted small">{rating.matches} rated matches</p>
        </div>
        {canChallenge && (
          <button type="button" class="btn btn-small btn-secondary" disabled={busy} onClick={() => void play()}>
            {busy ? 'Starting…' : 'Challenge'}
          </button>
        )}
      </div>
      <dl class="stats">
        <div>
          <dt>OpenSkill</dt>
          <dd>
            {fmt1(rating.mu)} <small>± {fmt1(rating.sigma)}</small>
          </dd>
        </div>
        <div>
          <dt>Conservative</dt>
          <dd>{fmt1(rating.mu - 3 * rating.sigma)}</dd>
        </div>
        <div>
          <dt>Elo</dt>
          <dd>{fmt0(rating.elo)}</dd>
        </div>
      </dl>
      <RatingChart history={rating.history} />
      <p class="chart-legend muted small">
        <span class="legend-mu" /> μ <span class="legend-band" /> μ ± 2σ <span class="legend-ord" /> μ − 3σ
      </p>
    </section>
  );
}

function Recent({ matches, agentId }: { readonly matches: readonly MatchInfo[]; readonly agentId: string }): JSX.Element {
  const games = useGames();
  return (
    <ul class="match-list">
      {matches.map((m) => {
        const seat = m.seats.findIndex((s) => s.agentId === agentId);
        const result = m.returns && seat >= 0 ? outcomeFor(m.returns, seat) : null;
        const others = m.seats.filter((_, i) => i !== seat).map((s) => s.name);
        const Icon = viewFor(m.game).Icon;
        return (
          <li key={m.id} class="match-row" data-match={m.id}>
            <Icon />
            <span class="match-row-main">
              <span class="match-row-title">vs {others.join(', ')}</span>
              <span class="muted small">
                {gameTitle(games, m.game)} · {m.status === 'running' ? 'playing now' : ago(m.endedAt)}
              </span>
            </span>
            {result && <span class={`chip-tag result-${result}`}>{result}</span>}
            {m.status === 'finished' && (
              <Link href={`/replays/${m.id}`} class="btn btn-small btn-ghost">
                Replay
              </Link>
            )}
          </li>
        );
      })}
    </ul>
  );
}
