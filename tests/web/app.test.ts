/**
 * The web app in a real browser (Debian Chromium through playwright-core) against a real server process: a person
 * plays Connect Four against the random house agent by clicking and sees the result, the match is in the replay
 * list and replays move by move, Kuhn poker never shows the opponent's card before a showdown (neither in the DOM
 * nor in any message the page receives), a reload mid-match resumes it, spectating, the leaderboard's intervals,
 * readable server errors, and phone width. Screenshots of every page go to artifacts/screenshots/.
 */
import { unpackMultiple } from 'msgpackr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ArenaApi, type LeaderboardRow } from '../../client-sdk/src/index';
import { startServer, type RunningServer } from '../server/harness';
import { DESKTOP, PHONE, launchChromium, newPage, screenshot } from './browser';

jest.setTimeout(60_000);

let server: RunningServer;
let browser: Browser;
let api: ArenaApi;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // A small tic-tac-toe league runs in the background so that leaderboard has several rated agents. The server
  // starts while Chromium launches, and is stopped in afterAll even when Chromium is missing.
  const starting = startServer({ env: { ARENA_LEAGUE: 'scenarios/tic-tac-toe-smoke.yaml' } });
  try {
    browser = await launchChromium();
  } finally {
    server = await starting;
  }
  api = new ArenaApi({ url: server.url });
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function open(viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
  const { context, page } = await newPage(browser, viewport);
  contexts.push(context);
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

/** The person's page after the guest identity exists (one browser context = one guest). */
let player: Page;
let c4MatchId = '';

const status = (page: Page): Promise<string> => page.locator('[data-testid=status]').innerText();
const FINAL = /You won|You lost|Draw/;

/** Waits until the page either expects a move from the person or shows the result. */
async function turnOrEnd(page: Page): Promise<'turn' | 'end'> {
  // "Sending your move…" does not match: the capital Y only starts "Your move".
  await statusShows(page, /Your move|You won|You lost|Draw/, 20_000);
  return FINAL.test(await status(page)) ? 'end' : 'turn';
}

/** Page-side code is passed as strings: this suite is type-checked without the DOM library. */
const statusShows = (page: Page, text: RegExp, timeout = 15_000): Promise<void> =>
  page.locator('[data-testid=status]', { hasText: text }).waitFor({ timeout });
/** Makes a move (a click or a key) and waits until the page has taken it (the pending turn is no longer offered). */
async function move(page: Page, doIt: () => Promise<void>): Promise<void> {
  const before = await page.locator('.match').getAttribute('data-turn');
  expect(before).not.toBe('');
  await doIt();
  await page.waitForFunction(`document.querySelector('.match').getAttribute('data-turn') !== ${JSON.stringify(before)}`, undefined, { timeout: 5000 });
}

const pageWidth = async (page: Page): Promise<number> => Number(await page.evaluate('document.documentElement.scrollWidth'));

const discs = (page: Page): Promise<number> => page.locator('.c4-cell[data-owner="0"], .c4-cell[data-owner="1"]').count();

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

async function challengeFromLobby(page: Page, game: string, opponent: string, seat: '0' | '1' | 'random'): Promise<string> {
  await page.goto(`${server.url}/`);
  await page.click(`.game-card[data-game="${game}"]`);
  await page.selectOption('.match-panel select >> nth=0', seat);
  await page.click(`.opponent[data-agent="${opponent}"] button`);
  await page.waitForURL(/\/play\//);
  await page.waitForSelector('[data-testid=board]');
  return new URL(page.url()).pathname.split('/').pop()!;
}

describe('the web app in Chromium', () => {
  it('a person plays a full Connect Four game against the random agent by clicking and sees the result', async () => {
    player = await open();
    await player.goto(`${server.url}/`);
    await player.waitForSelector('.game-card[data-game="connect-four"]');
    await player.click('.game-card[data-game="connect-four"]');
    await player.waitForSelector('.opponent[data-agent="house.random"]');
    await shot(player, 'lobby');

    c4MatchId = await challengeFromLobby(player, 'connect-four', 'house.random', '0');
    let moves = 0;
    while ((await turnOrEnd(player)) === 'turn') {
      // Both players have moved equally often when it is the first player's turn.
      expect(await discs(player)).toBe(2 * moves);
      if (moves === 3) await shot(player, 'play-connect-four');
      await move(player, () => player.locator('.c4-col:not([disabled])').first().click());
      moves++;
    }
    const text = await status(player);
    await shot(player, 'play-connect-four-result');
    const { match } = await api.match(c4MatchId);
    expect(match.status).toBe('finished');
    const mine = match.returns![0]!;
    expect(text).toContain(mine > 0 ? 'You won' : mine < 0 ? 'You lost' : 'Draw');
    expect(await player.locator('.player.is-me .player-return').innerText()).toBe(mine > 0 ? `+${mine}` : String(mine));
  });

  it('the match then appears in the replay list and replays move by move', async () => {
    await player.goto(`${server.url}/replays?game=connect-four`);
    const row = player.locator(`[data-testid=replay-list] .match-row[data-match="${c4MatchId}"]`);
    await row.waitFor();
    await row.locator('a', { hasText: 'Replay' }).click();
    await player.waitForSelector('[data-testid=replay]');
    const replay = await api.replay(c4MatchId);
    const slider = player.locator('[data-testid=step-slider]');
    expect(await slider.getAttribute('max')).toBe(String(replay.frames.length));
    await player.keyboard.press('Home');
    expect(await discs(player)).toBe(0);
    for (let step = 1; step <= replay.frames.length; step++) {
      await player.click('[data-testid=next]');
      // Connect Four adds one disc per step; each disc is where the server's replay frame has it.
      const board = (replay.frames[step - 1]!.render as { board: number[][] }).board;
      const expected = board.flatMap((row, r) => row.map((owner, c) => ({ r, c, owner })).filter((x) => x.owner >= 0));
      expect(await discs(player)).toBe(step);
      const owners = await player.locator('.c4-col').evaluateAll((cols) => cols.map((col) => [...col.querySelectorAll('.c4-cell')].map((cell) => Number(cell.getAttribute('data-owner')))));
      expect(expected.every(({ r, c, owner }) => owners[c]?.[r] === owner)).toBe(true);
      if (step === Math.ceil(replay.frames.length / 2)) await shot(player, 'replay');
    }
    expect(await player.locator('[data-testid=step-caption]').innerText()).toContain(`Step ${replay.frames.length} / ${replay.frames.length}`);
    await slider.fill('2');
    expect(await discs(player)).toBe(2);
    await player.goto(`${server.url}/replays`);
    await player.waitForSelector('[data-testid=replay-list]');
    await shot(player, 'replays');
  });

  it('in Kuhn poker the page never shows the opponent card before showdown, in the DOM or in any received message', async () => {
    const page = await open();
    const frames: Buffer[] = [];
    page.on('websocket', (ws) => {
      if (ws.url().includes('/socket.io/')) return;
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload !== 'string') frames.push(payload);
      });
    });
    let showdowns = 0;
    for (const seat of [0, 1] as const) {
      frames.length = 0;
      const matchId = await challengeFromLobby(page, 'kuhn-poker', 'house.random', String(seat) as '0' | '1');
      const domAtTurns: string[] = [];
      while ((await turnOrEnd(page)) === 'turn') {
        domAtTurns.push(await page.content());
        expect(await page.locator('.seat-area[data-you="false"] .card').getAttribute('data-card')).toBe('hidden');
        expect(await page.locator('.seat-area[data-you="true"] .card').getAttribute('data-card')).toMatch(/^[JQK]$/);
        if (seat === 0) await shot(page, 'play-kuhn-poker');
        // Keyboard play: the key shown on the bet/call button (B to bet, C to call).
        const key = (await page.locator('.action-bar [data-action="1"] kbd').innerText()).toLowerCase();
        await move(page, () => page.keyboard.press(key));
      }
      const { match, record } = await api.match(matchId);
      expect(match.endReason).toBe('terminal');
      const deal = (record as { actions: { seat: number; action: number }[] }).actions.filter((a) => a.seat === -1).map((a) => a.action);
      const opp = 1 - seat;
      const oppRank = 'JQK'[deal[opp]!]!;
      expect(domAtTurns.length).toBeGreaterThan(0);
      for (const html of domAtTurns) expect(html).not.toContain(`data-card="${oppRank}"`);

      const messages = frames.filter((f) => f[0] === 13).map((f) => unpackMultiple(f.subarray(1)) as [string, Record<string, unknown>]);
      const views = messages.filter(([t]) => t === 'view').map(([, m]) => m as { render: { cards: (number | null)[]; terminal: boolean; showdown: boolean } });
      const turns = messages.filter(([t]) => t === 'turn').map(([, m]) => m as { informationState: string; state?: string });
      expect(views.length).toBeGreaterThan(1);
      expect(turns.length).toBe(domAtTurns.length);
      for (const v of views) {
        if (v.render.terminal && v.render.showdown) expect(v.render.cards[opp]).toBe(deal[opp]);
        else expect(v.render.cards[opp]).toBeNull();
        expect(v.render.cards[seat] === null || v.render.cards[seat] === deal[seat]).toBe(true);
      }
      for (const t of turns) {
        expect(t.state).toBeUndefined();
        expect(t.informationState[0]).toBe(String(deal[seat]));
      }
      // At a showdown the page does turn the opponent's card over (so the checks above look at the right element).
      const final = views[views.length - 1]!.render;
      if (final.showdown) {
        showdowns++;
        expect(await page.locator('.seat-area[data-you="false"] .card').getAttribute('data-card')).toBe(oppRank);
        await shot(page, 'play-kuhn-poker-showdown');
      }
    }
    expect(showdowns).toBeLessThanOrEqual(2);
  });

  it('a reload mid-match resumes it, and others can watch it live', async () => {
    const matchId = await challengeFromLobby(player, 'connect-four', 'house.random', '0');
    for (const key of ['4', '4']) {
      expect(await turnOrEnd(player)).toBe('turn');
      await move(player, () => player.keyboard.press(key)); // keyboard play: 1-7 drop a disc
    }
    expect(await turnOrEnd(player)).toBe('turn');
    expect(await discs(player)).toBe(4);
    const before = await player.locator('.c4-cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-owner')).join(''));

    const watcher = await open();
    await watcher.goto(`${server.url}/watch`);
    await watcher.locator(`.match-row[data-match="${matchId}"]`).waitFor();
    await shot(watcher, 'watch');
    await watcher.click(`.match-row[data-match="${matchId}"] a`);
    await watcher.waitForSelector('[data-testid=board]');
    await watcher.waitForFunction(`document.querySelectorAll('.c4-cell[data-owner="0"], .c4-cell[data-owner="1"]').length === 4`);
    expect(await status(watcher)).toBe('Live');
    await shot(watcher, 'watch-live');

    await player.reload();
    await player.waitForSelector('[data-testid=board]');
    expect(await turnOrEnd(player)).toBe('turn');
    expect(await player.locator('.c4-cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-owner')).join(''))).toBe(before);
    expect(new URL(player.url()).pathname).toBe(`/play/${matchId}`);
    while ((await turnOrEnd(player)) === 'turn') await move(player, () => player.locator('.c4-col:not([disabled])').last().click());
    const { match } = await api.match(matchId);
    expect(match.status).toBe('finished');
    expect(match.endReason).toBe('terminal');
    await statusShows(watcher, /wins|Draw/);
  });

  it('the leaderboard renders each rating with its interval, the agent page its history', async () => {
    const board = await api.leaderboard('connect-four');
    expect(board.rows.length).toBeGreaterThanOrEqual(2);
    await player.goto(`${server.url}/leaderboard/connect-four`);
    await player.waitForSelector('[data-testid=leaderboard]');
    const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
    const rows = player.locator('[data-testid=leaderboard] tbody tr');
    expect(await rows.count()).toBe(board.rows.length);
    for (const [i, r] of board.rows.entries() as IterableIterator<[number, LeaderboardRow]>) {
      const row = rows.nth(i);
      expect(await row.getAttribute('data-agent')).toBe(r.name);
      expect(await row.locator('[data-testid=interval]').innerText()).toBe(`${fmt(r.bt.lower)} – ${fmt(r.bt.upper)}`);
      expect(r.bt.lower).toBeLessThanOrEqual(r.bt.rating + 1e-6);
      expect(r.bt.rating).toBeLessThanOrEqual(r.bt.upper + 1e-6);
      expect(await row.locator('.interval').getAttribute('data-lower')).toBe(String(Math.round(r.bt.lower)));
    }
    await shot(player, 'leaderboard-connect-four');

    // The background league fills the tic-tac-toe board (several agents, visibly different intervals).
    await waitUntil(async () => (await api.leaderboard('tic-tac-toe', { resamples: 20 })).rows.length >= 4);
    await player.goto(`${server.url}/leaderboard/tic-tac-toe`);
    await player.waitForSelector('[data-testid=leaderboard] tbody tr >> nth=3');
    await shot(player, 'leaderboard');

    const me = await player.locator('[data-testid=identity] .me-name').innerText();
    await player.goto(`${server.url}/agents/${me.trim()}`);
    await player.waitForSelector('.rating-card[data-game="connect-four"] svg.rating-chart path.mu');
    await shot(player, 'agent');
    await player.goto(`${server.url}/agents/house.random`);
    await player.waitForSelector('.rating-card svg.rating-chart');
    await shot(player, 'agent-house-random');
  });

  it('plays tic-tac-toe with the keyboard and Leduc hold\'em with the action buttons to the end', async () => {
    const ttt = await challengeFromLobby(player, 'tic-tac-toe', 'house.random', '0');
    let moves = 0;
    while ((await turnOrEnd(player)) === 'turn') {
      const cell = Number(await player.locator('.ttt-cell:not([disabled])').first().getAttribute('data-cell'));
      await move(player, () => player.keyboard.press(String(cell + 1)));
      if (++moves === 2) await shot(player, 'play-tic-tac-toe');
    }
    expect((await api.match(ttt)).match.endReason).toBe('terminal');

    const leduc = await challengeFromLobby(player, 'leduc-poker', 'house.random', '0');
    let turns = 0;
    while ((await turnOrEnd(player)) === 'turn') {
      expect(await player.locator('.seat-area[data-you="false"] .card').getAttribute('data-card')).toBe('hidden');
      if (turns++ === 1) await shot(player, 'play-leduc-poker');
      await move(player, () => player.click('.action-bar [data-action="1"]')); // check or call
    }
    expect((await api.match(leduc)).match.endReason).toBe('terminal');
    await shot(player, 'play-leduc-poker-result');
  });

  it('shows server errors as readable messages', async () => {
    await player.goto(`${server.url}/account`);
    await player.waitForSelector('[data-testid=account-name]');
    await shot(player, 'account');
    await player.fill('input[aria-label="API key"]', 'sa_not-a-real-key');
    await player.click('button:has-text("Continue")');
    await player.locator('.toast-error', { hasText: 'The server does not recognise your player key.' }).waitFor();
    await player.fill('input[aria-label="Player name"]', 'house.random');
    await player.click('button:has-text("Register")');
    await player.locator('.toast-error', { hasText: 'The server could not accept that request.' }).waitFor();

    await player.goto(`${server.url}/replays/no-such-match`);
    await player.locator('.state-error', { hasText: 'That match does not exist' }).waitFor();
    await player.goto(`${server.url}/play/no-such-match`);
    await player.locator('.state-error', { hasText: 'That match does not exist' }).waitFor();
  });

  it('works at phone width: lobby, board and leaderboard fit 390 px', async () => {
    const phone = await open(PHONE);
    await phone.goto(`${server.url}/`);
    await phone.waitForSelector('.game-card[data-game="connect-four"]');
    await shot(phone, 'lobby-phone');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);

    await challengeFromLobby(phone, 'connect-four', 'house.random', '0');
    expect(await turnOrEnd(phone)).toBe('turn');
    await move(phone, () => phone.locator('.c4-col[data-col="3"]').tap());
    expect(await turnOrEnd(phone)).toBe('turn');
    await shot(phone, 'play-connect-four-phone');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await phone.click('button:has-text("Resign")');
    await phone.click('.confirm button:has-text("Resign")');
    await statusShows(phone, /You lost/);

    await challengeFromLobby(phone, 'kuhn-poker', 'house.random', '0');
    expect(await turnOrEnd(phone)).toBe('turn');
    await shot(phone, 'play-kuhn-poker-phone');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);

    await phone.goto(`${server.url}/leaderboard/tic-tac-toe`);
    await phone.waitForSelector('[data-testid=leaderboard]');
    await shot(phone, 'leaderboard-phone');
    expect(await pageWidth(phone)).toBeLessThanOrEqual(PHONE.width);
  });
});

async function waitUntil(probe: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
