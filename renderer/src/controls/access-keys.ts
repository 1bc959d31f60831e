/**
 * Alt+letter, as in Windows: within the dialog in front (or the main window when none is open) the control
 * whose underlined letter it is gets it — a button or menu title is pressed, a check box or option button
 * toggled, a label's field focused. When two controls share a letter, focus moves between them without
 * pressing either, as Windows does.
 */
import { topModal } from './modal-stack.ts';

/** The letter a key press stands for, whatever the keyboard layout does with Alt. */
function letterOf(e: KeyboardEvent): string | null {
  const code = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(e.code);
  if (code) return (code[1] ?? code[2]!).toLowerCase();
  return e.key.length === 1 ? e.key.toLowerCase() : null;
}

const visible = (el: HTMLElement) => el.getClientRects().length > 0 && !el.closest('[inert]');

/** The control an underlined letter belongs to. */
function controlOf(mark: HTMLElement): HTMLElement | null {
  const owner = mark.closest<HTMLElement>('button, label, [role="menuitem"]');
  if (!owner) return null;
  if (owner instanceof HTMLLabelElement) return owner.control ?? owner.querySelector('input, select, textarea');
  return owner;
}

const usable = (el: HTMLElement) =>
  visible(el) && !(el as HTMLButtonElement).disabled && el.getAttribute('aria-disabled') !== 'true';

/** The controls with access key `letter` in `scope`, in document order. */
export function controlsWithKey(scope: ParentNode, letter: string): HTMLElement[] {
  const found: HTMLElement[] = [];
  for (const mark of scope.querySelectorAll<HTMLElement>('u.ak')) {
    if (mark.textContent?.toLowerCase() !== letter || !visible(mark)) continue;
    const control = controlOf(mark);
    if (control && usable(control) && !found.includes(control)) found.push(control);
  }
  return found;
}

function activate(control: HTMLElement): void {
  control.focus();
  if (control instanceof HTMLInputElement) {
    if (control.type === 'checkbox' || control.type === 'radio') control.click();
    else control.select();
  } else if (control instanceof HTMLButtonElement || control.getAttribute('role') === 'menuitem') control.click();
}

function onKeyDown(e: KeyboardEvent): void {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
  const letter = letterOf(e);
  if (!letter) return;
  const scope = topModal() ?? document.querySelector<HTMLElement>('.app');
  if (!scope) return;
  const controls = controlsWithKey(scope, letter);
  if (controls.length === 0) return;
  e.preventDefault();
  e.stopPropagation();
  if (controls.length === 1) {
    activate(controls[0]!);
    return;
  }
  const at = controls.indexOf(document.activeElement as HTMLElement);
  controls[(at + 1) % controls.length]!.focus();
}

export function installAccessKeys(): void {
  window.addEventListener('keydown', onKeyDown, true);
}
