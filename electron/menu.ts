/** The native application menu, with the same items as the menu bar the renderer draws. */
import { Menu } from 'electron';
import type { MenuCommand } from '../shared/contract.ts';

export function installMenu(send: (command: MenuCommand) => void, quit: () => void): void {
  const menu = Menu.buildFromTemplate([
    { label: '&File', submenu: [{ label: 'E&xit', accelerator: 'Alt+F4', click: quit }] },
    {
      label: '&Tools',
      submenu: [
        { label: 'Active &Directory (LDAP) integration…', click: () => send('integration') },
        { label: 'Active Directory &Import Wizard…', click: () => send('import-wizard') },
        { label: '&Synchronization schedule…', click: () => send('schedule') },
      ],
    },
    { label: '&Help', submenu: [{ label: '&About AD Console', click: () => send('about') }] },
  ]);
  Menu.setApplicationMenu(menu);
}
