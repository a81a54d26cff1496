/**
 * The Colyseus room of one match, deliberately thin: it authenticates joins (seat tickets or spectators), maps
 * connections to the MatchSession, validates every client message at the boundary, and passes drops and
 * reconnects on. Rules live in the game, the loop in runMatch, seating and hiding in MatchSession.
 */
import { Room, ServerError, type Client } from '@colyseus/core';
import { RoomEvent, RoomRequest, type WireError } from '../../client-sdk/src/protocol';
import { ActionMessageSchema, JoinOptionsSchema, ResignSchema, describeIssue } from '../../client-sdk/src/protocol-schemas';
import type { MatchSession, Peer, Role } from '../matches/session';
import { roomContext } from './context';
import { seatMessageRate } from '../rate-limit';

interface CreateOptions {
  readonly key: string;
  readonly matchId: string;
}

/** Close code for a refused join (Colyseus passes it to the client's join error). */
const AUTH_FAILED = 4401;
/** Spectators per match. Enforced in onAuth rather than by maxClients: anonymous, unused Colyseus reservations
 * count towards maxClients and could otherwise lock the players out of their own room. */
const MAX_SPECTATORS = 64;

export class MatchRoom extends Room {
  override maxClients = Number.MAX_SAFE_INTEGER;
  private session!: MatchSession;
  /** One peer per Colyseus session id: a client that reconnects comes back as the same peer. */
  private readonly peers = new Map<string, Peer>();

  private peer(client: Client): Peer {
    let p = this.peers.get(client.sessionId);
    if (!p) {
      const id = client.sessionId;
      p = { send: (type, payload) => this.clients.getById(id)?.send(type, payload) };
      this.peers.set(id, p);
    }
    return p;
  }

  override onCreate(options: CreateOptions): void {
    const ctx = roomContext();
    const session = options?.key === ctx.internalKey ? ctx.sessions.get(options.matchId) : undefined;
    if (!session) throw new ServerError(403, 'auth/forbidden: matches are created by the server');
    ctx.sessions.delete(options.matchId);
    this.session = session;
    session.roomId = this.roomId;
    // A realtime seat sends one action per tick (drone volleyball: 100 Hz), so its allowance scales with the tick.
    this.maxMessagesPerSecond = seatMessageRate(ctx.rateLimit, session.setup.game);
    this.seatReservationTimeout = ctx.ticketSeconds;
    this.setMetadata({ matchId: options.matchId, game: session.setup.game.spec.id });
    const refuse = (client: Client, error: WireError | null): void => {
      if (error) client.send(RoomEvent.error, error);
    };
    this.onMessage(RoomRequest.action, (client: Client, message: unknown) => {
      const m = ActionMessageSchema.safeParse(message);
      if (!m.success) return refuse(client, { code: 'request/invalid', message: describeIssue(m.error) });
      refuse(client, this.session.action(this.peer(client), m.data.step, m.data.action));
    });
    this.onMessage(RoomRequest.resign, (client: Client, message: unknown) => {
      const m = ResignSchema.safeParse(message);
      if (!m.success) return refuse(client, { code: 'request/invalid', message: describeIssue(m.error) });
      refuse(client, this.session.resign(this.peer(client)));
    });
    this.onMessage('*', (client: Client, type: string | number) => {
      refuse(client, { code: 'request/invalid', message: `unknown message type ${JSON.stringify(String(type).slice(0, 40))}` });
    });
    void session.done.then(() => {
      // Close once the last messages are out and no seat is away; a seat inside its reconnection window keeps the
      // room open so it can come back and learn the result (until the window ends).
      const deadline = Date.now() + ctx.reconnectSeconds * 1000;
      const check = this.clock.setInterval(() => {
        if (this.session.hasAwaySeats() && Date.now() < deadline) return;
        check.clear();
        void this.disconnect();
      }, 500);
    });
  }

  override onAuth(_client: Client, options: unknown): Role {
    const parsed = JoinOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ServerError(AUTH_FAILED, `request/invalid: ${describeIssue(parsed.error)}`);
    const role = this.session.admit(parsed.data);
    if ('code' in role) throw new ServerError(AUTH_FAILED, `${role.code}: ${role.message}`);
    if (role.role === 'spectator' && this.clients.length >= MAX_SPECTATORS + this.session.setup.game.numPlayers) {
      throw new ServerError(AUTH_FAILED, 'room/full: too many spectators');
    }
    return role;
  }

  override onJoin(client: Client, _options: unknown, role: Role): void {
    this.session.joined(this.peer(client), role);
  }

  override onDrop(client: Client): void {
    if (this.session.dropped(this.peer(client))) this.allowReconnection(client, roomContext().reconnectSeconds);
  }

  override onReconnect(client: Client): void {
    this.session.reconnected(this.peer(client));
  }

  override onLeave(client: Client): void {
    this.session.left(this.peer(client), 'disconnected');
    this.peers.delete(client.sessionId);
  }
}
