/**
 * First-come, first-served pairing per game and parameters: the simple rule of the arena until the league's
 * rated matchmaking replaces it behind the same lobby events.
 */
export interface QueueEntry<T> {
  readonly key: string;
  readonly holder: T;
}

export class PairingQueue<T> {
  private readonly waiting = new Map<string, T[]>();

  /** Adds `holder` to the queue of `key`; false if it is already there. */
  join(key: string, holder: T): boolean {
    const list = this.waiting.get(key) ?? [];
    if (list.includes(holder)) return false;
    list.push(holder);
    this.waiting.set(key, list);
    return true;
  }

  /** Removes `holder` from the queues of `game` (every queue when undefined); whether it was queued. */
  leave(holder: T, game?: string): boolean {
    return this.leaveWhere((h) => h === holder, game) > 0;
  }

  /** Removes the holders that `which` picks from the queues of `game` (every queue when undefined); how many. */
  leaveWhere(which: (holder: T) => boolean, game?: string): number {
    let removed = 0;
    for (const [k, list] of this.waiting) {
      if (game !== undefined && !k.startsWith(`${game}|`)) continue;
      const rest = list.filter((h) => !which(h));
      removed += list.length - rest.length;
      if (rest.length === 0) this.waiting.delete(k);
      else this.waiting.set(k, rest);
    }
    return removed;
  }

  /** Holders waiting for `key`, first come first. */
  waitingFor(key: string): readonly T[] {
    return this.waiting.get(key) ?? [];
  }

  /** Keys with at least one holder waiting. */
  keys(): string[] {
    return [...this.waiting.keys()];
  }

  /** Takes these holders out of the queue of `key` (a pairing decided elsewhere). */
  takeExactly(key: string, holders: readonly T[]): void {
    const list = this.waiting.get(key);
    if (!list) return;
    const rest = list.filter((h) => !holders.includes(h));
    if (rest.length === 0) this.waiting.delete(key);
    else this.waiting.set(key, rest);
  }

  /** Takes the first `n` holders of `key` if at least `n` wait. */
  take(key: string, n: number): T[] | null {
    const list = this.waiting.get(key);
    if (!list || list.length < n) return null;
    const group = list.splice(0, n);
    if (list.length === 0) this.waiting.delete(key);
    return group;
  }

  size(key?: string): number {
    if (key !== undefined) return this.waiting.get(key)?.length ?? 0;
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }
}

/** A canonical queue key for a game and its parameters (key order does not matter). */
export function queueKey(game: string, params: Readonly<Record<string, unknown>> = {}): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return `${game}|${JSON.stringify(sorted)}`;
}
