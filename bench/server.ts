/**
 * `npm run bench:server [-- --concurrent N --seconds S]`: load test of the arena server as people run it.
 *
 * Phase 1 (arena): spawns the compiled server (dist/server/main.js, PORT on a free loopback port, temp ARENA_DATA,
 * LOG_LEVEL=warn, ARENA_RATE_LIMIT=100000, ARENA_DECISION_MS=0), registers 2N agents over REST and forks bot
 * processes (bench/server-bots.ts; never the server's process) that each run many ArenaClient connections playing
 * Connect Four through the lobby and the match rooms with instant answers. 2N seats keep about N matches
 * running; after a warm-up, a window of S seconds is measured.
 * Phase 2 (baseline): a bare socket.io echo server with acknowledgements (bench/server-echo.ts, its own process)
 * driven by the same number of bot processes, connections (2N) and outstanding messages (N chains alternating
 * over two connections, like the seats of a match).
 *
 * Prints {"machine": {...}, "results": [{"name","value","unit","note"?}]} on stdout, progress on stderr. Every
 * child process is killed at the end, on error and on SIGINT/SIGTERM; every loop is bounded in count and time.
 *
 * Phase 3 (light load): one match on a fresh server and one echo chain, for the per-action latency without
 * queueing (server.light-*).
 *
 * Flags: --concurrent N (500), --seconds S (20), --warmup W (5), --bot-procs P (2), --policy random|first,
 * --via lobby|room (how bots take their seats: over the lobby connection, the default, or a room per match),
 * --seats-per-connection K (lobby only, default 25: each bot connection, one agent, plays K matches at once, like an
 * RL actor batching its decisions; the baseline then uses the same number of connections), --observe none|all
 * (the observation fields the bots' turns carry: none, the default, since random bots read only the legal actions,
 * or all, what an agent that leaves `observe` out gets), --think-ms T (bots answer T ms after their turn arrives,
 * default 0: instant; with think time the decision RTT is the server's latency at partial load, not queueing),
 * --baseline-seconds B (min(S, 10)), --no-baseline, --light-seconds L (3), --no-light,
 * --server-prof DIR (run the phase-1 server under node --cpu-prof; the log names the measured window).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { log, machine, type BenchResult } from './harness';
import { LatencyHistogram, type FromBots, type ToBots, type WindowStats } from './server-stats';

const ROOT = join(__dirname, '..', '..');
const SERVER_MAIN = join(ROOT, 'dist', 'server', 'main.js');
const BOTS_MAIN = join(__dirname, 'server-bots.js');
const ECHO_MAIN = join(__dirname, 'server-echo.js');
const GAME = 'connect-four';
/** The server runs with the node flags `npm start` gives it (package.json), unless BENCH_SERVER_NODE_FLAGS says otherwise. */
const SERVER_NODE_FLAGS: readonly string[] = (process.env.BENCH_SERVER_NODE_FLAGS ?? startFlags()).split(' ').filter(Boolean);

function startFlags(): string {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return /\bnode ((?:--\S+ )*)dist\/server\/main\.js/.exec(start)?.[1]?.trim() ?? '';
}

interface Options {
  concurrent: number;
  seconds: number;
  warmup: number;
  botProcs: number;
  policy: 'random' | 'first';
  via: 'lobby' | 'room';
  seatsPerConnection: number;
  observe: 'none' | 'all';
  thinkMs: number;
  baselineSeconds: number;
  baseline: boolean;
  light: boolean;
  lightSeconds: number;
  serverProf: string | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  const num = (name: string, dflt: number, min: number, max: number, int = true): number => {
    const v = value(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) throw new Error(`${name} must be ${int ? 'an integer' : 'a number'} in [${min}, ${max}], got ${v}`);
    return n;
  };
  const known = new Set(['--concurrent', '--seconds', '--warmup', '--bot-procs', '--policy', '--via', '--seats-per-connection', '--observe', '--think-ms', '--baseline-seconds', '--no-baseline', '--no-light', '--light-seconds', '--server-prof']);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown flag ${a} (known: ${[...known].join(', ')})`);
  const seconds = num('--seconds', 20, 1, 600, false);
  const policy = value('--policy') ?? 'random';
  if (policy !== 'random' && policy !== 'first') throw new Error(`--policy must be random or first, got ${policy}`);
  const observe = value('--observe') ?? 'none';
  if (observe !== 'none' && observe !== 'all') throw new Error(`--observe must be none or all, got ${observe}`);
  const via = value('--via') ?? 'lobby';
  if (via !== 'lobby' && via !== 'room') throw new Error(`--via must be lobby or room, got ${via}`);
  const prof = value('--server-prof');
  return {
    concurrent: num('--concurrent', 500, 1, 20_000),
    seconds,
    warmup: num('--warmup', 5, 0, 600, false),
    botProcs: num('--bot-procs', 2, 1, 64),
    policy,
    via,
    seatsPerConnection: via === 'room' ? 1 : num('--seats-per-connection', 25, 1, 256),
    observe,
    thinkMs: num('--think-ms', 0, 0, 10_000),
    baselineSeconds: num('--baseline-seconds', Math.min(seconds, 10), 1, 600, false),
    baseline: !argv.includes('--no-baseline'),
    light: !argv.includes('--no-light'),
    lightSeconds: num('--light-seconds', 3, 1, 600, false),
    serverProf: prof === undefined ? undefined : resolve(prof),
  };
}

// ----------------------------------------------------------------------------------------- child process registry

const children = new Set<ChildProcess>();

function track<T extends ChildProcess>(p: T): T {
  children.add(p);
  p.once('exit', () => children.delete(p));
  return p;
}

function alive(p: ChildProcess): boolean {
  return p.exitCode === null && p.signalCode === null;
}

/** Temporary data directories still to remove. */
const tempDirs = new Set<string>();

function killAll(): void {
  for (const p of children) if (alive(p)) p.kill('SIGKILL');
  for (const d of tempDirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
    tempDirs.delete(d);
  }
}

/** Sends `signal`, waits up to `ms` for the exit, then SIGKILLs. */
async function terminate(p: ChildProcess, ms: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!alive(p)) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill(signal);
  if ((await Promise.race([exited.then(() => 'exited'), sleep(ms).then(() => 'timeout')])) === 'timeout' && alive(p)) {
    p.kill('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
  }
}

process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** CPU seconds (user + system) of a process from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

/** Peak resident set size of a process in MB (VmHWM from /proc, Linux); NaN elsewhere. */
function peakRss(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Linux TCP counters (/proc/net/netstat): accept-queue overflows and retransmission timeouts; NaN elsewhere. */
function tcpCounters(): { listenOverflows: number; timeouts: number } {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let i = 0; i + 1 < lines.length; i++) {
      if (!lines[i]!.startsWith('TcpExt:')) continue;
      const names = lines[i]!.split(/\s+/);
      const values = lines[i + 1]!.split(/\s+/);
      const get = (n: string): number => Number(values[names.indexOf(n)]);
      return { listenOverflows: get('ListenOverflows'), timeouts: get('TCPTimeouts') };
    }
  } catch {
    /* not Linux */
  }
  return { listenOverflows: Number.NaN, timeouts: Number.NaN };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolvePort(port));
    });
  });
}

// ------------------------------------------------------------------------------------------------- arena server

interface ArenaProcess {
  readonly url: string;
  readonly proc: ChildProcess;
  readonly dataDir: string;
  /** Log lines at warn level or above (pino JSON), the first few kept. */
  readonly warnings: string[];
  warningCount: number;
  tail(): string;
}

async function startArena(serverProf: string | undefined): Promise<ArenaProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'arena-bench-'));
  tempDirs.add(dataDir);
  const port = await freePort();
  const args = [...SERVER_NODE_FLAGS, ...(serverProf ? ['--cpu-prof', `--cpu-prof-dir=${serverProf}`] : []), SERVER_MAIN];
  const proc = track(
    spawn(process.execPath, args, {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ARENA_DATA: dataDir,
        LOG_LEVEL: 'warn',
        ARENA_RATE_LIMIT: '100000',
        ARENA_DECISION_MS: '0',
        ARENA_SHUTDOWN_GRACE_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  let buffer = '';
  const server: ArenaProcess = {
    url: `http://127.0.0.1:${port}`,
    proc,
    dataDir,
    warnings: [],
    warningCount: 0,
    tail: () => out.slice(-2000),
  };
  proc.stdout!.on('data', (d: Buffer) => {
    const text = d.toString();
    out = (out + text).slice(-8000);
    buffer += text;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string };
        if ((entry.level ?? 0) >= 40) {
          server.warningCount++;
          if (server.warnings.length < 5) server.warnings.push(line.slice(0, 300));
        }
      } catch {
        /* not a log line */
      }
    }
    if (buffer.length > 100_000) buffer = '';
  });
  proc.stderr!.on("data", (d: Buffer) => { out = (out + d.toString()).slice(-8000); if (process.env.BENCH_ECHO_STDERR) process.stderr.write(d); });
  // Wait for /health (the 'arena listening' line is logged at info, below LOG_LEVEL=warn).
  const until = Date.now() + 20_000;
  for (let i = 0; i < 400 && Date.now() < until; i++) {
    if (!alive(proc)) throw new Error(`server exited with ${proc.exitCode ?? proc.signalCode} before listening: ${server.tail()}`);
    try {
      const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return server;
    } catch {
      /* not listening yet */
    }
    await sleep(50);
  }
  throw new Error(`server did not answer /health in 20 s: ${server.tail()}`);
}

async function registerAgents(url: string, n: number): Promise<string[]> {
  const keys = new Array<string>(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const res = await fetch(`${url}/api/agents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench-${i}` }),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status !== 201) throw new Error(`register bench-${i}: ${res.status} ${await res.text()}`);
      keys[i] = ((await res.json()) as { apiKey: string }).apiKey;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return keys;
}

interface Scrape {
  running: number;
  finished: number;
  lagP99Ms: number;
}

async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  let running = Number.NaN;
  let finished = 0;
  let lagP99Ms = Number.NaN;
  for (const line of text.split('\n')) {
    if (line.startsWith('arena_matches_running ')) running = Number(line.split(' ')[1]);
    else if (line.startsWith('arena_matches_finished_total')) finished += Number(line.slice(line.lastIndexOf(' ') + 1));
    else if (line.startsWith('nodejs_eventloop_lag_p99_seconds ')) lagP99Ms = Number(line.split(' ')[1]) * 1000;
  }
  return { running, finished, lagP99Ms };
}

// ----------------------------------------------------------------------------------------------------- bot runs

interface BotHandle {
  readonly proc: ChildProcess;
  progress: { playing: number; actions: number; errors: number; lastError?: string };
  readonly messages: FromBots[];
  waiters: (() => void)[];
}

function forkBot(): BotHandle {
  const proc = track(fork(BOTS_MAIN, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const h: BotHandle = { proc, progress: { playing: 0, actions: 0, errors: 0 }, messages: [], waiters: [] };
  proc.on('message', (raw) => {
    const m = raw as FromBots;
    if (m.type === 'progress') h.progress = m;
    else h.messages.push(m);
    const w = h.waiters;
    h.waiters = [];
    for (const f of w) f();
  });
  proc.once('exit', () => {
    const w = h.waiters;
    h.waiters = [];
    for (const f of w) f();
  });
  return h;
}

async function waitMessage<T extends FromBots['type']>(h: BotHandle, type: T, ms: number): Promise<Extract<FromBots, { type: T }>> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    const fatal = h.messages.find((m) => m.type === 'fatal');
    if (fatal && fatal.type === 'fatal') throw new Error(`bot process failed: ${fatal.message}`);
    const idx = h.messages.findIndex((m) => m.type === type);
    if (idx >= 0) return h.messages.splice(idx, 1)[0] as Extract<FromBots, { type: T }>;
    if (!alive(h.proc)) throw new Error(`bot process exited (${h.proc.exitCode ?? h.proc.signalCode}) while waiting for '${type}'`);
    const left = until - Date.now();
    if (left <= 0) break;
    await new Promise<void>((r) => {
      const t = setTimeout(r, Math.min(left, 1000));
      h.waiters.push(() => {
        clearTimeout(t);
        r();
      });
    });
  }
  throw new Error(`bot process: no '${type}' within ${ms} ms`);
}

type SetupPhase = 'queueWait' | 'join' | 'start' | 'play';
const SETUP_PHASES: readonly SetupPhase[] = ['queueWait', 'join', 'start', 'play'];

interface PhaseResult {
  readonly rtt: LatencyHistogram;
  /** Arena: per-seat match phases (see WindowStats). */
  readonly phases: Record<SetupPhase, LatencyHistogram>;
  /** Σ over processes of actions / own window seconds. */
  readonly actionsPerSecond: number;
  readonly actions: number;
  readonly matchesFinished: number;
  readonly matchesNotTerminal: number;
  readonly errors: number;
  readonly windowSeconds: number;
  /** Mean client-side count of seats in a match, sampled each second of the window. */
  readonly playingMean: number;
  readonly playingMin: number;
  readonly botCpuPercent: number;
  readonly lastError: string | undefined;
  /** Machine-wide TCP accept-queue overflows / retransmission timeouts during the window (Linux). */
  readonly listenOverflows: number;
  readonly tcpTimeouts: number;
}

/**
 * Forks `setups.length` bot processes, waits until they are connected, lets them run `warmup` seconds, measures
 * `seconds`, collects and merges their window stats, and stops them. `tick` runs once a second (phase, index).
 */
async function runBots(label: string, setups: readonly ToBots[], warmup: number, seconds: number, tick: (phase: 'warmup' | 'measure' | 'start' | 'stop') => Promise<string>): Promise<PhaseResult> {
  const bots = setups.map(() => forkBot());
  try {
    setups.forEach((s, i) => bots[i]!.proc.send(s));
    const tConnect = performance.now();
    const ready = await Promise.all(bots.map((b) => waitMessage(b, 'ready', 180_000)));
    log(`${label}: ${ready.reduce((a, r) => a + r.connections, 0)} client connections open in ${((performance.now() - tConnect) / 1000).toFixed(1)} s`);
    for (const b of bots) b.proc.send({ type: 'go' } satisfies ToBots);
    const status = (): string => {
      const playing = bots.reduce((a, b) => a + b.progress.playing, 0);
      const errors = bots.reduce((a, b) => a + b.progress.errors, 0);
      const last = bots.map((b) => b.progress.lastError).find((e) => e !== undefined);
      return `in-flight ${playing}${errors > 0 ? `, errors ${errors} (last: ${last})` : ''}`;
    };
    const totalActions = (): number => bots.reduce((a, b) => a + b.progress.actions, 0);
    let prev = totalActions();
    let tPrev = performance.now();
    const second = async (phase: 'warmup' | 'measure', i: number, of: number): Promise<number> => {
      await sleep(1000);
      const extra = await tick(phase);
      const now = performance.now();
      const a = totalActions();
      const rate = ((a - prev) / (now - tPrev)) * 1000;
      prev = a;
      tPrev = now;
      log(`${label} ${phase} ${i + 1}/${of}: ${Math.round(rate).toLocaleString('en-US')} actions/s, ${status()}${extra}`);
      return bots.reduce((s, b) => s + b.progress.playing, 0);
    };
    for (let i = 0; i < Math.ceil(warmup); i++) await second('warmup', i, Math.ceil(warmup));

    await tick('start');
    const cpu0 = bots.map((b) => cpuSeconds(b.proc.pid));
    const tcp0 = tcpCounters();
    const t0 = performance.now();
    for (const b of bots) b.proc.send({ type: 'measure-start' } satisfies ToBots);
    const playingSamples: number[] = [];
    const whole = Math.floor(seconds);
    for (let i = 0; i < whole; i++) playingSamples.push(await second('measure', i, whole));
    if (seconds > whole) await sleep((seconds - whole) * 1000);
    for (const b of bots) b.proc.send({ type: 'measure-stop' } satisfies ToBots);
    const results = await Promise.all(bots.map((b) => waitMessage(b, 'result', 30_000)));
    const wall = (performance.now() - t0) / 1000;
    const cpu1 = bots.map((b) => cpuSeconds(b.proc.pid));
    const tcp1 = tcpCounters();
    await tick('stop');

    const rtt = new LatencyHistogram();
    const phases = Object.fromEntries(SETUP_PHASES.map((k) => [k, new LatencyHistogram()])) as Record<SetupPhase, LatencyHistogram>;
    let actionsPerSecond = 0;
    const sum = (f: (s: WindowStats) => number): number => results.reduce((a, r) => a + f(r.stats), 0);
    for (const r of results) {
      rtt.merge(r.stats.rtt);
      for (const k of SETUP_PHASES) {
        const h = r.stats[k];
        if (h) phases[k].merge(h);
      }
      actionsPerSecond += r.stats.actions / (r.stats.ms / 1000);
    }
    const botCpu = cpu1.reduce((a, c, i) => a + (c - cpu0[i]!), 0) / wall;
    return {
      rtt,
      phases,
      actionsPerSecond,
      actions: sum((s) => s.actions),
      matchesFinished: sum((s) => s.matchesFinished),
      matchesNotTerminal: sum((s) => s.matchesNotTerminal),
      errors: sum((s) => s.errors),
      windowSeconds: results.reduce((a, r) => a + r.stats.ms, 0) / results.length / 1000,
      playingMean: playingSamples.length ? playingSamples.reduce((a, b) => a + b, 0) / playingSamples.length : Number.NaN,
      playingMin: playingSamples.length ? Math.min(...playingSamples) : Number.NaN,
      botCpuPercent: botCpu * 100,
      lastError: bots.map((b) => b.progress.lastError).find((e) => e !== undefined),
      listenOverflows: tcp1.listenOverflows - tcp0.listenOverflows,
      tcpTimeouts: tcp1.timeouts - tcp0.timeouts,
    };
  } finally {
    for (const b of bots) if (alive(b.proc) && b.proc.connected) b.proc.send({ type: 'stop' } satisfies ToBots);
    await Promise.all(bots.map((b) => terminate(b.proc, 5000, 'SIGTERM')));
  }
}

/** Splits `items` into `parts` nearly equal slices. */
function split<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  for (let p = 0; p < parts; p++) out.push(items.slice(Math.floor((p * items.length) / parts), Math.floor(((p + 1) * items.length) / parts)));
  return out;
}

// ---------------------------------------------------------------------------------------------------------- main

const fmt = (x: number, digits = 3): number => Number(x.toFixed(digits));

interface ArenaRun {
  readonly r: PhaseResult;
  readonly gauge: number[];
  readonly lag: number[];
  readonly finished: number;
  readonly serverCpuPercent: number;
  /** The server process's peak resident memory (MB) at the end of the window. */
  readonly peakRssMb: number;
}

/** A fresh arena server, `concurrent` * 2 registered seats in `procs` bot processes, warm-up, measured window. */
async function arenaPhase(label: string, opt: Options, concurrent: number, procs: number, warmup: number, seconds: number, prof: string | undefined): Promise<ArenaRun> {
  const seats = concurrent * 2;
  // At least two agents: the lanes of one connection (one agent) are never paired with each other.
  const connections = Math.max(2, Math.ceil(seats / opt.seatsPerConnection));
  const server = await startArena(prof);
  const gauge: number[] = [];
  const lag: number[] = [];
  let finished0 = 0;
  let finished1 = 0;
  let serverCpu0 = 0;
  let tCpu0 = 0;
  let serverCpuPercent = Number.NaN;
  let peakRssMb = Number.NaN;
  /** CLOCK_MONOTONIC microseconds of the measured window (V8 CPU profiles use the same clock). */
  const profileWindow: bigint[] = [0n, 0n];
  let r: PhaseResult;
  try {
    log(`${label}: arena server at ${server.url} (pid ${server.proc.pid}, data ${server.dataDir})`);
    const t = performance.now();
    const keys = await withTimeout(registerAgents(server.url, connections), 120_000, 'agent registration');
    log(`${label}: registered ${keys.length} agents over REST in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const deadline = botDeadline(warmup, seconds);
    const setups: ToBots[] = split(keys, procs).map((apiKeys, i) => ({ type: 'arena', url: server.url, game: GAME, apiKeys, seatsPerConnection: opt.seatsPerConnection, observe: opt.observe, thinkMs: opt.thinkMs, policy: opt.policy, via: opt.via, seed: i + 1, deadline }));
    r = await runBots(label, setups, warmup, seconds, async (phase) => {
      const s = await scrape(server.url).catch(() => null);
      if (!s) return ', /metrics unavailable';
      if (phase === 'start') {
        profileWindow[0] = process.hrtime.bigint() / 1000n;
        finished0 = s.finished;
        serverCpu0 = cpuSeconds(server.proc.pid);
        tCpu0 = performance.now();
      } else if (phase === 'stop') {
        profileWindow[1] = process.hrtime.bigint() / 1000n;
        finished1 = s.finished;
        serverCpuPercent = ((cpuSeconds(server.proc.pid) - serverCpu0) / ((performance.now() - tCpu0) / 1000)) * 100;
        peakRssMb = peakRss(server.proc.pid);
      } else if (phase === 'measure') {
        gauge.push(s.running);
        lag.push(s.lagP99Ms);
      }
      return `, server: ${s.running} matches running, ${s.finished} finished, event-loop lag p99 ${s.lagP99Ms.toFixed(1)} ms`;
    });
  } finally {
    await terminate(server.proc, 15_000);
    rmSync(server.dataDir, { recursive: true, force: true });
    tempDirs.delete(server.dataDir);
  }
  if (server.warningCount > 0) log(`${label}: server logged ${server.warningCount} warnings/errors, first: ${server.warnings.join(' | ')}`);
  if (prof) log(`${label}: server CPU profile written under ${prof}; measured window in profile time (us): ${profileWindow[0]} ${profileWindow[1]}`);
  return { r, gauge, lag, finished: finished1 - finished0, serverCpuPercent, peakRssMb };
}

interface EchoRun {
  readonly r: PhaseResult;
  readonly cpuPercent: number;
}

/** A fresh socket.io echo server and `chains` chains over `connections` connections in `procs` bot processes. */
async function echoPhase(label: string, chains: number, connections: number, procs: number, warmup: number, seconds: number): Promise<EchoRun> {
  const echo = track(fork(ECHO_MAIN, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    const port = await withTimeout(
      new Promise<number>((resolvePort, reject) => {
        echo.once('message', (m) => resolvePort((m as { port: number }).port));
        echo.once('exit', (code) => reject(new Error(`echo server exited with ${code}`)));
      }),
      20_000,
      'echo server start',
    );
    log(`${label}: socket.io echo server at http://127.0.0.1:${port} (pid ${echo.pid})`);
    const deadline = botDeadline(warmup, seconds);
    const setups: ToBots[] = split(
      Array.from({ length: chains }, (_, i) => i),
      procs,
    ).map((c) => ({ type: 'echo', url: `http://127.0.0.1:${port}`, chains: c.length, connections: Math.max(2, Math.round((connections * c.length) / chains)), deadline }));
    let cpu0 = 0;
    let t0 = 0;
    let cpuPercent = Number.NaN;
    const r = await runBots(label, setups, warmup, seconds, async (phase) => {
      if (phase === 'start') {
        cpu0 = cpuSeconds(echo.pid);
        t0 = performance.now();
      } else if (phase === 'stop') cpuPercent = ((cpuSeconds(echo.pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
      return '';
    });
    log(`${label}: echo server CPU ${cpuPercent.toFixed(0)} %, bot processes ${r.botCpuPercent.toFixed(0)} %`);
    return { r, cpuPercent };
  } finally {
    await terminate(echo, 5000);
  }
}

/** Hard deadline for every bot loop: generous, but finite. */
function botDeadline(warmup: number, seconds: number): number {
  return Date.now() + (warmup + seconds) * 1000 + 240_000;
}

async function main(): Promise<void> {
  const opt = parseArgs(process.argv.slice(2));
  // Whole-run limit: every phase plus generous start-up and shutdown time.
  const limitMs = (opt.warmup + opt.seconds + opt.baselineSeconds + 2 * opt.lightSeconds + 12) * 1000 + 900_000;
  setTimeout(() => {
    process.stderr.write(`bench:server: overall time limit (${Math.round(limitMs / 1000)} s) reached; killing child processes\n`);
    killAll();
    process.exit(1);
  }, limitMs).unref();
  const results: BenchResult[] = [];
  const add = (r: BenchResult): void => {
    results.push(r);
    log(`${r.name} = ${r.value.toLocaleString('en-US', { maximumFractionDigits: 4 })} ${r.unit}`);
  };
  const seats = opt.concurrent * 2;
  const connections = Math.max(2, Math.ceil(seats / opt.seatsPerConnection));
  const procs = Math.min(opt.botProcs, connections);
  log(`server bench: ${opt.concurrent} concurrent ${GAME} matches (${seats} seats on ${connections} connections in ${procs} bot processes, seated via ${opt.via}), policy ${opt.policy}, ${opt.warmup} s warm-up + ${opt.seconds} s measured`);

  // ---- Phase 1: the arena server under the target load.
  const { r: arena, gauge, lag, finished, serverCpuPercent, peakRssMb } = await arenaPhase('arena', opt, opt.concurrent, procs, opt.warmup, opt.seconds, opt.serverProf);

  // ---- Phase 2: bare socket.io acknowledgements, same processes/connections/outstanding messages.
  const baseRun = opt.baseline ? await echoPhase('baseline', opt.concurrent, connections, procs, Math.min(2, opt.warmup), opt.baselineSeconds) : null;
  const base = baseRun?.r ?? null;
  const echoCpuPercent = baseRun?.cpuPercent ?? Number.NaN;

  // ---- Phase 3: light load (one match, one chain): per-action latency without queueing.
  const light = opt.light ? { arena: (await arenaPhase('light arena', { ...opt, seatsPerConnection: 1 }, 1, 1, 1, opt.lightSeconds, undefined)).r, echo: (await echoPhase('light baseline', 1, 2, 1, 1, opt.lightSeconds)).r } : null;

  // ---- Results.
  const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const win = `${fmt(arena.windowSeconds, 1)} s window after ${opt.warmup} s warm-up`;
  const ph = arena.phases;
  const q = (h: LatencyHistogram): string => `p50 ${fmt(h.quantile(0.5), 1)} / p99 ${fmt(h.quantile(0.99), 1)} ms`;
  add({
    name: 'server.concurrent-matches',
    value: fmt(arena.playingMean / 2, 1),
    unit: 'matches',
    note:
      `target ${opt.concurrent}; matches being played, counted client side (seats joined to a room and not yet ended / 2), mean of one sample a second (min ${fmt(arena.playingMin / 2, 1)}). ` +
      `The server's arena_matches_running gauge (created, not finished: includes matches whose seats are still joining) averaged ${fmt(mean(gauge), 1)} (min ${Math.min(...gauge)}, max ${Math.max(...gauge)}). ` +
      `${seats} seats (each loops queue, join, play, leave) on ${connections} connections (${opt.seatsPerConnection} per connection) in ${procs} bot processes. Per seat: queue->match:found ${q(ph.queueWait)}, match:found->joined ${q(ph.join)}, joined->first move ${q(ph.start)}, joined->end ${q(ph.play)}`,
  });
  add({
    name: 'server.actions-per-second',
    value: Math.round(arena.actionsPerSecond),
    unit: 'actions/s',
    note: `target >= 20000; actions applied (their view came back) in all matches, ${win}, ${opt.policy} bots ${opt.thinkMs > 0 ? `thinking ${opt.thinkMs} ms` : 'answering instantly'} seated via ${opt.via}, ${opt.seatsPerConnection} matches per connection, turns with ${opt.observe === 'all' ? 'every observation field' : 'legal actions only'}; server process CPU ${serverCpuPercent.toFixed(0)} % of one core, bot processes ${arena.botCpuPercent.toFixed(0)} % (2 cores shared); server event-loop lag p99 mean ${fmt(mean(lag), 1)} ms, max ${fmt(Math.max(...lag), 1)} ms; client-side errors in window ${arena.errors}${arena.lastError ? ` (last: ${arena.lastError})` : ''}; machine-wide TCP accept-queue overflows in window ${arena.listenOverflows}, retransmission timeouts ${arena.tcpTimeouts}`,
  });
  const rttNote = 'client side: from match.act() (room.send of the action) to the arrival of the view message for the next step (server validated, applied and broadcast the state); includes the client process event-loop queueing';
  add({ name: 'server.decision-rtt-p50-ms', value: fmt(arena.rtt.quantile(0.5)), unit: 'ms', note: `${rttNote}; ${arena.rtt.count} samples, mean ${fmt(arena.rtt.sum / Math.max(1, arena.rtt.count))} ms` });
  add({ name: 'server.decision-rtt-p99-ms', value: fmt(arena.rtt.quantile(0.99)), unit: 'ms', note: `target <= 10 ms; p99.9 ${fmt(arena.rtt.quantile(0.999))} ms, max ${fmt(arena.rtt.max)} ms` });
  const serverUsPerAction = (serverCpuPercent / 100 / arena.actionsPerSecond) * 1e6;
  if (base) {
    const bNote = `bare socket.io 4.8 echo server (own process) acknowledging each message; ${opt.concurrent} chains with one message outstanding, alternating over two of ${connections} connections in ${procs} bot processes; ${fmt(base.windowSeconds, 1)} s window; ${Math.round(base.actionsPerSecond).toLocaleString('en-US')} acks/s; echo server CPU ${echoCpuPercent.toFixed(0)} %, bot processes ${base.botCpuPercent.toFixed(0)} %; errors ${base.errors}; TCP accept-queue overflows ${base.listenOverflows}`;
    add({ name: 'server.socketio-ack-rtt-p50-ms', value: fmt(base.rtt.quantile(0.5)), unit: 'ms', note: bNote });
    add({ name: 'server.socketio-ack-rtt-p99-ms', value: fmt(base.rtt.quantile(0.99)), unit: 'ms', note: `${base.rtt.count} samples` });
    add({
      name: 'server.overhead-ratio',
      value: fmt(arena.rtt.quantile(0.5) / base.rtt.quantile(0.5), 2),
      unit: 'x',
      note:
        'target <= 2; decision RTT p50 / bare socket.io ack RTT p50. Both loops are closed (the next message waits for the answer), so once a side is CPU-bound its RTT is ' +
        'outstanding messages / throughput (Little); when the arena keeps far fewer decisions outstanding than the baseline (most seats are queueing or joining), this ratio flatters it: read it with server.cpu-per-action-ratio',
    });
    const echoUsPerAck = (echoCpuPercent / 100 / base.actionsPerSecond) * 1e6;
    add({
      name: 'server.cpu-per-action-ratio',
      value: fmt(serverUsPerAction / echoUsPerAck, 1),
      unit: 'x',
      note: `server process CPU per applied action (${fmt(serverUsPerAction, 1)} us, match setup and teardown included) / echo server CPU per acknowledged message (${fmt(echoUsPerAck, 1)} us)`,
    });
  }
  add({
    name: 'server.matches-finished',
    value: arena.matchesFinished,
    unit: 'matches',
    note: `in the window, counted by seat-0 clients (${arena.matchesNotTerminal} not ending 'terminal'); server counter arena_matches_finished_total rose by ${finished}`,
  });
  add({ name: 'server.matches-per-second', value: fmt(arena.matchesFinished / arena.windowSeconds, 1), unit: 'matches/s', note: `mean length ${fmt(arena.actions / Math.max(1, arena.matchesFinished), 2)} actions/match` });
  add({ name: 'server.server-peak-rss-mb', value: fmt(peakRssMb, 0), unit: 'MB', note: `peak resident memory of the arena server process (VmHWM), node flags ${SERVER_NODE_FLAGS.join(' ')} (as npm start)` });
  add({ name: 'server.server-process-cpu', value: fmt(serverCpuPercent, 0), unit: '%', note: `CPU time of the arena server process over the window (100 = one core fully busy; the server's JavaScript runs on one thread); ${fmt(serverUsPerAction, 1)} us per applied action` });
  if (light) {
    const lNote = (what: string, h: LatencyHistogram, rate: number): string => `${what}; ${h.count} samples, p99 ${fmt(h.quantile(0.99))} ms, ${Math.round(rate).toLocaleString('en-US')}/s`;
    add({ name: 'server.light-decision-rtt-p50-ms', value: fmt(light.arena.rtt.quantile(0.5)), unit: 'ms', note: lNote('one match (two seats, one bot process) on a fresh server: decision RTT without queueing', light.arena.rtt, light.arena.actionsPerSecond) });
    add({ name: 'server.light-socketio-ack-rtt-p50-ms', value: fmt(light.echo.rtt.quantile(0.5)), unit: 'ms', note: lNote('one chain over two connections on a fresh echo server', light.echo.rtt, light.echo.actionsPerSecond) });
    add({ name: 'server.light-overhead-ratio', value: fmt(light.arena.rtt.quantile(0.5) / light.echo.rtt.quantile(0.5), 2), unit: 'x', note: 'target <= 2; the per-action overhead over a bare socket.io round trip without load' });
  }
  process.stdout.write(`${JSON.stringify({ machine: machine(), results })}\n`);
}

main()
  .then(() => {
    killAll();
    process.exit(0);
  })
  .catch((error: unknown) => {
    process.stderr.write(`bench:server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killAll();
    process.exit(1);
  });
