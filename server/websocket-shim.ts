/**
 * Colyseus 0.18 expects a global WebSocket (Node >= 22 has one); on Node 20 its reconnection path breaks without
 * it (STACK.md). Installing the `ws` implementation globally at start-up fixes that and changes nothing on 22+.
 */
import WebSocket from 'ws';

export function installWebSocketShim(): void {
  const g = globalThis as { WebSocket?: unknown };
  if (g.WebSocket === undefined) g.WebSocket = WebSocket;
}
