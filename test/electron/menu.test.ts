/** The native menu's template, with Electron's Menu stubbed (pure unit test: no Electron binary here). */
import { describe, expect, it, vi } from 'vitest';

let template: { label: string; submenu: { label: string; click: () => void }[] }[] = [];
vi.mock('electron', () => ({
  Menu: {
    buildFromTemplate: (t: typeof template) => {
      template = t;
      return t;
    },
    setApplicationMenu: () => undefined,
  },
}));
const { installMenu } = await import('../../electron/menu.ts');

describe('installMenu', () => {
  it('has the same items as the menu bar the window draws, and each one acts', () => {
    const sent: string[] = [];
    let quit = 0;
    installMenu(
      (command) => sent.push(command),
      () => quit++,
    );
    expect(template.map((m) => m.label.replace('&', ''))).toEqual(['File', 'Tools', 'Help']);
    expect(template.flatMap((m) => m.submenu.map((i) => i.label.replace('&', '')))).toEqual([
      'Exit',
      'Active Directory (LDAP) integration…',
      'Active Directory Import Wizard…',
      'Synchronization schedule…',
      'About AD Console',
    ]);
    for (const menu of template) for (const item of menu.submenu) item.click();
    expect(sent).toEqual(['integration', 'import-wizard', 'schedule', 'about']);
    expect(quit).toBe(1);
  });
});
