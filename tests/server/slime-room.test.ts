/**
 * A realtime game end to end: two SDK bots play slime volleyball (short parameters: one life, 300 ticks) through
 * a real server process. One bot is the scripted tracker run as a local agent (its turns carry the serialized
 * state, deserialized into the agent's view), the other presses random buttons straight from the turn. Both
 * must see the match finish; the stored record must replay through the rules to the recorded final-state hash
 * and returns, with the serves as chance entries and each seat's buttons recorded only when they change.
 *
 * The bots answer each turn after 20 ms, as a client acting at about the tick rate would: a room drops a client
 * that sends more than 2 x ARENA_RATE_LIMIT (100) messages a second, and a server that steps realtime games in
 * lockstep (without the engine's wallClock) would otherwise ask for actions as fast as the bots answer.
 */
import { agentPolicy } from '../../agents/turn-view';
import type { ArenaClient } from '../../client-sdk/src/client';
import type { Turn } from '../../client-sdk/src/protocol';
import { SlimeTrackerAgent } from '../../agents/slime-tracker';
import { CHANCE } from '../../environments/core/game';
import { Rng } from '../../environments/core/rng';
import { loadGame } from '../../environments/registry';
import { parseMatchRecord, stateHash } from '../../engine/record';
import { replay } from '../../engine/replay';
import { connectedClient, getJson, registerAgent, sleep, startServer, type RunningServer } from './harness';

const GAME = 'slime-volleyball';
const PARAMS = { lives: 1, maxSteps: 300 };
/** Answers like `policy`, 20 ms after the turn arrives. */
const paced = <T>(policy: (turn: Turn) => T | Promise<T>) => async (turn: Turn): Promise<T> => {
  await sleep(20);
  return policy(turn);
};

describe('slime volleyball through a real server', () => {
  let server: RunningServer;
  const clients: ArenaClient[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server.stop();
  });

  it('two SDK bots play a match to the end; the stored record replays to the same final state', async () => {
    const game = loadGame(GAME, PARAMS);
    const [a, b] = await Promise.all([registerAgent(server.url, 'slime-tracker'), registerAgent(server.url, 'slime-random')]);
    const ca = await connectedClient(server.url, a.apiKey);
    const cb = await connectedClient(server.url, b.apiKey);
    clients.push(ca, cb);
    const rng = Rng.fromSeed(7);
    const randomTurns: Turn[] = [];
    const random = (turn: Turn): readonly number[] => {
      randomTurns.push(turn);
      return [rng.int(2), rng.int(2), rng.int(2)];
    };
    const [[ra], [rb]] = await Promise.all([
      ca.play(GAME, paced(agentPolicy(game, new SlimeTrackerAgent())), { params: PARAMS }),
      cb.play(GAME, paced(random), { params: PARAMS }),
    ]);
    expect(ra!.matchId).toBe(rb!.matchId);
    expect(ra!.endReason).toBe('terminal');
    expect(ra!.returns).toEqual(rb!.returns);
    expect([...ra!.returns].sort((x, y) => x - y)).toEqual([-1, 1]); // one life: the first point ends it
    expect(ra!.steps).toBeLessThanOrEqual(300 + 1);

    // Every tick asked both seats: each turn carried the 12-number observation and the 8 button vectors.
    expect(randomTurns.length).toBeGreaterThan(30); // at least the serve delay
    for (const t of randomTurns) {
      expect(t.observationTensor).toHaveLength(12);
      expect(t.legalActions).toHaveLength(8);
    }

    const { status, body } = await getJson<{ match: { status: string }; record: unknown }>(`${server.url}/api/matches/${ra!.matchId}`);
    expect(status).toBe(200);
    expect(body.match.status).toBe('finished');
    const record = parseMatchRecord(body.record);
    expect(record.game).toEqual({ id: GAME, version: game.spec.version, params: PARAMS });
    expect(record.actions[0]).toMatchObject({ step: 0, seat: CHANCE }); // the opening serve
    const ticks = record.steps - record.actions.filter((x) => x.seat === CHANCE).length;
    expect(record.actions.filter((x) => x.seat !== CHANCE).length).toBeLessThan(2 * ticks); // changes only
    const replayed = replay(record); // throws record/mismatch unless every serve, the final hash and returns agree
    expect(stateHash(game.serialize(replayed.finalState))).toBe(record.finalStateHash);
    expect(replayed.returns).toEqual(ra!.returns);
    expect(game.isTerminal(replayed.finalState)).toBe(true);
  }, 60_000);
});
