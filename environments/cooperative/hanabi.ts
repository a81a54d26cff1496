/**
 * Hanabi, with the Hanabi Learning Environment's rules and numbering (OpenSpiel's `hanabi` wraps HLE).
 *
 * | Item        | Value                                                                                        |
 * | ----------- | -------------------------------------------------------------------------------------------- |
 * | Players     | 2-5, cooperative. Chance (-1) deals; then seats act in turn from seat 0.                      |
 * | Cards       | per colour: 3 copies of rank 1, 1 of the top rank, 2 of each rank between (HLE); 50 cards in |
 * |             | the standard game (5 colours RYGWB x ranks 1-5). Card id = colour * ranks + rank (0-based).  |
 * | Chance      | one deal per card: outcome = card id, probability copies left / cards left. The first deals |
 * |             | fill seat 0's hand, then seat 1's, ...; after a play or discard the player draws one card.   |
 * | Actions     | discrete, HLE uids (H hand size, P players, C colours, R ranks): [0, H) discard slot i;     |
 * |             | [H, 2H) play slot i; 2H + (k-1)C + c reveal colour c to the player k seats on (k = 1..P-1); |
 * |             | 2H + (P-1)C + (k-1)R + r reveal rank r to the player k seats on. 20 actions in 2p standard. |
 * | Legality    | hints need an information token and must touch a card; no discard at max tokens (HLE).       |
 * | Hands       | slot 0 is the oldest card; a played or discarded card's later cards move down one slot and   |
 * |             | the new card goes last.                                                                     |
 * | Tokens      | discard: +1 token; completing a colour (its top rank): +1 token if below max; failed play:  |
 * |             | -1 life (the card goes to the discards).                                                   |
 * | End         | all lives lost (score 0), perfect score, or once the deck is empty every seat (the one that |
 * |             | drew the last card included) has had one more turn.                                         |
 * | Rewards     | shared: each step's change in score (score = sum of fireworks, 0 with no lives left), so    |
 * |             | the step that loses the last life gives back the whole score; returns = the score.         |
 * | Observation | HLE's canonical encoding (hanabi-observation.ts), 658 floats in 2p standard; text: board,  |
 * |             | others' hands, what each hand knows, last move (hanabi-text.ts).                            |
 * | Info state  | the seat's whole history with its own dealt cards hidden, hints with the slots they touched. |
 * | Hidden info | a seat never sees its own cards (only HLE card knowledge: hinted values and what is still    |
 * |             | plausible). Spectators (render viewer null) see no card faces until the game is over; at    |
 * |             | the end every hand is shown to everyone.                                                     |
 */
import { z } from 'zod';
import { ArenaError } from '../core/errors';
import { CHANCE, type ChanceOutcome, type Game, type GameModule, type GameSpec, type Json, type Seat } from '../core/game';
import {
  historyActions,
  NO_SEATS,
  onlySeat,
  parseDiscreteAction,
  parseSerialized,
  replayMoveList,
  rngFromSeed,
  singleDiscreteAction,
} from '../core/helpers';
import { Rng } from '../core/rng';
import { encodeObservation, hanabiLayout, type HanabiLayout } from './hanabi-observation';
import {
  applyMove,
  dealableCards,
  HANABI_ID,
  initialState,
  legalMoves,
  makeConfig,
  OVER,
  rankCount,
  sampleDeal,
  score,
  type HanabiConfig,
  type HanabiState,
} from './hanabi-rules';
import { informationString, moveName, observationString, renderBoard, renderView } from './hanabi-text';

export type { HanabiConfig, HanabiState } from './hanabi-rules';

/** Hand size by the rules when `hand_size` is not given: 5 cards for 2-3 players, 4 for 4-5 (HLE). */
export const defaultHandSize = (players: number): number => (players < 4 ? 5 : 4);

const deckCards = (colors: number, ranks: number): number => {
  let perColor = 0;
  for (let r = 0; r < ranks; r++) perColor += rankCount(r, ranks);
  return colors * perColor;
};

export const hanabiParamsSchema = z
  .object({
    players: z.number().int().min(2).max(5).default(2),
    colors: z.number().int().min(1).max(5).default(5),
    ranks: z.number().int().min(1).max(5).default(5),
    /** Default: 5 for 2-3 players, 4 for 4-5. At most 8 (HLE's hint bitmask). */
    hand_size: z.number().int().min(1).max(8).optional(),
    max_information_tokens: z.number().int().min(1).max(20).default(8),
    max_life_tokens: z.number().int().min(1).max(10).default(3),
  })
  .strict()
  .refine((p) => p.players * (p.hand_size ?? defaultHandSize(p.players)) <= deckCards(p.colors, p.ranks), {
    message: 'the deck is too small to deal every hand',
  });
export type HanabiParams = z.infer<typeof hanabiParamsSchema>;

/** The small variant MARS trains on through OpenSpiel: 2 colours x ranks 1-2 (8 cards), max score 4. */
export const HANABI_SMALL_PARAMS: HanabiParams = Object.freeze({
  players: 2,
  colors: 2,
  ranks: 2,
  hand_size: 3,
  max_information_tokens: 3,
  max_life_tokens: 3,
});

/** Named parameterisations: `standard` (the defaults) and `small`. */
export const HANABI_VARIANTS: Readonly<Record<'standard' | 'small', HanabiParams>> = Object.freeze({
  standard: Object.freeze(hanabiParamsSchema.parse({})),
  small: HANABI_SMALL_PARAMS,
});

const spec: GameSpec<HanabiParams> = {
  id: HANABI_ID,
  version: 1,
  title: 'Hanabi',
  summary:
    'Cooperative card game for 2-5 players: build five fireworks (one per colour, ranks 1 to 5 in order) while ' +
    'seeing everyone\u2019s cards but your own. On a turn: play a card, discard one (regaining a hint token), or ' +
    'spend a token to tell a teammate every card of one colour or rank in their hand. Three failed plays end ' +
    'the game with 0. Shared score = cards on the fireworks (max 25). Hanabi Learning Environment rules.',
  players: { min: 2, max: 5 },
  dynamics: 'sequential',
  utility: 'cooperative',
  chance: true,
  perfectInformation: false,
  params: hanabiParamsSchema,
};

const stateSchema = z
  .object({
    moves: z.array(z.number().int()),
    rng: z.array(z.number().int().min(-0x80000000).max(0xffffffff)).length(4),
  })
  .strict();

const NO_ACTIONS: readonly number[] = Object.freeze([]);

/** Frozen arrays of `players` copies of v, for v in [-maxScore, maxScore] (rewards and returns allocate nothing). */
function sharedValues(players: number, maxScore: number): (v: number) => readonly number[] {
  const table = Array.from({ length: 2 * maxScore + 1 }, (_, i) => Object.freeze(new Array<number>(players).fill(i - maxScore)));
  return (v) => table[v + maxScore] as readonly number[];
}

/** The resolved rules of a parameterisation (agents use it to decode observations of `game.params`). */
export function hanabiConfig(params: HanabiParams): HanabiConfig {
  return makeConfig({
    players: params.players,
    colors: params.colors,
    ranks: params.ranks,
    handSize: params.hand_size ?? defaultHandSize(params.players),
    maxInfo: params.max_information_tokens,
    maxLives: params.max_life_tokens,
  });
}

function makeGame(params: HanabiParams): Game<HanabiState, number> {
  const cfg = hanabiConfig(params);
  const layout: HanabiLayout = hanabiLayout(cfg);
  const values = sharedValues(cfg.players, cfg.maxScore);
  const checkSeat = (seat: Seat): void => {
    if (!Number.isInteger(seat) || seat < 0 || seat >= cfg.players) throw new RangeError(`${HANABI_ID}: no seat ${seat}`);
  };

  const game: Game<HanabiState, number> = {
    spec,
    params: {
      players: cfg.players,
      colors: cfg.colors,
      ranks: cfg.ranks,
      hand_size: cfg.handSize,
      max_information_tokens: cfg.maxInfo,
      max_life_tokens: cfg.maxLives,
    },
    numPlayers: cfg.players,
    actionSpace: { kind: 'discrete', n: cfg.numActions },
    observationShape: [layout.size],
    // Deals <= D; plays + discards <= D; hints <= tokens at the start + discards + completed colours.
    maxLength: 3 * cfg.deckTotal + cfg.maxInfo + cfg.colors,
    minUtility: 0,
    maxUtility: cfg.maxScore,

    init: (seed) => initialState(cfg, rngFromSeed(seed)),
    currentPlayers: (s) => (s.toAct === OVER ? NO_SEATS : onlySeat(s.toAct)),
    isTerminal: (s) => s.toAct === OVER,

    chanceOutcomes(s): readonly ChanceOutcome<number>[] {
      if (s.toAct !== CHANCE) return [];
      return dealableCards(cfg, s).map((action) => ({ action, probability: (s.deck[action] as number) / s.deckSize }));
    },

    sampleChance(s) {
      if (s.toAct !== CHANCE) throw new Error(`${HANABI_ID}: not a chance node`);
      // Uniform over the cards left = each card id with probability copies / deck size, without building the
      // outcome list (dealing is half of all steps).
      return sampleDeal(cfg, s, Rng.fromState(s.rng).int(s.deckSize));
    },

    legalActions(s, seat) {
      if (seat !== s.toAct) return NO_ACTIONS;
      return seat === CHANCE ? dealableCards(cfg, s) : legalMoves(cfg, s);
    },

    apply(s, actions) {
      if (s.toAct === OVER) return new ArenaError('match/over', `${HANABI_ID}: the game is over`);
      const a = singleDiscreteAction(HANABI_ID, actions);
      if (a instanceof ArenaError) return a;
      return applyMove(cfg, s, a);
    },

    rewards: (s) => values(s.reward),
    returns: (s) => values(score(s)),

    observationTensor(s, seat) {
      checkSeat(seat);
      return encodeObservation(cfg, layout, s, seat);
    },
    observationText(s, seat) {
      checkSeat(seat);
      return observationString(cfg, s, seat);
    },
    informationState(s, seat) {
      checkSeat(seat);
      return informationString(cfg, s, seat);
    },

    actionToString: (seat, action) => moveName(cfg, seat, action),
    parseAction(s, seat, text) {
      // Also accept HLE's own spelling, "(Play 0)".
      return parseDiscreteAction(game, s, seat, text.trim().replace(/^\((.*)\)$/, '$1'));
    },

    serialize: (s) => JSON.stringify({ moves: historyActions(s.history), rng: s.rng }),
    deserialize(text) {
      const parsed = stateSchema.safeParse(parseSerialized(HANABI_ID, text));
      if (!parsed.success) throw new ArenaError('env/bad-serialization', `${HANABI_ID}: not a Hanabi state`);
      // The moves determine everything but the generator, which is stored as it was after the last deal.
      const replayed = replayMoveList(HANABI_ID, text, initialState(cfg, parsed.data.rng), game.apply, game.maxLength);
      return { ...replayed, rng: parsed.data.rng };
    },

    render: (s, viewer): Json => renderView(cfg, s, viewer, game.returns(s)),
    renderText: (s, viewer) => renderBoard(cfg, s, viewer),
  };
  return game;
}

export const hanabi: GameModule<HanabiState, number, HanabiParams> = {
  spec,
  create: (params) => makeGame(params),
};
