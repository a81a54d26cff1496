/**
 * Runs a local agent (alpha-beta, MCTS, a policy file) as a remote seat: turns from the server become the same
 * SeatView the engine gives local agents. Perfect-information turns carry the serialized state.
 */
import type { Agent, SeatView } from './agent';
import type { Action, AnyGame } from '../environments/core/game';
import type { Turn, TurnField } from '../client-sdk/src/protocol';

export function viewFromTurn(game: AnyGame, turn: Turn): SeatView {
  let tensor: Float32Array | undefined;
  return {
    game,
    seat: turn.seat,
    legalActions: turn.legalActions as readonly Action[],
    step: turn.step,
    state: turn.state !== undefined ? game.deserialize(turn.state) : undefined,
    get informationState() {
      return turn.informationState ?? missing('informationState');
    },
    get observationText() {
      return turn.observationText ?? missing('observationText');
    },
    get observationTensor() {
      return (tensor ??= Float32Array.from(turn.observationTensor ?? missing('observationTensor')));
    },
    timeLimitMs: turn.timeLimitMs,
  };
}

/** An agent read a field its turns do not carry: the queue request's `observe` left it out. */
function missing(field: TurnField): never {
  throw new Error(`this turn has no ${field}: queue with observe including '${field}' (or leave observe out for all fields)`);
}

/** A policy for ArenaClient.play that asks `agent`. */
export function agentPolicy(game: AnyGame, agent: Agent): (turn: Turn) => Promise<Action> {
  return async (turn) => agent.act(viewFromTurn(game, turn));
}
