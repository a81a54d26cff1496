/**
 * The views of the realtime and cooperative games in a real browser (Debian Chromium through playwright-core)
 * against a real server process: a person plays slime volleyball with the keyboard against the house tracker to
 * the result, watches a drone-volleyball rally live and then replays it to its fault, and plays Hanabi and
 * Overcooked moves against their house agents. Screenshots go to artifacts/screenshots/<game>*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { agentPolicy } from '../../agents/turn-view';
import { DroneScriptedAgent } from '../../agents/drone-skills';
import { OvercookedGreedyAgent } from '../../agents/overcooked-greedy';
import { ArenaApi, ArenaClient } from '../../client-sdk/src/index';
import { loadGame } from '../../environments/registry';
import { registerAgent, startServer, type RunningServer } from '../server/harness';
import { PHONE, launchChromium, newPage, screenshot } from './browser';

jest.setTimeout(60_000);

let server: RunningServer;
let browser: Browser;
let api: ArenaApi;
const contexts: BrowserContext[] = [];
const clients: ArenaClient[] = [];

beforeAll(async () => {
  const starting = startServer();
  try {
    browser = await launchChromium();
  } finally {
    server = await starting;
  }
  api = new ArenaApi({ url: server.url });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** One browser context for the whole file: one guest player. */
let player: Page;
async function playerPage(): Promise<Page> {
  if (player) return player;
  const { context, page } = await newPage(browser);
  contexts.push(context);
  page.on('pageerror', (e) => {
    throw e;
  });
  player = page;
  return page;
}

const FINAL = /You won|You lost|Draw/;
const status = (page: Page): Promise<string> => page.locator('[data-testid=status]').innerText();
const statusShows = (page: Page, text: RegExp, timeout = 15_000): Promise<void> =>
  page.locator('[data-testid=status]', { hasText: text }).waitFor({ timeout });
const canvasLabel = async (page: Page): Promise<string> => (await page.locator('canvas.realtime-canvas').getAttribute('aria-label')) ?? '';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

/** Challenges `opponent` from the lobby with the person in `seat`; returns the match id once the board shows. */
async function challengeFromLobby(page: Page, game: string, opponent: string, seat: '0' | '1'): Promise<string> {
  await page.goto(`${server.url}/`);
  await page.click(`.game-card[data-game="${game}"]`);
  await page.selectOption('.match-panel select >> nth=0', seat);
  await page.click(`.opponent[data-agent="${opponent}"] button`);
  await page.waitForURL(/\/play\//);
  await page.waitForSelector('[data-testid=board]');
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Waits for the person's turn (the match element names the pending step) and returns it. */
async function nextTurn(page: Page, after = ''): Promise<string> {
  await page.waitForFunction(`(() => { const t = document.querySelector('.match')?.getAttribute('data-turn'); return !!t && t !== ${JSON.stringify(after)}; })()`, undefined, { timeout: 15_000 });
  return (await page.locator('.match').getAttribute('data-turn'))!;
}

async function resign(page: Page): Promise<void> {
  await page.click('.match-actions button:has-text("Resign")');
  await page.click('.confirm button:has-text("Resign")');
  await statusShows(page, FINAL);
}

/** How many canvas pixels are within 40 (per channel) of each colour. */
async function canvasColors(page: Page, colors: readonly (readonly [number, number, number])[]): Promise<number[]> {
  return (await page.evaluate(`(() => {
    const c = document.querySelector('canvas.realtime-canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colors = ${JSON.stringify(colors)};
    const counts = colors.map(() => 0);
    for (let i = 0; i < d.length; i += 4) {
      colors.forEach(([r, g, b], k) => {
        if (Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40) counts[k]++;
      });
    }
    return counts;
  })()`)) as number[];
}

const SEAT_0 = [225, 29, 72] as const; // --seat-0, #e11d48
const SEAT_1 = [234, 179, 8] as const; // --seat-1, #eab308

describe('game views in Chromium', () => {
  it('slime volleyball: a person plays the tracker with the keyboard (one life, 300 ticks) and sees the result', async () => {
    const page = await playerPage();
    // The lobby has no parameter form: the challenge it sends is given the short match's parameters on the way.
    await page.route('**/api/challenges', (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      void route.continue({ postData: JSON.stringify({ ...body, params: { lives: 1, maxSteps: 300 } }) });
    });
    await page.goto(`${server.url}/`);
    await page.click('.game-card[data-game="slime-volleyball"]');
    await page.waitForSelector('.opponent[data-agent="house.slime-tracker"]');
    await shot(page, 'lobby-slime-volleyball');
    const matchId = await challengeFromLobby(page, 'slime-volleyball', 'house.slime-tracker', '0');
    await page.unroute('**/api/challenges');
    await page.waitForFunction(`(document.querySelector('canvas.realtime-canvas')?.getAttribute('aria-label') ?? '').includes('tick')`);
    // Seat 0 is the right slime: the left arrow is "forward" (toward the fence), the right arrow "backward".
    const hold = async (key: string, ms: number): Promise<void> => {
      await page.keyboard.down(key);
      await sleep(ms);
      await page.keyboard.up(key);
    };
    let shotTaken = false;
    for (let i = 0; i < 40 && !FINAL.test(await status(page)); i++) {
      await hold(i % 2 === 0 ? 'ArrowLeft' : 'ArrowRight', 250);
      await page.keyboard.down('Space');
      await sleep(120);
      if (!shotTaken && i === 2) {
        await shot(page, 'slime-volleyball');
        shotTaken = true;
      }
      await page.keyboard.up('Space');
    }
    await statusShows(page, FINAL);
    const { match, record } = await api.match(matchId);
    expect(match.status).toBe('finished');
    expect(match.endReason).toBe('terminal');
    const rec = record as { game: { params: unknown }; actions: { seat: number; action: number[] }[] };
    expect(rec.game.params).toEqual({ lives: 1, maxSteps: 300 });
    // The keys reached the game as the right buttons: left = forward, right = backward, Space = jump.
    const mine = rec.actions.filter((a) => a.seat === 0).map((a) => a.action.join(''));
    expect(mine).toEqual(expect.arrayContaining(['100', '010']));
    expect(mine.some((a) => a.endsWith('1'))).toBe(true);
    const returns = match.returns!;
    const [text, label] = [await status(page), await canvasLabel(page)];
    expect(text).toContain(returns[0]! > 0 ? 'You won' : returns[0]! < 0 ? 'You lost' : 'Draw');
    expect(label).toContain(returns[0]! > 0 ? 'You win!' : returns[0]! < 0 ? 'You lose' : 'Draw');
    expect(label).toMatch(returns[0]! < 0 ? /right 0 lives/ : returns[0]! > 0 ? /left 0 lives/ : /right 1 lives/);
    // Both slimes are drawn in their seat colours.
    const [red, amber] = await canvasColors(page, [SEAT_0, SEAT_1]);
    expect(red).toBeGreaterThan(200);
    expect(amber).toBeGreaterThan(200);
    await shot(page, 'slime-volleyball-result');
  });

  it('drone volleyball: a 1v1 rally is watched live, then replayed to the fault that ended it', async () => {
    const page = await playerPage();
    const params = { teamSize: 1, serve: 'A', maxSteps: 600 } as const;
    const bot = await registerAgent(server.url, 'drone-test-bot');
    const challenge = await new ArenaApi({ url: server.url, apiKey: bot.apiKey }).challenge({ game: 'drone-volleyball', opponent: 'house.drone-scripted', seat: 0, params });
    const client = new ArenaClient({ url: server.url, apiKey: bot.apiKey });
    clients.push(client);
    const game = loadGame('drone-volleyball', params);
    const policy = agentPolicy(game, new DroneScriptedAgent(3));
    const match = await client.join(challenge);
    match.onTurn((turn) => void policy(turn).then((a) => match.act(turn.step, a)));

    await page.goto(`${server.url}/watch`);
    await page.locator(`.match-row[data-match="${challenge.matchId}"] a`).click();
    await page.waitForFunction(`(document.querySelector('canvas.realtime-canvas')?.getAttribute('aria-label') ?? '').startsWith('Drone volleyball, 1v1')`);
    const t0 = await canvasLabel(page);
    await sleep(400);
    expect(await canvasLabel(page)).not.toBe(t0); // live: the time moves on
    const [a, b] = await canvasColors(page, [SEAT_0, SEAT_1]);
    expect(a).toBeGreaterThan(50); // team A's drone
    expect(b).toBeGreaterThan(50); // team B's drone
    await shot(page, 'drone-volleyball');
    const summary = await match.ended;

    const replay = await api.replay(challenge.matchId);
    const last = replay.frames[replay.frames.length - 1]!.render as { winner: number; end: string; faults: { team: number }[] };
    await page.goto(`${server.url}/replays/${challenge.matchId}`);
    await page.waitForSelector('[data-testid=replay] canvas.realtime-canvas');
    await page.keyboard.press('End');
    await page.waitForFunction(`(document.querySelector('canvas.realtime-canvas')?.getAttribute('aria-label') ?? '').includes('. ')`);
    const label = await canvasLabel(page);
    if (last.winner === 0 || last.winner === 1) {
      expect(summary.returns[last.winner]).toBe(1);
      // The winner, then the fault in words naming the team that committed it.
      const [, reason = ''] = label.split(`${last.winner === 0 ? 'Team A' : 'Team B'} wins the rally: `);
      expect(reason).toContain(last.faults[0]!.team === 0 ? 'Team A' : 'Team B');
    } else {
      expect(label).toContain('Draw');
    }
    await shot(page, 'drone-volleyball-replay');
    // The first frame is the serve position: team A's drone under the ball, both on their own sides.
    await page.keyboard.press('Home');
    await page.waitForFunction(`(document.querySelector('canvas.realtime-canvas')?.getAttribute('aria-label') ?? '').includes(' 0.00 s')`);
  });

  it('hanabi: your own cards are backs with hint knowledge, hints are buttons, the board follows the moves', async () => {
    const page = await playerPage();
    const matchId = await challengeFromLobby(page, 'hanabi', 'house.hanabi-rules', '0');
    const first = await nextTurn(page);
    const own = page.locator('.hb-hand[data-you="true"] .hb-card');
    const theirs = page.locator('.hb-hand[data-you="false"] .hb-card');
    expect(await own.count()).toBe(5);
    expect(await own.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-card')))).toEqual(Array(5).fill('hidden'));
    expect(await theirs.evaluateAll((cards) => cards.every((c) => /^[RYGWB][1-5]$/.test(c.getAttribute('data-card') ?? '')))).toBe(true);
    expect(await page.locator('.hb-info').getAttribute('data-count')).toBe('8');
    // At 8 hint tokens there is no discard: one play button per card, and the hints for the partner.
    expect(await page.locator('.hb-slot-actions button:has-text("Play")').count()).toBe(5);
    expect(await page.locator('.hb-slot-actions button:has-text("Discard")').count()).toBe(0);
    const rankHint = page.locator('.hb-hints .hb-hint-rank').first();
    const rank = await rankHint.innerText();
    await rankHint.hover();
    const lit = await page.locator('.hb-hand[data-you="false"] .hb-slot-wrap.is-lit .hb-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-card')));
    expect(lit.length).toBeGreaterThan(0);
    expect(lit.every((c) => c?.endsWith(rank))).toBe(true);
    await rankHint.click();
    await nextTurn(page, first);
    // The hint cost a token (the partner may have spent another) and the last move says what we told.
    expect(Number(await page.locator('.hb-info').getAttribute('data-count'))).toBeLessThanOrEqual(7);
    await shot(page, 'hanabi');
    const { record } = await api.match(matchId);
    expect(record).toBeNull(); // still running
    await resign(page);
  });

  it('overcooked: the arrow keys move and turn your cook, Space takes an onion and puts it in the pot, X stays', async () => {
    const page = await playerPage();
    await challengeFromLobby(page, 'overcooked', 'house.overcooked-greedy', '0');
    const cook = page.locator('.oc-cook[data-seat="0"]');
    let turn = await nextTurn(page);
    // cramped_room: seat 0 starts at (1, 2) facing north; (1, 1) is floor with the onion dispenser west of it.
    expect([await cook.getAttribute('data-x'), await cook.getAttribute('data-y'), await cook.getAttribute('data-facing')]).toEqual(['1', '2', 'N']);
    for (const key of ['ArrowUp', 'ArrowLeft', 'Space']) {
      await page.keyboard.press(key);
      turn = await nextTurn(page, turn);
    }
    expect([await cook.getAttribute('data-x'), await cook.getAttribute('data-y'), await cook.getAttribute('data-facing')]).toEqual(['1', '1', 'W']);
    expect(await cook.getAttribute('data-held')).toBe('onion');
    await page.click('.oc-pad-btn[aria-label="East"]');
    turn = await nextTurn(page, turn);
    expect(await cook.getAttribute('data-facing')).toBe('E');
    // X stays put; then east to the middle cell (the partner may block a step), face the pot north, put the onion in.
    await page.keyboard.press('x');
    turn = await nextTurn(page, turn);
    expect([await cook.getAttribute('data-x'), await cook.getAttribute('data-y')]).toEqual(['1', '1']);
    for (let i = 0; i < 10 && (await cook.getAttribute('data-x')) !== '2'; i++) {
      await page.keyboard.press('ArrowRight');
      turn = await nextTurn(page, turn);
    }
    expect([await cook.getAttribute('data-x'), await cook.getAttribute('data-y')]).toEqual(['2', '1']);
    const pot = page.locator('.oc-pot');
    const onions = Number(await pot.getAttribute('data-onions'));
    for (const key of ['ArrowUp', 'Space']) {
      await page.keyboard.press(key);
      turn = await nextTurn(page, turn);
    }
    expect(await cook.getAttribute('data-held')).toBe('nothing');
    // One more onion: ours (the partner may have added one in the same steps, or completed the pot, which starts cooking).
    const after = Number(await pot.getAttribute('data-onions'));
    expect(after).toBeGreaterThan(onions);
    expect(await page.locator('.oc-pot .oc-onion, .oc-pot .oc-soup').count()).toBeGreaterThan(0);
    await shot(page, 'overcooked');
    await resign(page);
  });

  it('overcooked: a replay of two greedy cooks shows the pot cooking and the soup served', async () => {
    const page = await playerPage();
    const params = { horizon: 120 };
    const bot = await registerAgent(server.url, 'overcooked-test-bot');
    const challenge = await new ArenaApi({ url: server.url, apiKey: bot.apiKey }).challenge({ game: 'overcooked', opponent: 'house.overcooked-greedy', seat: 0, params });
    const client = new ArenaClient({ url: server.url, apiKey: bot.apiKey });
    clients.push(client);
    const game = loadGame('overcooked', params);
    const policy = agentPolicy(game, new OvercookedGreedyAgent(game));
    const match = await client.join(challenge);
    // Paced like a remote bot: a room drops a client sending more than its message rate (100 a second here).
    match.onTurn((turn) => void sleep(20).then(() => policy(turn)).then((a) => match.act(turn.step, a)));
    const summary = await match.ended;
    expect(summary.returns[0]).toBeGreaterThanOrEqual(20); // two greedy cooks serve a soup within 120 steps

    const replay = await api.replay(challenge.matchId);
    type Frame = { pots: { onions: number; ready: boolean; cookTime: number }[]; score: number };
    const frames = replay.frames.map((f) => f.render as Frame);
    const cooking = frames.findIndex((f) => f.pots.some((p) => p.onions === 3 && !p.ready && p.cookTime >= 10));
    expect(cooking).toBeGreaterThan(0);
    await page.goto(`${server.url}/replays/${challenge.matchId}`);
    await page.waitForSelector('[data-testid=replay] .oc-kitchen');
    await page.locator('[data-testid=step-slider]').fill(String(cooking + 1));
    const pot = page.locator('.oc-pot.is-cooking');
    expect(await pot.getAttribute('data-cook')).toBe(String(frames[cooking]!.pots.find((p) => p.onions === 3)!.cookTime));
    expect(await page.locator('[data-testid=step-caption]').innerText()).toMatch(/moves|stays|interacts/);
    await shot(page, 'overcooked-replay');
    await page.keyboard.press('End');
    expect(await page.locator('.oc-score').getAttribute('data-score')).toBe(String(frames[frames.length - 1]!.score));
  });

  it('fits a 390 px phone: the Hanabi and Overcooked boards', async () => {
    const { context, page } = await newPage(browser, PHONE);
    contexts.push(context);
    const width = async (): Promise<number> => Number(await page.evaluate('document.documentElement.scrollWidth'));
    await challengeFromLobby(page, 'hanabi', 'house.hanabi-rules', '0');
    await nextTurn(page);
    await shot(page, 'hanabi-phone');
    expect(await width()).toBeLessThanOrEqual(PHONE.width);
    await resign(page);
    await challengeFromLobby(page, 'overcooked', 'house.overcooked-greedy', '0');
    await nextTurn(page);
    expect(await width()).toBeLessThanOrEqual(PHONE.width);
    await resign(page);
  });
});
