/** Always the first legal action (the lowest id): a deterministic baseline, OpenSpiel's "first action" policy. */
import type { Agent, SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';

export class FirstLegalAgent implements Agent<number> {
  readonly name = 'first-legal';

  act(view: SeatView<unknown, number>): number {
    const legal = view.legalActions;
    if (legal.length === 0) throw new ArenaError('agent/unsupported-game', 'first-legal: no legal action');
    return legal[0] as number;
  }
}
