import { OvercookedGreedyAgent, OvercookedGreedyPlanner } from './overcooked-greedy';
import { RandomAgent } from './random';
import { runMatch } from '../engine/match';
import { applyOrThrow } from '../environments/core/helpers';
import {
  DISH,
  EAST,
  INTERACT,
  NORTH,
  ONION,
  overcooked,
  SOUP,
  SOUTH,
  STAY,
  WEST,
  type OvercookedGame,
  type OvercookedState,
} from '../environments/cooperative/overcooked';
import { LAYOUT_NAMES, type LayoutName } from '../environments/cooperative/overcooked-layouts';
import type { AnyGame } from '../environments/core/game';
import { connectFour } from '../environments/zero-sum/connect-four';
import { scene } from '../tests/helpers/overcooked-scene';
import { seatView } from '../tests/helpers/play';

const make = (layout: LayoutName = 'cramped_room'): OvercookedGame =>
  overcooked.create(overcooked.spec.params.parse({ layout })) as OvercookedGame;
const game = make();
const planner = new OvercookedGreedyPlanner(game);

/** Plays one episode through the engine; returns the soups delivered and the return. */
async function episode(g: OvercookedGame, kinds: readonly ['greedy' | 'random', 'greedy' | 'random'], seed: number): Promise<[number, number]> {
  let last: OvercookedState = g.init(seed);
  const agent = (k: string, s: number) => (k === 'greedy' ? new OvercookedGreedyAgent(g as AnyGame) : new RandomAgent(s));
  const record = await runMatch(g as AnyGame, seed, [{ agent: agent(kinds[0], 2 * seed) }, { agent: agent(kinds[1], 2 * seed + 1) }], {
    listener: { onStep: (e) => void (last = e.state as OvercookedState) },
  });
  expect(record.endReason).toBe('terminal');
  return [last.soups, record.returns[0] as number];
}

describe('overcooked-greedy', () => {
  it('plays only overcooked, from the state in its view', () => {
    expect(() => new OvercookedGreedyAgent(connectFour.create({}) as AnyGame)).toThrow(
      expect.objectContaining({ code: 'agent/unsupported-game' }),
    );
    const agent = new OvercookedGreedyAgent(game as AnyGame);
    expect(agent.name).toBe('overcooked-greedy');
    // From the start, seat 1 (next to the east onion dispenser) turns east to face it.
    expect(agent.act(seatView(game, game.init(0), 1))).toBe(EAST);
  });

  it('serves a soup, waits at a cooking pot with a dish, and turns before interacting', () => {
    // Cook 0 holds a soup at (2,1): the window (3,3) is reached from (3,2), first step E or S.
    const soup = scene(game, { cooks: [{ at: [2, 1], held: SOUP }, { at: [1, 2] }] });
    expect([EAST, SOUTH]).toContain(planner.act(soup, 0));
    const atWindow = scene(game, { cooks: [{ at: [3, 2], facing: WEST, held: SOUP }, { at: [1, 2] }] });
    expect(planner.act(atWindow, 0)).toBe(SOUTH); // turn to face the window (a move into it only turns)
    const facing = scene(game, { cooks: [{ at: [3, 2], facing: SOUTH, held: SOUP }, { at: [1, 2] }] });
    expect(planner.act(facing, 0)).toBe(INTERACT);
    const cooking = scene(game, { cooks: [{ at: [2, 1], facing: NORTH, held: DISH }, { at: [1, 2] }], pots: [[3, 5]] });
    expect(planner.act(cooking, 0)).toBe(INTERACT);
    // With the pot cooking and the partner holding the dish, an empty-handed cook fetches the next onion.
    expect([NORTH, WEST]).toContain(planner.act(scene(game, { cooks: [{ at: [2, 1], held: DISH }, { at: [1, 2] }], pots: [[3, 5]] }), 1));
  });

  it('gets a dish for a full pot and an onion for a pot with room', () => {
    const dish = scene(game, { cooks: [{ at: [1, 2], facing: SOUTH }, { at: [3, 1] }], pots: [[3, 2]] });
    expect(planner.act(dish, 0)).toBe(INTERACT); // facing the dish dispenser
    const onion = scene(game, { cooks: [{ at: [1, 1], facing: WEST }, { at: [3, 2] }], pots: [[1, 0]] });
    expect(planner.act(onion, 0)).toBe(INTERACT); // facing the west onion dispenser
  });

  it('steps aside when it stands idle where the partner must go', () => {
    // Cook 0 holds a dish it cannot use yet (the pot is not full) on (2,1), the only cell facing the pot;
    // cook 1 brings the third onion from (3,1).
    let s = scene(game, { cooks: [{ at: [2, 1], held: DISH }, { at: [3, 1], held: ONION }], pots: [[2, 0]] });
    expect([planner.act(s, 0), planner.act(s, 1)]).toEqual([SOUTH, STAY]); // aside to (2,2); the partner waits
    const joints: [number, number][] = [];
    for (let t = 0; t < 4; t++) {
      const joint: [number, number] = [planner.act(s, 0), planner.act(s, 1)];
      joints.push(joint);
      s = applyOrThrow(game, s, joint);
    }
    expect(joints).toEqual([[SOUTH, STAY], [STAY, WEST], [STAY, NORTH], [STAY, INTERACT]]);
    expect(s.pots).toEqual([3 + 4 * 1]); // full and cooking
  });

  it('lets seat 0 go first when both cooks head into one cell', () => {
    // Both carry an onion to the pot, whose only stand cell (2,1) lies between them.
    const s = scene(game, { cooks: [{ at: [1, 1], held: ONION }, { at: [3, 1], held: ONION }], pots: [[1, 0]] });
    expect([planner.act(s, 0), planner.act(s, 1)]).toEqual([EAST, STAY]);
    // A soup outranks an onion, whatever the seats. Cook 0's onion has no room (the pot holds a ready soup that
    // no dish is coming for), so it heads for the counter below (2,2) to put it down; cook 1 carries a soup to
    // the window through (2,2). Both step into (2,2) next: cook 1 goes.
    const t = scene(game, { cooks: [{ at: [2, 1], held: ONION }, { at: [1, 2], held: SOUP }], pots: [[3, 20]] });
    expect([planner.act(t, 0), planner.act(t, 1)]).toEqual([STAY, EAST]);
  });

  it('is deterministic and scores the pinned greedy+greedy results on every layout', async () => {
    const expected: Record<LayoutName, number> = {
      cramped_room: 11,
      asymmetric_advantages: 14,
      coordination_ring: 12,
      forced_coordination: 12,
      counter_circuit: 10,
    };
    for (const layout of LAYOUT_NAMES) {
      const g = make(layout);
      const [soups, ret] = await episode(g, ['greedy', 'greedy'], 0);
      expect([layout, soups, ret]).toEqual([layout, expected[layout], 20 * expected[layout]]);
      expect(await episode(g, ['greedy', 'greedy'], 1)).toEqual([soups, ret]); // no randomness at all
    }
  });

  it('carries a random partner on cramped_room, where two random cooks almost never serve', async () => {
    let greedyRandom = 0;
    let randomRandom = 0;
    for (let seed = 0; seed < 20; seed++) {
      greedyRandom += (await episode(game, ['greedy', 'random'], seed))[0];
      randomRandom += (await episode(game, ['random', 'random'], seed))[0];
    }
    expect(greedyRandom / 20).toBeGreaterThan(3);
    expect(randomRandom / 20).toBeLessThan(0.5);
  });
});
