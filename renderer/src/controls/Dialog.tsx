/**
 * A modal dialog that behaves like a Windows one: named by its title, focus moves in on open and back on
 * close, Tab stays inside, Esc cancels, Enter presses the default button (the form's submit), the title bar
 * moves it, F1 opens its help topic.
 */
import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Ak } from './Ak.tsx';
import { pushModal } from './modal-stack.ts';

// The title bar's close button (tabindex -1) is for the mouse, as in Windows: focus never lands on it.
const FOCUSABLE =
  ':is(button, input, select, textarea):not([disabled]):not([tabindex="-1"]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: string;
  onCancel: () => void;
  onSubmit?: () => void;
  children: ReactNode;
  buttons: ReactNode;
  role?: 'dialog' | 'alertdialog';
  width?: number;
  describedBy?: string;
  /** The help topic F1 opens while this dialog is in front. */
  help?: string;
}

export function Dialog({
  title,
  onCancel,
  onSubmit,
  children,
  buttons,
  role = 'dialog',
  width = 460,
  describedBy,
  help,
}: DialogProps) {
  const titleId = useId();
  const ref = useRef<HTMLFormElement>(null);
  const [offset, setOffset] = useState({ x: 0, y: 0 });
  // Moved by its title bar, as on Windows; the title bar stays within the window so it can be caught again.
  const startMove = (event: React.PointerEvent) => {
    if (event.button !== 0 || (event.target as HTMLElement).closest('button')) return;
    const form = ref.current!;
    const box = form.getBoundingClientRect();
    const from = { x: event.clientX - offset.x, y: event.clientY - offset.y };
    const limits = {
      left: -box.left + offset.x,
      right: window.innerWidth - box.right + offset.x,
      top: -box.top + offset.y,
      bottom: window.innerHeight - box.top - 30 + offset.y,
    };
    const move = (e: PointerEvent) =>
      setOffset({
        x: Math.min(limits.right + box.width - 60, Math.max(limits.left - box.width + 60, e.clientX - from.x)),
        y: Math.min(limits.bottom, Math.max(limits.top, e.clientY - from.y)),
      });
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    event.preventDefault();
  };
  const backdrop = useRef<HTMLDivElement>(null);
  // Modal as on Windows: everything behind is inert while it is open; focus returns to its opener.
  useLayoutEffect(
    () =>
      pushModal(
        backdrop.current!,
        () =>
          ref.current?.querySelector<HTMLElement>('[data-autofocus]') ??
          ref.current?.querySelector<HTMLElement>(FOCUSABLE) ??
          null,
      ),
    [],
  );

  // React lets events from a portal bubble to the component that rendered it: a nested dialog's keys and
  // submit must not also reach the dialog underneath.
  const onKeyDown = (event: React.KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.stopPropagation();
      event.preventDefault();
      onCancel();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="modal-backdrop" ref={backdrop}>
      <form
        ref={ref}
        className="dialog"
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        data-help={help}
        style={{ width, transform: `translate(${offset.x}px, ${offset.y}px)` }}
        onKeyDown={onKeyDown}
        onSubmit={(event) => {
          event.preventDefault();
          event.stopPropagation();
          onSubmit?.();
        }}
        noValidate
      >
        <div className="dialog-title" onPointerDown={startMove}>
          <span id={titleId}>{title}</span>
          <button type="button" className="dialog-close" aria-label="Close" tabIndex={-1} onClick={onCancel}>
            ✕
          </button>
        </div>
        <div className="dialog-body">{children}</div>
        <div className="dialog-buttons">{buttons}</div>
      </form>
    </div>,
    document.body,
  );
}

/** The default button (OK, or `ok` with its access key) and Cancel, as Windows dialogs end. */
export function OkCancel({
  onCancel,
  disabled = false,
  ok = 'OK',
}: {
  onCancel: () => void;
  disabled?: boolean;
  ok?: string;
}) {
  return (
    <>
      <button type="submit" className="default" disabled={disabled}>
        <Ak text={ok} />
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </>
  );
}
