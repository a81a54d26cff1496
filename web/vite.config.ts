/**
 * Vite build of the web app into dist/web, which the arena server serves at `/`. The SDK is compiled from its
 * TypeScript source (the workspace package `@selfplay-arena/client`), so the app needs no separate SDK build.
 * Development: `VITE_ARENA_URL=http://127.0.0.1:2567 npx vite --config web/vite.config.ts` serves the app with hot
 * reload and talks to that arena directly (the arena answers cross-origin requests).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  logLevel: 'warn',
  resolve: { alias: { '@selfplay-arena/client': here('../client-sdk/src/index.ts') } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: here('../dist/web'), emptyOutDir: true, target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 400 },
});
