/** Transient messages (errors, notices) stacked at the bottom of the screen; errors stay 9 s, notices 4 s, or until dismissed. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { explain } from '../errors';

interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: 'error' | 'info';
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = (): void => listeners.forEach((l) => l());

export function showError(error: unknown): void {
  push(explain(error), 'error');
}

export function showInfo(text: string): void {
  push(text, 'info');
}

function push(text: string, tone: Toast['tone']): void {
  if (toasts.some((t) => t.text === text)) return; // the same failure twice is one message
  const toast = { id: nextId++, text, tone };
  toasts = [...toasts.slice(-3), toast];
  emit();
  window.setTimeout(() => dismiss(toast.id), tone === 'error' ? 9000 : 4000);
}

function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function Toasts(): JSX.Element {
  const [list, setList] = useState(toasts);
  useEffect(() => {
    const on = (): void => setList(toasts);
    listeners.add(on);
    return () => void listeners.delete(on);
  }, []);
  return (
    <div class="toasts" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
          <span>{t.text}</span>
          <button class="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
