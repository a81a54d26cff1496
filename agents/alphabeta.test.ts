import { AlphaBetaAgent, WIN_VALUE } from './alphabeta';
import { RandomAgent } from './random';
import { ArenaError } from '../environments/core/errors';
import { Rng } from '../environments/core/rng';
import { connectFour, type ConnectFourState } from '../environments/zero-sum/connect-four';
import { connectFourHeuristic } from './heuristics/connect-four';
import { ticTacToe } from '../environments/zero-sum/tic-tac-toe';
import { playOut, seatView, stateAfter } from '../tests/helpers/play';

describe('AlphaBetaAgent', () => {
  const c4 = connectFour.create({});
  const ttt = ticTacToe.create({});

  it('names itself and validates its options', () => {
    expect(new AlphaBetaAgent(c4, { depth: 4, seed: 1 }).name).toBe('alphabeta:depth=4');
    expect(() => new AlphaBetaAgent(c4, { depth: 0, seed: 1 })).toThrow(ArenaError);
    const hidden = { ...ttt, spec: { ...ttt.spec, perfectInformation: false } };
    expect(() => new AlphaBetaAgent(hidden, { depth: 2, seed: 1 })).toThrow(
      expect.objectContaining({ code: 'agent/unsupported-game' }),
    );
  });

  it('takes an immediate Connect Four win and blocks an immediate loss', () => {
    // x has columns 0, 1, 2 of the bottom row, o stacked on them: x to move wins at 3.
    const win = stateAfter(c4, [0, 0, 1, 1, 2, 2]);
    // x has columns 0, 1, 2 of the bottom row, o two discs in column 6: o to move must block at 3.
    const block = stateAfter(c4, [0, 6, 1, 6, 2]);
    for (let seed = 0; seed < 5; seed++) {
      const agent = new AlphaBetaAgent(c4, { depth: 4, seed });
      expect(agent.act(seatView(c4, win, 0))).toBe(3);
      expect(agent.lastValue).toBe(WIN_VALUE - 1);
      expect(agent.act(seatView(c4, block, 1))).toBe(3);
      expect(agent.lastNodes).toBeGreaterThan(0);
    }
  });

  it('beats a random player in at least 95 of 100 Connect Four games at depth 4', () => {
    let wins = 0;
    for (let g = 0; g < 100; g++) {
      const ab = new AlphaBetaAgent<ConnectFourState>(c4, { depth: 4, seed: g });
      const rnd = new RandomAgent(1000 + g);
      const abSeat = g % 2;
      const { returns } = playOut(c4, abSeat === 0 ? [ab, rnd] : [rnd, ab]);
      if (returns[abSeat] === 1) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(95);
  });

  it('never loses tic-tac-toe to a random player at full depth and draws against itself', () => {
    for (let g = 0; g < 50; g++) {
      const ab = new AlphaBetaAgent(ttt, { depth: 9, seed: g });
      const abSeat = g % 2;
      const { returns } = playOut(ttt, abSeat === 0 ? [ab, new RandomAgent(g)] : [new RandomAgent(g), ab]);
      expect(returns[abSeat]).toBeGreaterThanOrEqual(0);
    }
    const openings = new Set<number>();
    for (let g = 0; g < 6; g++) {
      const { returns, moves } = playOut(ttt, [
        new AlphaBetaAgent(ttt, { depth: 9, seed: g }),
        new AlphaBetaAgent(ttt, { depth: 9, seed: 100 + g }),
      ]);
      expect(returns).toEqual([0, 0]);
      openings.add(moves[0] as number);
    }
    // Every first move draws, so the seeded tie-break varies the opening.
    expect(openings.size).toBeGreaterThan(1);
  });

  it('finds the plain minimax value in random Connect Four positions', () => {
    /** Unpruned minimax for `root`, with the same scoring as the agent. */
    const minimax = (s: ConnectFourState, depth: number, ply: number, root: number): number => {
      if (c4.isTerminal(s)) {
        const r = (c4.returns(s)[root] as number) * WIN_VALUE;
        return r > 0 ? r - ply : r < 0 ? r + ply : 0;
      }
      if (depth === 0) return connectFourHeuristic(s, root);
      const values = c4
        .legalActions(s, s.toMove)
        .map((a) => minimax(stateAfter(c4, [...moves(s), a]), depth - 1, ply + 1, root));
      return s.toMove === root ? Math.max(...values) : Math.min(...values);
    };
    const moves = (s: ConnectFourState): number[] => {
      const out: number[] = [];
      for (let n = s.history; n !== null; n = n.prev) out.unshift(n.a);
      return out;
    };
    const rng = Rng.fromSeed(11);
    for (let i = 0; i < 12; i++) {
      const line: number[] = [];
      let s = c4.init(0);
      const len = 4 + rng.int(20);
      while (line.length < len && !c4.isTerminal(s)) {
        const legal = c4.legalActions(s, s.toMove);
        line.push(legal[rng.int(legal.length)] as number);
        s = stateAfter(c4, line);
      }
      if (c4.isTerminal(s)) continue;
      const agent = new AlphaBetaAgent<ConnectFourState>(c4, { depth: 3, seed: i });
      const a = agent.act(seatView(c4, s, s.toMove));
      const expected = minimax(s, 3, 0, s.toMove);
      expect(agent.lastValue).toBe(expected);
      expect(minimax(stateAfter(c4, [...line, a]), 2, 1, s.toMove)).toBe(expected);
    }
  });

  it('is deterministic per seed', () => {
    const a = playOut(c4, [new AlphaBetaAgent(c4, { depth: 2, seed: 5 }), new RandomAgent(1)]).moves;
    const b = playOut(c4, [new AlphaBetaAgent(c4, { depth: 2, seed: 5 }), new RandomAgent(1)]).moves;
    expect(a).toEqual(b);
  });

  it('uses a custom evaluation', () => {
    // Prefer the rightmost column: the evaluation is the last column played.
    const agent = new AlphaBetaAgent<ConnectFourState>(c4, {
      depth: 1,
      seed: 0,
      evaluate: (s) => s.history?.a ?? 0,
    });
    expect(agent.act(seatView(c4, c4.init(0), 0))).toBe(6);
  });
});
