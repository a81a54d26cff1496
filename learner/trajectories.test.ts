import type { Agent, SeatView } from '../agents/agent';
import { RandomAgent } from '../agents/random';
import { ArenaError } from '../environments/core/errors';
import type { AnyGame } from '../environments/core/game';
import { loadGame } from '../environments/registry';
import { runMatch } from '../engine/match';
import type { MatchRecord } from '../engine/record';
import { trajectoriesFromRecord } from './trajectories';

interface Seen {
  readonly obs: Float32Array;
  readonly legal: readonly number[];
  readonly action: number;
}

/** A random agent that logs every view it is shown (a copy of the observation tensor) and what it played. */
class LoggingAgent implements Agent<number> {
  readonly name = 'logger';
  readonly seen: Seen[] = [];
  private readonly inner: RandomAgent;
  constructor(seed: number) {
    this.inner = new RandomAgent(seed);
  }
  act(view: SeatView<unknown, number>): number {
    const action = this.inner.act(view);
    this.seen.push({ obs: Float32Array.from(view.observationTensor), legal: [...view.legalActions], action });
    return action;
  }
}

async function loggedMatch(game: AnyGame, seed: number): Promise<{ record: MatchRecord; agents: LoggingAgent[] }> {
  const agents = [new LoggingAgent(seed * 2 + 1), new LoggingAgent(seed * 2 + 2)];
  const record = await runMatch(game, seed, agents.map((agent, i) => ({ agent, info: { name: `p${i}`, snapshotId: `s${i}` } })));
  return { record, agents };
}

describe('trajectoriesFromRecord', () => {
  it.each(['leduc-poker', 'kuhn-poker', 'connect-four', 'tic-tac-toe'])(
    'rebuilds exactly the observations, legal masks and actions each seat saw live (%s, 30 matches)',
    async (id) => {
      const game = loadGame(id);
      const numActions = (game.actionSpace as { n: number }).n;
      const inputSize = game.observationShape.reduce((a, b) => a * b, 1);
      for (let seed = 0; seed < 30; seed++) {
        const { record, agents } = await loggedMatch(game, seed);
        const trajs = trajectoriesFromRecord(record, game, () => true);
        expect(trajs.map((t) => t.seat)).toEqual([0, 1]);
        for (const t of trajs) {
          const seen = agents[t.seat]!.seen;
          expect(t.length).toBe(seen.length);
          expect(t.snapshotId).toBe(`s${t.seat}`);
          expect(t.complete).toBe(true);
          seen.forEach((s, i) => {
            expect(t.observations.subarray(i * inputSize, (i + 1) * inputSize)).toEqual(s.obs);
            const legal = [...Array(numActions).keys()].filter((a) => t.legalMasks[i * numActions + a] === 1);
            expect(legal).toEqual(s.legal);
            expect(t.actions[i]).toBe(s.action);
          });
          // Terminal-only rewards: everything is credited to the seat's last decision and sums to its return.
          expect(t.finalReturn).toBe(record.returns[t.seat]);
          expect(Array.from(t.rewards.subarray(0, t.length - 1)).every((r) => r === 0)).toBe(true);
          expect(t.rewards[t.length - 1]).toBe(record.returns[t.seat]);
        }
      }
    },
  );

  it('keeps only the seats the filter accepts, and gets their snapshot ids from the record', async () => {
    const game = loadGame('kuhn-poker');
    const { record } = await loggedMatch(game, 4);
    const only1 = trajectoriesFromRecord(record, game, (_seat, info) => info.snapshotId === 's1');
    expect(only1.map((t) => [t.seat, t.snapshotId])).toEqual([[1, 's1']]);
    expect(trajectoriesFromRecord(record, game, () => false)).toEqual([]);
  });

  it('credits a forfeit to the forfeiting seat so that rewards still sum to the recorded return', async () => {
    const game = loadGame('connect-four');
    let moves = 0;
    // Seat 1 plays legally twice, then an illegal column: it forfeits (default onInvalid 'forfeit').
    const cheat: Agent<number> = { name: 'cheat', act: (v) => (++moves > 2 ? 99 : v.legalActions[0]!) };
    const record = await runMatch(game, 1, [
      { agent: new RandomAgent(1), info: { snapshotId: 'a' } },
      { agent: cheat, info: { snapshotId: 'b' } },
    ]);
    expect(record.endReason).toBe('forfeit');
    const trajs = trajectoriesFromRecord(record, game, () => true);
    for (const t of trajs) {
      expect(t.complete).toBe(true);
      expect(Array.from(t.rewards).reduce((a, b) => a + b, 0)).toBe(record.returns[t.seat]);
    }
    // The forfeiting seat made 2 recorded decisions (the illegal one is not an applied action).
    expect(trajs[1]!.length).toBe(2);
    expect(trajs[1]!.finalReturn).toBe(-1);
  });

  it('marks a match cut at max-steps as incomplete', async () => {
    const game = loadGame('connect-four');
    const record = await runMatch(game, 2, [{ agent: new RandomAgent(1) }, { agent: new RandomAgent(2) }], { maxSteps: 6 });
    expect(record.endReason).toBe('max-steps');
    const trajs = trajectoriesFromRecord(record, game, () => true);
    expect(trajs.map((t) => [t.length, t.complete])).toEqual([
      [3, false],
      [3, false],
    ]);
  });

  it('rejects records that do not replay with a typed error', async () => {
    const game = loadGame('leduc-poker');
    const { record } = await loggedMatch(game, 7);
    const expectCode = (r: MatchRecord, code: string): void => {
      try {
        trajectoriesFromRecord(r, game, () => true);
      } catch (e) {
        expect(e).toBeInstanceOf(ArenaError);
        expect((e as ArenaError).code).toBe(code);
        return;
      }
      throw new Error(`expected ${code}`);
    };
    // A different chance outcome than the seed draws.
    const chance = record.actions.findIndex((a) => a.seat === -1);
    const tampered = { ...record, actions: record.actions.map((a, i) => (i === chance ? { ...a, action: ((a.action as number) + 1) % 6 } : a)) };
    expectCode(tampered, 'record/mismatch');
    expectCode({ ...record, finalStateHash: 'x' }, 'record/mismatch');
    expectCode({ ...record, seats: record.seats.slice(0, 1) }, 'record/malformed');
    expectCode({ ...record, game: { ...record.game, version: 99 } }, 'record/mismatch');
  });
});
