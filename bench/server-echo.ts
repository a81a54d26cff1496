/**
 * The baseline server of `npm run bench:server`: a bare socket.io server (same engine options as the arena's
 * lobby) whose only handler acknowledges every `action` message with its payload. Forked by bench/server.ts; it
 * reports its port over IPC and exits when the parent goes away or sends SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { path: '/socket.io/', serveClient: false, maxHttpBufferSize: 16 * 1024 });
io.on('connection', (socket) => {
  socket.on('action', (payload: unknown, ack: unknown) => {
    if (typeof ack === 'function') (ack as (p: unknown) => void)(payload);
  });
});

const stop = (): void => {
  io.close();
  http.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
http.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (http.address() as AddressInfo).port });
});
