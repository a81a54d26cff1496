import type { Agent, SeatView } from '../agents/agent';
import { ArenaError } from '../environments/core/errors';
import type { Action } from '../environments/core/game';
import { Rng } from '../environments/core/rng';
import { loadGame } from '../environments/registry';
import { lineRace } from '../tests/fixtures/line-race';
import { runMatch, type MatchSeat } from './match';
import { parseMatchRecord } from './record';
import { replay } from './replay';

/** Uniform random over legal actions with its own seed (the engine tests must not depend on agents/). */
const randomAgent = (seed: number): Agent => {
  const rng = Rng.fromSeed(seed);
  return { name: 'random', act: (v: SeatView) => v.legalActions[rng.int(v.legalActions.length)] as Action };
};
const scripted = (name: string, act: (v: SeatView) => Action | Promise<Action>): Agent => ({ name, act });
const seats = (...agents: Agent[]): MatchSeat[] => agents.map((agent) => ({ agent }));

describe('runMatch', () => {
  it('plays Kuhn poker with chance, records it, and the record replays exactly', async () => {
    const game = loadGame('kuhn-poker');
    for (let seed = 0; seed < 50; seed++) {
      const record = await runMatch(game, seed, seats(randomAgent(seed), randomAgent(seed + 1000)));
      expect(parseMatchRecord(JSON.parse(JSON.stringify(record)))).toEqual(record);
      expect(record.endReason).toBe('terminal');
      expect(record.actions.slice(0, 2).map((a) => a.seat)).toEqual([-1, -1]);
      expect(record.returns[0]! + record.returns[1]!).toBe(0);
      const r = replay(record);
      expect(r.returns).toEqual(record.returns);
    }
  });

  it('is deterministic: same seed and seeded agents give the same record', async () => {
    const game = loadGame('connect-four');
    const a = await runMatch(game, 7, seats(randomAgent(1), randomAgent(2)), { id: 'x' });
    const b = await runMatch(game, 7, seats(randomAgent(1), randomAgent(2)), { id: 'x' });
    const strip = (r: typeof a) => ({ ...r, startedAt: '', endedAt: '', actions: r.actions.map((x) => ({ ...x, ms: 0 })) });
    expect(strip(a)).toEqual(strip(b));
  });

  it('hides the full state from agents in imperfect-information games and shows it in perfect-information ones', async () => {
    const seen: { state: unknown; info: string }[] = [];
    const spy = scripted('spy', (v) => {
      seen.push({ state: v.state, info: v.informationState });
      return v.legalActions[0]!;
    });
    await runMatch(loadGame('kuhn-poker'), 1, seats(spy, spy));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.state === undefined)).toBe(true);
    expect(seen[0]!.info).toMatch(/^[012]$/);
    seen.length = 0;
    await runMatch(loadGame('tic-tac-toe'), 1, seats(spy, spy));
    expect(seen.every((s) => s.state !== undefined)).toBe(true);
  });

  describe('invalid actions', () => {
    const game = loadGame('tic-tac-toe');
    const bad = scripted('bad', () => 99);
    it('forfeit (default): the offender loses with the minimum utility', async () => {
      const record = await runMatch(game, 0, seats(bad, randomAgent(1)));
      expect(record.endReason).toBe('forfeit');
      expect(record.forfeit).toEqual({ seat: 0, reason: expect.stringContaining('invalid action') });
      expect(record.returns).toEqual([-1, 1]);
      expect(replay(record).returns).toEqual([-1, 1]);
    });
    it('default-action: the first legal action is played instead', async () => {
      const invalid: number[] = [];
      const record = await runMatch(game, 0, seats(bad, bad), {
        onInvalid: 'default-action',
        listener: { onInvalid: (e) => invalid.push(e.seat) },
      });
      expect(record.endReason).toBe('terminal');
      // first-legal play from the empty board: x takes 0, o 1, x 2, o 3, x 4, o 5, x 6 wins (diagonal 2-4-6)
      expect(record.actions.map((a) => a.action)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(record.returns).toEqual([1, -1]);
      expect(invalid).toEqual([0, 1, 0, 1, 0, 1, 0]);
    });
    it('retry: asks again, then forfeits after maxRetries', async () => {
      let calls = 0;
      const flaky = scripted('flaky', (v) => (++calls % 2 === 1 ? 42 : v.legalActions[0]!));
      const ok = await runMatch(game, 0, seats(flaky, randomAgent(3)), { onInvalid: 'retry' });
      expect(ok.endReason).toBe('terminal');
      const lost = await runMatch(game, 0, seats(randomAgent(3), bad), { onInvalid: 'retry', maxRetries: 2 });
      expect(lost.forfeit?.seat).toBe(1);
    });
    it('an agent that throws forfeits, and the match record says why', async () => {
      const crash = scripted('crash', () => {
        throw new Error('boom');
      });
      const record = await runMatch(game, 0, seats(randomAgent(1), crash));
      expect(record.forfeit).toEqual({ seat: 1, reason: 'agent error: boom' });
    });
  });

  describe('time limits', () => {
    const game = loadGame('connect-four');
    const slow = scripted('slow', (v) => new Promise((r) => setTimeout(() => r(v.legalActions[0]!), 200)));
    it('forfeit on timeout', async () => {
      const record = await runMatch(game, 0, seats(slow, randomAgent(1)), { decisionMs: 20 });
      expect(record.forfeit).toEqual({ seat: 0, reason: 'timeout' });
      expect(record.returns).toEqual([-1, 1]);
    });
    it('a time bank absorbs overruns until it is spent', async () => {
      // Each decision of seat 0 takes ~60 ms against a 40 ms limit: the 100 ms bank covers the first overruns only.
      const slowish = scripted('slowish', (v) => new Promise((r) => setTimeout(() => r(v.legalActions[0]!), 60)));
      // Both stack the lowest column, so nobody connects four before the bank runs out.
      const stacker = scripted('stacker', (v) => v.legalActions[0]!);
      const record = await runMatch(game, 0, seats(slowish, stacker), { decisionMs: 40, bankMs: 100 });
      expect(record.forfeit).toEqual({ seat: 0, reason: 'timeout' });
      const seat0Moves = record.actions.filter((a) => a.seat === 0).length;
      expect(seat0Moves).toBeGreaterThanOrEqual(2);
      expect(seat0Moves).toBeLessThanOrEqual(5);
      const noBank = await runMatch(game, 0, seats(slowish, stacker), { decisionMs: 40 });
      expect(noBank.actions.filter((a) => a.seat === 0)).toHaveLength(0);
    });
    it('default action on timeout', async () => {
      const timeouts: number[] = [];
      const record = await runMatch(game, 0, seats(slow, randomAgent(1)), {
        decisionMs: 5,
        onTimeout: 'default-action',
        maxSteps: 6,
        listener: { onTimeout: (e) => timeouts.push(e.step) },
      });
      expect(record.endReason).toBe('max-steps');
      expect(timeouts).toEqual([0, 2, 4]);
      expect(record.actions.filter((a) => a.seat === 0).map((a) => a.action)).toEqual([0, 0, 0]);
    });
  });

  it('aborts at the next step when the signal fires', async () => {
    const controller = new AbortController();
    const agent = scripted('stop', (v) => {
      if (v.step === 3) controller.abort();
      return v.legalActions[0]!;
    });
    const record = await runMatch(loadGame('connect-four'), 0, seats(agent, agent), { signal: controller.signal });
    expect(record.endReason).toBe('aborted');
    expect(record.steps).toBe(4);
    expect(() => replay(record)).not.toThrow();
  });

  it('an abort does not wait for a seat that never answers', async () => {
    const controller = new AbortController();
    const silent = scripted('silent', () => new Promise<Action>(() => undefined));
    setTimeout(() => controller.abort(), 30);
    const record = await runMatch(loadGame('connect-four'), 0, seats(silent, silent), { signal: controller.signal });
    expect(record.endReason).toBe('aborted');
    expect(record.steps).toBe(0);
  });

  it('rejects a seat list of the wrong size with a typed error', async () => {
    await expect(runMatch(loadGame('kuhn-poker'), 0, seats(randomAgent(1)))).rejects.toThrow(ArenaError);
  });

  describe('realtime', () => {
    const game = lineRace.create(lineRace.spec.params.parse({ length: 6 }));
    const runner = scripted('runner', () => 1);
    const pacer = scripted('pacer', (v) => (v.step % 2 === 0 ? 1 : 0));
    it('steps all seats each tick, records only action changes, and replays', async () => {
      const record = await runMatch(game, 0, seats(runner, pacer));
      expect(record.endReason).toBe('terminal');
      // runner: stamina 3 -> runs 3 ticks, rests, ...; pacer alternates. Only changes are recorded.
      const runnerEntries = record.actions.filter((a) => a.seat === 0);
      expect(runnerEntries).toHaveLength(1);
      expect(record.actions.filter((a) => a.seat === 1).length).toBe(record.steps);
      expect(replay(record, { game }).returns).toEqual(record.returns);
    });
    it('with wallClock, ticks at the game rate and a late seat keeps its last action', async () => {
      let first = true;
      const late = scripted('late', () => {
        if (first) {
          first = false;
          return 1;
        }
        return new Promise<Action>((r) => setTimeout(() => r(0), 500));
      });
      const t0 = Date.now();
      const record = await runMatch(game, 0, seats(late, pacer), { wallClock: true, maxSteps: 6 });
      const elapsed = Date.now() - t0;
      expect(record.steps).toBe(6);
      expect(elapsed).toBeGreaterThanOrEqual(250); // 6 ticks at 20 Hz
      expect(record.actions.filter((a) => a.seat === 0).map((a) => a.action)).toEqual([1]);
      expect(() => replay(record, { game })).not.toThrow();
    });
  });
});

describe('replay', () => {
  it('detects a tampered record', async () => {
    const game = loadGame('tic-tac-toe');
    const record = await runMatch(game, 3, seats(randomAgent(5), randomAgent(6)));
    const tampered = { ...record, actions: record.actions.map((a, i) => (i === 0 ? { ...a, action: ((a.action as number) + 1) % 9 } : a)) };
    expect(() => replay(tampered)).toThrow(/record\/mismatch|differ|legal/);
    const wrongChance = await runMatch(loadGame('kuhn-poker'), 3, seats(randomAgent(5), randomAgent(6)));
    const badDeal = { ...wrongChance, seed: 4 };
    let error: unknown;
    try {
      replay(badDeal);
    } catch (e) {
      error = e;
    }
    // Seed 4 might deal the same first card; either the deal or the final hash must disagree.
    expect(error).toBeInstanceOf(ArenaError);
    expect((error as ArenaError).code).toBe('record/mismatch');
  });
});
