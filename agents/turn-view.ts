/**
 * Runs a local agent (alpha-beta, MCTS, a policy file) as a remote seat: turns from the server become the same
 * SeatView the engine gives local agents. Perfect-information turns carry the serialized state.
 */
import type { Agent, SeatView } from './agent';
import type { Action, AnyGame } from '../environments/core/game';
import type { Turn } from '../client-sdk/src/protocol';

export function viewFromTurn(game: AnyGame, turn: Turn): SeatView {
  return {
    game,
    seat: turn.seat,
    legalActions: turn.legalActions as readonly Action[],
    step: turn.step,
    state: turn.state !== undefined ? game.deserialize(turn.state) : undefined,
    informationState: turn.informationState,
    observationText: turn.observationText,
    observationTensor: Float32Array.from(turn.observationTensor),
    timeLimitMs: turn.timeLimitMs,
  };
}

/** A policy for ArenaClient.play that asks `agent`. */
export function agentPolicy(game: AnyGame, agent: Agent): (turn: Turn) => Promise<Action> {
  return async (turn) => agent.act(viewFromTurn(game, turn));
}
