/**
 * The conformance contract as library code: any game (ours or a user's) can be checked with
 * `checkGame(module)` or, for one named check at a time, `conformanceChecks(module)`. Checks branch on the
 * capabilities a game declares in its spec, never on its id. Property checks use fast-check over many seeds and
 * random action sequences; a failure throws with the counterexample (seed and choices) so it can be replayed.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ArenaError } from '../core/errors';
import { CHANCE, type Action, type AnyGame, type GameModule, type Seat } from '../core/game';
import { Rng } from '../core/rng';

export interface CheckOptions {
  /** Random games per property (default 100). */
  readonly runs?: number;
  /** Parameterisations to check (default: the defaults, `{}`). */
  readonly params?: readonly Record<string, unknown>[];
  /** fast-check seed, for reproducing a failure. */
  readonly seed?: number;
}

export interface ConformanceCheck {
  readonly name: string;
  readonly run: () => void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- modules are heterogeneous in their state types
type AnyModule = GameModule<any, any, any>;

class ConformanceError extends Error {}
function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

const EPS = 1e-9;
const digest = (text: string): string => createHash('sha1').update(text).digest('base64');
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** One step of a random game: chance sampled from the state, decisions drawn from `pick`. */
function randomJointAction(game: AnyGame, state: unknown, pick: (n: number) => number): Action[] {
  const players = game.currentPlayers(state);
  if (players[0] === CHANCE) return [game.sampleChance(state)];
  return players.map((seat) => {
    const legal = game.legalActions(state, seat);
    return legal[pick(legal.length)] as Action;
  });
}

/** Plays a random game, calling `visit` on every state (terminal included) with the step that produced it. */
function simulate(
  game: AnyGame,
  seed: number,
  choices: readonly number[],
  visit: (state: unknown, stepIndex: number, joint: Action[] | null) => void,
): unknown {
  const rng = Rng.fromSeed(seed);
  let i = 0;
  const pick = (n: number): number => (i < choices.length ? (choices[i++] as number) % n : rng.int(n));
  let state = game.init(seed);
  visit(state, 0, null);
  for (let step = 1; !game.isTerminal(state); step++) {
    ensure(step <= game.maxLength, `game exceeded maxLength ${game.maxLength}`);
    const joint = randomJointAction(game, state, pick);
    const next = game.apply(state, joint);
    ensure(!(next instanceof ArenaError), `legal joint action ${JSON.stringify(joint)} rejected: ${String(next)}`);
    state = next;
    visit(state, step, joint);
  }
  return state;
}

function illegalCandidates(game: AnyGame, legal: readonly Action[]): unknown[] {
  const space = game.actionSpace;
  if (space.kind === 'discrete') {
    const out: unknown[] = [-1, space.n, 1.5, 'x', null];
    for (let a = 0; a < space.n; a++) if (!legal.includes(a)) out.push(a);
    return out;
  }
  if (space.kind === 'text') return [42, null];
  return ['x', null, [Number.NaN]];
}

export function conformanceChecks(module: AnyModule, options: CheckOptions = {}): ConformanceCheck[] {
  const runs = options.runs ?? 100;
  const paramSets = options.params ?? [{}];
  const fcParams = { numRuns: runs, ...(options.seed !== undefined ? { seed: options.seed } : {}) };
  const spec = module.spec;
  const games = (): AnyGame[] => paramSets.map((p) => module.create(spec.params.parse(p)) as AnyGame);
  const trajectory = fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.array(fc.nat(), { maxLength: 64 }));
  const forEachGame = (f: (g: AnyGame) => void) => () => games().forEach(f);

  return [
    {
      name: 'declares a consistent spec',
      run: forEachGame((g) => {
        ensure(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(spec.id), `id "${spec.id}" is not kebab-case`);
        ensure(Number.isInteger(spec.version) && spec.version >= 1, 'version must be a positive integer');
        ensure(g.numPlayers >= spec.players.min && g.numPlayers <= spec.players.max, 'numPlayers outside spec.players');
        ensure(product(g.observationShape) > 0, 'observation shape is empty');
        ensure(g.minUtility <= g.maxUtility, 'minUtility > maxUtility');
        ensure(g.maxLength > 0, 'maxLength must be positive');
        ensure(spec.dynamics !== 'realtime' || (spec.tickHz ?? 0) > 0, 'realtime games declare tickHz');
        ensure(JSON.stringify(g.params) === JSON.stringify(module.create(spec.params.parse(g.params)).params), 'params do not round-trip');
      }),
    },
    {
      name: 'replays deterministically from the seed',
      run: forEachGame((g) => {
        fc.assert(
          fc.property(trajectory, ([seed, choices]) => {
            const a: string[] = [];
            const b: string[] = [];
            simulate(g, seed, choices, (s) => a.push(g.serialize(s)));
            simulate(g, seed, choices, (s) => b.push(g.serialize(s)));
            ensure(JSON.stringify(a) === JSON.stringify(b), 'two runs from one seed diverged');
          }),
          fcParams,
        );
      }),
    },
    {
      name: 'keeps the step invariants (players, legal actions, chance, tensors, rewards, bounds)',
      run: forEachGame((g) => {
        fc.assert(
          fc.property(trajectory, ([seed, choices]) => {
            let rewardSum = new Array<number>(g.numPlayers).fill(0);
            const final = simulate(g, seed, choices, (state, step) => {
              const players = g.currentPlayers(state);
              const terminal = g.isTerminal(state);
              ensure(terminal === (players.length === 0), 'terminal iff no current players');
              if (step > 0) rewardSum = rewardSum.map((r, i) => r + (g.rewards(state)[i] ?? Number.NaN));
              const returns = g.returns(state);
              ensure(returns.length === g.numPlayers, 'returns has one entry per seat');
              returns.forEach((r, i) => ensure(Math.abs(r - (rewardSum[i] ?? 0)) < EPS, `summed rewards ${rewardSum} != returns ${returns}`));
              if (players[0] === CHANCE) {
                ensure(spec.chance, 'chance node in a game that declares no chance');
                const outcomes = g.chanceOutcomes(state);
                ensure(Math.abs(sum(outcomes.map((o) => o.probability)) - 1) < EPS, 'chance probabilities do not sum to 1');
                ensure(outcomes.every((o) => o.probability > 0), 'chance outcome with probability <= 0');
                const drawn = g.sampleChance(state);
                ensure(outcomes.some((o) => JSON.stringify(o.action) === JSON.stringify(drawn)), 'sampled chance outcome not listed');
                ensure(JSON.stringify(g.sampleChance(state)) === JSON.stringify(drawn), 'sampleChance is not a function of the state');
              } else if (!terminal) {
                if (spec.dynamics === 'sequential') ensure(players.length === 1, 'sequential game with several players to act');
                ensure(g.chanceOutcomes(state).length === 0, 'chance outcomes at a decision node');
                for (const seat of players) {
                  const legal = g.legalActions(state, seat);
                  ensure(legal.length > 0, `seat ${seat} must act but has no legal action`);
                  if (g.actionSpace.kind === 'discrete') {
                    const n = g.actionSpace.n;
                    ensure(legal.every((a, i) => Number.isInteger(a) && (a as number) >= 0 && (a as number) < n && (i === 0 || (a as number) > (legal[i - 1] as number))), 'discrete legal actions must be ascending ids in [0, n)');
                  }
                }
              }
              for (let seat = 0; seat < g.numPlayers; seat++) {
                if (!players.includes(seat)) ensure(g.legalActions(state, seat).length === 0, `seat ${seat} is not to act but has legal actions`);
                const tensor = g.observationTensor(state, seat);
                ensure(tensor instanceof Float32Array && tensor.length === product(g.observationShape), 'observation tensor has the wrong size');
                ensure(tensor.every(Number.isFinite), 'observation tensor is not finite');
                ensure(typeof g.observationText(state, seat) === 'string', 'observation text is not a string');
                if (!terminal && players.includes(seat)) ensure(typeof g.informationState(state, seat) === 'string', 'information state');
              }
              JSON.stringify(g.render(state, null));
            });
            const returns = g.returns(final);
            returns.forEach((r) => ensure(r >= g.minUtility - EPS && r <= g.maxUtility + EPS, `return ${r} outside utility bounds`));
            if (spec.utility === 'zero-sum') ensure(Math.abs(sum(returns)) < EPS, `zero-sum returns sum to ${sum(returns)}`);
            if (spec.utility === 'cooperative') ensure(returns.every((r) => Math.abs(r - (returns[0] ?? 0)) < EPS), 'cooperative returns differ');
          }),
          fcParams,
        );
      }),
    },
    {
      name: 'never mutates its input, rejects illegal actions with a typed error and keeps the state',
      run: forEachGame((g) => {
        fc.assert(
          fc.property(trajectory, ([seed, choices]) => {
            let prev: unknown = null;
            const final = simulate(g, seed, choices, (state) => {
              deepFreeze(state); // apply on a frozen state would throw in strict mode if it mutated
              const players = g.currentPlayers(state);
              if (players.length === 0 || players[0] === CHANCE) return;
              const before = g.serialize(state);
              const seat = players[0] as Seat;
              for (const bad of illegalCandidates(g, g.legalActions(state, seat))) {
                const joint = players.map((s) => (s === seat ? bad : g.legalActions(state, s)[0]));
                const r = g.apply(state, joint as Action[]);
                ensure(r instanceof ArenaError, `illegal action ${JSON.stringify(bad)} accepted`);
                ensure(['action/illegal', 'action/malformed'].includes(r.code), `illegal action gave code ${r.code}`);
              }
              const wrongArity = g.apply(state, []);
              ensure(wrongArity instanceof ArenaError, 'apply with no actions accepted');
              ensure(g.serialize(state) === before, 'state changed after rejected actions');
              prev = state;
            });
            ensure(prev !== null || g.isTerminal(final), 'no decision visited');
            const over = g.apply(final, [0]);
            ensure(over instanceof ArenaError && over.code === 'match/over', 'apply after the end must give match/over');
          }),
          fcParams,
        );
      }),
    },
    {
      name: 'serializes and deserializes to an equal state',
      run: forEachGame((g) => {
        fc.assert(
          fc.property(trajectory, ([seed, choices]) => {
            simulate(g, seed, choices, (state) => {
              const text = g.serialize(state);
              const copy = g.deserialize(text);
              ensure(g.serialize(copy) === text, 'serialize(deserialize(x)) != x');
              ensure(JSON.stringify(g.currentPlayers(copy)) === JSON.stringify(g.currentPlayers(state)), 'players differ after round trip');
              ensure(JSON.stringify(g.returns(copy)) === JSON.stringify(g.returns(state)), 'returns differ after round trip');
              for (let seat = 0; seat < g.numPlayers; seat++) {
                ensure(JSON.stringify(g.legalActions(copy, seat)) === JSON.stringify(g.legalActions(state, seat)), 'legal actions differ after round trip');
                ensure(g.observationText(copy, seat) === g.observationText(state, seat), 'observation differs after round trip');
              }
            });
          }),
          fcParams,
        );
        for (const garbage of ['', 'not json', '{}', '[1,2', 'null', '{"x":1}']) {
          let threw: unknown = null;
          try {
            g.deserialize(garbage);
          } catch (e) {
            threw = e;
          }
          ensure(threw instanceof ArenaError && threw.code === 'env/bad-serialization', `deserialize(${JSON.stringify(garbage)}) must throw env/bad-serialization`);
        }
      }),
    },
    {
      name: 'a seat sees nothing beyond its information state',
      run: forEachGame((g) => {
        // Everything a seat is shown must be a function of its information state (and of who is to act, which
        // is public: OpenSpiel's keys are the same at a chance node and at the seat's next decision). Two states
        // with the same key must give that seat the same observation, tensor, legal actions and view. Terminal
        // states are exempt: showdowns reveal cards by the rules.
        const seen = new Map<string, string>();
        fc.assert(
          fc.property(trajectory, ([seed, choices]) => {
            simulate(g, seed, choices, (state) => {
              if (g.isTerminal(state)) return;
              for (let seat = 0; seat < g.numPlayers; seat++) {
                // Nothing is hidden in a perfect-information game: every viewer gets the spectator's render (the
                // server builds one view per step for all of them).
                if (g.spec.perfectInformation) ensure(JSON.stringify(g.render(state, seat)) === JSON.stringify(g.render(state, null)), `seat ${seat}'s render differs from the public one in a perfect-information game`);
                const key = `${seat}|${g.currentPlayers(state).join(',')}|${g.informationState(state, seat)}`;
                const shown = JSON.stringify([
                  g.observationText(state, seat),
                  Array.from(g.observationTensor(state, seat)),
                  g.legalActions(state, seat),
                  g.render(state, seat),
                ]);
                // Hashes keep memory flat for long games (hundreds of thousands of distinct states).
                const hashed = digest(shown);
                const keyHash = digest(key);
                const before = seen.get(keyHash);
                if (before === undefined) seen.set(keyHash, hashed);
                else ensure(before === hashed, `seat ${seat} is shown different things at information state ${key}`);
              }
            });
          }),
          { ...fcParams, numRuns: runs * 3 },
        );
      }),
    },
    ...textActionChecks(module, options),
  ];
}

/**
 * Checks for games whose actions are text (`actionSpace.kind === 'text'`; none for other games): at every
 * decision of random games, each legal action is a string within maxLength that `actionToString` prints and
 * `parseAction` reads back to itself, and `apply` refuses text longer than maxLength with action/malformed,
 * leaving the state unchanged. (The engine checks the length too, but `apply` is the last word.)
 */
export function textActionChecks(module: AnyModule, options: CheckOptions = {}): ConformanceCheck[] {
  const runs = options.runs ?? 100;
  const fcParams = { numRuns: runs, ...(options.seed !== undefined ? { seed: options.seed } : {}) };
  const games = (options.params ?? [{}])
    .map((p) => module.create(module.spec.params.parse(p)) as AnyGame)
    .filter((g) => g.actionSpace.kind === 'text');
  if (games.length === 0) return [];
  const trajectory = fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.array(fc.nat(), { maxLength: 64 }));
  return [
    {
      name: 'text actions print, parse back and fit; over-long text is malformed',
      run: () =>
        games.forEach((g) => {
          const maxLength = g.actionSpace.kind === 'text' ? g.actionSpace.maxLength : 0;
          fc.assert(
            fc.property(trajectory, ([seed, choices]) => {
              simulate(g, seed, choices, (state) => {
                const players = g.currentPlayers(state);
                if (players.length === 0 || players[0] === CHANCE) return;
                const before = g.serialize(state);
                for (const seat of players) {
                  for (const a of g.legalActions(state, seat)) {
                    ensure(typeof a === 'string' && a.length <= maxLength, `legal action ${JSON.stringify(a)} is not a string within ${maxLength}`);
                    const back = g.parseAction(state, seat, g.actionToString(seat, a));
                    ensure(back === a, `parseAction(actionToString(${JSON.stringify(a)})) gave ${JSON.stringify(back)}`);
                  }
                }
                const long = g.apply(state, players.map(() => 'x'.repeat(maxLength + 1)));
                ensure(long instanceof ArenaError && long.code === 'action/malformed', 'text longer than maxLength must be action/malformed');
                ensure(g.serialize(state) === before, 'state changed after a rejected text action');
              });
            }),
            fcParams,
          );
        }),
    },
  ];
}

/** Runs every conformance check; throws the first failure. */
export function checkGame(module: AnyModule, options: CheckOptions = {}): void {
  for (const check of conformanceChecks(module, options)) {
    try {
      check.run();
    } catch (error) {
      throw new Error(`${module.spec.id}: ${check.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
