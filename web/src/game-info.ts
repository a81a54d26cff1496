/** The server's game list, fetched once per page load and shared by every page that names a game. */
import type { GameInfo } from '@selfplay-arena/client';
import { useEffect, useState } from 'preact/hooks';
import { publicApi } from './identity';

let cache: Promise<GameInfo[]> | null = null;
let known: readonly GameInfo[] = [];

export function loadGames(): Promise<GameInfo[]> {
  cache ??= publicApi.games().then(
    (games) => {
      known = games;
      return games;
    },
    (error: unknown) => {
      cache = null; // a failed load is tried again next time
      throw error;
    },
  );
  return cache;
}

/** The games, once loaded ([] until then). */
export function useGames(): readonly GameInfo[] {
  const [games, setGames] = useState(known);
  useEffect(() => {
    let live = true;
    loadGames().then((g) => live && setGames(g), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return games;
}

/** "Connect Four" for "connect-four" (the id itself until the list is loaded). */
export function gameTitle(games: readonly GameInfo[], id: string): string {
  return games.find((g) => g.id === id)?.title ?? id;
}
