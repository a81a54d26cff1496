import { ArenaError } from '../core/errors';
import type { Game } from '../core/game';
import { conformanceChecks } from '../testing/check-game';
import { deepFreeze } from '../../tests/helpers/play';
import { gains, inventoryValue, negotiation, parseMove, type NegotiationState } from './negotiation';

type G = Game<NegotiationState, string>;
const game: G = negotiation.create(negotiation.spec.params.parse({}));

/** Applies text actions in turn order; throws on a rejected one. */
function play(actions: readonly string[], g: G = game): NegotiationState {
  let s = g.init(0);
  for (const a of actions) {
    const next = g.apply(deepFreeze(s), [a]);
    if (next instanceof ArenaError) throw new Error(`"${a}": ${next.message}`);
    s = next;
  }
  return s;
}

const code = (r: unknown): string | undefined => (r instanceof ArenaError ? r.code : undefined);

describe('negotiation', () => {
  it('declares the SPIRAL setup', () => {
    expect(negotiation.spec.params.parse({})).toEqual({ max_turns: 10 });
    expect(negotiation.spec.params.safeParse({ max_turns: 0 }).success).toBe(false);
    expect(negotiation.spec.params.safeParse({ turns: 3 }).success).toBe(false);
    expect(game.actionSpace).toEqual({ kind: 'text', maxLength: 200 });
    expect(game.observationShape).toEqual([15]);
    expect(game.maxLength).toBe(10);
    expect([game.minUtility, game.maxUtility]).toEqual([-1, 1]);
    const s = game.init(0);
    expect(game.render(s, null)).toMatchObject({
      inventory: [
        { wood: 10, gold: 10, value: 200 },
        { wood: 10, gold: 10, value: 200 },
      ],
      values: [
        { wood: 5, gold: 15 },
        { wood: 15, gold: 5 },
      ],
      toAct: 0,
    });
    expect(game.currentPlayers(s)).toEqual([0]);
  });

  describe.each([
    ['default', {}],
    ['3 turns', { max_turns: 3 }],
  ])('conformance (%s)', (_name, params) => {
    it.each(conformanceChecks(negotiation, { runs: 80, params: [params] }).map((c) => [c.name, c] as const))('%s', (_n, check) => {
      check.run();
    });
  });

  it('reads the documented grammar, case and spacing variants included', () => {
    const canonical: [string, string][] = [
      ['[Offer: 3 Wood -> 2 Gold]', '[Offer: 3 Wood -> 2 Gold]'],
      ['[offer:3 wood->2 gold]', '[Offer: 3 Wood -> 2 Gold]'],
      ['  [ OFFER :  3   Woods  ->  2 Golds . ]  ', '[Offer: 3 Wood -> 2 Gold]'],
      ['[Offer 3Wood -> 2Gold]', '[Offer: 3 Wood -> 2 Gold]'],
      ['[Offer: I give 1 Wood, 2 Gold -> 4 Wood.]', '[Offer: 1 Wood, 2 Gold -> 4 Wood]'],
      ['[Offer: I offer 2 Gold and 1 Wood -> 1 Wood, 1 Gold,]', '[Offer: 1 Wood, 2 Gold -> 1 Wood, 1 Gold]'],
      ['[Offer: 1 Wood, 2 Wood -> 1 Gold]', '[Offer: 3 Wood -> 1 Gold]'],
      ['[Offer: 2 Gold \u2192 3 Wood]', '[Offer: 2 Gold -> 3 Wood]'],
      ['[Offer: 007 Wood -> 1 Gold]', '[Offer: 7 Wood -> 1 Gold]'],
      ['[accept]', '[Accept]'],
      [' [ Deny ] ', '[Deny]'],
    ];
    for (const [text, want] of canonical) {
      const m = parseMove(text);
      expect(m).not.toBeNull();
      expect(game.parseAction(play(['[Offer: 1 Wood -> 1 Gold]']), 1, text)).toBe(want);
    }
    const garbage = [
      '',
      'Accept',
      '[Accept] deal!',
      'I accept [Accept]',
      '[Accept][Deny]',
      '[Offer: 3 Wood]',
      '[Offer: -> 2 Gold]',
      '[Offer: 3 Wood -> ]',
      '[Offer: 0 Wood -> 2 Gold]',
      '[Offer: -1 Wood -> 2 Gold]',
      '[Offer: 1.5 Wood -> 2 Gold]',
      '[Offer: 3 Stone -> 2 Gold]',
      '[Offer: three Wood -> 2 Gold]',
      '[Offer: 3 Wood -> 2 Gold -> 1 Wood]',
      '[Offer: 12345 Wood -> 1 Gold]',
      '[Offer: 3 Wood -> 2 Gold',
      `[Offer: 1 Wood -> 1 Gold]${' '.repeat(200)}`,
    ];
    for (const text of garbage) {
      expect(parseMove(text)).toBeNull();
      expect(code(game.parseAction(game.init(0), 0, text))).toBe('action/malformed');
      expect(code(game.apply(game.init(0), [text]))).toBe('action/malformed');
    }
    expect(code(game.apply(game.init(0), [42 as unknown as string]))).toBe('action/malformed');
  });

  it('makes Accept and Deny legal only against a pending offer, and offers only of what the proposer holds', () => {
    const s0 = game.init(0);
    expect(code(game.apply(s0, ['[Accept]']))).toBe('action/illegal');
    expect(code(game.apply(s0, ['[Deny]']))).toBe('action/illegal');
    expect(code(game.apply(s0, ['[Offer: 11 Wood -> 1 Gold]']))).toBe('action/illegal');
    expect(code(game.parseAction(s0, 0, '[Offer: 11 Wood -> 1 Gold]'))).toBe('action/illegal');
    expect(code(game.parseAction(s0, 1, '[Offer: 1 Wood -> 1 Gold]'))).toBe('action/illegal'); // not seat 1's turn
    // Asking for more than the other holds is a legal offer (it can only fail when accepted).
    expect(game.parseAction(s0, 0, '[Offer: 10 Wood -> 20 Gold]')).toBe('[Offer: 10 Wood -> 20 Gold]');
    const legal0 = game.legalActions(s0, 0);
    expect(legal0).toHaveLength(50);
    expect(legal0.slice(0, 2)).toEqual(['[Offer: 1 Wood -> 1 Gold]', '[Offer: 1 Wood -> 2 Gold]']);
    expect(legal0[49]).toBe('[Offer: 5 Gold -> 5 Wood]');
    expect(game.legalActions(s0, 1)).toEqual([]);
    const pending = play(['[Offer: 3 Wood -> 2 Gold]']);
    expect(game.legalActions(pending, 1).slice(0, 3)).toEqual(['[Deny]', '[Accept]', '[Offer: 1 Wood -> 1 Gold]']);
    // The proposer cannot answer its own offer (it is not its turn, and after a deny there is nothing pending).
    expect(code(game.apply(play(['[Offer: 3 Wood -> 2 Gold]', '[Deny]']), ['[Accept]']))).toBe('action/illegal');
  });

  it('executes an accepted trade and values inventories per seat', () => {
    const s = play(['[Offer: 3 Wood -> 2 Gold]', '[Accept]']);
    expect(s.inventory).toEqual([
      [7, 12],
      [13, 8],
    ]);
    expect(inventoryValue(s, 0)).toBe(7 * 5 + 12 * 15); // 215
    expect(inventoryValue(s, 1)).toBe(13 * 15 + 8 * 5); // 235
    expect(gains(s)).toEqual([15, 35]);
    expect(s.offer).toBeNull();
    expect(game.observationText(s, 0)).toContain('Player 1: [Accept] (trade done)');
    expect(Array.from(game.observationTensor(s, 0))).toEqual([1, 0, 7, 12, 13, 8, 5, 15, 8, 0, 0, 0, 0, 0, 0]);
    // Seat 1 proposing: what it gives moves to seat 0.
    const t = play(['[Offer: 1 Gold -> 1 Wood]', '[Offer: 4 Gold -> 2 Wood]', '[Accept]']);
    expect(t.inventory).toEqual([
      [8, 14],
      [12, 6],
    ]);
  });

  it('accepts without trading when a side no longer holds the resources, and counter-offers replace offers', () => {
    const failed = play(['[Offer: 1 Wood -> 15 Gold]', '[Accept]']);
    expect(failed.inventory).toEqual([
      [10, 10],
      [10, 10],
    ]);
    expect(failed.trades).toEqual([false]);
    expect(failed.offer).toBeNull();
    expect(game.observationText(failed, 1)).toContain('[Accept] (trade failed: resources missing)');
    const counter = play(['[Offer: 1 Wood -> 3 Gold]', '[Offer: 3 Gold -> 1 Wood]']);
    expect(counter.offer).toEqual({ from: 1, give: [0, 3], get: [1, 0] });
    expect(Array.from(game.observationTensor(counter, 0)).slice(9)).toEqual([1, 0, 0, 3, 1, 0]);
    expect(game.observationText(counter, 0)).toContain('Player 1 offers you 3 Gold for 1 Wood.');
    const denied = play(['[Offer: 1 Wood -> 3 Gold]', '[Deny]']);
    expect(denied.offer).toBeNull();
    expect(denied.inventory).toEqual(game.init(0).inventory);
  });

  it('ends after 10 turns; the larger gain wins, equal gains draw', () => {
    const idle = ['[Offer: 1 Wood -> 1 Gold]', '[Deny]'];
    const draw = play([...idle, ...idle, ...idle, ...idle, ...idle]);
    expect(game.isTerminal(draw)).toBe(true);
    expect(game.currentPlayers(draw)).toEqual([]);
    expect(game.returns(draw)).toEqual([0, 0]);
    expect(code(game.apply(draw, ['[Offer: 1 Wood -> 1 Gold]']))).toBe('match/over');
    const nine = play(['[Offer: 3 Wood -> 2 Gold]', '[Accept]', ...idle, ...idle, ...idle, '[Offer: 1 Wood -> 1 Gold]']);
    expect(game.isTerminal(nine)).toBe(false);
    expect(game.rewards(nine)).toEqual([0, 0]);
    const end = play(['[Offer: 3 Wood -> 2 Gold]', '[Accept]', ...idle, ...idle, ...idle, ...idle]);
    expect(gains(end)).toEqual([15, 35]);
    expect(game.returns(end)).toEqual([-1, 1]);
    expect(game.rewards(end)).toEqual([-1, 1]);
    // Both gain from 4 Wood (worth 20 to seat 0, 60 to seat 1) for 2 Gold (30 to seat 0, 10 to seat 1); seat 1 more.
    const win = play(['[Offer: 4 Wood -> 2 Gold]', '[Accept]', ...idle, ...idle, ...idle, ...idle]);
    expect(gains(win)).toEqual([10, 50]);
    expect(game.returns(win)).toEqual([-1, 1]);
    const better = play(['[Offer: 1 Wood -> 2 Gold]', '[Accept]', ...idle, ...idle, ...idle, ...idle]);
    expect(gains(better)).toEqual([25, 5]);
    expect(game.returns(better)).toEqual([1, -1]);
    expect(game.renderText(better, null)).toContain('Over: returns 1 -1');
    const short = negotiation.create({ max_turns: 3 });
    expect(short.isTerminal(play(['[Offer: 1 Wood -> 1 Gold]', '[Deny]', '[Offer: 1 Wood -> 1 Gold]'], short))).toBe(true);
  });

  it('round-trips serialization and rejects bad or non-canonical input', () => {
    const s = play(['[Offer: 3 Wood -> 2 Gold]', '[Accept]', '[Offer: 1 Gold -> 1 Wood]']);
    const text = game.serialize(s);
    expect(text).toBe('{"moves":["[Offer: 3 Wood -> 2 Gold]","[Accept]","[Offer: 1 Gold -> 1 Wood]"]}');
    expect(game.deserialize(text)).toEqual(s);
    expect(game.informationState(s, 0)).toBe('[Offer: 3 Wood -> 2 Gold] [Accept] [Offer: 1 Gold -> 1 Wood]');
    for (const bad of [
      '{"moves":["[accept]"]}',
      '{"moves":["[offer: 3 wood -> 2 gold]"]}',
      '{"moves":[1]}',
      `{"moves":${JSON.stringify(new Array(11).fill('[Offer: 1 Wood -> 1 Gold]'))}}`,
      '{"moves":[],"x":1}',
    ]) {
      expect(() => game.deserialize(bad)).toThrow(expect.objectContaining({ code: 'env/bad-serialization' }));
    }
  });
});
