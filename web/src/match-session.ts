/**
 * The matches this page takes part in: one controller per match, holding what the server last said (welcome,
 * view, pending turn, end) and sending actions. Controllers outlive page changes (leaving the board does not
 * leave the match), and the room's reconnection token is kept in sessionStorage so that a reload of the page
 * rejoins the same seat within the server's reconnection window.
 */
import type { ActionValue, ChallengeRequest, MatchConnection, MatchFound, MatchSummary, Turn, ViewUpdate, Welcome, WireError } from '@selfplay-arena/client';
import { useEffect, useState } from 'preact/hooks';
import { explain } from './errors';
import { playerClient, spectatorClient } from './identity';

export interface MatchState {
  /** joining: connecting; playing: under way; ended: result known; failed: could not join or lost for good. */
  readonly phase: 'joining' | 'playing' | 'ended' | 'failed';
  readonly welcome: Welcome | null;
  readonly view: ViewUpdate | null;
  /** The decision the server waits for from this page, if any. */
  readonly turn: Turn | null;
  /** Date.now() when `turn` arrived (for the clock). */
  readonly turnAt: number;
  /** An action for `turn` is on its way (buttons wait for the answer instead of sending twice). */
  readonly sent: boolean;
  readonly summary: MatchSummary | null;
  /** 'dropped' while the SDK reconnects. */
  readonly connection: 'ok' | 'dropped';
  /** The last refusal or failure, readable. */
  readonly notice: string | null;
}

const INITIAL: MatchState = { phase: 'joining', welcome: null, view: null, turn: null, turnAt: 0, sent: false, summary: null, connection: 'ok', notice: null };
const TOKEN_PREFIX = 'arena.match.';

export class MatchController {
  state: MatchState = INITIAL;
  private conn: MatchConnection | null = null;
  private readonly listeners = new Set<(s: MatchState) => void>();

  constructor(
    readonly matchId: string,
    /** Spectating (no seat, no reconnection token kept). */
    readonly spectating: boolean,
  ) {}

  subscribe(fn: (s: MatchState) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  attach(conn: MatchConnection): void {
    this.conn = conn;
    this.remember();
    conn.onWelcome((welcome) => this.update({ welcome, phase: this.state.summary ? 'ended' : 'playing' }));
    conn.onView((view) => this.update({ view, ...(this.state.turn && view.step > this.state.turn.step ? { turn: null, sent: false } : {}) }));
    if (conn.view) this.update({ view: conn.view }); // a view that came before this controller listened
    conn.onTurn((turn) => this.update({ turn, turnAt: Date.now(), sent: false, notice: null }));
    conn.onError((error: WireError) => this.update({ notice: explain(error), sent: false }));
    conn.onConnection((state) => {
      if (state === 'dropped') this.update({ connection: 'dropped' });
      else if (state === 'reconnected') {
        this.remember();
        this.update({ connection: 'ok' });
      } else if (!this.state.summary) this.update({ phase: 'failed', connection: 'ok', notice: 'The connection to this match was lost.' });
    });
    void conn.ended.then((summary) => {
      this.forget();
      this.update({ summary, phase: 'ended', turn: null, sent: false });
    });
  }

  fail(error: unknown): void {
    this.update({ phase: 'failed', notice: explain(error) });
  }

  act(action: ActionValue): void {
    const { turn, sent } = this.state;
    if (!this.conn || !turn || sent) return;
    this.conn.act(turn.step, action);
    this.update({ sent: true, notice: null });
  }

  resign(): void {
    this.conn?.resign();
  }

  leave(): void {
    this.conn?.leave();
    this.forget();
    controllers.delete(this.matchId);
  }

  private update(patch: Partial<MatchState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  private remember(): void {
    const token = this.conn?.reconnectionToken;
    if (this.spectating || !token) return;
    try {
      window.sessionStorage.setItem(TOKEN_PREFIX + this.matchId, token);
    } catch {
      /* storage disabled: a reload cannot rejoin, everything else works */
    }
  }

  private forget(): void {
    try {
      window.sessionStorage.removeItem(TOKEN_PREFIX + this.matchId);
    } catch {
      /* nothing stored */
    }
  }
}

const controllers = new Map<string, MatchController>();
const activeListeners = new Set<() => void>();

/** Takes the seat of a pairing or challenge and returns its controller (the page then shows /play/<matchId>). */
export async function joinMatch(found: MatchFound): Promise<MatchController> {
  const client = await playerClient();
  const ctrl = new MatchController(found.matchId, false);
  ctrl.attach(await client.join(found));
  track(ctrl);
  return ctrl;
}

/** The controller of a match this page plays, or rejoins it after a reload; null if it cannot be resumed. */
export async function resumeMatch(matchId: string): Promise<MatchController | null> {
  const existing = controllers.get(matchId);
  if (existing) return existing;
  let token: string | null = null;
  try {
    token = window.sessionStorage.getItem(TOKEN_PREFIX + matchId);
  } catch {
    token = null;
  }
  if (!token) return null;
  const client = await playerClient();
  const ctrl = new MatchController(matchId, false);
  try {
    ctrl.attach(await client.rejoin(token));
  } catch {
    window.sessionStorage.removeItem(TOKEN_PREFIX + matchId);
    return null;
  }
  track(ctrl);
  return ctrl;
}

/** Watches a running match (public view); the server opens a room for a lobby match on the first watcher. */
export async function spectate(matchId: string): Promise<MatchController> {
  const ctrl = new MatchController(matchId, true);
  ctrl.attach(await spectatorClient().watch(matchId));
  return ctrl;
}

function track(ctrl: MatchController): void {
  controllers.set(ctrl.matchId, ctrl);
  ctrl.subscribe(() => activeListeners.forEach((l) => l()));
  activeListeners.forEach((l) => l());
}

export function useMatchState(ctrl: MatchController | null): MatchState {
  const [state, setState] = useState(ctrl?.state ?? INITIAL);
  useEffect(() => {
    if (!ctrl) return;
    setState(ctrl.state);
    return ctrl.subscribe(setState);
  }, [ctrl]);
  return state;
}

/** The match this page is still playing (for the "back to your game" banner), if any. */
export function useOngoingMatch(): MatchController | null {
  const pick = (): MatchController | null => [...controllers.values()].find((c) => c.state.phase === 'playing' || c.state.phase === 'joining') ?? null;
  const [ctrl, setCtrl] = useState(pick);
  useEffect(() => {
    const on = (): void => setCtrl(pick());
    activeListeners.add(on);
    return () => void activeListeners.delete(on);
  }, []);
  return ctrl;
}

/** Challenges an agent (or the closest-rated hosted one) and takes the seat; returns the match id. */
export async function challenge(request: ChallengeRequest): Promise<string> {
  const client = await playerClient();
  const found = await client.api.challenge(request);
  await joinMatch(found);
  return found.matchId;
}
