/**
 * A movable splitter between two panes, as in the Windows consoles: drag it, or focus it and use the
 * arrow keys (10 px a step). The size it sets is the pane before it (vertical) or after it (horizontal);
 * `usePaneSize` keeps that size and remembers it.
 */
import { useState } from 'react';
import { loadSize, saveSize } from './layout-store.ts';

export interface Pane {
  /** Where the size is remembered. */
  name: string;
  fallback: number;
  min: number;
  max: number;
}

/** A pane's size, remembered across sessions, and the props its splitter needs. */
export function usePaneSize(pane: Pane) {
  const [size, setSize] = useState(() => loadSize(pane.name, pane.fallback, pane.min, pane.max));
  return {
    size,
    splitter: { size, min: pane.min, max: pane.max, onSize: setSize, onDone: (n: number) => saveSize(pane.name, n) },
  };
}

export function Splitter({
  label,
  orientation,
  size,
  min,
  max,
  onSize,
  onDone,
}: {
  label: string;
  /** 'vertical': a bar between side-by-side panes; 'horizontal': between stacked panes. */
  orientation: 'vertical' | 'horizontal';
  size: number;
  min: number;
  max: number;
  onSize: (size: number) => void;
  /** When a drag or key press has finished (to remember the size). */
  onDone: (size: number) => void;
}) {
  const vertical = orientation === 'vertical';
  // The pane after a horizontal splitter grows when the bar moves up.
  const sign = vertical ? 1 : -1;
  const clamp = (n: number) => Math.round(Math.min(max, Math.max(min, n)));
  const startDrag = (event: React.PointerEvent) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const start = vertical ? event.clientX : event.clientY;
    const from = size;
    let latest = size;
    const move = (e: PointerEvent) => {
      latest = clamp(from + sign * ((vertical ? e.clientX : e.clientY) - start));
      onSize(latest);
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      onDone(latest);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const step = { ArrowLeft: -10, ArrowRight: 10, ArrowUp: -10, ArrowDown: 10 }[event.key];
    if (
      step === undefined ||
      (vertical
        ? event.key.includes('Up') || event.key.includes('Down')
        : event.key.includes('Left') || event.key.includes('Right'))
    )
      return;
    event.preventDefault();
    const next = clamp(size + sign * step);
    onSize(next);
    onDone(next);
  };
  return (
    <div
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className={`splitter ${orientation}`}
      onPointerDown={startDrag}
      onKeyDown={onKeyDown}
    />
  );
}
