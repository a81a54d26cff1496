/**
 * The conformance checks must catch broken games: each case wraps a correct game with one defect and expects
 * the named check to fail.
 */
import { ArenaError } from '../../environments/core/errors';
import type { AnyGame, GameModule } from '../../environments/core/game';
import { conformanceChecks } from '../../environments/testing/check-game';
import { kuhnPoker } from '../../environments/zero-sum/kuhn-poker';
import { ticTacToe } from '../../environments/zero-sum/tic-tac-toe';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = GameModule<any, any, any>;

function broken(base: AnyModule, patch: (g: AnyGame) => Partial<AnyGame>): AnyModule {
  return {
    spec: base.spec,
    create(params) {
      const g = base.create(params) as AnyGame;
      return { ...g, ...patch(g) };
    },
  };
}

function failingChecks(module: AnyModule): string[] {
  return conformanceChecks(module, { runs: 60, seed: 1 })
    .filter((c) => {
      try {
        c.run();
        return false;
      } catch {
        return true;
      }
    })
    .map((c) => c.name);
}

describe('checkGame catches defects', () => {
  it('passes the unmodified games', () => {
    expect(failingChecks(kuhnPoker)).toEqual([]);
    expect(failingChecks(ticTacToe)).toEqual([]);
  });

  it('an observation that leaks the opponent card', () => {
    const leaky = broken(kuhnPoker, (g) => ({ observationText: (s: unknown) => g.serialize(s) }));
    expect(failingChecks(leaky)).toContain('a seat sees nothing beyond its information state');
  });

  it('an apply that mutates its input', () => {
    const mutating = broken(ticTacToe, (g) => ({
      apply: (s: unknown, a) => {
        (s as Record<string, unknown>).touched = true;
        return g.apply(s, a);
      },
    }));
    expect(failingChecks(mutating)).toContain('never mutates its input, rejects illegal actions with a typed error and keeps the state');
  });

  it('accepting an illegal action', () => {
    const lax = broken(ticTacToe, (g) => ({
      apply: (s: unknown, a) => {
        const r = g.apply(s, a);
        return r instanceof ArenaError && r.code === 'action/illegal' ? s : r;
      },
    }));
    expect(failingChecks(lax)).toContain('never mutates its input, rejects illegal actions with a typed error and keeps the state');
  });

  it('chance probabilities that do not sum to one', () => {
    const skewed = broken(kuhnPoker, (g) => ({
      chanceOutcomes: (s: unknown) => g.chanceOutcomes(s).map((o) => ({ ...o, probability: o.probability * 0.9 })),
    }));
    expect(failingChecks(skewed)).toContain('keeps the step invariants (players, legal actions, chance, tensors, rewards, bounds)');
  });

  it('randomness that does not come from the seed', () => {
    const noisy = broken(kuhnPoker, (g) => ({
      sampleChance: (s: unknown) => {
        const outcomes = g.chanceOutcomes(s);
        return outcomes[Math.floor(Math.random() * outcomes.length)]!.action;
      },
    }));
    expect(failingChecks(noisy)).toEqual(
      expect.arrayContaining(['replays deterministically from the seed', 'keeps the step invariants (players, legal actions, chance, tensors, rewards, bounds)']),
    );
  });

  it('returns that are not zero-sum, and a lossy serializer', () => {
    const unfair = broken(ticTacToe, (g) => ({ returns: (s: unknown) => g.returns(s).map((r) => (r > 0 ? r * 2 : r)) }));
    expect(failingChecks(unfair)).toContain('keeps the step invariants (players, legal actions, chance, tensors, rewards, bounds)');
    const lossy = broken(ticTacToe, (g) => ({ deserialize: () => g.init(0) }));
    expect(failingChecks(lossy)).toContain('serializes and deserializes to an equal state');
  });
});
