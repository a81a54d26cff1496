/**
 * Keyboard play for board views: a window-level key handler active only while the viewer may act, ignoring keys
 * typed into form fields and keys with modifiers (browser shortcuts stay the browser's).
 */
import { useEffect, useRef } from 'preact/hooks';

export function useKeys(active: boolean, onKey: (key: string, event: KeyboardEvent) => boolean): void {
  const handler = useRef(onKey);
  handler.current = onKey;
  useEffect(() => {
    if (!active) return;
    const on = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
      // Enter and Space on a focused button already click it; handling them here as well would act twice.
      if ((e.key === 'Enter' || e.key === ' ') && target?.tagName === 'BUTTON') return;
      if (handler.current(e.key, e)) e.preventDefault();
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [active]);
}

/** The discrete action ids in a turn's legal list. */
export function legalIds(legal: readonly unknown[] | undefined): ReadonlySet<number> {
  return new Set((legal ?? []).filter((a): a is number => typeof a === 'number'));
}
