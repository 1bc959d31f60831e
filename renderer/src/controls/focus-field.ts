/** Puts the cursor into a field with its text selected, as Windows does for a field that needs correcting. */
export function focusField(id: string): void {
  const el = document.getElementById(id) as HTMLInputElement | null;
  el?.focus();
  el?.select?.();
}
