import { conformanceChecks } from '../testing/check-game';
import { applyOrThrow } from '../core/helpers';
import { Rng } from '../core/rng';
import { deepFreeze, errorCode } from '../../tests/helpers/play';
import { cooksOf as cooks, runJoint as run, scene, type CookView, type XY } from '../../tests/helpers/overcooked-scene';
import {
  COOK_TIME,
  DISH,
  EAST,
  INTERACT,
  NORTH,
  NOTHING,
  ONION,
  overcooked,
  SOUP,
  SOUTH,
  STAY,
  WEST,
  type OvercookedGame,
  type OvercookedParams,
  type OvercookedState,
} from './overcooked';
import { LAYOUT_GRIDS, LAYOUT_NAMES, type LayoutName } from './overcooked-layouts';

const make = (p: Partial<OvercookedParams> = {}): OvercookedGame => overcooked.create(overcooked.spec.params.parse(p)) as OvercookedGame;
const game = make();

const where = (g: OvercookedGame, s: OvercookedState): string[] => cooks(g, s).map((c) => `${c.x},${c.y} ${c.facing}`);

describe('overcooked', () => {
  it('declares its facts', () => {
    expect(overcooked.spec).toMatchObject({
      id: 'overcooked',
      version: 1,
      dynamics: 'simultaneous',
      utility: 'cooperative',
      chance: false,
      perfectInformation: true,
      players: { min: 2, max: 2 },
    });
    expect(overcooked.spec.params.parse({})).toEqual({ layout: 'cramped_room', horizon: 400, shaped: false });
    expect(overcooked.spec.params.safeParse({ layout: 'kitchen' }).success).toBe(false);
    expect(overcooked.spec.params.safeParse({ horizon: 0 }).success).toBe(false);
    expect(overcooked.spec.params.safeParse({ cookTime: 10 }).success).toBe(false);
    expect(game.actionSpace).toEqual({ kind: 'discrete', n: 6 });
    expect(game.observationShape).toEqual([20, 4, 5]);
    expect(game.maxLength).toBe(400);
    // One pot, at most 20 soups in 400 steps: 400 sparse; shaped adds 17 per soup + 9 per pot + 6.
    expect([game.minUtility, game.maxUtility]).toEqual([0, 400]);
    expect(make({ shaped: true }).maxUtility).toBe(400 + 340 + 9 + 6);
    expect(make({ layout: 'counter_circuit' }).observationShape).toEqual([20, 5, 8]);
    expect(make({ layout: 'asymmetric_advantages' }).maxUtility).toBe(800);
  });

  it('has the five Overcooked-AI layouts, cooks on 1 and 2 facing north', () => {
    const expected: Record<LayoutName, { start: [XY, XY]; pots: number }> = {
      cramped_room: { start: [[1, 2], [3, 1]], pots: 1 },
      asymmetric_advantages: { start: [[6, 2], [1, 3]], pots: 2 },
      coordination_ring: { start: [[2, 1], [1, 2]], pots: 2 },
      forced_coordination: { start: [[3, 1], [1, 2]], pots: 2 },
      counter_circuit: { start: [[3, 3], [3, 1]], pots: 2 },
    };
    expect([...LAYOUT_NAMES]).toEqual(Object.keys(expected));
    for (const name of LAYOUT_NAMES) {
      const g = make({ layout: name });
      const s = g.init(123);
      const view = g.render(s, null) as unknown as { grid: string[]; players: CookView[]; pots: unknown[] };
      expect(view.grid).toEqual(LAYOUT_GRIDS[name].map((row) => row.replace(/[12]/g, ' ')));
      expect(view.players.map((p) => [p.x, p.y])).toEqual(expected[name].start);
      expect(view.players.map((p) => [p.facing, p.held])).toEqual([['N', null], ['N', null]]);
      expect(view.pots).toHaveLength(expected[name].pots);
      expect(g.serialize(g.init(999))).toBe(g.serialize(s)); // the seed does not matter: no chance
    }
    expect(LAYOUT_GRIDS.cramped_room).toEqual(['XXPXX', 'O  2O', 'X1  X', 'XDXSX']);
    expect(LAYOUT_GRIDS.counter_circuit).toEqual(['XXXPPXXX', 'X  2   X', 'D XXXX S', 'X  1   X', 'XXXOOXXX']);
  });

  describe('conformance (every layout, sparse and shaped, a short horizon)', () => {
    const params = [
      ...LAYOUT_NAMES.map((layout) => ({ layout })),
      { layout: 'cramped_room', shaped: true },
      { layout: 'forced_coordination', horizon: 7, shaped: true },
    ];
    it.each(conformanceChecks(overcooked, { runs: 6, params, seed: 7 }).map((c) => [c.name, c] as const))('%s', (_n, check) => {
      check.run();
    });
  });

  describe('movement and collisions (cramped_room)', () => {
    it('moves onto floor and turns to face the way it moved', () => {
      const s = run(game, game.init(0), [[EAST, SOUTH]]);
      expect(where(game, s)).toEqual(['2,2 E', '3,2 S']);
    });

    it('only turns a cook that moves into a non-floor cell (counter, dispenser, pot, window)', () => {
      const s0 = game.init(0); // cook 0 at (1,2): counter to the W, dish dispenser to the S
      expect(where(game, run(game, s0, [[WEST, STAY]]))).toEqual(['1,2 W', '3,1 N']);
      expect(where(game, run(game, s0, [[SOUTH, EAST]]))).toEqual(['1,2 S', '3,1 E']); // (4,1) is an onion dispenser
      expect(where(game, run(game, s0, [[STAY, NORTH]]))).toEqual(['1,2 N', '3,1 N']); // (3,0) is a counter
    });

    it('cancels both moves when the cooks target the same cell (both still turn)', () => {
      const s = scene(game, { cooks: [{ at: [1, 1] }, { at: [3, 1] }] });
      expect(where(game, run(game, s, [[EAST, WEST]]))).toEqual(['1,1 E', '3,1 W']);
    });

    it('cancels both moves when the cooks would swap cells', () => {
      const s = scene(game, { cooks: [{ at: [1, 1] }, { at: [2, 1] }] });
      expect(where(game, run(game, s, [[EAST, WEST]]))).toEqual(['1,1 E', '2,1 W']);
      const v = scene(game, { cooks: [{ at: [2, 2] }, { at: [2, 1] }] });
      expect(where(game, run(game, v, [[NORTH, SOUTH]]))).toEqual(['2,2 N', '2,1 S']);
    });

    it('lets a cook step into the cell the other leaves in the same step', () => {
      const s = scene(game, { cooks: [{ at: [1, 1] }, { at: [1, 2] }] });
      expect(where(game, run(game, s, [[EAST, NORTH]]))).toEqual(['2,1 E', '1,1 N']);
      // The same with the seats the other way round, and a chain of two cooks moving one way.
      const t = scene(game, { cooks: [{ at: [1, 2] }, { at: [1, 1] }] });
      expect(where(game, run(game, t, [[NORTH, EAST]]))).toEqual(['1,1 N', '2,1 E']);
      const u = scene(game, { cooks: [{ at: [1, 1] }, { at: [2, 1] }] });
      expect(where(game, run(game, u, [[EAST, EAST]]))).toEqual(['2,1 E', '3,1 E']);
    });

    it('blocks a cook that moves into a cook blocked by a counter, or one standing still', () => {
      // Cook 0 bumps the counter at (1,0) and stays on (1,1); cook 1 targets (1,1): same target, both stay.
      const s = scene(game, { cooks: [{ at: [1, 1] }, { at: [1, 2] }] });
      expect(where(game, run(game, s, [[NORTH, NORTH]]))).toEqual(['1,1 N', '1,2 N']);
      expect(where(game, run(game, s, [[STAY, NORTH]]))).toEqual(['1,1 N', '1,2 N']);
      expect(where(game, run(game, s, [[INTERACT, NORTH]]))).toEqual(['1,1 N', '1,2 N']);
    });
  });

  describe('interacts', () => {
    const fc = make({ layout: 'forced_coordination' });
    // The counter (2,2) is faced by (1,2) looking east and by (3,2) looking west.
    const shared = (held0: number, held1: number, item: number): OvercookedState =>
      scene(fc, {
        cooks: [
          { at: [1, 2], facing: EAST, held: held0 },
          { at: [3, 2], facing: WEST, held: held1 },
        ],
        items: item === NOTHING ? [] : [[[2, 2], item]],
      });
    const after = (s: OvercookedState): [string | null, string | null, unknown] => {
      const v = fc.render(run(fc, s, [[INTERACT, INTERACT]]), null) as unknown as { players: CookView[]; items: unknown[] };
      return [v.players[0]?.held ?? null, v.players[1]?.held ?? null, v.items];
    };

    it('resolves seat 0 before seat 1 on the same counter', () => {
      // Both reach for one onion: seat 0 gets it, seat 1 finds the counter empty.
      expect(after(shared(NOTHING, NOTHING, ONION))).toEqual(['onion', null, []]);
      // Seat 0 takes the onion, then seat 1 puts its dish on the counter seat 0 just emptied.
      expect(after(shared(NOTHING, DISH, ONION))).toEqual(['onion', null, [{ x: 2, y: 2, item: 'dish' }]]);
      // Seat 0 puts a dish down and seat 1 picks it up in the same step: a hand-over.
      expect(after(shared(DISH, NOTHING, NOTHING))).toEqual([null, 'dish', []]);
      // Both hold something and the counter is empty: only seat 0 can put its item down.
      expect(after(shared(SOUP, ONION, NOTHING))).toEqual([null, 'onion', [{ x: 2, y: 2, item: 'soup' }]]);
    });

    it('gives items from dispensers only to empty hands, and pots take onions only up to 3', () => {
      // cramped_room: (1,2) faces the dish dispenser to the S; (2,1) faces the pot to the N.
      const s = scene(game, {
        cooks: [
          { at: [1, 2], facing: SOUTH, held: ONION },
          { at: [2, 1], facing: NORTH, held: ONION },
        ],
        pots: [[3, 5]],
      });
      const t = run(game, s, [[INTERACT, INTERACT]]);
      expect(cooks(game, t).map((c) => c.held)).toEqual(['onion', 'onion']);
      expect((game.render(t, null) as unknown as { pots: unknown[] }).pots).toEqual([{ x: 2, y: 0, onions: 3, cookTime: 6, ready: false }]);
      // A dish on a pot that is not ready does nothing; an onion on the serving window does nothing.
      const u = scene(game, { cooks: [{ at: [3, 2], facing: SOUTH, held: ONION }, { at: [2, 1], facing: NORTH, held: DISH }], pots: [[3, 19]] });
      const v = run(game, u, [[INTERACT, INTERACT]]);
      expect(cooks(game, v).map((c) => c.held)).toEqual(['onion', 'dish']);
      expect(game.rewards(v)).toEqual([0, 0]);
    });
  });

  describe('a full soup, scripted from the start of cramped_room', () => {
    // Seat 1 brings three onions from the east dispenser (4,1) to the pot (2,0); the third goes in at step 15.
    // Each trip: take an onion (facing the dispenser), step W under the pot, face it, put the onion in, step back E.
    const seat1 = [EAST, ...[1, 2, 3].flatMap(() => [INTERACT, WEST, NORTH, INTERACT, EAST])];
    // Seat 0 fetches a dish once the pot cooks (step 17), stands under the pot by step 19, tries too early at
    // step 34, takes the soup at step 35 and serves it at step 39.
    const seat0: number[] = [];
    for (let t = 1; t <= 39; t++) {
      const a = ({ 16: SOUTH, 17: INTERACT, 18: EAST, 19: NORTH, 34: INTERACT, 35: INTERACT, 36: SOUTH, 37: EAST, 38: SOUTH, 39: INTERACT } as Record<number, number>)[t];
      seat0.push(a ?? STAY);
    }
    const joints = seat0.map((a, i) => [a, seat1[i] ?? STAY] as const);

    function playAll(g: OvercookedGame): { states: OvercookedState[]; rewards: number[] } {
      let s = deepFreeze(g.init(0));
      const states = [s];
      const rewards: number[] = [];
      for (const j of joints) {
        s = run(g, s, [j]);
        states.push(s);
        rewards.push(g.rewards(s)[0] as number);
      }
      return { states, rewards };
    }

    it('cooks 20 steps after the third onion, and the soup delivered scores 20 at the right step', () => {
      expect(seat1).toHaveLength(16);
      const g = make({ horizon: 39 });
      const { states, rewards } = playAll(g);
      const pot = (t: number): { onions: number; cookTime: number; ready: boolean } => {
        const p = (g.render(states[t] as OvercookedState, null) as unknown as { pots: { onions: number; cookTime: number; ready: boolean }[] }).pots[0]!;
        return { onions: p.onions, cookTime: p.cookTime, ready: p.ready };
      };
      expect([5, 10, 14].map((t) => pot(t).onions)).toEqual([1, 2, 2]);
      expect(pot(15)).toEqual({ onions: 3, cookTime: 1, ready: false });
      expect(pot(33)).toEqual({ onions: 3, cookTime: 19, ready: false });
      expect(pot(34)).toEqual({ onions: 3, cookTime: 20, ready: true }); // step 34's interact came too early
      expect(cooks(g, states[34]!)[0]?.held).toBe('dish');
      expect(cooks(g, states[35]!)[0]?.held).toBe('soup');
      expect(pot(35)).toEqual({ onions: 0, cookTime: 0, ready: false });
      expect(COOK_TIME).toBe(20);
      expect(rewards.map((r, i) => (r !== 0 ? [i + 1, r] : null)).filter((x) => x !== null)).toEqual([[39, 20]]);
      const end = states[39]!;
      expect(g.isTerminal(end)).toBe(true);
      expect(g.returns(end)).toEqual([20, 20]);
      expect(g.currentPlayers(end)).toEqual([]);
      expect(g.legalActions(end, 0)).toEqual([]);
      expect(errorCode(g.apply(end, [STAY, STAY]))).toBe('match/over');
      expect(g.renderText(end, null)).toContain('tick 39/39, soups 1, score 20');
      // Sparse by default: the shaping is counted but not paid.
      expect((g.render(end, null) as unknown as { shaped: number }).shaped).toBe(17);
    });

    it('pays +3 per onion, +3 for the useful dish, +5 for the soup with shaped rewards', () => {
      const g = make({ horizon: 39, shaped: true });
      const { states, rewards } = playAll(g);
      const paid = rewards.map((r, i) => (r !== 0 ? [i + 1, r] : null)).filter((x) => x !== null);
      expect(paid).toEqual([[5, 3], [10, 3], [15, 3], [17, 3], [35, 5], [39, 20]]);
      expect(g.returns(states[39]!)).toEqual([37, 37]);
    });
  });

  describe('dish pick-up shaping (Overcooked-AI rule: held dishes < non-empty pots, no dish on a counter)', () => {
    const g = make({ shaped: true });
    // Cook 0 at (1,2) faces the dish dispenser; cook 1 on (3,1).
    const pick = (pots: [number, number], held1: number, dishOnCounter = false): number => {
      const s = scene(g, {
        cooks: [{ at: [1, 2], facing: SOUTH }, { at: [3, 1], held: held1 }],
        pots: [pots],
        items: dishOnCounter ? [[[0, 2], DISH]] : [],
      });
      const t = run(g, s, [[INTERACT, STAY]]);
      expect(cooks(g, t)[0]?.held).toBe('dish');
      return g.rewards(t)[0] as number;
    };

    it('rewards a dish for a cooking, ready or partially filled pot', () => {
      expect(pick([3, 4], NOTHING)).toBe(3);
      expect(pick([3, 20], ONION)).toBe(3);
      expect(pick([1, 0], NOTHING)).toBe(3); // partially filled counts too (the brief said cooking/ready only)
    });

    it('gives nothing for an empty pot, when the partner already holds a dish, or with a dish on a counter', () => {
      expect(pick([0, 0], NOTHING)).toBe(0);
      expect(pick([3, 4], DISH)).toBe(0);
      expect(pick([3, 4], NOTHING, true)).toBe(0);
    });

    it('counts the pots as they were before the step', () => {
      // Cook 1 puts the first onion in at the same step: the pot was empty when the step began.
      const s = scene(g, { cooks: [{ at: [1, 2], facing: SOUTH }, { at: [2, 1], facing: NORTH, held: ONION }] });
      const t = run(g, s, [[INTERACT, INTERACT]]);
      expect(g.rewards(t)).toEqual([3, 3]); // the onion's +3 only
    });
  });

  it('ends at the horizon', () => {
    let s = game.init(0);
    for (let t = 0; t < 400; t++) {
      expect(game.currentPlayers(s)).toEqual([0, 1]);
      s = applyOrThrow(game, s, [STAY, INTERACT]);
    }
    expect(game.isTerminal(s)).toBe(true);
    expect(game.returns(s)).toEqual([0, 0]);
    expect(errorCode(game.apply(s, [STAY, STAY]))).toBe('match/over');
  });

  it('rejects malformed and out-of-range actions', () => {
    const s = deepFreeze(game.init(0));
    expect(errorCode(game.apply(s, [STAY]))).toBe('action/malformed');
    expect(errorCode(game.apply(s, [STAY, STAY, STAY]))).toBe('action/malformed');
    expect(errorCode(game.apply(s, [STAY, 6]))).toBe('action/illegal');
    expect(errorCode(game.apply(s, [-1, STAY]))).toBe('action/illegal');
    expect(errorCode(game.apply(s, [0.5, STAY]))).toBe('action/malformed');
    expect(game.parseAction(s, 0, 'interact')).toBe(INTERACT);
    expect(game.parseAction(s, 1, 'w')).toBe(WEST);
    expect(game.parseAction(s, 1, '4')).toBe(STAY);
    expect(errorCode(game.parseAction(s, 0, 'jump'))).toBe('action/malformed');
    expect([0, 1, 2, 3, 4, 5].map((a) => game.actionToString(0, a))).toEqual(['N', 'S', 'E', 'W', 'stay', 'interact']);
  });

  it('observes the lossless encoding, own cook first', () => {
    const s = scene(game, {
      cooks: [
        { at: [1, 1], facing: WEST, held: SOUP },
        { at: [3, 2], facing: SOUTH, held: DISH },
      ],
      pots: [[3, 7]],
      items: [[[2, 3], ONION], [[0, 2], DISH]],
    });
    const at = (t: Float32Array, ch: number, [x, y]: XY): number => t[ch * 20 + y * 5 + x] ?? NaN;
    const sum = (t: Float32Array, ch: number): number => t.subarray(ch * 20, ch * 20 + 20).reduce((a, b) => a + b, 0);
    const t0 = game.observationTensor(s, 0);
    const t1 = game.observationTensor(s, 1);
    expect(t0).toHaveLength(400);
    expect([at(t0, 0, [1, 1]), at(t0, 1, [3, 2]), at(t0, 5, [1, 1]), at(t0, 7, [3, 2])]).toEqual([1, 1, 1, 1]);
    expect([at(t1, 0, [3, 2]), at(t1, 1, [1, 1]), at(t1, 3, [3, 2]), at(t1, 9, [1, 1])]).toEqual([1, 1, 1, 1]);
    for (let ch = 0; ch < 10; ch++) expect(sum(t0, ch)).toBe(ch < 2 || [5, 7].includes(ch) ? 1 : 0);
    // Static map: 1 pot, 9 counters, 2 onion dispensers, 1 dish dispenser, 1 serving window.
    expect([10, 11, 12, 13, 14].map((ch) => sum(t0, ch))).toEqual([1, 9, 2, 1, 1]);
    expect([at(t0, 15, [2, 0]), at(t0, 16, [2, 0])]).toEqual([3, 7]);
    // Soup held by cook 0, dishes held by cook 1 and on (0,2), the onion on (2,3).
    expect([at(t0, 17, [1, 1]), at(t0, 18, [3, 2]), at(t0, 18, [0, 2]), at(t0, 19, [2, 3])]).toEqual([1, 1, 1, 1]);
    expect([17, 18, 19].map((ch) => sum(t0, ch))).toEqual([1, 2, 1]);
    // Channels 10-19 do not depend on the viewer.
    expect(Array.from(t1.subarray(200))).toEqual(Array.from(t0.subarray(200)));
  });

  it('draws the kitchen as text from the seat’s perspective', () => {
    const s = scene(game, {
      cooks: [{ at: [1, 2], facing: SOUTH, held: DISH }, { at: [3, 1], facing: EAST }],
      pots: [[2, 0]],
      items: [[[0, 2], ONION]],
    });
    expect(game.observationText(s, 1).split('\n')).toEqual([
      'X X P2X X ',
      'O     1>O ',
      'Xo0v    X ',
      'X D X S X',
      'you (cook 1) at (3,1) facing E holding nothing',
      'partner (cook 0) at (1,2) facing S holding dish',
      'pot (2,0): 2 onions, filling',
      'tick 0/400, soups 0, score 0',
    ]);
    expect(game.renderText(s, null)).toContain('cook 0 at (1,2) facing S holding dish');
  });

  it('round-trips serialization and rejects impossible states', () => {
    const rng = Rng.fromSeed(5);
    let s = game.init(0);
    for (let t = 0; t < 300; t++) {
      s = applyOrThrow(game, s, [rng.int(6), rng.int(6)]);
      const back = game.deserialize(game.serialize(s));
      expect(back).toEqual(s);
      expect(game.serialize(back)).toBe(game.serialize(s));
    }
    const base = JSON.parse(game.serialize(game.init(0))) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>): string => JSON.stringify({ ...base, ...patch });
    for (const text of [
      bad({ pos0: 0 }), // a cook on a counter
      bad({ pos1: base.pos0 }), // two cooks on one cell
      bad({ pots: [3 + 4 * 21] }), // cooked past 20
      bad({ pots: [2 + 4 * 3] }), // cooking with 2 onions
      bad({ pots: [0, 0] }), // cramped_room has one pot
      bad({ counters: (base.counters as number[]).map((_, i) => (i === 6 ? ONION : 0)) }), // an item on the floor
      bad({ dir0: 4 }),
      bad({ tick: 401 }),
      bad({ extra: 1 }),
    ]) {
      expect(() => game.deserialize(text)).toThrow(expect.objectContaining({ code: 'env/bad-serialization' }));
    }
  });
});
