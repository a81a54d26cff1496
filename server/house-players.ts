/**
 * Agents the server plays itself, so a person always has an opponent: the house agents (a fixed list, registered
 * at start-up, names under the reserved `house.` prefix) and every league member whose latest snapshot in a game
 * is an agent spec ("random", "alphabeta:depth=2", ...). A hosted seat joins its match through the SDK like any
 * remote bot (a loopback connection to this same server), so rooms, time limits and records treat it exactly as
 * they treat the bots of `arena bot`; nothing in the match path knows it is local.
 */
import { createHash } from 'node:crypto';
import type { Agent } from '../agents/agent';
import { createAgent, parseAgentSpec } from '../agents/registry';
import { viewFromTurn } from '../agents/turn-view';
import { ArenaClient, type MatchConnection } from '../client-sdk/src/client';
import type { MatchFound } from '../client-sdk/src/protocol';
import type { AnyGame } from '../environments/core/game';
import { agentNamed } from '../population/store/agent-named';
import type { AgentRow, ArenaStore } from '../population/store/store';
import type { Logger } from './log';

/** Agent names starting with this are the server's own (registration refuses them). */
export const HOUSE_PREFIX = 'house.';

export interface HouseAgentDef {
  readonly name: string;
  /** Agent spec (agents/registry). */
  readonly spec: string;
  /** Whether this agent can play `game` (its rules and action space). */
  plays(game: AnyGame): boolean;
}

const discrete = (g: AnyGame): boolean => g.actionSpace.kind === 'discrete';
/** Search agents need the full state and alternating turns without chance. */
const searchable = (g: AnyGame): boolean => discrete(g) && g.spec.perfectInformation && !g.spec.chance && g.spec.dynamics === 'sequential' && g.numPlayers === 2;

/** The scripted baselines written for one game each (their agent kinds refuse the others). */
const only = (id: string) => (g: AnyGame): boolean => g.spec.id === id;

/** Cheap enough to run on the server's event loop (a few ms per move on Connect Four, well under a tick on the realtime games). */
export const HOUSE_AGENTS: readonly HouseAgentDef[] = [
  { name: `${HOUSE_PREFIX}random`, spec: 'random', plays: discrete },
  { name: `${HOUSE_PREFIX}alphabeta`, spec: 'alphabeta:depth=4', plays: searchable },
  { name: `${HOUSE_PREFIX}mcts`, spec: 'mcts:simulations=300', plays: searchable },
  { name: `${HOUSE_PREFIX}slime-tracker`, spec: 'slime-tracker', plays: only('slime-volleyball') },
  { name: `${HOUSE_PREFIX}drone-scripted`, spec: 'drone-scripted', plays: only('drone-volleyball') },
  { name: `${HOUSE_PREFIX}hanabi-rules`, spec: 'hanabi-rules', plays: only('hanabi') },
  { name: `${HOUSE_PREFIX}overcooked-greedy`, spec: 'overcooked-greedy', plays: only('overcooked') },
];

export interface HostedAgent {
  readonly agent: AgentRow;
  readonly spec: string;
  /** A house agent (rather than a league member). */
  readonly house: boolean;
  /** Base directory of a relative policy file in `spec` (league members). */
  readonly baseDir?: string;
}

export class HousePlayers {
  private readonly live = new Set<MatchConnection>();
  private client: ArenaClient | null = null;

  constructor(
    private readonly deps: {
      readonly store: ArenaStore;
      readonly log: Logger;
      /** This server's own URL (known once it listens). */
      readonly url: () => string;
    },
  ) {}

  /** Registers the house agents that do not exist yet (with a random key hash that no key matches: they never use the lobby). */
  register(): void {
    const { store } = this.deps;
    for (const def of HOUSE_AGENTS) agentNamed(store, def.name, 'bot');
  }

  /** Agents this server can play in `game`: house agents first, then league members (latest snapshot each). */
  hosted(game: AnyGame): HostedAgent[] {
    const { store } = this.deps;
    const out: HostedAgent[] = [];
    for (const def of HOUSE_AGENTS) {
      const agent = def.plays(game) ? store.agentByName(def.name) : undefined;
      if (agent) out.push({ agent, spec: def.spec, house: true });
    }
    // The latest snapshot of each agent, read without artifacts (learners keep hundreds of weight blobs).
    const latest = new Map<string, string>();
    for (const s of store.listSnapshotInfos({ game: game.spec.id })) latest.set(s.agentId, s.id);
    for (const [agentId, snapshotId] of latest) {
      const agent = store.getAgent(agentId);
      if (!agent || agent.name.startsWith(HOUSE_PREFIX)) continue;
      const artifact = store.getSnapshot(snapshotId)?.artifact;
      if (artifact === undefined || !isAgentSpec(artifact)) continue;
      out.push({ agent, spec: artifact, house: false });
    }
    return out;
  }

  /**
   * Checks now that the agent can play this game (a spec that cannot is refused before any match exists) and
   * returns what plays the seat once the match is created. The agent is seeded from the match id unless `seed`
   * is given (league matches carry their seats' seeds, so they replay like the league's local matches).
   */
  prepare(hosted: HostedAgent, game: AnyGame, seed?: number): (found: MatchFound) => void {
    const dir = hosted.baseDir !== undefined ? { baseDir: hosted.baseDir } : {};
    createAgent(hosted.spec, { game, seed: 0, ...dir });
    return (found) => void this.play(found, createAgent(hosted.spec, { game, seed: seed ?? seedOf(found.matchId), ...dir }), game, hosted.agent.name);
  }

  /** Leaves every match the house is playing (server shutdown). */
  close(): void {
    for (const m of this.live) m.leave();
    this.live.clear();
  }

  private async play(found: MatchFound, agent: Agent, game: AnyGame, name: string): Promise<void> {
    this.client ??= new ArenaClient({ url: this.deps.url() });
    let match: MatchConnection;
    try {
      match = await this.client.join(found);
    } catch (err) {
      this.deps.log.warn({ err, matchId: found.matchId, agent: name }, 'house agent could not take its seat');
      return;
    }
    this.live.add(match);
    match.onTurn((turn) => {
      void (async () => {
        try {
          match.act(turn.step, await agent.act(viewFromTurn(game, turn)));
        } catch (err) {
          this.deps.log.error({ err, matchId: found.matchId, agent: name }, 'house agent failed; resigning');
          match.resign();
        }
      })();
    });
    await match.ended;
    this.live.delete(match);
    match.leave();
  }
}

function isAgentSpec(text: string): boolean {
  if (text.length > 512) return false; // a policy or model artifact, not a spec
  try {
    parseAgentSpec(text);
    return true;
  } catch {
    return false;
  }
}

/** A 31-bit agent seed from the match id: the same match always gets the same house behaviour. */
function seedOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) >>> 1;
}
