/**
 * A deliberately simple, independent oracle for tests: expected returns, best-response values and NashConv of a
 * policy in any two-player sequential game, computed by walking the whole game tree through the public `Game`
 * interface only. It shares no code with the agents and solvers it is used to check, so keep it that way. It
 * visits every history (no pruning, no sampling), so it is meant for small games such as Kuhn and Leduc poker.
 */
import { CHANCE, type Game } from '../../environments/core/game';
import { applyOrThrow } from '../../environments/core/helpers';

/** Probabilities aligned with `legal` at the information state `infoState` (both seats play the same policy). */
export type ReferencePolicy = (infoState: string, legal: readonly number[]) => number[];

function assertTwoPlayers(game: { readonly numPlayers: number }): void {
  if (game.numPlayers !== 2) throw new Error(`reference NashConv: needs 2 players, not ${game.numPlayers}`);
}

/** Expected returns of both seats from `game.init(0)` when both play `policy`. */
export function referenceExpectedReturns<S>(game: Game<S, number>, policy: ReferencePolicy): [number, number] {
  assertTwoPlayers(game);
  const visit = (state: S): [number, number] => {
    if (game.isTerminal(state)) return [game.returns(state)[0] as number, game.returns(state)[1] as number];
    const [p] = game.currentPlayers(state) as [number];
    const v: [number, number] = [0, 0];
    const add = (pr: number, a: number): void => {
      if (pr === 0) return;
      const c = visit(applyOrThrow(game, state, [a]));
      v[0] += pr * c[0];
      v[1] += pr * c[1];
    };
    if (p === CHANCE) for (const o of game.chanceOutcomes(state)) add(o.probability, o.action);
    else {
      const legal = game.legalActions(state, p);
      const probs = policy(game.informationState(state, p), legal);
      legal.forEach((a, i) => add(probs[i] as number, a));
    }
    return v;
  };
  return visit(game.init(0));
}

/**
 * Value for seat `br` of its best response to the other seat playing `policy`. The response is chosen per
 * information set: the histories of an information set are weighted by their reach through chance and the
 * opponent. Values of states are memoised by their serialization.
 */
export function referenceBestResponseValue<S>(game: Game<S, number>, policy: ReferencePolicy, br: number): number {
  assertTwoPlayers(game);
  // Group br's decision histories by information state, with their reach by chance and the opponent.
  const groups = new Map<string, { state: S; reach: number }[]>();
  const collect = (state: S, reach: number): void => {
    if (game.isTerminal(state)) return;
    const [p] = game.currentPlayers(state) as [number];
    if (p === CHANCE) {
      for (const o of game.chanceOutcomes(state)) collect(applyOrThrow(game, state, [o.action]), reach * o.probability);
      return;
    }
    const legal = game.legalActions(state, p);
    if (p === br) {
      const key = game.informationState(state, p);
      const list = groups.get(key) ?? [];
      list.push({ state, reach });
      groups.set(key, list);
      for (const a of legal) collect(applyOrThrow(game, state, [a]), reach);
    } else {
      const probs = policy(game.informationState(state, p), legal);
      legal.forEach((a, i) => collect(applyOrThrow(game, state, [a]), reach * (probs[i] as number)));
    }
  };
  collect(game.init(0), 1);
  const best = new Map<string, number>();
  const memo = new Map<string, number>();
  const value = (state: S): number => {
    const key = game.serialize(state);
    const known = memo.get(key);
    if (known !== undefined) return known;
    let v = 0;
    if (game.isTerminal(state)) v = game.returns(state)[br] as number;
    else {
      const [p] = game.currentPlayers(state) as [number];
      if (p === CHANCE) {
        for (const o of game.chanceOutcomes(state)) v += o.probability * value(applyOrThrow(game, state, [o.action]));
      } else if (p === br) {
        const legal = game.legalActions(state, p);
        v = value(applyOrThrow(game, state, [bestAction(game.informationState(state, p), legal)]));
      } else {
        const legal = game.legalActions(state, p);
        const probs = policy(game.informationState(state, p), legal);
        legal.forEach((a, i) => {
          const pr = probs[i] as number;
          if (pr > 0) v += pr * value(applyOrThrow(game, state, [a]));
        });
      }
    }
    memo.set(key, v);
    return v;
  };
  const bestAction = (key: string, legal: readonly number[]): number => {
    const known = best.get(key);
    if (known !== undefined) return known;
    let bestA = legal[0] as number;
    let bestV = -Infinity;
    for (const a of legal) {
      let v = 0;
      for (const h of groups.get(key) ?? []) v += h.reach * value(applyOrThrow(game, h.state, [a]));
      if (v > bestV + 1e-12) {
        bestV = v;
        bestA = a;
      }
    }
    best.set(key, bestA);
    return bestA;
  };
  return value(game.init(0));
}

/** NashConv of `policy`: the sum over both seats of (best-response value - on-policy value). */
export function referenceNashConv<S>(game: Game<S, number>, policy: ReferencePolicy): number {
  const onPolicy = referenceExpectedReturns(game, policy);
  return (
    referenceBestResponseValue(game, policy, 0) -
    onPolicy[0] +
    referenceBestResponseValue(game, policy, 1) -
    onPolicy[1]
  );
}
