/**
 * A bot process of `npm run bench:server` (forked by bench/server.ts, never in the server's process). Two modes:
 *
 * - arena: one ArenaClient (lobby socket + Colyseus room connections) per API key. Each client loops queue ->
 *   join -> answer every turn instantly (random or first legal action) -> end -> leave, like ArenaClient.play(),
 *   but with timing hooks. Decision RTT of one action: from `match.act()` (room.send) to the arrival of the `view`
 *   message whose step is the action's step + 1, i.e. the server validated and applied it, stepped the match and
 *   broadcast the new state. This is the per-action overhead the server adds as seen by the acting client (the
 *   opponent's think time is not in it). It includes queueing in this process's own event loop, as the baseline does.
 * - echo: `chains` request/acknowledgement chains against a bare socket.io echo server (bench/server-echo.ts),
 *   each chain alternating over two connections with one message outstanding, the same pattern as a match (one
 *   decision outstanding, seats alternate). RTT: from emit to the acknowledgement.
 *
 * Every loop is bounded by the deadline from the parent and by per-wait timeouts; the process exits on 'stop',
 * on the deadline, or when the parent goes away.
 */
import { io, type Socket } from 'socket.io-client';
import { ArenaClient, type MatchConnection, type QueueOptions } from '../client-sdk/src/client';
import type { ActionValue, MatchFound, MatchSummary, Turn, ViewUpdate } from '../client-sdk/src/protocol';
import { installWebSocketShim } from '../server/websocket-shim';
import { LatencyHistogram, type FromBots, type ToBots } from './server-stats';

installWebSocketShim();

const send = (m: FromBots): void => {
  if (process.connected) process.send?.(m);
};

let stopping = false;
let stopResolve!: () => void;
const stopped = new Promise<void>((r) => (stopResolve = r));
let deadline = Date.now() + 600_000;
let measuring = false;
let windowStart = 0;
let hist = new LatencyHistogram();
let queueWait = new LatencyHistogram();
let joinHist = new LatencyHistogram();
let startHist = new LatencyHistogram();
let playHist = new LatencyHistogram();
let actionsInWindow = 0;
let matchesFinished = 0;
let matchesNotTerminal = 0;
let errorsInWindow = 0;
let totalActions = 0;
let totalErrors = 0;
let lastError: string | undefined;
let playing = 0;
let goResolve!: () => void;
const go = new Promise<void>((r) => (goResolve = r));

class Stopped extends Error {}

/** `p`, or a rejection after `ms` or on stop. */
function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), Math.max(1, Math.min(ms, deadline - Date.now())));
  });
  const stop = stopped.then(() => {
    throw new Stopped();
  });
  return Promise.race([p, timeout, stop]).finally(() => clearTimeout(timer));
}

function noteError(error: unknown): void {
  if (error instanceof Stopped) return;
  totalErrors++;
  if (measuring) errorsInWindow++;
  lastError = error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** xorshift32: a cheap seeded generator for the random policy. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

async function connectAll<T>(items: readonly T[], batch: number, open: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length && !stopping && Date.now() < deadline; i += batch) {
    await Promise.all(items.slice(i, i + batch).map(open));
  }
}

// ---------------------------------------------------------------------------------------------------- arena mode

async function arenaSeat(client: ArenaClient, game: string, policy: 'random' | 'first', options: QueueOptions, thinkMs: number, next: () => number): Promise<void> {
  // At most one match per 10 ms of remaining time: a hard count bound on top of the deadline.
  const maxMatches = Math.ceil((deadline - Date.now()) / 10) + 1;
  for (let n = 0; n < maxMatches && !stopping && Date.now() < deadline; n++) {
    let found: MatchFound;
    let match: MatchConnection;
    try {
      const tQueue = performance.now();
      found = await bounded(client.queue(game, undefined, options), 30_000, 'queue');
      const tFound = performance.now();
      if (measuring) queueWait.record(tFound - tQueue);
      match = await bounded(client.join(found), 30_000, 'join');
      if (measuring) joinHist.record(performance.now() - tFound);
    } catch (error) {
      noteError(error);
      if (!stopping) await sleep(200);
      continue;
    }
    playing++;
    const tJoined = performance.now();
    let started = false;
    const markStart = (): void => {
      if (started) return;
      started = true;
      if (measuring) startHist.record(performance.now() - tJoined);
    };
    let sentStep = -1;
    let sentAt = 0;
    match.onView((v: ViewUpdate) => {
      if (v.step >= 1) markStart();
      if (sentStep < 0 || v.step !== sentStep + 1) return;
      const dt = performance.now() - sentAt;
      sentStep = -1;
      totalActions++;
      if (measuring) {
        hist.record(dt);
        actionsInWindow++;
      }
    });
    match.onError((e) => noteError(new Error(`${e.code}: ${e.message}`)));
    match.onTurn((t: Turn) => {
      markStart();
      const legal = t.legalActions;
      const action: ActionValue = policy === 'first' || legal.length === 1 ? legal[0]! : legal[next() % legal.length]!;
      const send = (): void => {
        sentStep = t.step;
        sentAt = performance.now();
        match.act(t.step, action);
      };
      if (thinkMs > 0) setTimeout(send, thinkMs);
      else send();
    });
    try {
      const summary: MatchSummary = await bounded(match.ended, 60_000, 'match end');
      if (measuring) playHist.record(performance.now() - tJoined);
      if (measuring && found.seat === 0) {
        matchesFinished++;
        if (summary.endReason !== 'terminal') matchesNotTerminal++;
      }
    } catch (error) {
      noteError(error);
    } finally {
      playing--;
      match.leave();
    }
  }
}

async function runArena(m: Extract<ToBots, { type: 'arena' }>): Promise<void> {
  const clients = m.apiKeys.map((apiKey) => new ArenaClient({ url: m.url, apiKey, requestTimeoutMs: 30_000 }));
  let connected = 0;
  await connectAll(clients, 25, async (c) => {
    await bounded(c.connect(), 30_000, 'lobby connect');
    connected++;
  });
  send({ type: 'ready', connections: connected });
  await bounded(go, Math.max(1, deadline - Date.now()), 'go').catch(() => undefined);
  if (stopping) return;
  const lanes = clients.flatMap((c, i) =>
    Array.from({ length: m.seatsPerConnection }, (_, k) => arenaSeat(c, m.game, m.policy, { via: m.via, ...(m.observe === 'none' ? { observe: [] } : {}) }, m.thinkMs, rng(m.seed * 100_003 + i * 1009 + k + 1)).catch(noteError)),
  );
  await Promise.all(lanes);
  for (const c of clients) c.close();
}

// ----------------------------------------------------------------------------------------------------- echo mode

async function runEcho(m: Extract<ToBots, { type: 'echo' }>): Promise<void> {
  const sockets: Socket[] = [];
  await connectAll(
    Array.from({ length: m.connections }, (_, i) => i),
    50,
    async () => {
      const s = io(m.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      sockets.push(s);
      await bounded(
        new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', (e) => reject(e));
        }),
        30_000,
        'echo connect',
      );
    },
  );
  send({ type: 'ready', connections: sockets.length });
  await bounded(go, Math.max(1, deadline - Date.now()), 'go').catch(() => undefined);
  if (stopping) return;
  const chains: Promise<void>[] = [];
  for (let k = 0; k < m.chains && sockets.length >= 2; k++) {
    const pair = [sockets[(2 * k) % sockets.length]!, sockets[(2 * k + 1) % sockets.length]!];
    chains.push(
      new Promise<void>((done) => {
        let step = 0;
        const fire = (): void => {
          if (stopping || Date.now() >= deadline) return done();
          const s = pair[step & 1]!;
          const t0 = performance.now();
          const sentStep = step;
          s.timeout(10_000).emit('action', { step: sentStep, action: sentStep % 7 }, (err: Error | null) => {
            if (err) noteError(err);
            else {
              const dt = performance.now() - t0;
              totalActions++;
              if (measuring) {
                hist.record(dt);
                actionsInWindow++;
              }
            }
            step++;
            fire();
          });
        };
        fire();
      }),
    );
  }
  await Promise.race([Promise.all(chains), stopped]);
  for (const s of sockets) s.disconnect();
}

// ------------------------------------------------------------------------------------------------------ control

function finish(code: number): void {
  stopping = true;
  stopResolve();
  // Give sockets a moment to close cleanly, then go regardless.
  setTimeout(() => process.exit(code), 300).unref();
}

process.on('disconnect', () => finish(0));
process.on('message', (raw: unknown) => {
  const m = raw as ToBots;
  switch (m.type) {
    case 'arena':
    case 'echo': {
      deadline = m.deadline;
      setTimeout(() => finish(0), Math.max(1, deadline - Date.now() + 2000)).unref();
      const run = m.type === 'arena' ? runArena(m) : runEcho(m);
      run.catch((error: unknown) => {
        if (error instanceof Stopped) return;
        send({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        finish(1);
      });
      break;
    }
    case 'go':
      goResolve();
      break;
    case 'measure-start':
      hist = new LatencyHistogram();
      queueWait = new LatencyHistogram();
      joinHist = new LatencyHistogram();
      startHist = new LatencyHistogram();
      playHist = new LatencyHistogram();
      actionsInWindow = 0;
      matchesFinished = 0;
      matchesNotTerminal = 0;
      errorsInWindow = 0;
      windowStart = performance.now();
      measuring = true;
      break;
    case 'measure-stop':
      measuring = false;
      send({
        type: 'result',
        stats: {
          rtt: hist.toJSON(),
          ...(queueWait.count + joinHist.count + playHist.count > 0 ? { queueWait: queueWait.toJSON(), join: joinHist.toJSON(), start: startHist.toJSON(), play: playHist.toJSON() } : {}),
          actions: actionsInWindow, matchesFinished, matchesNotTerminal, errors: errorsInWindow, ms: performance.now() - windowStart },
      });
      break;
    case 'stop':
      finish(0);
      break;
  }
});

const progress = setInterval(() => send({ type: 'progress', playing, actions: totalActions, errors: totalErrors, ...(lastError ? { lastError } : {}) }), 500);
progress.unref();
// Keep the process alive until told to stop (the IPC channel alone would, but be explicit).
const keepAlive = setInterval(() => undefined, 1000);
void stopped.then(() => clearInterval(keepAlive));
