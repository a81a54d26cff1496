/**
 * Replays a MatchRecord through the rules and checks that it reproduces the recorded match exactly: chance
 * outcomes equal what the seeded generator draws, every action is legal, and the final state hash and returns
 * match. The learner rebuilds trajectories this way; `arena replay` reports any mismatch.
 */
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type Action, type AnyGame } from '../environments/core/game';
import { loadGame } from '../environments/registry';
import { sameAction } from './actions';
import { forfeitReturns } from './outcome';
import { stateHash, type MatchRecord, type RecordedAction } from './record';

export interface ReplayStep {
  readonly step: number;
  /** State before the step. */
  readonly before: unknown;
  readonly actions: readonly { readonly seat: number; readonly action: Action }[];
  /** State after the step. */
  readonly after: unknown;
}

export interface ReplayResult {
  readonly game: AnyGame;
  readonly finalState: unknown;
  readonly returns: readonly number[];
}

const mismatch = (record: MatchRecord, why: string): ArenaError =>
  new ArenaError('record/mismatch', `record ${record.id}: ${why}`);

export interface ReplayOptions {
  /** Called after every step with the states before and after. */
  readonly onStep?: (s: ReplayStep) => void;
  /** The rules to replay with (default: the registry's game named in the record, with its params). */
  readonly game?: AnyGame;
}

/** Replays `record`; throws ArenaError('record/mismatch') at the first divergence. */
export function replay(record: MatchRecord, options: ReplayOptions = {}): ReplayResult {
  const { onStep } = options;
  const game = options.game ?? loadGame(record.game.id, record.game.params);
  if (game.spec.id !== record.game.id) throw mismatch(record, `record is for ${record.game.id}, not ${game.spec.id}`);
  if (game.spec.version !== record.game.version) {
    throw mismatch(record, `game ${game.spec.id} is version ${game.spec.version}, record has ${record.game.version}`);
  }
  const bySteps = groupBySteps(record.actions);
  const latest: (Action | undefined)[] = new Array(game.numPlayers).fill(undefined);
  let state = game.init(record.seed);
  for (let step = 0; step < record.steps; step++) {
    if (game.isTerminal(state)) throw mismatch(record, `game ended before step ${step}`);
    const entries = bySteps.get(step) ?? [];
    const players = game.currentPlayers(state);
    const actions: { seat: number; action: Action }[] = [];
    if (players[0] === CHANCE) {
      const entry = entries[0];
      if (!entry || entry.seat !== CHANCE) throw mismatch(record, `step ${step}: expected a chance outcome`);
      const drawn = game.sampleChance(state);
      if (!sameAction(drawn, entry.action)) {
        throw mismatch(record, `step ${step}: seed draws ${JSON.stringify(drawn)}, record has ${JSON.stringify(entry.action)}`);
      }
      actions.push({ seat: CHANCE, action: entry.action });
    } else {
      for (const seat of players) {
        const action = entries.find((e) => e.seat === seat)?.action ?? (game.spec.dynamics === 'realtime' ? latest[seat] : undefined);
        if (action === undefined) throw mismatch(record, `step ${step}: no action for seat ${seat}`);
        actions.push({ seat, action });
        latest[seat] = action;
      }
      const extra = entries.find((e) => !players.includes(e.seat));
      if (extra) throw mismatch(record, `step ${step}: seat ${extra.seat} acted out of turn`);
    }
    const next = game.apply(
      state,
      actions.map((a) => a.action),
    );
    if (next instanceof ArenaError) throw mismatch(record, `step ${step}: ${next.message}`);
    onStep?.({ step, before: state, actions, after: next });
    state = next;
  }
  const hash = stateHash(game.serialize(state));
  if (hash !== record.finalStateHash) throw mismatch(record, 'final state differs from the recorded hash');
  const expected = record.forfeit ? forfeitReturns(game, state, record.forfeit.seat) : game.returns(state);
  if (record.endReason === 'terminal' && !game.isTerminal(state)) throw mismatch(record, 'record says terminal, state is not');
  if (expected.length !== record.returns.length || expected.some((r, i) => Math.abs(r - record.returns[i]!) > 1e-9)) {
    throw mismatch(record, `returns ${JSON.stringify(expected)} differ from recorded ${JSON.stringify(record.returns)}`);
  }
  return { game, finalState: state, returns: expected };
}

function groupBySteps(actions: readonly RecordedAction[]): Map<number, RecordedAction[]> {
  const map = new Map<number, RecordedAction[]>();
  for (const a of actions) {
    const list = map.get(a.step);
    if (list) list.push(a);
    else map.set(a.step, [a]);
  }
  return map;
}
