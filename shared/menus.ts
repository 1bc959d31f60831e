/**
 * The console's menus, declared once: the native Electron menu and the menu bar the renderer draws come
 * from this list. Labels carry their access keys ("&File"), the convention both Windows and Electron use.
 */
export type MenuCommand = 'exit' | 'integration' | 'import-wizard' | 'schedule' | 'help' | 'about';

export interface MenuEntry {
  label: string;
  command: MenuCommand;
  /** Electron accelerator, shown in the native menu. */
  accelerator?: string;
  /**
   * The window handles the key itself (F1 opens help on the dialog in front), so the native menu only shows it:
   * registered, it would take the key even while a dialog is open.
   */
  keyInWindow?: boolean;
}

export const MENUS: { label: string; items: MenuEntry[] }[] = [
  { label: '&File', items: [{ label: 'E&xit', command: 'exit', accelerator: 'Alt+F4' }] },
  {
    label: '&Tools',
    items: [
      { label: 'Active Directory (LDAP) &integration…', command: 'integration' },
      { label: 'Active Directory Import &Wizard…', command: 'import-wizard' },
      { label: '&Synchronization schedule…', command: 'schedule' },
    ],
  },
  {
    label: '&Help',
    items: [
      { label: '&Contents', command: 'help', accelerator: 'F1', keyInWindow: true },
      { label: '&About AD Console', command: 'about' },
    ],
  },
];
