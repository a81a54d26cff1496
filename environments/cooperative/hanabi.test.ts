import { ArenaError } from '../core/errors';
import { CHANCE, type Game } from '../core/game';
import { applyOrThrow } from '../core/helpers';
import { conformanceChecks } from '../testing/check-game';
import { deepFreeze } from '../../tests/helpers/play';
import { defaultHandSize, hanabi, HANABI_SMALL_PARAMS, HANABI_VARIANTS, type HanabiState } from './hanabi';
import { decodeObservation, hanabiLayout } from './hanabi-observation';
import { COLOR_CHARS, makeConfig } from './hanabi-rules';

type G = Game<HanabiState, number>;
const make = (params: Record<string, unknown>): G => hanabi.create(hanabi.spec.params.parse(params));
const std = make({});
const small = make(HANABI_SMALL_PARAMS);

/** Plays a script from init(seed): "R1" deals that card, anything else is an action name ("Play 0"). */
function script(g: G, steps: readonly string[], from: HanabiState = g.init(0)): HanabiState {
  let s = from;
  for (const step of steps) {
    const seat = g.currentPlayers(s)[0] as number;
    const a = g.parseAction(s, seat, /^[RYGWB]\d$/.test(step) ? `Deal ${step}` : step);
    if (a instanceof ArenaError) throw new Error(`step "${step}": ${a.message}`);
    s = applyOrThrow(g, deepFreeze(s), [a]);
  }
  return s;
}

/** Every step's reward, summed, for a script. */
function rewardSum(g: G, steps: readonly string[]): number {
  let total = 0;
  for (let i = 1; i <= steps.length; i++) total += g.rewards(script(g, steps.slice(0, i)))[0] as number;
  return total;
}

// Small variant (2 colours R Y, ranks 1-2: R1 R1 R1 R2 Y1 Y1 Y1 Y2): seat 0 gets R1 R2 Y1, seat 1 Y1 Y2 R1; the
// deck keeps one R1 and one Y1.
const SMALL_DEAL = ['R1', 'R2', 'Y1', 'Y1', 'Y2', 'R1'];
// Standard: seat 0 gets R1 R2 R3 Y2 Y3, seat 1 G1 G2 G3 W1 B1.
const STD_DEAL = ['R1', 'R2', 'R3', 'Y2', 'Y3', 'G1', 'G2', 'G3', 'W1', 'B1'];
const STD_CFG = makeConfig({ players: 2, colors: 5, ranks: 5, handSize: 5, maxInfo: 8, maxLives: 3 });

describe('hanabi: parameters and facts', () => {
  it('declares the HLE defaults, action count and canonical observation size', () => {
    expect(hanabi.spec.params.parse({})).toEqual({
      players: 2,
      colors: 5,
      ranks: 5,
      max_information_tokens: 8,
      max_life_tokens: 3,
    });
    expect(std.params).toEqual({ players: 2, colors: 5, ranks: 5, hand_size: 5, max_information_tokens: 8, max_life_tokens: 3 });
    expect(std.numPlayers).toBe(2);
    expect(std.actionSpace).toEqual({ kind: 'discrete', n: 20 }); // 5 discard + 5 play + 5 colour + 5 rank hints
    expect(std.observationShape).toEqual([658]); // HLE's published 2-player canonical encoding size
    expect([std.minUtility, std.maxUtility]).toEqual([0, 25]);
    expect(std.maxLength).toBe(3 * 50 + 8 + 5);
    expect(hanabi.spec.utility).toBe('cooperative');
    expect(small.params).toEqual({ ...HANABI_SMALL_PARAMS });
    expect(small.actionSpace).toEqual({ kind: 'discrete', n: 10 });
    expect(small.maxUtility).toBe(4);
    expect(HANABI_VARIANTS.small).toBe(HANABI_SMALL_PARAMS);
    // 3 players: 5 cards each; 4-5 players: 4 cards each (HLE HandSizeFromRules).
    expect([2, 3, 4, 5].map(defaultHandSize)).toEqual([5, 5, 4, 4]);
    expect(make({ players: 4 }).params.hand_size).toBe(4);
    expect(make({ players: 5 }).actionSpace).toEqual({ kind: 'discrete', n: 4 + 4 + 4 * 5 + 4 * 5 });
    // 5 players: hands 4*4*25 + 5, board 30 + 25 + 8 + 3, discards 50, last move 5+4+5+5+5+4+4+25+2, knowledge 5*4*35.
    expect(make({ players: 5 }).observationShape).toEqual([405 + 66 + 50 + 59 + 700]);
  });

  it('rejects bad parameters', () => {
    for (const bad of [{ players: 1 }, { players: 6 }, { colors: 0 }, { ranks: 6 }, { hand_size: 9 }, { max_life_tokens: 0 }, { foo: 1 }]) {
      expect(hanabi.spec.params.safeParse(bad).success).toBe(false);
    }
    // 5 players x 4 cards = 20 > the 10 cards of a one-colour deck.
    expect(hanabi.spec.params.safeParse({ players: 5, colors: 1 }).success).toBe(false);
    expect(hanabi.spec.params.safeParse({ players: 2, colors: 1, hand_size: 5 }).success).toBe(true);
  });

  it('builds the HLE deck: rank 1 x3, top rank x1, others x2 (50 standard cards, 8 in the small variant)', () => {
    const counts = (g: G): number[] => {
      const s = g.init(0);
      const size = g.render(s, null) as { deckSize: number };
      return g.chanceOutcomes(s).map((o) => Math.round(o.probability * size.deckSize));
    };
    expect((std.render(std.init(0), null) as { deckSize: number }).deckSize).toBe(50);
    expect(counts(std)).toEqual([3, 2, 2, 2, 1, 3, 2, 2, 2, 1, 3, 2, 2, 2, 1, 3, 2, 2, 2, 1, 3, 2, 2, 2, 1]);
    expect(std.chanceOutcomes(std.init(0))[0]).toEqual({ action: 0, probability: 3 / 50 });
    expect((small.render(small.init(0), null) as { deckSize: number }).deckSize).toBe(8);
    expect(counts(small)).toEqual([3, 1, 3, 1]);
    expect(makeConfig({ players: 2, colors: 1, ranks: 1, handSize: 1, maxInfo: 1, maxLives: 1 }).rankCounts).toEqual([3]);
    expect(makeConfig({ players: 2, colors: 1, ranks: 3, handSize: 1, maxInfo: 1, maxLives: 1 }).rankCounts).toEqual([3, 2, 1]);
    // Probabilities follow the cards left: after dealing R1 twice, one R1 of 48 cards remains.
    const s = script(std, ['R1', 'R1']);
    expect(std.chanceOutcomes(s)[0]).toEqual({ action: 0, probability: 1 / 48 });
    expect(std.apply(script(std, ['R5']), [4])).toMatchObject({ code: 'action/illegal' }); // no second R5
  });
});

describe('hanabi: conformance', () => {
  const sets: [string, Record<string, unknown>, number][] = [
    ['standard', {}, 60],
    ['small', HANABI_SMALL_PARAMS, 60],
    ['3 players', { players: 3 }, 30],
    ['5 players', { players: 5 }, 20],
  ];
  describe.each(sets)('%s', (_name, params, runs) => {
    it.each(conformanceChecks(hanabi, { runs, params: [params] }).map((c) => [c.name, c] as const))('%s', (_n, check) => {
      check.run();
    });
  });
});

describe('hanabi: rules', () => {
  it('deals seat 0 first, then seat 1, then seat 0 acts', () => {
    const s = script(std, STD_DEAL.slice(0, 5));
    expect(std.currentPlayers(s)).toEqual([CHANCE]);
    expect((std.render(s, 1) as { hands: { cards: unknown[] }[] }).hands.map((h) => h.cards)).toEqual([['R1', 'R2', 'R3', 'Y2', 'Y3'], []]);
    const d = script(std, STD_DEAL);
    expect(std.currentPlayers(d)).toEqual([0]);
    expect(std.chanceOutcomes(d)).toEqual([]);
    // Full tokens: no discard; plays 5-9; colours in seat 1's hand G W B (12 13 14); ranks 1 2 3 (15 16 17).
    expect(std.legalActions(d, 0)).toEqual([5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17]);
    expect(std.legalActions(d, 1)).toEqual([]);
    expect(std.legalActions(d, CHANCE)).toEqual([]);
    expect(std.actionToString(0, 5)).toBe('Play 0');
    expect(std.actionToString(0, 0)).toBe('Discard 0');
    expect(std.actionToString(0, 12)).toBe('Reveal player +1 color G');
    expect(std.actionToString(0, 17)).toBe('Reveal player +1 rank 3');
    expect(std.actionToString(CHANCE, 24)).toBe('Deal B5');
    expect(std.parseAction(d, 0, '(Play 0)')).toBe(5);
    expect(std.parseAction(d, 0, 'reveal player +1 rank 1')).toBe(15);
    expect(std.parseAction(d, 0, '0')).toMatchObject({ code: 'action/illegal' }); // discard at max tokens
    expect(std.parseAction(d, 0, 'hint red')).toMatchObject({ code: 'action/malformed' });
  });

  it('makes hints legal only with a token and only when they touch a card; no discard at max tokens', () => {
    const d = script(std, STD_DEAL);
    expect(std.apply(d, [0])).toMatchObject({ code: 'action/illegal' }); // discard at 8 tokens
    expect(std.apply(d, [10])).toMatchObject({ code: 'action/illegal' }); // seat 1 has no red card
    expect(std.apply(d, [18])).toMatchObject({ code: 'action/illegal' }); // nor a 4
    expect(std.apply(d, [20])).toMatchObject({ code: 'action/illegal' });
    // Spend every token: seats alternate hints (seat 0 about G, seat 1 about R).
    const hints: string[] = [];
    for (let i = 0; i < 8; i++) hints.push(i % 2 === 0 ? 'Reveal player +1 color G' : 'Reveal player +1 color R');
    const empty = script(std, [...STD_DEAL, ...hints]);
    expect(std.render(empty, null)).toMatchObject({ info: 0 });
    expect(std.legalActions(empty, 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // no hints, discards allowed
    expect(std.apply(empty, [12])).toMatchObject({ code: 'action/illegal' });
    // A discard gives a token back; the discarded card is drawn for.
    const after = script(std, ['Discard 4', 'B5'], empty);
    expect(std.render(after, null)).toMatchObject({ info: 1, discards: ['Y3'] });
    expect(std.currentPlayers(after)).toEqual([1]);
  });

  it('records positive and negative hint knowledge (HLE card knowledge)', () => {
    const s = script(std, [...STD_DEAL, 'Reveal player +1 rank 1']); // seat 1: G1 G2 G3 W1 B1
    const o = decodeObservation(STD_CFG, hanabiLayout(STD_CFG), std.observationTensor(s, 1));
    const own = o.knowledge[0] as { plausible: number; color: number; rank: number }[];
    const ones = 0b00001_00001_00001_00001_00001; // rank 1 of every colour (card bit = colour * 5 + rank)
    expect(own.map((k) => k.rank)).toEqual([0, -1, -1, 0, 0]);
    expect(own.map((k) => k.color)).toEqual([-1, -1, -1, -1, -1]);
    expect(own[0]?.plausible).toBe(ones);
    expect(own[1]?.plausible).toBe(((1 << 25) - 1) & ~ones);
    expect(o.info).toBe(7);
    expect(std.observationText(s, 1)).toContain('slot 0: ?? hinted ?1 | could be RYGWB 1');
    expect(std.observationText(s, 1)).toContain('slot 1: ?? hinted none | could be RYGWB 2345');
    expect(std.observationText(s, 1)).toContain('Last action: seat 0 (+1) told you about rank 1: slots 0, 3, 4');
    expect(std.observationText(s, 0)).toContain('slot 3: W1 hinted ?1 | could be RYGWB 1');
  });

  it('scores plays, refills a token on completing a colour below max, and ends on a perfect score (4 in small)', () => {
    const steps = [
      ...SMALL_DEAL,
      'Reveal player +1 rank 2', // seat 0: 3 -> 2 tokens
      'Play 0', // seat 1 plays Y1
      'Y1',
      'Play 0', // seat 0 plays R1
      'R1', // the last card
      'Play 0', // seat 1 plays Y2: Y complete, token back (2 -> 3)
    ];
    const s = script(small, steps);
    expect(small.render(s, null)).toMatchObject({ fireworks: [1, 2], info: 3, score: 3, deckSize: 0, turnsLeft: 1 });
    expect(small.rewards(s)).toEqual([1, 1]);
    expect(small.observationText(s, 0)).toContain('seat 1 (+1) played slot 0: Y2, scored and regained a hint token');
    const end = script(small, ['Play 0'], s); // seat 0: R2
    expect(small.isTerminal(end)).toBe(true);
    expect(small.returns(end)).toEqual([4, 4]);
    expect(rewardSum(small, [...steps, 'Play 0'])).toBe(4);
    // At max tokens completing a colour gives nothing back.
    const full = script(small, [...SMALL_DEAL, 'Play 0', 'R1', 'Play 0', 'Y1', 'Play 0']); // R1, Y1, then R2
    expect(small.render(full, null)).toMatchObject({ fireworks: [2, 1], info: 3 });
  });

  it('plays a perfect standard game to 25', () => {
    // Play order R1..R5, Y1..B5: seat t % 2 always holds the next card in slot 0 and draws the card 10 later.
    const order: number[] = [];
    for (let c = 0; c < 5; c++) for (let r = 0; r < 5; r++) order.push(c * 5 + r);
    let s = std.init(0);
    const deal = (card: number): void => {
      s = applyOrThrow(std, s, [card]);
    };
    for (let i = 0; i < 5; i++) deal(order[2 * i] as number);
    for (let i = 0; i < 5; i++) deal(order[2 * i + 1] as number);
    let total = 0;
    for (let t = 0; t < 25; t++) {
      expect(std.currentPlayers(s)).toEqual([t % 2]);
      s = applyOrThrow(std, s, [5]);
      total += std.rewards(s)[0] as number;
      if (t === 24) break;
      deal(t + 10 < 25 ? (order[t + 10] as number) : (std.legalActions(s, CHANCE)[0] as number));
    }
    expect(std.isTerminal(s)).toBe(true);
    expect(std.returns(s)).toEqual([25, 25]);
    expect(total).toBe(25);
    expect(std.render(s, null)).toMatchObject({ fireworks: [5, 5, 5, 5, 5], info: 8, lives: 3, deckSize: 16 });
  });

  it('scores 0 when the last life is lost, giving the score back on that step', () => {
    const steps = [
      ...STD_DEAL,
      'Play 0', // R1 scores
      'W2',
      'Play 0', // G1 scores
      'W3',
      'Play 1', // seat 0: R3 fails (lives 2)
      'W4',
      'Play 4', // seat 1: W3 fails (lives 1)
      'Y4',
      'Play 0', // seat 0: R2 scores (score 3)
    ];
    const before = script(std, steps);
    expect(std.render(before, null)).toMatchObject({ lives: 1, score: 3, fireworks: [2, 0, 1, 0, 0] });
    expect(std.returns(before)).toEqual([3, 3]);
    // Seat 1 plays G2; seat 0 hints; seat 1 plays G3 (score 5).
    const more = ['Y5', 'Play 0', 'Y1', 'Reveal player +1 color G', 'Play 0', 'B2'];
    const five = script(std, more, before);
    expect(std.isTerminal(five)).toBe(false);
    expect(std.render(five, null)).toMatchObject({ lives: 1, score: 5, info: 7 });
    const dead = script(std, ['Play 0'], five); // seat 0: Y2 fails, the last life
    expect(std.isTerminal(dead)).toBe(true);
    expect(std.render(dead, null)).toMatchObject({ lives: 0, score: 0, fireworks: [2, 0, 3, 0, 0] });
    expect(std.rewards(dead)).toEqual([-5, -5]);
    expect(std.returns(dead)).toEqual([0, 0]);
    expect(rewardSum(std, [...steps, ...more, 'Play 0'])).toBe(0);
    expect(std.apply(dead, [5])).toMatchObject({ code: 'match/over' });
  });

  it('ends one full round after the deck runs out, the seat that drew the last card included', () => {
    const s = script(small, [
      ...SMALL_DEAL,
      'Reveal player +1 color Y',
      'Discard 2', // seat 1 discards R1, draws R1
      'R1',
      'Reveal player +1 color R',
      'Discard 2', // seat 1 discards R1, draws the last card
      'Y1',
    ]);
    expect(small.render(s, null)).toMatchObject({ deckSize: 0, turnsLeft: 2, toAct: 0 });
    expect(small.observationText(s, 0)).toContain('The deck is empty: 2 turns left.');
    const one = script(small, ['Play 0'], s); // seat 0: R1 scores, no draw
    expect(small.render(one, null)).toMatchObject({ turnsLeft: 1, toAct: 1, score: 1 });
    expect(small.currentPlayers(one)).toEqual([1]);
    const end = script(small, ['Play 0'], one); // seat 1: Y1 scores; the game ends
    expect(small.isTerminal(end)).toBe(true);
    expect(small.returns(end)).toEqual([2, 2]);
    expect(small.render(end, null)).toMatchObject({ terminal: true, score: 2, lives: 3 });
  });
});

describe('hanabi: long games', () => {
  it('runs the deck out when seats rarely play: final round, bounds, rewards and replay hold', () => {
    // Uniform random play loses every life within ~10 turns; these seats play only 1 time in 10.
    for (const g of [std, small, make({ players: 4 })]) {
      const H = g.params.hand_size as number;
      let finalRounds = 0;
      for (let seed = 0; seed < 30; seed++) {
        let s = g.init(seed);
        let steps = 0;
        let total = 0;
        let emptyAt = -1;
        const rng = (seed * 7919 + 13) >>> 0;
        while (!g.isTerminal(s)) {
          const p = g.currentPlayers(s)[0] as number;
          const legal = g.legalActions(s, p);
          let a: number;
          if (p === CHANCE) a = g.sampleChance(s);
          else {
            const quiet = legal.filter((x) => x < H || x >= 2 * H);
            const pick = (rng + steps * 31) % 10 === 0 || quiet.length === 0 ? legal : quiet;
            a = pick[(rng + steps * 17) % pick.length] as number;
          }
          s = applyOrThrow(g, s, [a]);
          steps++;
          total += g.rewards(s)[0] as number;
          const view = g.render(s, null) as { deckSize: number; lives: number };
          if (view.deckSize === 0 && emptyAt < 0) emptyAt = steps;
        }
        const end = g.render(s, null) as { deckSize: number; lives: number; score: number };
        expect(steps).toBeLessThanOrEqual(g.maxLength);
        expect(total).toBe(end.score);
        expect(g.returns(s)).toEqual(new Array(g.numPlayers).fill(end.score));
        if (end.lives > 0 && end.score < g.maxUtility) {
          // Ended by the final round: exactly one turn per seat after the deck ran out.
          expect(emptyAt).toBeGreaterThan(0);
          expect(steps - emptyAt).toBe(g.numPlayers);
          finalRounds++;
        }
        expect(g.serialize(g.deserialize(g.serialize(s)))).toBe(g.serialize(s));
      }
      expect(finalRounds).toBeGreaterThan(10);
    }
  });
});

describe('hanabi: observations', () => {
  it('encodes the HLE canonical tensor', () => {
    const s = script(std, STD_DEAL);
    const t = std.observationTensor(s, 0);
    const L = hanabiLayout(STD_CFG);
    expect([L.missing, L.deck, L.fireworks, L.info, L.lives, L.discards, L.lastPlayer, L.knowledge, L.size]).toEqual([
      125, 127, 167, 192, 200, 203, 253, 308, 658,
    ]);
    // Seat 1's G1 G2 G3 W1 B1 (card bits 10 11 12 15 20) in slots 0..4 of 25 bits.
    const ones = (from: number, to: number): number[] => {
      const out: number[] = [];
      for (let i = from; i < to; i++) if (t[i] === 1) out.push(i);
      return out;
    };
    expect(ones(0, 125)).toEqual([10, 25 + 11, 50 + 12, 75 + 15, 100 + 20]);
    expect(ones(125, 308)).toEqual([
      ...Array.from({ length: 40 }, (_, i) => 127 + i), // deck 40 (thermometer)
      ...Array.from({ length: 8 }, (_, i) => 192 + i), // 8 information tokens
      200, 201, 202, // 3 lives
    ]);
    expect(t.reduce((a, b) => a + b, 0)).toBe(5 + 40 + 8 + 3 + 10 * 25); // everything plausible for all 10 slots
    // Seat 0 reveals rank 1 to seat 1 (slots 0, 3, 4), seen by seat 1.
    const h = std.observationTensor(script(std, ['Reveal player +1 rank 1'], s), 1);
    const last = Array.from(h.slice(L.lastPlayer, L.knowledge)).flatMap((v, i) => (v === 1 ? [i] : []));
    // Actor +1 (bit 1), reveal rank (2 + 4 - 1 = type bit 3 at 2+3), target = the observer (0), rank 1, slots 0 3 4.
    expect(last).toEqual([1, 2 + 3, 6 + 0, 8 + 5 + 0, 18 + 0, 18 + 3, 18 + 4]);
    // A failed play: actor, type play, slot, card, no outcome bits; the card goes to the discard thermometer.
    const f = std.observationTensor(script(std, [...STD_DEAL, 'Play 1', 'B5']), 0); // seat 0 plays R2: fails
    const lastF = Array.from(f.slice(L.lastPlayer, L.knowledge)).flatMap((v, i) => (v === 1 ? [i] : []));
    // Relative offsets: player 0-1, type 2-5, target 6-7, colour 8-12, rank 13-17, touched 18-22, slot 23-27, card 28-52.
    expect(lastF).toEqual([0, 2, 23 + 1, 28 + 1]);
    expect(f[L.discards + 3]).toBe(1); // R2's 2-bit block starts after R1's 3 bits
    expect(f[L.lives + 2]).toBe(0);
  });

  it('hides a seat its own cards: its tensor, text and information state do not change when they do', () => {
    const a = ['R1', 'R2', 'R3', 'R4', 'R5', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5'];
    const b = ['G1', 'G2', 'G3', 'G4', 'G5', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5'];
    const moves = ['Reveal player +1 color Y', 'Reveal player +1 rank 1'];
    for (let n = 0; n <= 12; n++) {
      const sa = script(std, [...a, ...moves].slice(0, n));
      const sb = script(std, [...b, ...moves].slice(0, n));
      expect(Array.from(std.observationTensor(sa, 0))).toEqual(Array.from(std.observationTensor(sb, 0)));
      expect(std.observationText(sa, 0)).toBe(std.observationText(sb, 0));
      expect(std.informationState(sa, 0)).toBe(std.informationState(sb, 0));
      expect(std.legalActions(sa, 0)).toEqual(std.legalActions(sb, 0));
      expect(std.render(sa, 0)).toEqual(std.render(sb, 0));
      if (n >= 1) {
        // Seat 1 sees the difference (the check itself can fail).
        expect(std.observationTensor(sa, 1)).not.toEqual(std.observationTensor(sb, 1));
        expect(std.informationState(sa, 1)).not.toBe(std.informationState(sb, 1));
      }
    }
  });

  it('writes the perfect-recall information state with own deals hidden', () => {
    const s = script(small, [...SMALL_DEAL, 'Reveal player +1 rank 2', 'Play 0', 'Y1']);
    expect(small.informationState(s, 0)).toBe(
      'observer 0 of 2 +??>0 +??>0 +??>0 +Y1>1 +Y2>1 +R1>1 0:Reveal player +1 rank 2@1 1:Play 0=Y1 +Y1>1',
    );
    expect(small.informationState(s, 1)).toBe(
      'observer 1 of 2 +R1>1 +R2>1 +Y1>1 +??>0 +??>0 +??>0 1:Reveal player +1 rank 2@1 0:Play 0=Y1 +??>0',
    );
  });

  it('renders hands by viewer: others to a seat, none to spectators, all at the end', () => {
    const s = script(small, SMALL_DEAL);
    const cards = (viewer: number | null, st = s): unknown =>
      (small.render(st, viewer) as { hands: { cards: unknown[] }[] }).hands.map((h) => h.cards);
    expect(cards(0)).toEqual([[null, null, null], ['Y1', 'Y2', 'R1']]);
    expect(cards(1)).toEqual([['R1', 'R2', 'Y1'], [null, null, null]]);
    expect(cards(null)).toEqual([[null, null, null], [null, null, null]]);
    expect(small.renderText(s, 0)).toContain('Seat 1  Y1[..] Y2[..] R1[..]');
    expect(small.renderText(s, null)).toContain('Seat 0* ??[..] ??[..] ??[..]');
    // R2 fails, Y2 fails, R1 scores, then R1 fails: the last life.
    const end = script(small, ['Play 1', 'R1', 'Play 1', 'Y1', 'Play 0', 'Play 1'], s);
    expect(small.isTerminal(end)).toBe(true);
    expect(cards(null, end)).toEqual([['Y1', 'R1'], ['Y1', 'Y1']]);
    expect(small.render(end, null)).toMatchObject({ terminal: true, lives: 0, score: 0, toAct: null });
  });

  it('round-trips serialization and rejects bad input', () => {
    const s = script(std, [...STD_DEAL, 'Play 0', 'W2', 'Reveal player +1 color R']);
    const text = std.serialize(s);
    const copy = std.deserialize(text);
    expect(std.serialize(copy)).toBe(text);
    expect(copy).toEqual(s);
    const good = JSON.parse(text) as { moves: number[]; rng: number[] };
    const bad = [
      JSON.stringify({ ...good, moves: [0, 0, 0, 0] }), // a fourth R1
      JSON.stringify({ ...good, moves: [...good.moves, 99] }),
      JSON.stringify({ ...good, rng: [1] }),
      JSON.stringify({ ...good, extra: 1 }),
      JSON.stringify({ moves: good.moves }),
    ];
    for (const b of bad) expect(() => std.deserialize(b)).toThrow(expect.objectContaining({ code: 'env/bad-serialization' }));
  });

  it('uses the colour letters RYGWB', () => {
    expect(COLOR_CHARS).toBe('RYGWB');
  });
});
