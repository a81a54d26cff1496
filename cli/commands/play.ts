import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { createAgent, splitAgentList } from '../../agents/registry';
import { ArenaError } from '../../environments/core/errors';
import { deriveSeed } from '../../environments/core/rng';
import { loadGame } from '../../environments/registry';
import { appendRecord } from '../../engine/jsonl';
import { runMatch, type InvalidPolicy, type TimeoutPolicy } from '../../engine/match';
import { seatOutcome } from '../../engine/outcome';
import { intOption, jsonOption, printJson } from '../options';

interface PlayOpts {
  game: string;
  agents: string;
  games: number;
  seed: number;
  swap: boolean;
  render?: boolean;
  out?: string;
  params?: Record<string, unknown>;
  decisionMs?: number;
  onTimeout: string;
  onInvalid: string;
  json?: boolean;
}

interface Tally {
  spec: string;
  wins: number;
  draws: number;
  losses: number;
  totalReturn: number;
}

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ArenaError('cli/usage', `--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

export function registerPlay(program: Command): void {
  program
    .command('play')
    .description('play matches between agents and print wins/draws/losses per agent')
    .requiredOption('--game <id>', 'game id (see `arena games`)')
    .requiredOption('--agents <specs>', 'one agent spec per seat, comma-separated: random, first-legal, alphabeta:depth=4, mcts:simulations=400, policy:FILE.json')
    .option('--games <n>', 'number of matches', intOption('games', 1, 10_000_000), 1)
    .option('--seed <s>', 'base seed; match i uses a seed derived from it', intOption('seed', 0, 2 ** 32 - 1), 0)
    .option('--no-swap', 'keep agents in their seats (default: rotate seats every match)')
    .option('--render', 'print the board after every step')
    .option('--out <file.jsonl>', 'write every match record (JSON Lines; replay with `arena replay`)')
    .option('--params <json>', 'game parameters as a JSON object', jsonOption('params'))
    .option('--decision-ms <ms>', 'time limit per decision', intOption('decision-ms', 1))
    .option('--on-timeout <policy>', 'forfeit | default-action', 'forfeit')
    .option('--on-invalid <policy>', 'forfeit | default-action | retry', 'forfeit')
    .option('--json', 'print {"game","games","seed","agents":[{"spec","wins","draws","losses","meanReturn"}]}')
    .action(async (opts: PlayOpts) => {
      const game = loadGame(opts.game, opts.params);
      const specs = splitAgentList(opts.agents);
      if (specs.length !== game.numPlayers) {
        throw new ArenaError('cli/usage', `${opts.game} needs ${game.numPlayers} agents, got ${specs.length} (${specs.join(', ')})`);
      }
      const onTimeout = choice<TimeoutPolicy>('on-timeout', opts.onTimeout, ['forfeit', 'default-action']);
      const onInvalid = choice<InvalidPolicy>('on-invalid', opts.onInvalid, ['forfeit', 'default-action', 'retry']);
      // Validate every spec once up front so a typo fails before any match starts.
      specs.forEach((spec, i) => createAgent(spec, { game, seed: i }));
      if (opts.out) writeFileSync(opts.out, '');
      const tallies: Tally[] = specs.map((spec) => ({ spec, wins: 0, draws: 0, losses: 0, totalReturn: 0 }));
      const bar = opts.render || opts.games < 2 ? null : new SingleBar({ format: 'play {bar} {value}/{total} matches | {duration_formatted}', stream: process.stderr, hideCursor: true });
      bar?.start(opts.games, 0);
      for (let m = 0; m < opts.games; m++) {
        const seed = deriveSeed(opts.seed, m);
        const shift = opts.swap ? m % specs.length : 0;
        // seat s is played by agent (s + shift) mod n
        const order = specs.map((_, s) => (s + shift) % specs.length);
        const seats = order.map((a, s) => ({
          agent: createAgent(specs[a]!, { game, seed: deriveSeed(seed, s + 1) }),
          info: { name: specs[a]! },
        }));
        if (opts.render) process.stdout.write(`\n=== match ${m + 1}: ${order.map((a, s) => `seat ${s}: ${specs[a]}`).join(', ')} (seed ${seed})\n${game.renderText(game.init(seed), null)}\n`);
        const record = await runMatch(game, seed, seats, {
          ...(opts.decisionMs !== undefined ? { decisionMs: opts.decisionMs } : {}),
          onTimeout,
          onInvalid,
          listener: opts.render
            ? {
                onStep: (e) => {
                  const moves = e.actions.map((a) => `${a.seat < 0 ? 'chance' : `seat ${a.seat}`}: ${game.actionToString(a.seat, a.action)}`).join(', ');
                  process.stdout.write(`\nstep ${e.step + 1} — ${moves}\n${game.renderText(e.state, null)}\n`);
                },
              }
            : undefined,
        });
        if (opts.out) appendRecord(opts.out, record);
        order.forEach((a, s) => {
          const t = tallies[a]!;
          t.totalReturn += record.returns[s]!;
          const outcome = seatOutcome(record.returns, s);
          if (outcome === 'win') t.wins++;
          else if (outcome === 'draw') t.draws++;
          else t.losses++;
        });
        if (opts.render) {
          const why = record.forfeit ? ` (seat ${record.forfeit.seat} forfeits: ${record.forfeit.reason})` : '';
          process.stdout.write(`result: returns [${record.returns.join(', ')}], ${record.endReason}${why}\n`);
        }
        bar?.update(m + 1);
      }
      bar?.stop();
      const agents = tallies.map((t) => ({ spec: t.spec, wins: t.wins, draws: t.draws, losses: t.losses, meanReturn: t.totalReturn / opts.games }));
      if (opts.json) return printJson({ game: opts.game, games: opts.games, seed: opts.seed, agents, ...(opts.out ? { out: opts.out } : {}) });
      const width = Math.max(5, ...agents.map((a) => a.spec.length));
      process.stdout.write(`\n${opts.game}, ${opts.games} match${opts.games === 1 ? '' : 'es'}, seed ${opts.seed}${opts.swap ? ', seats rotated' : ''}\n`);
      process.stdout.write(`${'agent'.padEnd(width)}  wins  draws  losses  mean return\n`);
      for (const a of agents) {
        process.stdout.write(`${a.spec.padEnd(width)}  ${String(a.wins).padStart(4)}  ${String(a.draws).padStart(5)}  ${String(a.losses).padStart(6)}  ${a.meanReturn.toFixed(3).padStart(11)}\n`);
      }
      if (opts.out) process.stdout.write(`records written to ${opts.out}\n`);
    });
}
