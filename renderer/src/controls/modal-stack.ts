/**
 * The open modal dialogs, bottom to top, as Windows keeps them: everything but the top dialog is inert
 * (no focus, no clicks, no keys — the menu bar and the dialogs below included), and when a dialog
 * closes, focus goes back to the control that opened it, or else to where it last was in the dialog
 * now on top (the opener may have been disabled while it worked, as Test connection is).
 */
interface Entry {
  element: HTMLElement;
  opener: HTMLElement | null;
  lastFocused: HTMLElement | null;
}

const stack: Entry[] = [];

function applyInert(): void {
  const top = stack.at(-1)?.element;
  for (const child of Array.from(document.body.children)) {
    if (child instanceof HTMLElement) child.inert = top !== undefined && child !== top;
  }
}

const focusable = (el: HTMLElement | null | undefined): el is HTMLElement =>
  !!el && el.isConnected && !(el as HTMLButtonElement).disabled && !el.closest('[inert]') && el !== document.body;

export function isModalOpen(): boolean {
  return stack.length > 0;
}

/** The dialog in front, or null. */
export function topModal(): HTMLElement | null {
  return stack.at(-1)?.element ?? null;
}

/** The open dialogs, the one in front first. */
export function modalsFrontToBack(): HTMLElement[] {
  return stack.map((e) => e.element).reverse();
}

/** Registers a dialog's outermost element (a direct child of body); returns what to call when it closes. */
export function pushModal(element: HTMLElement, firstFocus: () => HTMLElement | null): () => void {
  const active = document.activeElement as HTMLElement | null;
  const below = stack.at(-1);
  const entry: Entry = {
    element,
    opener: active && active !== document.body ? active : (below?.lastFocused ?? null),
    lastFocused: null,
  };
  const track = (event: FocusEvent) => {
    if (event.target instanceof HTMLElement) entry.lastFocused = event.target;
  };
  element.addEventListener('focusin', track);
  stack.push(entry);
  applyInert();
  firstFocus()?.focus();
  return () => {
    element.removeEventListener('focusin', track);
    const index = stack.indexOf(entry);
    if (index >= 0) stack.splice(index, 1);
    applyInert();
    const under = stack.at(-1);
    const target = [entry.opener, under?.lastFocused].find(focusable);
    if (target) target.focus();
    else
      (
        under?.element.querySelector<HTMLElement>('[data-autofocus]') ??
        under?.element.querySelector<HTMLElement>('button, input')
      )?.focus();
  };
}
