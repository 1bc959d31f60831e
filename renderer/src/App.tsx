/** The console's main window: the menu bar, the users area, and the dialogs the Tools menu opens. */
import { useEffect, useState } from 'react';
import type { AppInfo, MenuCommand } from '../../shared/contract.ts';
import { api } from './api.ts';
import { MenuBar } from './controls/MenuBar.tsx';
import { MessageBox } from './controls/MessageBox.tsx';
import { IntegrationDialog } from './dialogs/IntegrationDialog.tsx';

export function App() {
  const [dialog, setDialog] = useState<MenuCommand | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [exited, setExited] = useState(false);

  useEffect(() => {
    void api.invoke('app.info', {}).then((r) => r.ok && setInfo(r.value));
    return api.on('menu.command', ({ command }) => setDialog(command));
  }, []);

  if (exited) return <p className="exited">The console was closed. You can close this browser tab.</p>;

  return (
    <div className="app">
      <MenuBar
        menus={[
          { label: 'File', items: [{ label: 'Exit', onSelect: () => (info?.transport === 'electron' ? window.close() : setExited(true)) }] },
          { label: 'Tools', items: [{ label: 'Active Directory (LDAP) integration…', onSelect: () => setDialog('integration') }] },
          { label: 'Help', items: [{ label: 'About AD Console', onSelect: () => setDialog('about') }] },
        ]}
      />
      <main className="workspace" aria-label="Users">
        <nav className="tree-pane" aria-label="Server organizational units">
          <p className="pane-title">Organizational units</p>
        </nav>
        <section className="list-pane" aria-label="Accounts">
          <p className="empty">No users database yet. Set up the connection under Tools → Active Directory (LDAP) integration….</p>
        </section>
      </main>
      <footer className="statusbar">{info ? `${info.name} ${info.version} · ${info.transport === 'electron' ? 'desktop' : 'browser console'} · data in ${info.dataDir}` : ''}</footer>
      {dialog === 'integration' && <IntegrationDialog onClose={() => setDialog(null)} />}
      {dialog === 'about' && (
        <MessageBox title="About AD Console" kind="info" message={`${info?.name ?? 'AD Console'} ${info?.version ?? ''} — connects the communication server's users database to Active Directory over LDAP.`} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}
