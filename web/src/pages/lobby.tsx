/**
 * The lobby: pick a game, then a quick match against an agent (the hosted agent closest to your rating) or a
 * person (the rated queue), or challenge a named agent. Seat and time per move are options of a challenge.
 */
import type { GameInfo, Opponent } from '@selfplay-arena/client';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Empty, ErrorState, Loading, useAsync } from '../components/async';
import { showError } from '../components/toasts';
import { fmt1 } from '../format';
import { viewFor } from '../games/registry';
import { loadGames } from '../game-info';
import { playerClient, publicApi } from '../identity';
import { challenge, joinMatch } from '../match-session';
import { Link, navigate } from '../router';

const LAST_GAME = 'arena.lastGame';
const TIME_OPTIONS = [15, 30, 60, 120] as const;

export function LobbyPage(): JSX.Element {
  const games = useAsync(loadGames, []);
  const [selected, setSelected] = useState<string>(() => readLastGame());
  const list = games.data ?? [];
  const game = list.find((g) => g.id === selected) ?? list.find((g) => g.id === 'connect-four') ?? list[0];
  const pick = (id: string): void => {
    setSelected(id);
    try {
      window.localStorage.setItem(LAST_GAME, id);
    } catch {
      /* not remembered: fine */
    }
  };
  return (
    <div class="lobby">
      <section class="hero">
        <h1>Play the agents.</h1>
        <p>Bots, learners and people share one rated pool. Pick a game and get a match in seconds: no sign-up, your guest identity stays in this browser.</p>
      </section>
      {games.loading && !games.data && <Loading label="Loading games…" />}
      {games.error !== null && !games.data && <ErrorState error={games.error} retry={games.reload} />}
      {list.length > 0 && (
        <div class="lobby-grid">
          <section aria-labelledby="games-title">
            <h2 id="games-title" class="section-title">
              Games
            </h2>
            <div class="game-list" role="radiogroup" aria-label="Game">
              {list.map((g) => (
                <GameCard key={g.id} game={g} selected={game?.id === g.id} onPick={() => pick(g.id)} />
              ))}
            </div>
          </section>
          {game && <MatchPanel key={game.id} game={game} />}
        </div>
      )}
    </div>
  );
}

function readLastGame(): string {
  try {
    return window.localStorage.getItem(LAST_GAME) ?? 'connect-four';
  } catch {
    return 'connect-four';
  }
}

function GameCard({ game, selected, onPick }: { readonly game: GameInfo; readonly selected: boolean; readonly onPick: () => void }): JSX.Element {
  const Icon = viewFor(game.id).Icon;
  const facts = [`${game.numPlayers} players`, game.perfectInformation ? 'open board' : 'hidden cards', game.dynamics === 'realtime' ? 'realtime' : game.chance ? 'chance' : 'no luck'];
  return (
    <button type="button" role="radio" aria-checked={selected} class={`game-card ${selected ? 'is-selected' : ''}`} data-game={game.id} onClick={onPick}>
      <Icon />
      <span class="game-card-body">
        <span class="game-card-title">{game.title}</span>
        <span class="game-card-summary">{game.summary}</span>
        <span class="chips">
          {facts.map((f) => (
            <span key={f} class="chip-tag">
              {f}
            </span>
          ))}
        </span>
      </span>
    </button>
  );
}

function MatchPanel({ game }: { readonly game: GameInfo }): JSX.Element {
  const entry = viewFor(game.id);
  const [seat, setSeat] = useState<'random' | '0' | '1'>('random');
  const [seconds, setSeconds] = useState<number>(30);
  const [busy, setBusy] = useState<null | 'agent' | 'person' | string>(null);
  const queued = useRef<(() => void) | null>(null);
  const opponents = useAsync(() => publicApi.opponents(game.id), [game.id]);
  const twoPlayer = game.numPlayers === 2;

  useEffect(() => () => queued.current?.(), []); // leaving the page leaves the queue

  const run = async (what: string, start: () => Promise<string>): Promise<void> => {
    if (busy) return;
    setBusy(what);
    try {
      const matchId = await start();
      navigate(`/play/${matchId}`);
    } catch (error) {
      showError(error);
      setBusy(null);
    }
  };
  const options = { ...(seat === 'random' ? {} : { seat: Number(seat) }), decisionMs: seconds * 1000 };
  const playAgent = (opponent?: string): Promise<void> => run(opponent ?? 'agent', () => challenge({ game: game.id, ...(opponent ? { opponent } : {}), ...options }));
  const playPerson = (): Promise<void> =>
    run('person', async () => {
      const client = await playerClient();
      let cancelled = false;
      queued.current = () => {
        cancelled = true;
        void client.leaveQueue(game.id).catch(() => undefined);
      };
      const found = await client.queue(game.id);
      queued.current = null;
      if (cancelled) throw new Error('Stopped waiting.');
      await joinMatch(found);
      return found.matchId;
    });
  const cancelQueue = (): void => {
    queued.current?.();
    queued.current = null;
    setBusy(null);
  };

  return (
    <section class="panel match-panel" aria-labelledby="match-title">
      <div class="match-panel-head">
        <entry.Icon />
        <div>
          <h2 id="match-title">{game.title}</h2>
          <p class="muted">{game.summary}</p>
        </div>
      </div>

      {twoPlayer && (
        <div class="options">
          <label class="field">
            <span>Your seat</span>
            <select value={seat} onChange={(e) => setSeat((e.currentTarget as HTMLSelectElement).value as typeof seat)}>
              <option value="random">Random</option>
              <option value="0">{entry.seatLabel(0)} (moves first)</option>
              <option value="1">{entry.seatLabel(1)} (moves second)</option>
            </select>
          </label>
          <label class="field">
            <span>Time per move</span>
            <select value={String(seconds)} onChange={(e) => setSeconds(Number((e.currentTarget as HTMLSelectElement).value))}>
              {TIME_OPTIONS.map((s) => (
                <option key={s} value={String(s)}>
                  {s < 60 ? `${s} seconds` : `${s / 60} minute${s > 60 ? 's' : ''}`}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}

      <div class="quick">
        {twoPlayer && (
          <button type="button" class="btn btn-primary btn-lg" data-testid="quick-agent" disabled={busy !== null} onClick={() => void playAgent()}>
            {busy === 'agent' ? 'Starting…' : 'Play an agent'}
            <small>closest to your rating</small>
          </button>
        )}
        {busy === 'person' ? (
          <button type="button" class="btn btn-secondary btn-lg is-waiting" onClick={cancelQueue}>
            <span class="spinner" aria-hidden="true" /> Looking for a player…
            <small>click to stop waiting</small>
          </button>
        ) : (
          <button type="button" class="btn btn-secondary btn-lg" data-testid="quick-person" disabled={busy !== null} onClick={() => void playPerson()}>
            Play a person
            <small>rated queue{twoPlayer ? ', server time control' : ''}</small>
          </button>
        )}
      </div>

      {twoPlayer && (
        <div class="opponents">
          <h3 class="section-title">Challenge an agent</h3>
          {opponents.loading && !opponents.data && <Loading />}
          {opponents.error !== null && !opponents.data && <ErrorState error={opponents.error} retry={opponents.reload} />}
          {opponents.data && opponents.data.length === 0 && <Empty>No agent plays {game.title} on this server yet.</Empty>}
          {opponents.data && opponents.data.length > 0 && (
            <ul class="opponent-list">
              {opponents.data.map((o) => (
                <OpponentRow key={o.agentId} opponent={o} busy={busy} onChallenge={() => void playAgent(o.name)} />
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function OpponentRow({ opponent, busy, onChallenge }: { readonly opponent: Opponent; readonly busy: string | null; readonly onChallenge: () => void }): JSX.Element {
  const tag = opponent.hosted ? (opponent.name.startsWith('house.') ? 'house' : 'league') : 'online';
  return (
    <li class="opponent" data-agent={opponent.name}>
      <span class={`dot ${opponent.hosted || opponent.online ? 'dot-on' : ''}`} aria-hidden="true" />
      <span class="opponent-main">
        <Link href={`/agents/${encodeURIComponent(opponent.name)}`} class="opponent-name">
          {opponent.name}
        </Link>
        <span class="muted small">
          {opponent.spec ?? opponent.kind}
          {opponent.rating ? ` · rating ${fmt1(opponent.rating.ordinal)} · ${opponent.rating.matches} matches` : ' · unrated'}
        </span>
      </span>
      <span class={`chip-tag tag-${tag}`}>{tag}</span>
      <button type="button" class="btn btn-small btn-secondary" disabled={busy !== null} onClick={onChallenge} aria-label={`Challenge ${opponent.name}`}>
        {busy === opponent.name ? 'Starting…' : 'Challenge'}
      </button>
    </li>
  );
}
