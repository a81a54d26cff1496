/**
 * Who the person in this browser is: an agent of kind 'person' on the arena, remembered by its API key in
 * localStorage. A guest is created on first play (no sign-up; name `guest-xxxxxx`); registering picks a name
 * (a new identity with its own rating); a key from another browser can be pasted to continue as that player.
 * Everything goes through the SDK (`ArenaClient` / `ArenaApi`); one client per identity.
 */
import { ArenaApi, ArenaClient, ArenaClientError, type AgentInfo } from '@selfplay-arena/client';
import { useEffect, useState } from 'preact/hooks';

export interface Identity {
  readonly apiKey: string;
  readonly agentId: string;
  readonly name: string;
  /** Created automatically (no name chosen). */
  readonly guest: boolean;
}

const STORAGE_KEY = 'arena.identity';
export const GUEST_PREFIX = 'guest-';

/** The arena this app talks to: the server that served it (or VITE_ARENA_URL in development). */
export const ARENA_URL: string = (import.meta.env.VITE_ARENA_URL as string | undefined) ?? window.location.origin;

/** REST without a key: games, leaderboards, replays, agents. */
export const publicApi = new ArenaApi({ url: ARENA_URL });

const listeners = new Set<() => void>();
let identity: Identity | null = read();
let client: ArenaClient | null = null;
let spectator: ArenaClient | null = null;

function read(): Identity | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<Identity>;
    if (typeof v.apiKey !== 'string' || typeof v.agentId !== 'string' || typeof v.name !== 'string') return null;
    return { apiKey: v.apiKey, agentId: v.agentId, name: v.name, guest: v.guest === true };
  } catch {
    return null; // storage disabled or corrupt: behave as a first visit
  }
}

function set(next: Identity | null): void {
  identity = next;
  client?.close();
  client = null;
  try {
    if (next) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* private mode: the identity lasts for this page only */
  }
  for (const l of listeners) l();
}

export function currentIdentity(): Identity | null {
  return identity;
}

export function useIdentity(): Identity | null {
  const [value, setValue] = useState(identity);
  useEffect(() => {
    const on = (): void => setValue(identity);
    listeners.add(on);
    return () => void listeners.delete(on);
  }, []);
  return value;
}

/** A client for spectating (no key: spectators need none). */
export function spectatorClient(): ArenaClient {
  spectator ??= new ArenaClient({ url: ARENA_URL });
  return spectator;
}

/** The client of the current identity, creating a guest first if there is none. */
export async function playerClient(): Promise<ArenaClient> {
  const me = identity ?? (await createGuest());
  if (!client) client = new ArenaClient({ url: ARENA_URL, apiKey: me.apiKey });
  return client;
}

function randomSuffix(): string {
  const bytes = new Uint8Array(3);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function createGuest(): Promise<Identity> {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await publicApi.register(`${GUEST_PREFIX}${randomSuffix()}`, 'person');
      const me: Identity = { apiKey: r.apiKey, agentId: r.agent.id, name: r.agent.name, guest: true };
      set(me);
      return me;
    } catch (error) {
      // A taken name (one in 16 million) gets another draw; anything else is for the caller to show.
      if (!(error instanceof ArenaClientError && error.code === 'request/conflict' && attempt < 3)) throw error;
    }
  }
}

/** Registers a named player and switches to it (the guest identity, if any, keeps its own history). */
export async function registerPlayer(name: string): Promise<Identity> {
  const r = await publicApi.register(name, 'person');
  const me: Identity = { apiKey: r.apiKey, agentId: r.agent.id, name: r.agent.name, guest: false };
  set(me);
  return me;
}

/** Continues as the agent of `apiKey` (from another browser); rejects with auth/unauthorized for a wrong key. */
export async function signInWithKey(apiKey: string): Promise<Identity> {
  const agent: AgentInfo = await new ArenaApi({ url: ARENA_URL, apiKey: apiKey.trim() }).me();
  const me: Identity = { apiKey: apiKey.trim(), agentId: agent.id, name: agent.name, guest: agent.name.startsWith(GUEST_PREFIX) };
  set(me);
  return me;
}

export function signOut(): void {
  set(null);
}

/**
 * Checks the stored identity against the server once per page load: a key the server does not know (a fresh
 * database) is forgotten, so the next game creates a new guest instead of failing.
 */
export async function verifyIdentity(): Promise<void> {
  const me = identity;
  if (!me) return;
  try {
    await new ArenaApi({ url: ARENA_URL, apiKey: me.apiKey }).me();
  } catch (error) {
    if (error instanceof ArenaClientError && error.code === 'auth/unauthorized' && identity === me) set(null);
  }
}
