/** Prometheus metrics (prom-client) served at /metrics. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface ArenaMetrics {
  readonly registry: Registry;
  readonly matchesStarted: Counter<'game'>;
  readonly matchesFinished: Counter<'game' | 'end_reason'>;
  readonly httpRequests: Counter<'method' | 'status'>;
}

/** `live` is read at scrape time for the gauges. */
export function createMetrics(live: { running(): number; connections(): number; queued(): number }): ArenaMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  };
  gauge('arena_matches_running', 'Matches being played now', live.running);
  gauge('arena_lobby_connections', 'Open lobby connections', live.connections);
  gauge('arena_queue_waiting', 'Agents waiting in pairing queues', live.queued);
  return {
    registry,
    matchesStarted: new Counter({ name: 'arena_matches_started_total', help: 'Matches created', labelNames: ['game'], registers: [registry] }),
    matchesFinished: new Counter({ name: 'arena_matches_finished_total', help: 'Matches committed to the store', labelNames: ['game', 'end_reason'], registers: [registry] }),
    httpRequests: new Counter({ name: 'arena_http_requests_total', help: 'REST requests', labelNames: ['method', 'status'], registers: [registry] }),
  };
}
