/** Lazy per-seat views: observations are computed only when an agent reads them. */
import type { Agent, SeatView } from '../agents/agent';
import type { Action, AnyGame, Seat } from '../environments/core/game';

export class LazySeatView implements SeatView<unknown, Action> {
  private _legal: readonly Action[] | undefined;
  private _info: string | undefined;
  private _text: string | undefined;
  private _tensor: Float32Array | undefined;

  constructor(
    readonly game: AnyGame,
    private readonly current: unknown,
    readonly seat: Seat,
    readonly step: number,
    readonly timeLimitMs: number | undefined,
  ) {}

  get state(): unknown {
    return this.game.spec.perfectInformation ? this.current : undefined;
  }
  get legalActions(): readonly Action[] {
    return (this._legal ??= this.game.legalActions(this.current, this.seat));
  }
  get informationState(): string {
    return (this._info ??= this.game.informationState(this.current, this.seat));
  }
  get observationText(): string {
    return (this._text ??= this.game.observationText(this.current, this.seat));
  }
  get observationTensor(): Float32Array {
    return (this._tensor ??= this.game.observationTensor(this.current, this.seat));
  }
}

export type Decision =
  | { readonly kind: 'action'; readonly action: Action; readonly ms: number }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'error'; readonly error: unknown; readonly ms: number };

function isThenable(v: unknown): v is PromiseLike<Action> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Asks an agent for an action under a time limit. Synchronous agents are not interrupted (they cannot be) but
 * are judged by the time they took, so the rule is the same for every kind of seat.
 */
export function decide(agent: Agent, view: SeatView, limitMs: number | undefined): Decision | Promise<Decision> {
  const t0 = performance.now();
  let result: Action | PromiseLike<Action>;
  try {
    result = agent.act(view);
  } catch (error) {
    return { kind: 'error', error, ms: performance.now() - t0 };
  }
  if (!isThenable(result)) {
    const ms = performance.now() - t0;
    return limitMs !== undefined && ms > limitMs ? { kind: 'timeout', ms } : { kind: 'action', action: result, ms };
  }
  return new Promise<Decision>((resolve) => {
    let settled = false;
    const timer =
      limitMs === undefined
        ? undefined
        : setTimeout(() => {
            settled = true;
            resolve({ kind: 'timeout', ms: performance.now() - t0 });
          }, limitMs);
    result.then(
      (action) => {
        if (settled) return;
        clearTimeout(timer);
        resolve({ kind: 'action', action, ms: performance.now() - t0 });
      },
      (error: unknown) => {
        if (settled) return;
        clearTimeout(timer);
        resolve({ kind: 'error', error, ms: performance.now() - t0 });
      },
    );
  });
}
