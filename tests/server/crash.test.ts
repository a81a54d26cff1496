/**
 * Crash safety end to end: 50 Connect Four matches run at once between SDK bots, an observer follows the feed, and
 * the server process is killed with SIGKILL once about half of the matches have been announced as finished. A new
 * server on the same data directory must then show every announced match as finished with an intact, replayable
 * record (in feed order, no seq gaps), every other match of the run as aborted (or finished and intact, if it
 * committed in the instant between the last announcement the observer read and the kill), none left running, and
 * must serve again.
 */
import type { ArenaClient, RoomMatchConnection } from '../../client-sdk/src/client';
import type { MatchSummary } from '../../client-sdk/src/protocol';
import { parseMatchRecord } from '../../engine/record';
import { replay } from '../../engine/replay';
import { connectedClient, getJson, registerAgent, sleep, startServer, type RegisteredAgent, type RunningServer } from './harness';
import { Rng } from '../../environments/core/rng';

const AGENTS = 100;
const MATCHES = AGENTS / 2;
/** Kill once this many matches were announced on the feed (about half). */
const KILL_AT = 25;
const GAME = 'connect-four';

interface MatchRowJson {
  id: string;
  status: 'running' | 'finished' | 'aborted';
  seq: number | null;
  endReason: string | null;
  returns: number[] | null;
}

/** Uniform floats in [0, 1) from the project's seeded generator. */
function rng(seed: number): () => number {
  const r = Rng.fromSeed(seed);
  return () => r.float();
}


/** Resolves with `p`, or rejects after `ms` (so no await in this file can hang the suite). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result in ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

describe('kill -9 in the middle of 50 concurrent matches', () => {
  const servers: RunningServer[] = [];
  const clients: ArenaClient[] = [];
  const rooms: RoomMatchConnection[] = [];

  afterAll(async () => {
    for (const r of rooms) {
      r.room.reconnection.enabled = false;
      r.leave();
    }
    for (const c of clients) c.close();
    // Let the last 'leave' frames arrive, then stop gracefully (rooms close with a consented code, so no client
    // starts reconnecting); SIGKILL if that takes too long. The killed server has exited already.
    await sleep(300);
    await Promise.all(servers.map((s) => within(s.stop('SIGTERM'), 8000, 'graceful stop').catch(() => s.stop('SIGKILL'))));
  });

  it('keeps every announced result, aborts the rest, leaves no gap in the feed, and serves again', async () => {
    const server = await startServer();
    servers.push(server);

    // 100 agents, each with its own lobby connection.
    const agents: RegisteredAgent[] = await Promise.all(Array.from({ length: AGENTS }, (_, i) => registerAgent(server.url, `crash-bot-${i}`)));
    const bots = await Promise.all(agents.map((a) => connectedClient(server.url, a.apiKey)));
    clients.push(...bots);

    // The observer records every match announced as finished, and pulls the plug at the KILL_AT-th.
    const announced: MatchSummary[] = [];
    let killed = false;
    let onKilled!: () => void;
    const killedSignal = new Promise<null>((r) => (onKilled = () => r(null)));
    const observer = await connectedClient(server.url);
    clients.push(observer);
    await observer.followFeed((summary) => {
      if (killed) return;
      announced.push(summary);
      if (announced.length < KILL_AT) return;
      killed = true;
      // Nothing may try to reach the dead server (or whatever takes its port next): no automatic reconnects.
      for (const c of clients) c.lobby.io.reconnection(false);
      for (const r of rooms) r.room.reconnection.enabled = false;
      server.proc.kill('SIGKILL');
      onKilled();
    });

    // Every bot queues once, joins its match and plays random legal moves, 20-80 ms per move, until the end or
    // the kill. Pairing is first come, first served, so 100 queued bots make 50 simultaneous matches.
    const found = new Map<string, number>(); // matchId -> bots that got match:found for it
    const endedSeenByBots = new Map<string, MatchSummary>();
    const playOne = async (bot: ArenaClient, index: number): Promise<void> => {
      const random = rng(1000 + index);
      try {
        const m = await bot.queue(GAME);
        found.set(m.matchId, (found.get(m.matchId) ?? 0) + 1);
        const match = await bot.join(m);
        rooms.push(match);
        if (killed) match.room.reconnection.enabled = false;
        match.onTurn((turn) => {
          setTimeout(
            () => {
              if (killed) return;
              const legal = turn.legalActions;
              match.act(turn.step, legal[Math.floor(random() * legal.length)]!);
            },
            20 + Math.floor(random() * 61),
          );
        });
        const summary = await Promise.race([match.ended, killedSignal]);
        if (summary && !killed) endedSeenByBots.set(summary.matchId, summary);
      } catch (error) {
        if (!killed) throw error; // a join cut short by the kill is expected; anything before it is not
      }
    };
    const playing = Promise.all(bots.map((b, i) => playOne(b, i)));
    playing.catch(() => undefined); // awaited below

    // How many matches run at once (the server counts created, unfinished matches), sampled until the kill.
    let maxRunning = 0;
    const sampling = (async () => {
      for (let i = 0; i < 400 && !killed; i++) {
        const health = await getJson<{ matchesRunning: number }>(`${server.url}/health`).catch(() => null);
        maxRunning = Math.max(maxRunning, health?.body.matchesRunning ?? 0);
        await sleep(25);
      }
    })();

    await within(killedSignal, 40_000, `waiting for ${KILL_AT} finished matches`);
    const exit = await within(server.stop('SIGKILL'), 10_000, 'waiting for the killed server to exit');
    expect(exit).toBeNull(); // killed by the signal, no exit code
    expect(server.proc.signalCode).toBe('SIGKILL');
    await within(playing, 10_000, 'bots winding down after the kill');
    await within(sampling, 10_000, 'health sampling');
    for (const c of clients) c.close();
    for (const r of rooms) r.leave();

    expect(found.size).toBe(MATCHES);
    expect([...found.values()].every((n) => n === 2)).toBe(true);
    expect(announced).toHaveLength(KILL_AT);
    expect(new Set(announced.map((s) => s.matchId)).size).toBe(KILL_AT);
    expect(maxRunning).toBeGreaterThanOrEqual(40); // the matches really overlapped

    // ---- restart on the same data directory ----
    const restarted = await startServer({ dataDir: server.dataDir });
    servers.push(restarted);
    const url = restarted.url;

    const { status: listStatus, body: list } = await getJson<{ matches: MatchRowJson[] }>(`${url}/api/matches?limit=500`);
    expect(listStatus).toBe(200);
    const rows = new Map(list.matches.map((m) => [m.id, m]));
    // The store holds exactly the matches of this run, and none of them is still running.
    expect([...rows.keys()].sort()).toEqual([...found.keys()].sort());
    expect(list.matches.filter((m) => m.status === 'running')).toEqual([]);

    const finished = list.matches.filter((m) => m.status === 'finished');
    const aborted = list.matches.filter((m) => m.status === 'aborted');
    expect(finished.length + aborted.length).toBe(MATCHES);
    const recovery = restarted.logs.find((l) => l.msg === 'matches left running by a previous process were marked aborted');
    expect(recovery?.matches).toBe(aborted.length);
    // Some matches were genuinely cut off by the kill (otherwise this test would prove nothing).
    expect(aborted.length).toBeGreaterThan(0);

    // Announced results: finished, in feed order (seq 1..KILL_AT in announcement order), record intact and replaying
    // to the announced returns.
    for (const [i, summary] of announced.entries()) {
      const { status, body } = await getJson<{ match: MatchRowJson; record: unknown }>(`${url}/api/matches/${summary.matchId}`);
      expect(status).toBe(200);
      expect(body.match.status).toBe('finished');
      expect(body.match.seq).toBe(i + 1);
      expect(body.match.returns).toEqual(summary.returns);
      const record = parseMatchRecord(body.record);
      expect(record.id).toBe(summary.matchId);
      expect(record.endReason).toBe(summary.endReason);
      expect(record.steps).toBe(summary.steps);
      expect(record.returns).toEqual(summary.returns);
      expect(replay(record).returns).toEqual(summary.returns);
    }

    // Every result a bot was told about (room 'end', sent after the commit) is stored too.
    for (const id of endedSeenByBots.keys()) expect(rows.get(id)?.status).toBe('finished');

    // Finished but not announced to the observer before the kill: only possible for commits in the instant between
    // the observer's last announcement and the kill; they must be just as intact, and after the announced ones.
    const announcedIds = new Set(announced.map((s) => s.matchId));
    const lateCommits = finished.filter((m) => !announcedIds.has(m.id));
    for (const m of lateCommits) {
      expect(m.seq!).toBeGreaterThan(KILL_AT);
      const { body } = await getJson<{ record: unknown }>(`${url}/api/matches/${m.id}`);
      const record = parseMatchRecord(body.record);
      expect(replay(record).returns).toEqual(m.returns);
    }

    // Everything else was cut off: aborted, no feed position, no record.
    for (const m of aborted) {
      expect(announcedIds.has(m.id)).toBe(false);
      expect(m.seq).toBeNull();
      expect(m.endReason).toBe('aborted');
      const { body } = await getJson<{ record: unknown }>(`${url}/api/matches/${m.id}`);
      expect(body.record).toBeNull();
    }

    // The feed has no gaps: the finished matches hold exactly seq 1..N.
    const seqs = finished.map((m) => m.seq!).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: finished.length }, (_, i) => i + 1));

    // ---- the restarted server serves again: two of the (persisted) agents play a match to the end ----
    const observer2 = await connectedClient(url);
    clients.push(observer2);
    const announcedAfter: MatchSummary[] = [];
    await observer2.followFeed((s) => announcedAfter.push(s));
    const [a, b] = [agents[0]!, agents[1]!];
    const [ca, cb] = await Promise.all([connectedClient(url, a.apiKey), connectedClient(url, b.apiKey)]);
    clients.push(ca, cb);
    const randomA = rng(1);
    const randomB = rng(2);
    const [ra, rb] = await within(
      Promise.all([
        ca.play(GAME, (t) => t.legalActions[Math.floor(randomA() * t.legalActions.length)]!),
        cb.play(GAME, (t) => t.legalActions[Math.floor(randomB() * t.legalActions.length)]!),
      ]),
      20_000,
      'a match on the restarted server',
    );
    const after = ra[0]!;
    expect(rb[0]!.matchId).toBe(after.matchId);
    expect(after.endReason).toBe('terminal');
    const { body } = await getJson<{ match: MatchRowJson; record: unknown }>(`${url}/api/matches/${after.matchId}`);
    expect(body.match.status).toBe('finished');
    expect(body.match.seq).toBe(finished.length + 1); // the feed continues where it stopped
    expect(replay(parseMatchRecord(body.record)).returns).toEqual(after.returns);
    for (let i = 0; i < 50 && announcedAfter.length === 0; i++) await sleep(20);
    expect(announcedAfter.map((s) => s.matchId)).toEqual([after.matchId]);

    console.info(`crash test: at most ${maxRunning} matches at once; ${finished.length} finished (${announced.length} announced before the kill, ${lateCommits.length} committed unannounced), ${aborted.length} aborted`);
  });
});
