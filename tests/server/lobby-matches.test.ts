/**
 * Lobby matches end to end (a real server process, real SDK clients on loopback): matches played over the lobby
 * connection itself, several at once per connection, with per-seat observation fields, refusals of hostile match
 * messages, the agent's return after a dropped connection, the disconnect policy after the window, and watching a
 * lobby match through a room opened on demand.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { RandomAgent } from '../../agents/random';
import { agentPolicy } from '../../agents/turn-view';
import type { ArenaClient } from '../../client-sdk/src/client';
import { LOBBY_MATCH_BATCH, LobbyMatchRequest, TURN_FIELDS, type LobbyMatchMessage, type Turn, type WireError } from '../../client-sdk/src/protocol';
import { parseMatchRecord } from '../../engine/record';
import { replay } from '../../engine/replay';
import { loadGame } from '../../environments/registry';
import { connectedClient, getJson, registerAgent, sleep, startServer, type RunningServer } from './harness';

const BIN = join(__dirname, '..', '..', 'bin', 'arena.js');

async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | null>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Every `error` entry of the match batches a client receives, with its match id. */
function matchErrors(client: ArenaClient): { matchId: string; error: WireError }[] {
  const errors: { matchId: string; error: WireError }[] = [];
  client.lobby.on(LOBBY_MATCH_BATCH, (batch: LobbyMatchMessage[]) => {
    for (const [type, matchId, payload] of batch) if (type === 'error') errors.push({ matchId, error: payload as WireError });
  });
  return errors;
}

describe('lobby matches', () => {
  let server: RunningServer;
  const clients: ArenaClient[] = [];
  const connect = async (name: string): Promise<ArenaClient> => {
    const a = await registerAgent(server.url, name);
    const c = await connectedClient(server.url, a.apiKey);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServer({ env: { ARENA_RECONNECT_SECONDS: '2' } });
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server.stop();
  });

  it('two connections play 40 Connect Four matches, 8 at a time each; turns carry the fields each asked for; records replay', async () => {
    const game = loadGame('connect-four');
    const [ca, cb] = await Promise.all([connect('multi-a'), connect('multi-b')]);
    const keysA = new Set<string>();
    const keysB = new Set<string>();
    const lean = agentPolicy(game, new RandomAgent(3));
    const full = agentPolicy(game, new RandomAgent(4));
    const [ra, rb] = await Promise.all([
      ca.play(
        'connect-four',
        (turn) => {
          Object.keys(turn).forEach((k) => keysA.add(k));
          return lean(turn);
        },
        { matches: 40, concurrency: 8, observe: [] },
      ),
      cb.play(
        'connect-four',
        (turn) => {
          Object.keys(turn).forEach((k) => keysB.add(k));
          return full(turn);
        },
        { matches: 40, concurrency: 8 },
      ),
    ]);
    expect(ra).toHaveLength(40);
    expect(new Set(ra.map((m) => m.matchId)).size).toBe(40);
    expect(rb.map((m) => m.matchId).sort()).toEqual(ra.map((m) => m.matchId).sort());
    // A asked for no observation fields (RandomAgent reads only the legal actions), B for all of them.
    expect([...keysA].sort()).toEqual(['legalActions', 'seat', 'step', 'timeLimitMs']);
    expect([...keysB].sort()).toEqual(['legalActions', 'seat', 'step', 'timeLimitMs', ...TURN_FIELDS].sort());
    for (const summary of ra) {
      expect(summary.endReason).toBe('terminal');
      const { body } = await getJson<{ match: { status: string }; record: unknown }>(`${server.url}/api/matches/${summary.matchId}`);
      expect(body.match.status).toBe('finished');
      expect(replay(parseMatchRecord(body.record)).returns).toEqual(summary.returns);
    }
    const agent = await getJson<{ ratings: { matches: number }[] }>(`${server.url}/api/agents/multi-a`);
    expect(agent.body.ratings).toEqual([expect.objectContaining({ matches: 40 })]);
  });

  it('`arena bot --concurrency 4` plays its matches four at a time against an SDK client', async () => {
    const [bot, opponent] = await Promise.all([registerAgent(server.url, 'cli-bot'), registerAgent(server.url, 'cli-opponent')]);
    const client = await connectedClient(server.url, opponent.apiKey);
    clients.push(client);
    const cli = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, 'bot', '--url', server.url, '--key', bot.apiKey, '--game', 'tic-tac-toe', '--agent', 'alphabeta:depth=2', '--matches', '8', '--concurrency', '4', '--json'], { timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    const [result, played] = await Promise.all([cli, client.play('tic-tac-toe', (t) => t.legalActions[0]!, { matches: 8, concurrency: 4, observe: [] })]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { matches: { matchId: string; endReason: string }[] };
    expect(out.matches).toHaveLength(8);
    expect(out.matches.every((m) => m.endReason === 'terminal')).toBe(true);
    expect(played.map((m) => m.matchId).sort()).toEqual(out.matches.map((m) => m.matchId).sort());
  });

  it('an agent that reads a field it did not ask for gets a clear error', async () => {
    const game = loadGame('connect-four');
    const turn: Turn = { step: 0, seat: 0, legalActions: [0, 1, 2, 3, 4, 5, 6] };
    const policy = agentPolicy(game, { name: 'reads-tensor', act: (view) => (view.observationTensor[0] ?? 0) * 0 });
    await expect(policy(turn)).rejects.toThrow(/no observationTensor: queue with observe including 'observationTensor'/);
  });

  it('refuses hostile match messages with typed errors and the match goes on', async () => {
    const [ca, cb, cx] = await Promise.all([connect('host-a'), connect('host-b'), connect('intruder')]);
    const errorsA = matchErrors(ca);
    const errorsB = matchErrors(cb);
    const errorsX = matchErrors(cx);
    const lobbyErrorsX: WireError[] = [];
    cx.lobby.on('arena:error', (e: WireError) => lobbyErrorsX.push(e));
    const [fa, fb] = await Promise.all([ca.queue('tic-tac-toe', undefined, { via: 'lobby' }), cb.queue('tic-tac-toe', undefined, { via: 'lobby' })]);
    expect(fa.via).toBe('lobby');
    expect(fb.matchId).toBe(fa.matchId);
    const [ma, mb] = await Promise.all([ca.join(fa), cb.join(fb)]);
    const [mover, moverMatch, moverErrors] = fa.seat === 0 ? [ca, ma, errorsA] : [cb, mb, errorsB];
    const first = await new Promise<Turn>((resolve) => moverMatch.onTurn(resolve));
    // Another agent acting in this match: it holds no seat in it on its connection.
    cx.lobby.emit(LobbyMatchRequest.act, [{ matchId: fa.matchId, step: first.step, action: first.legalActions[0] }]);
    await waitFor('match/not-found for the intruder', () => errorsX.find((e) => e.matchId === fa.matchId && e.error.code === 'match/not-found'));
    // Malformed: not an array, an empty array, a bad step; each a request/invalid on the connection.
    cx.lobby.emit(LobbyMatchRequest.act, { matchId: fa.matchId, step: 0, action: 4 });
    cx.lobby.emit(LobbyMatchRequest.act, []);
    cx.lobby.emit(LobbyMatchRequest.act, [{ matchId: fa.matchId, step: -1, action: 4 }]);
    await waitFor('three request/invalid', () => lobbyErrorsX.filter((e) => e.code === 'request/invalid').length === 3);
    // The seat itself: a stale step, then an illegal action (the seat is asked again).
    mover.lobby.emit(LobbyMatchRequest.act, [{ matchId: fa.matchId, step: first.step + 5, action: first.legalActions[0] }]);
    await waitFor('action/stale', () => moverErrors.find((e) => e.matchId === fa.matchId && e.error.code === 'action/stale'));
    moverMatch.act(first.step, 99);
    await waitFor('action/illegal', () => moverErrors.find((e) => e.matchId === fa.matchId && e.error.code === 'action/illegal'));
    expect(errorsX.every((e) => e.matchId === fa.matchId)).toBe(true);
    // Both play on to the end: the seat answers its pending decision, then every turn gets the first legal move.
    for (const m of [ma, mb]) m.onTurn((t) => m.act(t.step, t.legalActions[0]!));
    moverMatch.act(first.step, first.legalActions[0]!);
    const [sa, sb] = await Promise.all([ma.ended, mb.ended]);
    expect(sa.endReason).toBe('terminal');
    expect(sb.matchId).toBe(sa.matchId);
  });

  it('a dropped lobby connection comes back to its matches; another connection of the agent does not take them; after the window the seat forfeits', async () => {
    const keyA = (await registerAgent(server.url, 'drop-a')).apiKey;
    const ca = await connectedClient(server.url, keyA);
    clients.push(ca);
    const cb = await connect('drop-b');
    const [fa, fb] = await Promise.all([ca.queue('connect-four', undefined, { via: 'lobby' }), cb.queue('connect-four', undefined, { via: 'lobby' })]);
    const [ma, mb] = await Promise.all([ca.join(fa), cb.join(fb)]);
    const states: string[] = [];
    ma.onConnection((s) => states.push(s));
    let movesA = 0;
    ma.onTurn((t) => {
      movesA++;
      ma.act(t.step, t.legalActions[0]!);
    });
    mb.onTurn((t) => void sleep(30).then(() => mb.act(t.step, t.legalActions[t.legalActions.length - 1]!)));
    await waitFor('a few moves', () => movesA >= 2);
    const reconnected = new Promise<void>((r) => ca.lobby.io.once('reconnect', () => r()));
    ca.lobby.io.engine.close(); // the transport dies; socket.io-client reconnects by itself, the server re-seats it
    await reconnected;
    const [sa, sb] = await Promise.all([ma.ended, mb.ended]);
    expect(sa.endReason).toBe('terminal');
    expect(sb.matchId).toBe(fa.matchId);
    expect(states).toEqual(['dropped', 'reconnected']);
    expect(movesA).toBeGreaterThan(2);

    // Gone for good: after the 2 s window the disconnect policy (forfeit) ends the match for the opponent. A second
    // connection with A's key, which does not name the match when it connects, is not handed A's seat.
    const [fc, fd] = await Promise.all([ca.queue('connect-four', undefined, { via: 'lobby' }), cb.queue('connect-four', undefined, { via: 'lobby' })]);
    const [mc, md] = await Promise.all([ca.join(fc), cb.join(fd)]);
    const other = await connectedClient(server.url, keyA);
    clients.push(other);
    const otherBatches: unknown[] = [];
    other.lobby.on(LOBBY_MATCH_BATCH, (batch: unknown) => otherBatches.push(batch));
    mc.onTurn(() => {
      ca.close(); // A leaves at its first turn and never comes back
      other.lobby.io.engine.close(); // and the other connection reconnects meanwhile, naming no match
    });
    md.onTurn((t) => md.act(t.step, t.legalActions[0]!));
    const ended = await md.ended;
    expect(ended.endReason).toBe('forfeit');
    expect(ended.forfeit?.seat).toBe(fc.seat);
    expect(ended.returns[fd.seat]).toBeGreaterThan(ended.returns[fc.seat]!);
    expect(otherBatches).toEqual([]);
  });

  it('a lobby match is listed live without a room and gets one when somebody watches it', async () => {
    const [ca, cb] = await Promise.all([connect('watched-a'), connect('watched-b')]);
    const [fa, fb] = await Promise.all([ca.queue('connect-four', undefined, { via: 'lobby' }), cb.queue('connect-four', undefined, { via: 'lobby' })]);
    const [ma, mb] = await Promise.all([ca.join(fa), cb.join(fb)]);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    for (const m of [ma, mb]) m.onTurn((t) => void held.then(() => m.act(t.step, t.legalActions[0]!)));
    const live = await getJson<{ matches: { matchId: string; roomId: string | null; watchers: number }[] }>(`${server.url}/api/live?game=connect-four`);
    expect(live.body.matches.find((m) => m.matchId === fa.matchId)).toMatchObject({ roomId: null, watchers: 0 });
    const spectator = await connectedClient(server.url);
    clients.push(spectator);
    const watch = await spectator.watch(fa.matchId);
    expect(await waitFor('welcome', () => watch.welcome)).toMatchObject({ matchId: fa.matchId, seat: null });
    const after = await getJson<{ matches: { matchId: string; roomId: string | null; watchers: number }[] }>(`${server.url}/api/live?game=connect-four`);
    expect(after.body.matches.find((m) => m.matchId === fa.matchId)).toMatchObject({ roomId: watch.room.roomId, watchers: 1 });
    release();
    const [summary, seen] = await Promise.all([ma.ended, watch.ended]);
    expect(seen).toEqual(summary);
    expect(watch.view?.terminal).toBe(true);
    watch.leave();
    const missing = await fetch(`${server.url}/api/live/not-a-match/watch`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('match/not-found');
  });
});

describe('lobby matches at shutdown', () => {
  it('SIGTERM ends running lobby matches as aborted, tells both seats, and the records are there after a restart', async () => {
    const server = await startServer({ env: { ARENA_SHUTDOWN_GRACE_SECONDS: '0' } });
    const [a, b] = await Promise.all([registerAgent(server.url, 'late-a'), registerAgent(server.url, 'late-b')]);
    const [ca, cb] = await Promise.all([connectedClient(server.url, a.apiKey), connectedClient(server.url, b.apiKey)]);
    try {
      const slow = (t: Turn): Promise<number> => sleep(200).then(() => t.legalActions[0] as number);
      const options = { matches: 3, concurrency: 3 };
      const playing = [ca.play('connect-four', slow, options).catch(() => null), cb.play('connect-four', slow, options).catch(() => null)];
      const ended: string[] = [];
      const seen = (c: ArenaClient): void => {
        c.lobby.on(LOBBY_MATCH_BATCH, (batch: LobbyMatchMessage[]) => {
          for (const [type, , payload] of batch) if (type === 'end') ended.push((payload as { endReason: string }).endReason);
        });
      };
      seen(ca);
      seen(cb);
      await waitFor('three running lobby matches', async () => (await getJson<{ matchesRunning: number }>(`${server.url}/health`)).body.matchesRunning === 3 || null);
      expect(await server.stop('SIGTERM')).toBe(0);
      expect(ended.sort()).toEqual(['aborted', 'aborted', 'aborted', 'aborted', 'aborted', 'aborted']);
      await Promise.all(playing);
      const again = await startServer({ dataDir: server.dataDir });
      try {
        const { body } = await getJson<{ matches: { status: string }[] }>(`${again.url}/api/matches?game=connect-four&limit=10`);
        expect(body.matches.map((m) => m.status)).toEqual(['aborted', 'aborted', 'aborted']);
      } finally {
        await again.stop();
      }
    } finally {
      ca.close();
      cb.close();
    }
  });
});
