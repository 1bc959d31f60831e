/** The native menu's template, with Electron's Menu stubbed (pure unit test: no Electron binary here). */
import { describe, expect, it, vi } from 'vitest';

let template: {
  label: string;
  submenu: { label: string; accelerator?: string; registerAccelerator: boolean; click: () => void }[];
}[] = [];
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
const { MENUS } = await import('../../shared/menus.ts');

describe('installMenu', () => {
  it('has the same items as the menu bar the window draws (one list), and each one acts', () => {
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
      'Contents',
      'About AD Console',
    ]);
    expect(template.map((m) => m.label)).toEqual(MENUS.map((m) => m.label));
    for (const menu of template) for (const item of menu.submenu) item.click();
    expect(sent).toEqual(['integration', 'import-wizard', 'schedule', 'help', 'about']);
    expect(quit).toBe(1);
  });

  it('shows F1 without taking it from the window, which opens help on the dialog in front', () => {
    installMenu(
      () => undefined,
      () => undefined,
    );
    const contents = template.flatMap((m) => m.submenu).find((i) => i.label === '&Contents')!;
    expect(contents).toMatchObject({ accelerator: 'F1', registerAccelerator: false });
    expect(template[0]!.submenu[0]).toMatchObject({ accelerator: 'Alt+F4', registerAccelerator: true });
  });
});
