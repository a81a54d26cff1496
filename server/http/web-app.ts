/**
 * Serves the web app (the Vite build in dist/web, made by `npm run build`) at `/`: content-hashed assets cached
 * for a year, and index.html for every other page the browser asks for (client-side routes such as /play/ID and a
 * reload on them). Transport and API paths are never answered with the app. Without a build, `/` says how to make
 * one instead of failing.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type Application } from 'express';

/** Paths that belong to the API and the transports, not to the app (their own 404s stay theirs). */
const NOT_APP = /^\/(api|socket\.io|colyseus|matchmake|health|metrics)(\/|$)/;
const STATIC_FILE = /\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|json|txt|woff2?|webmanifest)$/i;

/** dist/web of the package this file belongs to (from dist/server/http when built, server/http under jest). */
export function defaultWebDir(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server'))) return join(dir, 'dist', 'web');
    if (dirname(dir) === dir) return join(from, 'web');
  }
}

export function serveWebApp(app: Application, dir: string): void {
  const index = join(dir, 'index.html');
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d' }),
  );
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_APP.test(req.path)) return next();
    // A static file that is not there is a 404, not the app (a stale asset link must not get HTML). Other dots are
    // page addresses: agent names such as /agents/house.random.
    if (req.path.startsWith('/assets/') || STATIC_FILE.test(req.path)) return next();
    if (!existsSync(index)) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}

const NOT_BUILT = `<!doctype html><html><head><meta charset="utf-8"><title>selfplay-arena</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>selfplay-arena</h1><p>The arena is running, but the web app has not been built. Run <code>npm run build</code>
(<code>npm ci</code> does it too) and reload. The API is at <a href="/api/games">/api/games</a>.</p></body></html>`;
