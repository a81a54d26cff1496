/**
 * Shared pieces of `npm run bench:server`: a bounded latency histogram that child processes fill and send to the
 * parent over IPC, and the IPC message shapes between bench/server.ts and bench/server-bots.ts.
 */

/**
 * Log-bucketed latency histogram: bucket i holds values in (BASE * GROWTH^(i-1), BASE * GROWTH^i] ms, so any
 * quantile is known to within 1 %. Fixed size (values above the last bucket land in it), mergeable across
 * processes.
 */
export class LatencyHistogram {
  static readonly BASE_MS = 0.001;
  static readonly GROWTH = 1.01;
  /** 1 us .. ~1 000 s. */
  static readonly BUCKETS = 2100;
  readonly counts: number[];
  count = 0;
  sum = 0;
  max = 0;

  constructor(counts?: readonly number[]) {
    this.counts = counts ? [...counts] : new Array<number>(LatencyHistogram.BUCKETS).fill(0);
    if (counts) for (const c of counts) this.count += c;
  }

  record(ms: number): void {
    const v = ms > LatencyHistogram.BASE_MS ? ms : LatencyHistogram.BASE_MS;
    let i = Math.ceil(Math.log(v / LatencyHistogram.BASE_MS) / Math.log(LatencyHistogram.GROWTH));
    if (i >= LatencyHistogram.BUCKETS) i = LatencyHistogram.BUCKETS - 1;
    this.counts[i]! += 1;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  merge(other: HistogramData): void {
    for (let i = 0; i < LatencyHistogram.BUCKETS; i++) this.counts[i]! += other.counts[i] ?? 0;
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }

  /** The q-quantile (0..1) in ms: the geometric middle of the bucket holding it (NaN when empty). */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < LatencyHistogram.BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const hi = LatencyHistogram.BASE_MS * LatencyHistogram.GROWTH ** i;
        return Math.min(i === 0 ? hi : hi / Math.sqrt(LatencyHistogram.GROWTH), this.max);
      }
    }
    return this.max;
  }

  toJSON(): HistogramData {
    return { counts: this.counts, count: this.count, sum: this.sum, max: this.max };
  }
}

export interface HistogramData {
  readonly counts: readonly number[];
  readonly count: number;
  readonly sum: number;
  readonly max: number;
}

/** What the parent tells a bot process. */
export type ToBots =
  | {
      readonly type: 'arena';
      readonly url: string;
      readonly game: string;
      readonly apiKeys: readonly string[];
      /** Matches each connection (one API key) plays at once. */
      readonly seatsPerConnection: number;
      readonly observe: 'none' | 'all';
      /** ms each bot waits before answering a turn (0: at once). */
      readonly thinkMs: number;
      readonly policy: 'random' | 'first';
      readonly via: 'lobby' | 'room';
      readonly seed: number;
      /** Hard end of this process's work, ms since epoch (every loop stops by then). */
      readonly deadline: number;
    }
  | {
      readonly type: 'echo';
      readonly url: string;
      /** Request/acknowledgement chains (one outstanding message each), each alternating over two connections. */
      readonly chains: number;
      /** Connections the chains share. */
      readonly connections: number;
      readonly deadline: number;
    }
  | { readonly type: 'go' }
  | { readonly type: 'measure-start' }
  | { readonly type: 'measure-stop' }
  | { readonly type: 'stop' };

/** Counters a bot process keeps for the measured window. */
export interface WindowStats {
  readonly rtt: HistogramData;
  /** Arena only, per match and seat, for matches whose phase ended inside the window: queue:join sent -> match:found. */
  readonly queueWait?: HistogramData;
  /** match:found -> joined the room (Colyseus HTTP seat reservation + WebSocket join). */
  readonly join?: HistogramData;
  /** joined -> first turn or view of step 1 (the opponent joined and the match started). */
  readonly start?: HistogramData;
  /** joined -> end message. */
  readonly play?: HistogramData;
  /** Actions sent whose resulting view (or acknowledgement) arrived inside the window. */
  readonly actions: number;
  /** Matches that ended inside the window, counted once per match (by its seat 0). */
  readonly matchesFinished: number;
  /** Matches (seat 0 only) whose end reason was not 'terminal'. */
  readonly matchesNotTerminal: number;
  readonly errors: number;
  /** Window length as this process saw it, ms. */
  readonly ms: number;
}

/** What a bot process tells the parent. */
export type FromBots =
  | { readonly type: 'ready'; readonly connections: number }
  | { readonly type: 'progress'; readonly playing: number; readonly actions: number; readonly errors: number; readonly lastError?: string }
  | { readonly type: 'result'; readonly stats: WindowStats }
  | { readonly type: 'fatal'; readonly message: string };
