/**
 * runMatch: the one match loop. Local policies, remote connections and people in browsers are all seats that
 * answer `act`. The loop asks the seats that must act, enforces the per-decision time limit, applies the
 * invalid-action policy, samples chance from the state's seeded generator, steps realtime games tick by tick,
 * emits events, and returns a MatchRecord. The server's rooms, the CLI, league workers and benchmarks all use it.
 */
import type { Agent } from '../agents/agent';
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type Action, type AnyGame, type Seat } from '../environments/core/game';
import { applyOrThrow } from '../environments/core/helpers';
import { checkAction, defaultAction, sameAction } from './actions';
import { forfeitReturns } from './outcome';
import { newMatchId } from './match-id';
import { RECORD_VERSION, stateHash, type EndReason, type MatchRecord, type RecordedAction, type SeatInfo } from './record';
import { decide, LazySeatView, type Decision } from './view';

export type TimeoutPolicy = 'default-action' | 'forfeit';
export type InvalidPolicy = 'retry' | 'default-action' | 'forfeit';

export interface MatchSeat {
  readonly agent: Agent;
  /** Identity for the record; the name defaults to the agent's name. */
  readonly info?: Partial<SeatInfo>;
}

export interface MatchLimits {
  /** Per-decision time limit in ms; undefined = none. Realtime games with wallClock use the tick period. */
  readonly decisionMs?: number;
  /**
   * Time bank per seat in ms (chess-style increment reserve): a decision may overrun `decisionMs` by what is
   * left in the seat's bank, and the overrun is taken from it. Needs decisionMs.
   */
  readonly bankMs?: number;
  /** What a timeout costs: the first legal action, or the match (default 'forfeit'). */
  readonly onTimeout?: TimeoutPolicy;
  /** Invalid action: ask again (up to maxRetries, then forfeit), play the default action, or forfeit. */
  readonly onInvalid?: InvalidPolicy;
  /** Retries allowed per decision under onInvalid 'retry' (default 3). */
  readonly maxRetries?: number;
  /** Safety cap on steps (default: the game's maxLength). Reaching it ends the match with 'max-steps'. */
  readonly maxSteps?: number;
  /** Realtime games: step at the game's tick rate in wall-clock time; a late seat keeps its last action. */
  readonly wallClock?: boolean;
}

export interface StepEvent {
  readonly step: number;
  readonly actions: readonly { readonly seat: Seat; readonly action: Action }[];
  /** The state after the step (listeners must not mutate it). */
  readonly state: unknown;
}

export interface MatchListener {
  onStart?(e: { readonly id: string; readonly state: unknown }): void;
  onStep?(e: StepEvent): void;
  onInvalid?(e: { readonly step: number; readonly seat: Seat; readonly error: ArenaError }): void;
  onTimeout?(e: { readonly step: number; readonly seat: Seat }): void;
}

export interface MatchOptions extends MatchLimits {
  readonly id?: string;
  readonly listener?: MatchListener;
  /** Aborting ends the match at the next step with endReason 'aborted'. */
  readonly signal?: AbortSignal;
}

type SeatOutcome = { readonly action: Action; readonly ms: number } | { readonly forfeit: string } | { readonly aborted: true };

/**
 * Waits for decisions, or 'aborted' as soon as `signal` fires (an unanswered seat cannot hold a stop). One abort
 * listener per match wakes every decision then pending: an EventTarget listener added and removed per decision was
 * a measurable share of a busy server's time.
 */
class AbortableWait {
  private readonly waiting = new Set<(v: 'aborted') => void>();
  private readonly onAbort = (): void => {
    for (const wake of this.waiting) wake('aborted');
    this.waiting.clear();
  };

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  until(pending: Promise<Decision>): Promise<Decision | 'aborted'> {
    if (!this.signal) return pending;
    if (this.signal.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      this.waiting.add(resolve);
      void pending.then((d) => {
        this.waiting.delete(resolve);
        resolve(d);
      });
    });
  }

  /** The match is over: the (possibly long-lived) signal keeps no listener of it. */
  close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runMatch(
  game: AnyGame,
  seed: number,
  seats: readonly MatchSeat[],
  options: MatchOptions = {},
): Promise<MatchRecord> {
  if (seats.length !== game.numPlayers) {
    throw new ArenaError('agent/invalid-spec', `${game.spec.id} needs ${game.numPlayers} seats, got ${seats.length}`);
  }
  const id = options.id ?? newMatchId();
  const onTimeout = options.onTimeout ?? 'forfeit';
  const onInvalid = options.onInvalid ?? 'forfeit';
  const maxRetries = options.maxRetries ?? 3;
  const maxSteps = options.maxSteps ?? game.maxLength;
  const realtime = game.spec.dynamics === 'realtime';
  const tickMs = realtime ? 1000 / (game.spec.tickHz ?? 60) : 0;
  const wallClock = realtime && options.wallClock === true;
  const listener = options.listener;
  const startedAt = new Date().toISOString();
  const recorded: RecordedAction[] = [];
  const latest: (Action | undefined)[] = new Array(game.numPlayers).fill(undefined);
  const bank: number[] = new Array(game.numPlayers).fill(options.bankMs ?? 0);

  let state = game.init(seed);
  let step = 0;
  let endReason: EndReason = 'terminal';
  let forfeit: { seat: Seat; reason: string } | undefined;
  listener?.onStart?.({ id, state });
  const aborts = new AbortableWait(options.signal);

  /** One seat's decision with the timeout and invalid-action policies applied. */
  const resolveSeat = async (seat: Seat): Promise<SeatOutcome> => {
    const base = wallClock ? tickMs : options.decisionMs;
    for (let attempt = 0; ; attempt++) {
      const limit = base === undefined || wallClock ? base : base + bank[seat]!;
      const view = new LazySeatView(game, state, seat, step, limit);
      const pending = decide(seats[seat]!.agent, view, limit);
      const d = pending instanceof Promise ? await aborts.until(pending) : pending;
      if (d === 'aborted') return { aborted: true };
      if (base !== undefined && !wallClock && d.ms > base) bank[seat] = Math.max(0, bank[seat]! - (d.ms - base));
      if (d.kind === 'timeout') {
        listener?.onTimeout?.({ step, seat });
        if (wallClock) return { action: latest[seat] ?? defaultAction(game, state, seat), ms: d.ms };
        if (onTimeout === 'forfeit') return { forfeit: 'timeout' };
        return { action: defaultAction(game, state, seat), ms: d.ms };
      }
      if (d.kind === 'error') return { forfeit: `agent error: ${errorText(d.error)}` };
      const problem = checkAction(game, state, seat, d.action);
      if (problem === null) return { action: d.action, ms: d.ms };
      listener?.onInvalid?.({ step, seat, error: problem });
      if (onInvalid === 'default-action') return { action: defaultAction(game, state, seat), ms: d.ms };
      if (onInvalid === 'forfeit' || attempt >= maxRetries) return { forfeit: `invalid action: ${problem.message}` };
    }
  };

  try {
    while (!game.isTerminal(state)) {
      if (options.signal?.aborted) {
        endReason = 'aborted';
        break;
      }
      if (step >= maxSteps) {
        endReason = 'max-steps';
        break;
      }
      const players = game.currentPlayers(state);
      if (players[0] === CHANCE) {
        const action = game.sampleChance(state);
        state = applyOrThrow(game, state, [action]);
        recorded.push({ step, seat: CHANCE, action, ms: 0 });
        listener?.onStep?.({ step, actions: [{ seat: CHANCE, action }], state });
        step++;
        continue;
      }
      const tickStart = wallClock ? performance.now() : 0;
      const outcomes: SeatOutcome[] =
        players.length === 1 ? [await resolveSeat(players[0]!)] : await Promise.all(players.map(resolveSeat));
      if (outcomes.some((o) => 'aborted' in o)) {
        endReason = 'aborted';
        break;
      }
      const lost = outcomes.findIndex((o) => 'forfeit' in o);
      if (lost >= 0) {
        endReason = 'forfeit';
        forfeit = { seat: players[lost]!, reason: (outcomes[lost] as { forfeit: string }).forfeit };
        break;
      }
      const chosen = outcomes.map((o) => (o as { action: Action }).action);
      const next = game.apply(state, chosen);
      if (next instanceof ArenaError) {
        // The structural check passed but the rules refused (a game-specific rule for text or vector actions).
        endReason = 'forfeit';
        forfeit = { seat: players[0]!, reason: `invalid action: ${next.message}` };
        break;
      }
      players.forEach((seat, i) => {
        const action = chosen[i]!;
        const prev = latest[seat];
        if (!realtime || prev === undefined || !sameAction(prev, action)) {
          recorded.push({ step, seat, action, ms: round3((outcomes[i] as { ms: number }).ms) });
        }
        latest[seat] = action;
      });
      state = next;
      listener?.onStep?.({ step, actions: players.map((seat, i) => ({ seat, action: chosen[i]! })), state });
      step++;
      if (wallClock) {
        const wait = tickMs - (performance.now() - tickStart);
        if (wait > 0) await sleep(wait);
      }
    }
  } finally {
    aborts.close();
  }

  const returns = forfeit ? forfeitReturns(game, state, forfeit.seat) : [...game.returns(state)];
  return {
    recordVersion: RECORD_VERSION,
    id,
    game: { id: game.spec.id, version: game.spec.version, params: { ...game.params } },
    seed,
    seats: seats.map((s) => ({ ...s.info, name: s.info?.name ?? s.agent.name })),
    actions: recorded,
    steps: step,
    endReason,
    ...(forfeit ? { forfeit } : {}),
    returns,
    finalStateHash: stateHash(game.serialize(state)),
    startedAt,
    endedAt: new Date().toISOString(),
  };
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
