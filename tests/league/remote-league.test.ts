/**
 * A league with a remote member: the server runs the scenario (ARENA_LEAGUE), offers the remote agent its seat in
 * every match it schedules for it over the lobby, and plays the local members itself. The agent serves the
 * offers with the SDK (`ArenaClient.serve`), as `arena bot --serve` does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlphaBetaAgent } from '../../agents/alphabeta';
import { agentPolicy } from '../../agents/turn-view';
import type { PlayedMatch } from '../../client-sdk/src/client';
import type { LeagueUpdate, MatchFound } from '../../client-sdk/src/protocol';
import { deriveSeed } from '../../environments/core/rng';
import { loadGame } from '../../environments/registry';
import type { MatchRecord } from '../../engine/record';
import { replay } from '../../engine/replay';
import { arena, ROOT } from '../cli/run-cli';
import { connectedClient, getJson, registerAgent, startServer, tempDataDir, type RegisteredAgent } from '../server/harness';

const SEED = 4;
const MATCHES = 18;

function scenarioFile(matches = MATCHES): string {
  const file = join(mkdtempSync(join(tmpdir(), 'remote-league-')), 'remote.yaml');
  writeFileSync(
    file,
    [
      'name: remote',
      'game: { id: connect-four }',
      `seed: ${SEED}`,
      'population:',
      '  - { name: mine, agent: "remote:my-bot" }',
      '  - { name: rnd, agent: random }',
      '  - { name: ab1, agent: "alphabeta:depth=1" }',
      'matchmaking: { strategy: round-robin }',
      `budget: { matches: ${matches} }`,
      'ratings: { bootstrap: 20 }',
      'workers: 1',
    ].join('\n'),
  );
  return file;
}

/** A data directory whose store has the agent `my-bot` (a remote member must be registered before the league starts). */
async function registeredBot(): Promise<{ data: string; me: RegisteredAgent }> {
  const data = tempDataDir();
  const first = await startServer({ dataDir: data });
  const me = await registerAgent(first.url, 'my-bot');
  await first.stop();
  return { data, me };
}

describe('league with a remote member (ARENA_LEAGUE + ArenaClient.serve)', () => {
  it('offers the remote agent every match the round robin gives it, records them with league seeds, and rates it', async () => {
    const file = scenarioFile();
    const { data, me } = await registeredBot();

    const server = await startServer({ dataDir: data, env: { ARENA_LEAGUE: file, ARENA_DECISION_MS: '10000' } });
    const game = loadGame('connect-four');
    const bot = await connectedClient(server.url, me.apiKey);
    const spectator = await connectedClient(server.url);
    try {
      const offers: MatchFound[] = [];
      const played: PlayedMatch[] = [];
      const stop = new AbortController();
      const serving = bot.serve(
        (found) => {
          offers.push(found);
          return agentPolicy(game, new AlphaBetaAgent(game as never, { depth: 3, seed: offers.length }));
        },
        { signal: stop.signal, onEnd: (m) => played.push(m) },
      );
      const finished = new Promise<LeagueUpdate>((resolve) => spectator.onLeagueUpdate((u) => u.played === u.total && resolve(u)));
      await spectator.followFeed(() => undefined);
      const last = await finished;
      stop.abort();
      expect(await serving).toHaveLength(played.length);

      // Round robin over 3 members: 6 ordered pairs, 3 rounds; the remote member is in 4 pairs of each round.
      expect(last).toMatchObject({ league: 'remote', played: MATCHES, total: MATCHES });
      expect(played).toHaveLength(12);
      expect(offers.map((o) => o.seat).sort()).toEqual([...Array(6).fill(0), ...Array(6).fill(1)]);

      const list = await getJson<{ matches: { id: string; status: string }[] }>(`${server.url}/api/matches?game=connect-four&limit=100`);
      const finishedIds = list.body.matches.filter((m) => m.status === 'finished').map((m) => m.id);
      expect(finishedIds).toHaveLength(MATCHES);
      const leagueSeeds = new Set(Array.from({ length: 100 }, (_, i) => deriveSeed(SEED, i, 2)));
      let remoteMatches = 0;
      for (const id of finishedIds) {
        const { body } = await getJson<{ record: MatchRecord }>(`${server.url}/api/matches/${id}`);
        const record = body.record;
        expect(leagueSeeds.has(record.seed)).toBe(true);
        expect(record.seats.every((s) => s.snapshotId !== undefined)).toBe(true);
        expect(replay(record).returns).toEqual(record.returns);
        if (record.seats.some((s) => s.agentId === me.id)) remoteMatches++;
      }
      expect(remoteMatches).toBe(12);

      // Rated once, by the league: 12 matches for the remote agent (not 24 from the arena's own rating as well).
      const board = last.leaderboard as { rows: { name: string; matches: number }[] };
      expect(board.rows.find((r) => r.name === 'my-bot')?.matches).toBe(12);
      const profile = await getJson<{ ratings: { matches: number }[] }>(`${server.url}/api/agents/${me.id}`);
      expect(profile.body.ratings.map((r) => r.matches)).toEqual([12]);
    } finally {
      bot.close();
      spectator.close();
      await server.stop();
    }
  }, 120_000);

  it('arena bot --serve plays the offered league matches from its own process and stops after --matches', async () => {
    const { data, me } = await registeredBot();
    // 6 matches of the round robin: the remote member is in 4 of them.
    const server = await startServer({ dataDir: data, env: { ARENA_LEAGUE: scenarioFile(6) } });
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'arena.js'), 'bot', '--serve', '--url', server.url, '--key', me.apiKey, '--game', 'connect-four', '--agent', 'alphabeta:depth=2', '--matches', '4', '--json'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const out = JSON.parse(stdout) as { matches: { seat: number; endReason: string }[] };
      expect(out.matches).toHaveLength(4);
      expect(out.matches.every((m) => m.endReason === 'terminal')).toBe(true);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('arena league refuses a scenario with a remote member (it needs the server) with one line', () => {
    const r = arena(['league', '--scenario', scenarioFile(), '--data', tempDataDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^arena: league remote: member mine is remote:my-bot, but no agent named "my-bot" is registered/);
  });
});
