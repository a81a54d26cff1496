/**
 * Reconnection end to end, against real server processes: a seat whose WebSocket dies abnormally comes back within
 * ARENA_RECONNECT_SECONDS (the SDK's automatic reconnection, or `rejoin(token)` from a fresh client as after a page
 * reload) and the match goes on; a seat that stays away past the window (its process killed with SIGKILL)
 * forfeits with reason "disconnected", and the record is stored.
 *
 * Dropping a socket: `room.connection.transport.ws` is the SDK's WebSocket (the `ws` package on Node 20).
 * `terminate()` destroys the TCP connection without a close frame, so both ends see 1006 (abnormal closure): the
 * server calls onDrop (allowReconnection) and the SDK retries. (`ws.close(4000)` would not do: 4000 is Colyseus's
 * CONSENTED code, a deliberate leave that forfeits at once and that the SDK does not retry.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ArenaClient, type RoomMatchConnection } from '../../client-sdk/src/client';
import type { MatchSummary, Turn, ViewUpdate, Welcome } from '../../client-sdk/src/protocol';
import { parseMatchRecord } from '../../engine/record';
import { replay } from '../../engine/replay';
import { getJson, registerAgent, sleep, startServer, type RunningServer } from './harness';
import { Rng } from '../../environments/core/rng';

const ROOT = join(__dirname, '..', '..');

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
    }),
  ]);
}

/** Kills the room's WebSocket abruptly, as a network failure would (both ends see close code 1006). */
function dropSocket(match: RoomMatchConnection): void {
  const transport = (match.room.connection as unknown as { transport: { ws: { terminate?: () => void }; close(code: number): void } }).transport;
  if (typeof transport.ws.terminate === 'function') transport.ws.terminate();
  else transport.close(4010); // a runtime WebSocket without terminate(): MAY_TRY_RECONNECT, also a drop for both ends
}

/** Uniform floats in [0, 1) from the project's seeded generator. */
function mulberry32(seed: number): () => number {
  const r = Rng.fromSeed(seed);
  return () => r.float();
}

/** Answers every turn with a random legal action after `delayMs`; returns the turns it saw. */
function playRandomly(match: RoomMatchConnection, seed: number, delayMs: number): Turn[] {
  const rand = mulberry32(seed);
  const seen: Turn[] = [];
  match.onTurn((turn) => {
    seen.push(turn);
    setTimeout(() => match.act(turn.step, turn.legalActions[Math.floor(rand() * turn.legalActions.length)]!), delayMs);
  });
  return seen;
}

/** Resolves with the first view at or past `step`. */
function viewAt(match: RoomMatchConnection, step: number): Promise<ViewUpdate> {
  return new Promise((resolve) => {
    if (match.view && match.view.step >= step) return resolve(match.view);
    const off = match.onView((v) => {
      if (v.step >= step) {
        off();
        resolve(v);
      }
    });
  });
}

async function lobbyClient(url: string, apiKey: string): Promise<ArenaClient> {
  const client = new ArenaClient({ url, apiKey });
  await client.connect();
  return client;
}

async function storedRecordReplays(server: RunningServer, summary: MatchSummary): Promise<ReturnType<typeof parseMatchRecord>> {
  const { status, body } = await getJson<{ match: { status: string }; record: unknown }>(`${server.url}/api/matches/${summary.matchId}`);
  expect(status).toBe(200);
  expect(body.match.status).toBe('finished');
  const record = parseMatchRecord(body.record);
  expect(replay(record).returns).toEqual(summary.returns);
  expect(record.endReason).toBe(summary.endReason);
  return record;
}

let quietInfo: jest.SpyInstance;
beforeAll(() => {
  // the SDK narrates each reconnection attempt on console.info
  quietInfo = jest.spyOn(console, 'info').mockImplementation(() => undefined);
});
afterAll(() => quietInfo.mockRestore());

describe('within the reconnection window (ARENA_RECONNECT_SECONDS=5)', () => {
  let server: RunningServer;
  const clients: ArenaClient[] = [];
  beforeAll(async () => {
    server = await startServer({ env: { ARENA_RECONNECT_SECONDS: '5' } });
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server?.stop();
  });

  async function pairUp(tag: string): Promise<{ a: RoomMatchConnection; b: RoomMatchConnection; keyA: string; seatA: number }> {
    const [ra, rb] = await Promise.all([registerAgent(server.url, `${tag}-a`), registerAgent(server.url, `${tag}-b`)]);
    const [ca, cb] = await Promise.all([lobbyClient(server.url, ra.apiKey), lobbyClient(server.url, rb.apiKey)]);
    clients.push(ca, cb);
    const [fa, fb] = await Promise.all([ca.queue('connect-four'), cb.queue('connect-four')]);
    const [a, b] = await Promise.all([ca.join(fa), cb.join(fb)]);
    return { a, b, keyA: ra.apiKey, seatA: fa.seat };
  }

  it('an abnormally dropped seat reconnects automatically; the match ends terminal, both hear the end, the record replays', async () => {
    const { a, b } = await pairUp('auto');
    let drops = 0;
    let reconnects = 0;
    a.room.onDrop(() => drops++);
    a.room.onReconnect(() => reconnects++);
    const sessionId = a.room.sessionId;
    const errors: string[] = [];
    a.onError((e) => errors.push(e.code));
    b.onError((e) => errors.push(e.code));
    playRandomly(a, 1, 50);
    playRandomly(b, 2, 50);

    await withTimeout(viewAt(a, 4), 10_000, 'four moves');
    dropSocket(a);
    const [sa, sb] = await withTimeout(Promise.all([a.ended, b.ended]), 20_000, 'both ends');

    expect(drops).toBe(1);
    expect(reconnects).toBe(1);
    expect(a.room.sessionId).toBe(sessionId); // the same seat, not a new connection
    expect(sa).toEqual(sb);
    expect(sa.endReason).toBe('terminal');
    expect(sa.steps).toBeGreaterThan(4);
    // an action buffered while offline may answer a turn the server re-sent on reconnect: refused, nothing worse
    expect(errors.every((c) => c === 'action/stale' || c === 'action/not-your-turn')).toBe(true);
    const record = await storedRecordReplays(server, sa);
    expect(record.forfeit).toBeUndefined();
    a.leave();
    b.leave();
  });

  let rejoined: { welcome: Welcome | undefined; seat: number; matchId: string } | null = null;

  it('a fresh client (page reload) rejoins with the reconnection token and finishes the match', async () => {
    const { a, b, keyA, seatA } = await pairUp('reload');
    playRandomly(a, 3, 50);
    playRandomly(b, 4, 50);
    await withTimeout(viewAt(a, 4), 10_000, 'four moves');

    const token = a.reconnectionToken;
    expect(token).toMatch(/^[^:]+:.+/);
    a.room.reconnection.enabled = false; // the old page is gone: nothing of it comes back by itself
    dropSocket(a);
    await sleep(300); // the server notices the drop and holds the seat

    const reloaded = new ArenaClient({ url: server.url, apiKey: keyA });
    clients.push(reloaded);
    const again = await reloaded.rejoin(token);
    const turns = playRandomly(again, 5, 50);
    const first = await withTimeout(viewAt(again, 0), 5000, 'board after rejoin'); // the board is re-sent at once
    expect(first.step).toBeGreaterThanOrEqual(4);
    const [s2, sb] = await withTimeout(Promise.all([again.ended, b.ended]), 20_000, 'both ends');
    expect(s2).toEqual(sb);
    expect(s2.endReason).toBe('terminal');
    expect(turns.length).toBeGreaterThan(0); // the rejoined client played on
    await storedRecordReplays(server, s2);
    rejoined = { welcome: (again as { welcome?: Welcome }).welcome, seat: seatA, matchId: s2.matchId };
    again.leave();
    b.leave();
  });

  // BUG (server/matches/session.ts, MatchSession.reconnected): after `rejoin(token)` from a fresh client (a page
  // reload, a restarted process) the connection never learns who it is: reconnected() re-sends the view and the
  // pending turn but not the welcome, so RoomMatchConnection.welcome (typed as always set) stays undefined: no seat,
  // match id, game or seat names until a turn arrives, and a spectating-style UI cannot tell which card is its own.
  // Fix: build the welcome in a helper used by joined() and send it first in reconnected():
  // `this.port.send(clientId, RoomEvent.welcome, this.welcomeFor(seat >= 0 ? seat : null));`
  it('...and the rejoined connection is told who it is (welcome)', () => {
    expect(rejoined).not.toBeNull();
    expect(rejoined!.welcome?.seat).toBe(rejoined!.seat);
    expect(rejoined!.welcome?.matchId).toBe(rejoined!.matchId);
  });

  describe('the match ends while a seat is away; the seat reconnects inside the window', () => {
    let outcome: { reconnected: boolean; finalView: ViewUpdate | null; endB: MatchSummary | 'none'; endA: MatchSummary } | null = null;

    it('the seat reconnects and sees the final board', async () => {
      const { a, b, seatA } = await pairUp('late');
      // Scripted Connect Four: seat 0 drops its discs in column 0 and wins vertically on its 4th move (step 6);
      // seat 1 plays column 1. Just before seat 0's winning move, seat 1's socket dies; it reconnects ~1 s later.
      const [zero, one] = seatA === 0 ? [a, b] : [b, a];
      let reconnected = false;
      one.room.onReconnect(() => (reconnected = true));
      one.onTurn((turn) => one.act(turn.step, 1));
      zero.onTurn((turn) => {
        void (async () => {
          if (turn.step === 6) {
            one.room.reconnection.delay = 500; // first retry after 2 * 500 ms
            dropSocket(one);
            await sleep(300); // the server has seen the drop; `one` is still away
          }
          zero.act(turn.step, 0);
        })();
      });
      const endA = await withTimeout(zero.ended, 10_000, 'seat 0 end');
      expect(endA.endReason).toBe('terminal');
      expect(endA.returns[0]).toBeGreaterThan(0);
      await sleep(1500); // `one` is back (the room stays open while a seat is inside its reconnection window)
      const endB = await Promise.race([one.ended, sleep(1000).then(() => 'none' as const)]);
      outcome = { reconnected, finalView: one.view, endB, endA };
      expect(reconnected).toBe(true);
      expect(one.view?.terminal).toBe(true);
      expect(one.view?.step).toBe(endA.steps);
      zero.leave();
      one.leave();
    });

    // BUG (server/matches/session.ts, MatchSession.reconnected): a seat that reconnects after the match ended
    // during its absence gets the final view but never the `end` message (joined() sends it, reconnected() does
    // not), so RoomMatchConnection.ended never resolves and ArenaClient.play() waits forever. Fix: in reconnected(),
    // after the view, `if (this.summary) this.port.send(clientId, RoomEvent.end, this.summary);` (and the same
    // guard can skip the turn).
    it('...and is told that the match ended', () => {
      expect(outcome?.reconnected).toBe(true);
      expect(outcome?.endB).toEqual(outcome?.endA);
    });
  });
});

describe('past the reconnection window (ARENA_RECONNECT_SECONDS=1, no decision limit)', () => {
  let server: RunningServer;
  let child: ChildProcess | null = null;
  const clients: ArenaClient[] = [];
  beforeAll(async () => {
    server = await startServer({ env: { ARENA_RECONNECT_SECONDS: '1', ARENA_DECISION_MS: '0' } });
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    clients.forEach((c) => c.close());
    await server?.stop();
  });

  it('a bot process killed with SIGKILL mid-match forfeits ("disconnected") soon after the window; the record is stored', async () => {
    const [local, remote] = await Promise.all([registerAgent(server.url, 'stays'), registerAgent(server.url, 'killed')]);
    let childOut = '';
    child = spawn(process.execPath, [join(ROOT, 'bin', 'arena.js'), 'bot', '--url', server.url, '--key', remote.apiKey, '--game', 'connect-four', '--agent', 'random', '--matches', '1'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (childOut += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (childOut += d.toString()));
    const childExit = new Promise<NodeJS.Signals | null>((r) => child!.once('exit', (_code, signal) => r(signal)));

    const client = await lobbyClient(server.url, local.apiKey);
    clients.push(client);
    const found = await withTimeout(client.queue('connect-four'), 15_000, `pairing with the bot process (${childOut})`);
    const match = await client.join(found);
    playRandomly(match, 7, 100); // slower than the bot, so the kill lands mid-match

    // Four moves in, no Connect Four game can be over, and the killed seat still owes at least one decision.
    await withTimeout(viewAt(match, 4), 10_000, 'four moves');
    const killedAt = Date.now();
    child.kill('SIGKILL');
    expect(await childExit).toBe('SIGKILL');

    const summary = await withTimeout(match.ended, 8000, 'forfeit');
    const elapsed = Date.now() - killedAt;
    expect(summary.endReason).toBe('forfeit');
    expect(summary.forfeit?.seat).toBe(1 - found.seat);
    expect(summary.forfeit?.reason).toMatch(/disconnected/);
    expect(summary.returns[found.seat]).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThanOrEqual(900); // the seat was held for the window...
    expect(elapsed).toBeLessThan(1000 + 3000); // ...and not much longer
    const record = await storedRecordReplays(server, summary);
    expect(record.forfeit).toEqual(summary.forfeit);
    match.leave();
  });
});
