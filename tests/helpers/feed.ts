/** Feed helpers for end-to-end tests that inspect a store written by other processes. */
import type { ArenaStore } from '../../population/store/store';

/** Committed matches in the feed (read in pages of at most 500, the store's limit). */
export function feedLength(store: ArenaStore): number {
  let n = 0;
  for (let after = 0; ; ) {
    const page = store.feedAfter(after, 500);
    if (page.length === 0) return n;
    n += page.length;
    after = page[page.length - 1]!.seq;
  }
}
