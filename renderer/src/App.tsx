/** The console's main window: the menu bar, the users area, and the dialogs the Tools menu opens. */
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, MenuCommand } from '../../shared/contract.ts';
import { api } from './api.ts';
import { MenuBar } from './controls/MenuBar.tsx';
import { MessageBox } from './controls/MessageBox.tsx';
import { isModalOpen } from './controls/modal-stack.ts';
import { IntegrationDialog } from './dialogs/IntegrationDialog.tsx';
import { ScheduleDialog } from './schedule/ScheduleDialog.tsx';
import { ScheduleStatus } from './schedule/ScheduleStatus.tsx';
import { UsersView } from './users/UsersView.tsx';
import { ImportWizard } from './wizard/ImportWizard.tsx';

export function App() {
  const [dialog, setDialog] = useState<MenuCommand | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [exited, setExited] = useState(false);
  const [status, setStatus] = useState('');
  const onStatus = useCallback((text: string) => setStatus(text), []);

  useEffect(() => {
    void api.invoke('app.info', {}).then((r) => r.ok && setInfo(r.value));
    // As on Windows, the menu does nothing while a dialog is open (the native menu still sends commands).
    return api.on('menu.command', ({ command }) => !isModalOpen() && setDialog(command));
  }, []);

  if (exited) return <p className="exited">The console was closed. You can close this browser tab.</p>;

  return (
    <div className="app">
      <MenuBar
        menus={[
          {
            label: 'File',
            items: [
              { label: 'Exit', onSelect: () => (info?.transport === 'electron' ? window.close() : setExited(true)) },
            ],
          },
          {
            label: 'Tools',
            items: [
              { label: 'Active Directory (LDAP) integration…', onSelect: () => setDialog('integration') },
              { label: 'Active Directory Import Wizard…', onSelect: () => setDialog('import-wizard') },
              { label: 'Synchronization schedule…', onSelect: () => setDialog('schedule') },
            ],
          },
          { label: 'Help', items: [{ label: 'About AD Console', onSelect: () => setDialog('about') }] },
        ]}
      />
      <UsersView onStatus={onStatus} />
      <footer className="statusbar">
        <span role="status" aria-label="Status">
          {status}
        </span>
        <ScheduleStatus onOpen={() => !isModalOpen() && setDialog('schedule')} />
        <span className="note">
          {info
            ? `${info.name} ${info.version} · ${info.transport === 'electron' ? 'desktop' : 'browser console'} ` +
              `· data in ${info.dataDir}`
            : ''}
        </span>
      </footer>
      {dialog === 'integration' && <IntegrationDialog onClose={() => setDialog(null)} />}
      {dialog === 'import-wizard' && <ImportWizard onClose={() => setDialog(null)} />}
      {dialog === 'schedule' && (
        <ScheduleDialog onClose={() => setDialog(null)} onOpenWizard={() => setDialog('import-wizard')} />
      )}
      {dialog === 'about' && (
        <MessageBox
          title="About AD Console"
          kind="info"
          message={
            `${info?.name ?? 'AD Console'} ${info?.version ?? ''} — connects the communication server's ` +
            `users database to Active Directory over LDAP.`
          }
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
