/**
 * Simple negotiation, as SPIRAL trains on it (TextArena's SimpleNegotiation with two resources).
 *
 * | Item        | Value                                                                                        |
 * | ----------- | -------------------------------------------------------------------------------------------- |
 * | Players     | 2, alternating, seat 0 first; `max_turns` (default 10) actions in all, then the game ends.   |
 * | Resources   | Wood and Gold; each seat starts with 10 Wood and 10 Gold. Values per unit: seat 0 Wood 5,   |
 * |             | Gold 15; seat 1 Wood 15, Gold 5 (both inventories start worth 200 to their owner).           |
 * | Actions     | text (one token per turn, grammar below): "[Offer: 3 Wood -> 2 Gold]" (what I give -> what I |
 * |             | receive), "[Accept]", "[Deny]". Accept / Deny only answering an offer made to this seat;   |
 * |             | an offer may not give more than the proposer holds; a new offer while one is pending        |
 * |             | against this seat denies it (a counter-offer). Accept trades only if both sides still hold  |
 * |             | the resources (else nothing changes); either way the offer is closed.                        |
 * | Legal list  | representative, not exhaustive: "[Deny]" and "[Accept]" when an offer is pending, then every|
 * |             | "[Offer: n X -> m Y]" with X != Y, 1 <= n <= min(5, held), 1 <= m <= 5 (Wood first).         |
 * |             | Any offer in the grammar is accepted by `apply` and `parseAction`.                         |
 * | Returns     | at the end: gain = inventory value now - at the start (own unit values); the larger gain    |
 * |             | wins +1, the other -1; equal gains 0 / 0 (SPIRAL). Rewards only on the last step.           |
 * | Observation | tensor [15]: seat one-hot (2); own Wood, Gold; other's Wood, Gold; own unit values Wood,   |
 * |             | Gold; turns left; offer pending to me, from me; the pending offer's give Wood, Gold,        |
 * |             | receive Wood, Gold (proposer's view; zeros when none). Text: SPIRAL's prompt facts (own     |
 * |             | inventory and values, turns) plus the other's inventory, the pending offer and the history.|
 * | Hidden info | none (values are fixed per seat and inventories and offers are public).                     |
 *
 * Grammar (case-insensitive; spaces may be added or removed around every symbol; nothing before or after):
 *   action  = "[" "accept" "]" | "[" "deny" "]" | "[" "offer" [":"] ["I give" | "I offer"] items arrow items {"."} "]"
 *   arrow   = "->" | "\u2192"
 *   items   = item {("," | "and") item} [","]        a resource named twice is summed
 *   item    = count resource                          count: 1 to 4 digits, at least 1
 *   resource= "wood" | "woods" | "gold" | "golds"
 * The canonical form (what `apply` records): "[Offer: 3 Wood, 2 Gold -> 1 Gold]" (Wood before Gold, zero
 * amounts left out), "[Accept]", "[Deny]".
 */
import { z } from 'zod';
import { ArenaError } from '../core/errors';
import type { Game, GameModule, GameSpec, Json, Seat } from '../core/game';
import { illegalAction, NO_SEATS, onlySeat, parseSerialized } from '../core/helpers';

const GAME_ID = 'negotiation';
export const RESOURCES = ['Wood', 'Gold'] as const;
/** Units of Wood and Gold each seat starts with. */
export const START: readonly [number, number] = [10, 10];
/** Unit values [Wood, Gold] per seat (SPIRAL: opposite preferences, so trades can help both). */
export const VALUES: readonly (readonly [number, number])[] = [
  [5, 15],
  [15, 5],
];
/** Longest action text `apply` reads. */
const MAX_ACTION_LENGTH = 200;
/** Largest amount per resource in the representative offers of `legalActions`. */
const LISTED_MAX = 5;

export const negotiationParamsSchema = z.object({ max_turns: z.number().int().min(1).max(100).default(10) }).strict();
export type NegotiationParams = z.infer<typeof negotiationParamsSchema>;

/** Amounts [Wood, Gold]. */
type Bundle = readonly [number, number];

export type NegotiationMove =
  | { readonly kind: 'accept' }
  | { readonly kind: 'deny' }
  | { readonly kind: 'offer'; readonly give: Bundle; readonly get: Bundle };

export interface PendingOffer {
  readonly from: Seat;
  readonly give: Bundle;
  readonly get: Bundle;
}

/** Immutable state; serialized as its canonical action list. */
export interface NegotiationState {
  /** [Wood, Gold] held by each seat. */
  readonly inventory: readonly (readonly [number, number])[];
  readonly offer: PendingOffer | null;
  /** Canonical actions so far (the seat of action i is i % 2). */
  readonly history: readonly string[];
  /** Whether each accepted offer went through, in order (false: a side no longer held the resources). */
  readonly trades: readonly boolean[];
}

const spec: GameSpec<NegotiationParams> = {
  id: GAME_ID,
  version: 1,
  title: 'Simple negotiation',
  summary:
    'Two players trade Wood and Gold in text: "[Offer: 3 Wood -> 2 Gold]", "[Accept]", "[Deny]". Both start ' +
    'with 10 of each; player 0 values Wood 5 and Gold 15, player 1 the reverse. After 10 turns the player whose ' +
    'inventory value grew more wins. SPIRAL\u2019s negotiation game.',
  players: { min: 2, max: 2 },
  dynamics: 'sequential',
  utility: 'general-sum',
  chance: false,
  perfectInformation: true,
  params: negotiationParamsSchema,
};

// ---------------------------------------------------------------------------------------------------------------
// Text actions.

const ACCEPT_RE = /^\s*\[\s*accept\s*\]\s*$/i;
const DENY_RE = /^\s*\[\s*deny\s*\]\s*$/i;
const OFFER_RE = /^\s*\[\s*offer\s*:?\s*(?:i\s+(?:give|offer)\s+)?([^[\]]*?)\s*(?:->|\u2192)\s*([^[\]]*?)[\s.]*\]\s*$/i;
const ITEM_RE = /^(\d{1,4})\s*(wood|woods|gold|golds)$/i;

/** "3 Wood, 2 Gold" -> [3, 2]; null unless every item is "<count> <resource>" with count >= 1. */
function parseItems(text: string): Bundle | null {
  const parts = text.split(/\s*,\s*|\s+and\s+/i);
  if (parts[parts.length - 1] === '') parts.pop(); // one trailing comma
  if (parts.length === 0) return null;
  const amounts: [number, number] = [0, 0];
  for (const part of parts) {
    const m = ITEM_RE.exec(part.trim());
    if (m === null) return null;
    const count = Number(m[1]);
    if (count < 1) return null;
    amounts[(m[2] as string).toLowerCase().startsWith('wood') ? 0 : 1] += count;
  }
  return amounts;
}

/** Reads one action in the grammar of the file comment; null when it is not one. */
export function parseMove(text: string): NegotiationMove | null {
  if (text.length > MAX_ACTION_LENGTH) return null;
  if (ACCEPT_RE.test(text)) return { kind: 'accept' };
  if (DENY_RE.test(text)) return { kind: 'deny' };
  const m = OFFER_RE.exec(text);
  if (m === null) return null;
  const give = parseItems(m[1] as string);
  const get = parseItems(m[2] as string);
  return give && get ? { kind: 'offer', give, get } : null;
}

function bundleText(b: Bundle): string {
  const parts: string[] = [];
  if (b[0] > 0) parts.push(`${b[0]} Wood`);
  if (b[1] > 0) parts.push(`${b[1]} Gold`);
  return parts.join(', ');
}

/** The canonical text of a move. */
export function moveText(m: NegotiationMove): string {
  if (m.kind === 'accept') return '[Accept]';
  if (m.kind === 'deny') return '[Deny]';
  return `[Offer: ${bundleText(m.give)} -> ${bundleText(m.get)}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules.

const holds = (have: Bundle, need: Bundle): boolean => have[0] >= need[0] && have[1] >= need[1];

/** Inventory value of `seat` at its own unit values. */
export function inventoryValue(state: NegotiationState, seat: Seat): number {
  const inv = state.inventory[seat] as Bundle;
  const v = VALUES[seat] as Bundle;
  return inv[0] * v[0] + inv[1] * v[1];
}

const START_VALUE = [0, 1].map((s) => START[0] * (VALUES[s] as Bundle)[0] + START[1] * (VALUES[s] as Bundle)[1]);

/** Change in inventory value since the start, per seat. */
export function gains(state: NegotiationState): [number, number] {
  return [inventoryValue(state, 0) - (START_VALUE[0] as number), inventoryValue(state, 1) - (START_VALUE[1] as number)];
}

/** Why `move` is illegal for the seat to act, or null. */
function illegality(state: NegotiationState, seat: Seat, move: NegotiationMove): string | null {
  const pending = state.offer !== null && state.offer.from !== seat;
  if (move.kind !== 'offer') return pending ? null : 'no offer is pending';
  return holds(state.inventory[seat] as Bundle, move.give) ? null : 'offers more than it holds';
}

function applyMove(state: NegotiationState, seat: Seat, move: NegotiationMove): NegotiationState {
  const history = [...state.history, moveText(move)];
  if (move.kind === 'offer') return { ...state, offer: { from: seat, give: move.give, get: move.get }, history };
  if (move.kind === 'deny') return { ...state, offer: null, history };
  const offer = state.offer as PendingOffer;
  const proposer = state.inventory[offer.from] as Bundle;
  const acceptor = state.inventory[seat] as Bundle;
  const ok = holds(proposer, offer.give) && holds(acceptor, offer.get);
  let inventory = state.inventory;
  if (ok) {
    const p: [number, number] = [proposer[0] - offer.give[0] + offer.get[0], proposer[1] - offer.give[1] + offer.get[1]];
    const a: [number, number] = [acceptor[0] + offer.give[0] - offer.get[0], acceptor[1] + offer.give[1] - offer.get[1]];
    inventory = offer.from === 0 ? [p, a] : [a, p];
  }
  return { inventory, offer: null, history, trades: [...state.trades, ok] };
}

/**
 * The representative legal lists of the file comment, frozen and shared: LISTS[answers][wood][gold] for a seat
 * holding min(5, wood) Wood and min(5, gold) Gold, with "[Deny]", "[Accept]" first when `answers` is 1.
 */
const LISTS: readonly (readonly (readonly (readonly string[])[])[])[] = [0, 1].map((answers) =>
  Array.from({ length: LISTED_MAX + 1 }, (_, wood) =>
    Array.from({ length: LISTED_MAX + 1 }, (_, gold) => {
      const out = answers === 1 ? ['[Deny]', '[Accept]'] : [];
      const held = [wood, gold];
      for (const from of [0, 1]) {
        for (let n = 1; n <= (held[from] as number); n++) {
          for (let m = 1; m <= LISTED_MAX; m++) {
            const give: [number, number] = [0, 0];
            const get: [number, number] = [0, 0];
            give[from] = n;
            get[1 - from] = m;
            out.push(moveText({ kind: 'offer', give, get }));
          }
        }
      }
      return Object.freeze(out);
    }),
  ),
);

const stateSchema = z.object({ moves: z.array(z.string()) }).strict();
const NO_ACTIONS: readonly string[] = Object.freeze([]);

function makeGame(params: NegotiationParams): Game<NegotiationState, string> {
  const maxTurns = params.max_turns;
  const ZERO: readonly number[] = Object.freeze([0, 0]);
  const toAct = (s: NegotiationState): number => (s.history.length >= maxTurns ? -1 : s.history.length % 2);
  const isTerminal = (s: NegotiationState): boolean => s.history.length >= maxTurns;
  const finalReturns = (s: NegotiationState): readonly number[] => {
    const [g0, g1] = gains(s);
    return g0 === g1 ? ZERO : g0 > g1 ? [1, -1] : [-1, 1];
  };
  const checkSeat = (seat: Seat): void => {
    if (seat !== 0 && seat !== 1) throw new RangeError(`${GAME_ID}: no seat ${seat}`);
  };
  const describe = (s: NegotiationState, i: number): string => {
    const text = s.history[i] as string;
    if (text !== '[Accept]') return `Player ${i % 2}: ${text}`;
    let k = -1;
    for (let j = 0; j <= i; j++) if (s.history[j] === '[Accept]') k++;
    return `Player ${i % 2}: [Accept] (${s.trades[k] ? 'trade done' : 'trade failed: resources missing'})`;
  };

  const game: Game<NegotiationState, string> = {
    spec,
    params: { max_turns: maxTurns },
    numPlayers: 2,
    actionSpace: { kind: 'text', maxLength: MAX_ACTION_LENGTH },
    observationShape: [15],
    maxLength: maxTurns,
    minUtility: -1,
    maxUtility: 1,

    init: () => ({ inventory: [START, START], offer: null, history: [], trades: [] }),
    currentPlayers: (s) => (isTerminal(s) ? NO_SEATS : onlySeat(toAct(s))),
    isTerminal,
    chanceOutcomes: () => [],
    sampleChance() {
      throw new Error(`${GAME_ID} has no chance nodes`);
    },

    legalActions(s, seat) {
      if (seat !== toAct(s)) return NO_ACTIONS;
      const inv = s.inventory[seat] as Bundle;
      const answers = s.offer !== null && s.offer.from !== seat ? 1 : 0;
      return LISTS[answers]?.[Math.min(LISTED_MAX, inv[0])]?.[Math.min(LISTED_MAX, inv[1])] as readonly string[];
    },

    apply(s, actions) {
      if (isTerminal(s)) return new ArenaError('match/over', `${GAME_ID}: the game is over`);
      if (actions.length !== 1) return new ArenaError('action/malformed', `${GAME_ID}: expected exactly one action, got ${actions.length}`);
      const seat = toAct(s);
      const text = actions[0];
      const move = typeof text === 'string' ? parseMove(text) : null;
      if (move === null) return new ArenaError('action/malformed', `${GAME_ID}: cannot read action ${JSON.stringify(text)?.slice(0, 80)}`);
      const why = illegality(s, seat, move);
      if (why !== null) return new ArenaError('action/illegal', `${GAME_ID}: seat ${seat}: ${moveText(move)} ${why}`);
      return applyMove(s, seat, move);
    },

    rewards: (s) => (isTerminal(s) ? finalReturns(s) : ZERO),
    returns: (s) => (isTerminal(s) ? finalReturns(s) : ZERO),

    observationTensor(s, seat) {
      checkSeat(seat);
      const t = new Float32Array(15);
      const mine = s.inventory[seat] as Bundle;
      const theirs = s.inventory[1 - seat] as Bundle;
      const v = VALUES[seat] as Bundle;
      t[seat] = 1;
      t.set([mine[0], mine[1], theirs[0], theirs[1], v[0], v[1], maxTurns - s.history.length], 2);
      if (s.offer !== null) {
        t[s.offer.from === seat ? 10 : 9] = 1;
        t.set([s.offer.give[0], s.offer.give[1], s.offer.get[0], s.offer.get[1]], 11);
      }
      return t;
    },

    observationText(s, seat) {
      checkSeat(seat);
      const mine = s.inventory[seat] as Bundle;
      const theirs = s.inventory[1 - seat] as Bundle;
      const v = VALUES[seat] as Bundle;
      const gain = gains(s)[seat] as number;
      const lines = [
        `Simple negotiation. You are Player ${seat}. Turn ${Math.min(s.history.length + 1, maxTurns)} of ${maxTurns}` +
          (isTerminal(s) ? ' (game over).' : `; Player ${toAct(s)} to act.`),
        `Your resources: Wood ${mine[0]} (value ${v[0]} each), Gold ${mine[1]} (value ${v[1]} each); ` +
          `inventory value ${inventoryValue(s, seat)} (change ${gain >= 0 ? '+' : ''}${gain}).`,
        `Player ${1 - seat} holds: Wood ${theirs[0]}, Gold ${theirs[1]}.`,
      ];
      if (s.offer === null) lines.push('No offer is pending.');
      else if (s.offer.from === seat) {
        lines.push(`Your offer is pending: you give ${bundleText(s.offer.give)}, you receive ${bundleText(s.offer.get)}.`);
      } else {
        lines.push(
          `Player ${s.offer.from} offers you ${bundleText(s.offer.give)} for ${bundleText(s.offer.get)}. ` +
            'Answer [Accept] or [Deny], or make a counter-offer.',
        );
      }
      lines.push('Actions: [Offer: <n> Wood, <m> Gold -> <n> Wood, <m> Gold] (you give -> you receive), [Accept], [Deny].');
      lines.push(s.history.length === 0 ? 'History: none' : 'History:');
      for (let i = 0; i < s.history.length; i++) lines.push(`  ${describe(s, i)}`);
      if (isTerminal(s)) {
        const [g0, g1] = gains(s);
        lines.push(`Final gains: Player 0 ${g0}, Player 1 ${g1}; returns ${finalReturns(s).join(' ')}.`);
      }
      return lines.join('\n');
    },

    // Perfect information: the canonical actions so far (OpenSpiel's history string).
    informationState(s, seat) {
      checkSeat(seat);
      return s.history.join(' ');
    },

    actionToString: (_seat, action) => action,

    parseAction(s, seat, text) {
      const move = parseMove(text);
      if (move === null) return new ArenaError('action/malformed', `${GAME_ID}: cannot read action "${text.slice(0, 80)}"`);
      if (seat !== toAct(s)) return illegalAction(GAME_ID, seat, moveText(move));
      const why = illegality(s, seat, move);
      return why === null ? moveText(move) : new ArenaError('action/illegal', `${GAME_ID}: seat ${seat}: ${moveText(move)} ${why}`);
    },

    serialize: (s) => JSON.stringify({ moves: s.history }),
    deserialize(text) {
      const parsed = stateSchema.safeParse(parseSerialized(GAME_ID, text));
      if (!parsed.success || parsed.data.moves.length > maxTurns) {
        throw new ArenaError('env/bad-serialization', `${GAME_ID}: not a negotiation state`);
      }
      let s = game.init(0);
      for (const m of parsed.data.moves) {
        const next = game.apply(s, [m]);
        if (next instanceof ArenaError) {
          throw new ArenaError('env/bad-serialization', `${GAME_ID}: move ${JSON.stringify(m)} cannot be replayed`, { cause: next });
        }
        s = next;
      }
      if (game.serialize(s) !== JSON.stringify({ moves: parsed.data.moves })) {
        throw new ArenaError('env/bad-serialization', `${GAME_ID}: moves are not in canonical form`);
      }
      return s;
    },

    render(s): Json {
      const [g0, g1] = gains(s);
      return {
        inventory: s.inventory.map((inv, seat) => ({ wood: inv[0], gold: inv[1], value: inventoryValue(s, seat) })),
        values: VALUES.map((v) => ({ wood: v[0], gold: v[1] })),
        gains: [g0, g1],
        offer: s.offer === null ? null : { from: s.offer.from, give: [...s.offer.give], get: [...s.offer.get] },
        history: [...s.history],
        turn: s.history.length,
        maxTurns,
        toAct: isTerminal(s) ? null : toAct(s),
        terminal: isTerminal(s),
        returns: [...game.returns(s)],
      };
    },

    renderText(s) {
      const g = gains(s);
      const lines = [
        `Negotiation   turn ${s.history.length}/${maxTurns}`,
        ...[0, 1].map((p) => {
          const inv = s.inventory[p] as Bundle;
          const gain = g[p] as number;
          return `Player ${p}: Wood ${inv[0]} Gold ${inv[1]}   value ${inventoryValue(s, p)} (${gain >= 0 ? '+' : ''}${gain})`;
        }),
        s.offer === null
          ? 'No pending offer'
          : `Pending: Player ${s.offer.from} gives ${bundleText(s.offer.give)} for ${bundleText(s.offer.get)}`,
      ];
      lines.push(isTerminal(s) ? `Over: returns ${finalReturns(s).join(' ')}` : `Player ${toAct(s)} to act`);
      return lines.join('\n');
    },
  };
  return game;
}

export const negotiation: GameModule<NegotiationState, string, NegotiationParams> = {
  spec,
  create: (params) => makeGame(params),
};
