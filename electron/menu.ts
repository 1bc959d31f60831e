/** The native application menu: the same items as the menu bar the renderer draws (shared/menus.ts). */
import { Menu } from 'electron';
import { type MenuCommand, MENUS } from '../shared/menus.ts';

export function installMenu(send: (command: MenuCommand) => void, quit: () => void): void {
  const menu = Menu.buildFromTemplate(
    MENUS.map((m) => ({
      label: m.label,
      submenu: m.items.map((item) => ({
        label: item.label,
        accelerator: item.accelerator,
        registerAccelerator: !item.keyInWindow,
        click: () => (item.command === 'exit' ? quit() : send(item.command)),
      })),
    })),
  );
  Menu.setApplicationMenu(menu);
}
