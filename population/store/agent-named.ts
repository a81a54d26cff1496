import { randomBytes } from 'node:crypto';
import { StoreError, type AgentKind, type AgentRow, type ArenaStore } from './store';

/**
 * The agent `name`, created when missing: the agents the arena makes for itself (league members, learner lines,
 * past players, house agents). Their key hash is random, so no API key ever matches them. Tolerates another
 * process creating the same agent at the same moment (`arena train` starts the learner and the actors together).
 */
export function agentNamed(store: ArenaStore, name: string, kind: AgentKind): AgentRow {
  const existing = store.agentByName(name);
  if (existing) return existing;
  try {
    return store.createAgent({ name, kind, keyHash: randomBytes(32).toString('hex') });
  } catch (error) {
    if (!(error instanceof StoreError && error.kind === 'conflict')) throw error;
    return store.agentByName(name)!;
  }
}
