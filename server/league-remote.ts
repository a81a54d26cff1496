/**
 * Plays the league matches that have a remote member (`remote:<agent>` in the scenario) through the server, the
 * same way as every other match: a room, a seat reservation per seat, the record committed by the match session.
 * The remote agent is offered its seat over the lobby (`match:found`, as for a challenge; `arena bot --serve` or
 * `ArenaClient.serve()` accepts such offers); the local members' seats are played by the house players over
 * loopback. The league scheduled the match and its seed, so its record replays like any league match.
 */
import { loadGame } from '../environments/registry';
import { sleep } from '../learner/sleep';
import type { RemoteLeagueMatch, RemoteMatchRunner } from '../population/league';
import type { ArenaStore } from '../population/store/store';
import type { HousePlayers } from './house-players';
import type { Lobby } from './lobby';
import type { Logger } from './log';
import { offerFor, type MatchService } from './matches/service';

export interface RemoteLeagueDeps {
  readonly store: ArenaStore;
  readonly matches: MatchService;
  readonly lobby: Lobby;
  readonly house: HousePlayers;
  readonly log: Logger;
  /** How long a match waits for its remote members to be online before it is given up (and scheduled again). */
  readonly waitMs: number;
}

export function remoteLeagueRunner(deps: RemoteLeagueDeps): RemoteMatchRunner {
  return {
    async play(match: RemoteLeagueMatch, signal?: AbortSignal) {
      const { lobby } = deps;
      const remote = match.seats.filter((s) => s.remote);
      const online = (): boolean => remote.every((s) => lobby.isOnline(s.agentId));
      const deadline = Date.now() + deps.waitMs;
      while (!online()) {
        if (signal?.aborted || Date.now() >= deadline) {
          deps.log.info({ game: match.game, waitingFor: remote.filter((s) => !lobby.isOnline(s.agentId)).map((s) => s.name) }, 'league match not played: remote member offline');
          return null;
        }
        await sleep(250, signal);
      }
      const game = loadGame(match.game, match.params);
      // Local seats: checked before the match exists (a spec that cannot play is refused without a room).
      const hosted = match.seats.map((s) => {
        if (s.remote) return null;
        const agent = deps.store.getAgent(s.agentId);
        if (!agent) throw new Error(`league member ${s.name} has no agent row`);
        return deps.house.prepare({ agent, spec: s.spec, house: false, ...(match.baseDir ? { baseDir: match.baseDir } : {}) }, game, s.seed);
      });
      let created;
      try {
        created = await deps.matches.create({
          game: match.game,
          params: match.params,
          seed: match.seed,
          seats: match.seats.map((s) => ({ name: s.name, agentId: s.agentId, snapshotId: s.snapshotId })),
        });
      } catch (err) {
        // Shutting down, or Colyseus refused the room: this match is simply not played; the league goes on.
        deps.log.warn({ err, game: match.game }, 'league match with a remote member could not be created');
        return null;
      }
      match.seats.forEach((s, i) => {
        const found = offerFor(created, i);
        const play = hosted[i];
        if (play) play(found);
        else if (!lobby.offer(s.agentId, found)) deps.log.info({ matchId: created.matchId, agent: s.name }, 'remote league member went offline; its seat will expire');
      });
      return created.finished;
    },
  };
}
