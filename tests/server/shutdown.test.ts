/**
 * Graceful shutdown and start-up configuration of real server processes: SIGTERM while matches are mid-way leaves
 * the store with every match committed (nothing 'running', nothing half-written); a bad setting exits with code 2
 * and one line naming it; `arena serve` starts, serves and stops cleanly.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { RandomAgent } from '../../agents/random';
import type { ArenaClient, RoomMatchConnection, Policy } from '../../client-sdk/src/client';
import type { MatchSummary } from '../../client-sdk/src/protocol';
import { agentPolicy } from '../../agents/turn-view';
import { replay } from '../../engine/replay';
import { loadGame } from '../../environments/registry';
import { SqliteStore } from '../../population/store/sqlite-store';
import { connectedClient, getJson, registerAgent, sleep, startServer, tempDataDir, type RunningServer } from './harness';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'server', 'main.js');
const BIN = join(ROOT, 'bin', 'arena.js');


/** The SDK reconnects dropped rooms for minutes; a server that is going away on purpose should not be chased. */
function stopReconnecting(matches: Iterable<RoomMatchConnection>): void {
  for (const m of matches) m.room.reconnection.enabled = false;
}

/** `promise`'s value, or `fallback` after `ms` (the timer is cleared either way, so nothing outlives the test). */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<F>((r) => (timer = setTimeout(() => r(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Exited {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a process to its exit (SIGKILL after `timeoutMs`). */
function runToExit(args: readonly string[], env: Record<string, string>, timeoutMs = 15_000): Promise<Exited> {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

describe('graceful shutdown (SIGTERM) with matches mid-way', () => {
  let server: RunningServer;
  const clients: ArenaClient[] = [];
  const joined = new Set<RoomMatchConnection>();
  afterAll(async () => {
    stopReconnecting(joined);
    clients.forEach((c) => c.close());
    if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
      server.proc.kill('SIGKILL');
      await server.stop();
    }
  });

  it('exits 0 and leaves every match committed: none running, aborted ones recorded and replayable', async () => {
    const PAIRS = 6;
    const game = loadGame('connect-four');
    server = await startServer({ env: { ARENA_SHUTDOWN_GRACE_SECONDS: '1' } });
    const agents = await Promise.all(Array.from({ length: 2 * PAIRS }, (_, i) => registerAgent(server.url, `slow-${i}`)));
    const connected = await Promise.all(agents.map((a) => connectedClient(server.url, a.apiKey)));
    clients.push(...connected);

    const matchesWithTurns = new Set<string>();
    const slow = (seed: number): Policy => {
      const policy = agentPolicy(game, new RandomAgent(seed));
      return async (turn, match) => {
        joined.add(match as RoomMatchConnection);
        matchesWithTurns.add(match.welcome.matchId);
        await sleep(300);
        return policy(turn);
      };
    };
    const summaries: MatchSummary[] = [];
    // Not awaited: the server goes away under them.
    const playing = connected.map((c, i) =>
      c.play('connect-four', slow(100 + i), { matches: 1, via: 'room', onEnd: (s) => summaries.push(s) }).catch(() => undefined),
    );

    await waitFor('every match to have started', () => matchesWithTurns.size === PAIRS && joined.size === 2 * PAIRS, 15_000);
    await sleep(700); // a few moves in: connect-four needs at least 7 moves (2.1 s at 300 ms a move)
    const running = await getJson<{ matchesRunning: number }>(`${server.url}/health`);
    expect(running.body.matchesRunning).toBe(PAIRS);

    stopReconnecting(joined);
    const t0 = Date.now();
    const code = await server.stop('SIGTERM');
    const shutdownMs = Date.now() - t0;
    expect(code).toBe(0);
    // The grace period (1 s) was given, and the aborting that followed did not hang.
    expect(shutdownMs).toBeGreaterThanOrEqual(900);
    expect(shutdownMs).toBeLessThan(5000);
    const msgs = server.logs.map((l) => l.msg);
    expect(msgs).toEqual(expect.arrayContaining(['signal received', 'shutting down', 'grace period over; aborting running matches', 'stopped']));
    expect(server.logs.filter((l) => Number(l.level) >= 50)).toEqual([]); // no error or fatal lines
    await within(Promise.all(playing), 2000, null);

    const store = SqliteStore.open(join(server.dataDir, 'arena.db'));
    try {
      const rows = store.listMatches({ limit: 500 });
      expect(rows).toHaveLength(PAIRS);
      expect(rows.filter((m) => m.status === 'running')).toEqual([]);
      expect(store.listMatches({ status: 'running' })).toEqual([]);
      let aborted = 0;
      for (const row of rows) {
        const record = store.getRecord(row.id);
        expect(record).toBeDefined();
        // Committed in one piece: status, end, returns, reason and feed position all written with the record.
        expect(row.status).toBe(record!.endReason === 'aborted' ? 'aborted' : 'finished');
        expect(row.endReason).toBe(record!.endReason);
        expect(row.returns).toEqual(record!.returns);
        expect(row.endedAt).toBe(record!.endedAt);
        expect(row.seq).not.toBeNull();
        expect(['terminal', 'aborted']).toContain(record!.endReason);
        const result = replay(record!);
        expect(result.returns).toEqual(record!.returns);
        if (record!.endReason === 'aborted') {
          aborted++;
          expect(record!.steps).toBeGreaterThan(0); // cut short mid-way, not before the first move
          expect(game.isTerminal(result.finalState)).toBe(false);
        }
      }
      expect(aborted).toBeGreaterThan(0);
      expect(store.feedAfter(0, 500).map((e) => e.record.id).sort()).toEqual(rows.map((r) => r.id).sort());
      // What the clients were told agrees with the store.
      for (const s of summaries) expect(store.getRecord(s.matchId)?.endReason).toBe(s.endReason);
    } finally {
      store.close();
    }
  });

  // Regression: aborting used to be checked only between steps, so a pending remote decision (a person thinking, a
  // stuck bot, a dropped seat in its reconnection window) held the shutdown until it answered or timed out: forever
  // with ARENA_DECISION_MS=0, and the match was then recorded as a timeout forfeit instead of 'aborted'. runMatch
  // now races pending decisions against the abort signal (engine/match.ts untilAborted).
  it('a seat that never answers does not hold the shutdown past the grace period', async () => {
    const stuck = await startServer({ env: { ARENA_SHUTDOWN_GRACE_SECONDS: '1', ARENA_DECISION_MS: '0' } });
    const local: ArenaClient[] = [];
    const rooms = new Set<RoomMatchConnection>();
    try {
      const [a, b] = await Promise.all([registerAgent(stuck.url, 'thinker-a'), registerAgent(stuck.url, 'thinker-b')]);
      const ca = await connectedClient(stuck.url, a.apiKey);
      const cb = await connectedClient(stuck.url, b.apiKey);
      local.push(ca, cb);
      // Both seats join and never answer a turn (a person thinking, a stuck bot).
      let turns = 0;
      const seat = async (c: ArenaClient): Promise<void> => {
        const match = await c.join(await c.queue('tic-tac-toe'));
        rooms.add(match);
        match.onTurn(() => turns++);
      };
      await Promise.all([seat(ca), seat(cb)]);
      await waitFor('the first turn', () => turns > 0, 10_000);
      stopReconnecting(rooms);

      const exit = await within(stuck.stop('SIGTERM'), 6000, 'still running');
      expect(exit).toBe(0);
      const store = SqliteStore.open(join(stuck.dataDir, 'arena.db'));
      try {
        const [row] = store.listMatches();
        expect(row).toMatchObject({ status: 'aborted', endReason: 'aborted' });
      } finally {
        store.close();
      }
    } finally {
      stopReconnecting(rooms);
      local.forEach((c) => c.close());
      if (stuck.proc.exitCode === null && stuck.proc.signalCode === null) stuck.proc.kill('SIGKILL');
      await stuck.stop();
    }
  });
});

describe('configuration errors', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ARENA_RECONNECT_SECONDS', '-1'],
    ['ARENA_SHUTDOWN_GRACE_SECONDS', 'soon'],
    ['ARENA_ADMIN_TOKEN', 'short'],
    ['LOG_LEVEL', 'loud'],
  ])('%s=%s exits with code 2 and one stderr line naming the variable', async (name, value) => {
    const r = await runToExit([MAIN], { PORT: '0', HOST: '127.0.0.1', ARENA_DATA: tempDataDir(), LOG_LEVEL: 'info', [name]: value });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^arena: invalid setting /);
    expect(lines[0]).toContain(name);
    expect(r.stdout).not.toContain('arena listening');
    if (name === 'ARENA_ADMIN_TOKEN') expect(lines[0]).not.toContain(value); // the secret is not echoed
  });
});

describe('arena serve', () => {
  it('`node bin/arena.js serve --port 0 --data DIR` serves /health and exits 0 on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '', ARENA_DATA: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        const timer = setTimeout(() => reject(new Error(`arena serve did not start: ${stderr}`)), 20_000);
        proc.stdout.on('data', (d: Buffer) => {
          buffer += d.toString();
          for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            try {
              const entry = JSON.parse(line) as { msg?: string; url?: string; dataDir?: string };
              if (entry.msg === 'arena listening') {
                clearTimeout(timer);
                expect(entry.dataDir).toBe(dataDir);
                resolve(String(entry.url));
              }
            } catch {
              /* not a log line */
            }
          }
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`arena serve exited with ${code}: ${stderr}`));
        });
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(Number(new URL(url).port)).toBeGreaterThan(0);
      const health = await getJson<{ status: string }>(`${url}/health`);
      expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      // The store was created where --data said.
      const store = SqliteStore.open(join(dataDir, 'arena.db'));
      store.close();
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  });
});
