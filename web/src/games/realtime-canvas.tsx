/**
 * The host of realtime games: a canvas redrawn every animation frame from the latest render data (the view's
 * `draw`), and keyboard input turned into the action vector (the view's `action`) that answers every tick's
 * turn at once. A realtime game's view module exports a `RealtimeCanvasView` (see types.ts) and is listed in
 * registry.ts; this component does the rest (sizing, device pixel ratio, key state, focus loss).
 */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { BoardProps, RealtimeCanvasView } from './types';

export function RealtimeCanvasBoard({ view, render, seat, turn, act }: BoardProps & { readonly view: RealtimeCanvasView }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const latest = useRef<unknown>(render);
  latest.current = render;
  const keys = useRef(new Set<string>());

  // Keys held down; everything is released when the window loses focus (no key stuck down after alt-tab).
  useEffect(() => {
    const down = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      keys.current.add(e.code);
      if (e.code.startsWith('Arrow') || e.code === 'Space') e.preventDefault();
    };
    const up = (e: KeyboardEvent): void => void keys.current.delete(e.code);
    const blur = (): void => keys.current.clear();
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, []);

  // Every tick's turn is answered with what the keys say now.
  useEffect(() => {
    if (turn && act && seat !== null) act(view.action(keys.current, seat));
  }, [turn, act, seat, view]);

  // Draw loop at the display's frame rate; the server's tick rate only changes what there is to draw.
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    let frame = 0;
    const paint = (): void => {
      const ratio = window.devicePixelRatio || 1;
      if (el.width !== view.width * ratio) {
        el.width = view.width * ratio;
        el.height = view.height * ratio;
      }
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      view.draw(ctx, latest.current, seat);
      frame = window.requestAnimationFrame(paint);
    };
    frame = window.requestAnimationFrame(paint);
    return () => window.cancelAnimationFrame(frame);
  }, [view, seat]);

  return (
    <div class="realtime" data-testid="board" data-game="realtime">
      <canvas ref={canvas} class="realtime-canvas" style={{ aspectRatio: `${view.width} / ${view.height}` }} />
      <p class="realtime-controls">{view.controls}</p>
    </div>
  );
}
