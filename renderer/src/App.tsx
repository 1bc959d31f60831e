/** The console's main window: the menu bar, the users area, and the dialogs the Tools menu opens. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo } from '../../shared/contract.ts';
import { type MenuCommand, MENUS } from '../../shared/menus.ts';
import { api } from './api.ts';
import { MenuBar } from './controls/MenuBar.tsx';
import { MessageBox } from './controls/MessageBox.tsx';
import { isModalOpen, modalsFrontToBack } from './controls/modal-stack.ts';
import { HelpDialog } from './help/HelpDialog.tsx';
import { helpTopicOf, type HelpTopicId } from './help/help-topics.ts';
import { IntegrationDialog } from './dialogs/IntegrationDialog.tsx';
import { ScheduleDialog } from './schedule/ScheduleDialog.tsx';
import { ScheduleStatus } from './schedule/ScheduleStatus.tsx';
import { UsersView } from './users/UsersView.tsx';
import { ImportWizard } from './wizard/ImportWizard.tsx';

export function App() {
  const [dialog, setDialog] = useState<Exclude<MenuCommand, 'exit' | 'help'> | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [exited, setExited] = useState(false);
  const [status, setStatus] = useState('');
  const [help, setHelp] = useState<HelpTopicId | null>(null);
  const onStatus = useCallback((text: string) => setStatus(text), []);
  const command = useCallback(
    (c: MenuCommand) => {
      if (c === 'exit') {
        if (info?.transport === 'electron') window.close();
        else setExited(true);
      } else if (c === 'help') setHelp('contents');
      else setDialog(c);
    },
    [info],
  );

  // F1: help on the dialog in front (its data-help), or on the main window.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F1') return;
      e.preventDefault();
      if (document.querySelector('[data-help="help"]')) return;
      // A message box has no topic of its own: it is about the dialog it came from.
      const named = modalsFrontToBack()
        .map((m) => m.querySelector('[data-help]')?.getAttribute('data-help'))
        .find(Boolean);
      setHelp(helpTopicOf(named));
    };
    // Capture: a dialog stops its keys from reaching the window.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const commandRef = useRef(command);
  commandRef.current = command;
  useEffect(() => {
    void api.invoke('app.info', {}).then((r) => r.ok && setInfo(r.value));
    // As on Windows, the menu does nothing while a dialog is open (the native menu still sends commands).
    return api.on('menu.command', ({ command: c }) => !isModalOpen() && commandRef.current(c));
  }, []);

  if (exited) return <p className="exited">The console was closed. You can close this browser tab.</p>;

  return (
    <div className="app">
      <MenuBar
        menus={MENUS.map((m) => ({
          label: m.label,
          items: m.items.map((item) => ({
            label: item.label,
            ...(item.accelerator ? { shortcut: item.accelerator } : {}),
            onSelect: () => command(item.command),
          })),
        }))}
      />
      <UsersView onStatus={onStatus} />
      <footer className="statusbar">
        <span role="status" aria-label="Status" title={status}>
          {status}
        </span>
        <ScheduleStatus onOpen={() => !isModalOpen() && setDialog('schedule')} />
        <span className="note app-info" title={info ? info.dataDir : undefined}>
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
      {help && <HelpDialog topic={help} onClose={() => setHelp(null)} />}
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
