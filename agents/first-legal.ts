/** Always the first legal action (the lowest id): a deterministic baseline, OpenSpiel's "first action" policy. */
import type { Agent, SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';
import type { Action } from '../environments/core/game';

export class FirstLegalAgent<A extends Action = number> implements Agent<A> {
  readonly name = 'first-legal';

  act(view: SeatView<unknown, A>): A {
    const legal = view.legalActions;
    if (legal.length === 0) throw new ArenaError('agent/unsupported-game', 'first-legal: no legal action');
    return legal[0] as A;
  }
}
