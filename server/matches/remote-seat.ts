/**
 * A seat filled over the network: an Agent whose `act` announces the decision to the seat's connection and
 * resolves when a matching action message arrives. The engine's time limits and invalid-action rules apply to it
 * like to any agent; this class only routes messages and remembers the pending decision across reconnects.
 */
import type { Agent, SeatView } from '../../agents/agent';
import type { Action } from '../../environments/core/game';
import { TURN_FIELDS, type Turn, type TurnField, type WireError } from '../../client-sdk/src/protocol';

export type DisconnectPolicy = 'forfeit' | 'default-action';

const ALL_FIELDS: ReadonlySet<TurnField> = new Set(TURN_FIELDS);

interface Pending {
  readonly turn: Turn;
  readonly view: SeatView;
  readonly resolve: (a: Action) => void;
  readonly reject: (e: Error) => void;
}

export class RemoteSeat implements Agent {
  private pending: Pending | null = null;
  /** Set once the seat is gone for good (resigned, or the reconnection window ran out). */
  private gone: { reason: string; policy: DisconnectPolicy } | null = null;

  constructor(
    readonly name: string,
    readonly seat: number,
    /** Delivers a turn to the seat's current connection (no-op while disconnected). */
    private readonly deliver: (turn: Turn) => void,
    /** The observation fields this seat's turns carry (computed only then). */
    private readonly observe: ReadonlySet<TurnField> = ALL_FIELDS,
  ) {}

  act(view: SeatView): Action | Promise<Action> {
    if (this.gone) {
      if (this.gone.policy === 'default-action') return defaultFromView(view);
      throw new Error(this.gone.reason);
    }
    const game = view.game;
    const want = this.observe;
    // Built field by field (a turn is sent for every decision of a busy server; spreads allocate per field).
    const turn: { -readonly [K in keyof Turn]: Turn[K] } = { step: view.step, seat: this.seat, legalActions: view.legalActions };
    if (want.has('observationText')) turn.observationText = view.observationText;
    if (want.has('observationTensor')) turn.observationTensor = plainArray(view.observationTensor);
    if (want.has('informationState')) turn.informationState = view.informationState;
    if (want.has('state') && game.spec.perfectInformation && view.state !== undefined) turn.state = game.serialize(view.state);
    if (view.timeLimitMs !== undefined) turn.timeLimitMs = view.timeLimitMs;
    return new Promise<Action>((resolve, reject) => {
      this.pending = { turn, view, resolve, reject };
      this.deliver(turn);
    });
  }

  /** The turn the seat owes an answer to (re-sent after a reconnect). */
  currentTurn(): Turn | null {
    return this.pending?.turn ?? null;
  }

  /** An action message from this seat's connection; a WireError if it does not answer the pending turn. */
  submit(step: number, action: Action): WireError | null {
    const p = this.pending;
    if (!p) return { code: 'action/not-your-turn', message: 'no decision is pending for your seat' };
    if (step !== p.turn.step) {
      return { code: 'action/stale', message: `step ${step} is not the pending decision (step ${p.turn.step})` };
    }
    this.pending = null;
    p.resolve(action);
    return null;
  }

  /** The engine gave up waiting for `step` (time limit): forget it so a late answer is refused. */
  expire(step: number): boolean {
    if (this.pending?.turn.step !== step) return false;
    this.pending = null;
    return true;
  }

  /** The seat leaves for good: the pending and every later decision fail (forfeit) or take the default action. */
  abandon(reason: string, policy: DisconnectPolicy): void {
    this.gone = { reason, policy };
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    if (policy === 'default-action') p.resolve(defaultFromView(p.view));
    else p.reject(new Error(reason));
  }
}

/** A typed array as a plain array (what JSON carries); a loop is several times faster than Array.from here. */
function plainArray(t: Float32Array): number[] {
  const out = new Array<number>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = t[i]!;
  return out;
}

function defaultFromView(view: SeatView): Action {
  const space = view.game.actionSpace;
  if (space.kind === 'box') return new Array<number>(space.shape.reduce((a, b) => a * b, 1)).fill(0);
  if (space.kind === 'multi-discrete') return new Array<number>(space.nvec.length).fill(0);
  return view.legalActions[0] ?? (space.kind === 'text' ? '' : 0);
}
