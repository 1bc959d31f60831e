/** The desktop app's main process: one locked-down window, the native menu, IPC and the core services. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import ElectronStore from 'electron-store';
import { createServices } from './core/app-services.ts';
import { defaultDataDir, PRODUCT_NAME } from './core/paths.ts';
import { EncryptedFileVault, SessionVault } from './core/secrets/password-vault.ts';
import { unreadableSettings } from './core/settings/conf-file.ts';
import { SETTINGS_FILE_NAME, type KeyValueFile } from './core/settings/settings-store.ts';
import { EVENT_CHANNEL } from '../shared/contract.ts';
import { registerIpc } from './ipc.ts';
import { runBcscmd } from './core/cli/bcscmd.ts';
import { bcscmdArgumentsOf } from './cli-mode.ts';
import { lockDown } from './lockdown.ts';
import { installMenu } from './menu.ts';
import { safeStorageCipher, safeStorageIsReal } from './safe-storage-cipher.ts';

const dataDir = defaultDataDir();
app.setName(PRODUCT_NAME);
app.setPath('userData', dataDir);

const rendererIndex = path.join(import.meta.dirname, '../renderer/index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

app.enableSandbox();

const cliArguments = bcscmdArgumentsOf(process.argv, process.defaultApp === true);
if (cliArguments) {
  // bcscmd inside the app: no window; the stored password opens with safeStorage; bcscmd's exit code.
  app.dock?.hide();
  void app.whenReady().then(async () => {
    const secure = safeStorageIsReal();
    let code: number;
    try {
      code = await runBcscmd(
        cliArguments,
        process.env,
        { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
        secure.ok ? safeStorageCipher : undefined,
      );
    } catch (err) {
      process.stderr.write(`bcscmd failed unexpectedly: ${(err as Error).message}\n`);
      code = 1;
    }
    app.exit(code);
  });
} else
  void app.whenReady().then(() => {
    // Before any window exists (the default session is only there once the app is ready): no navigation
    // away, no new windows or webviews, no permissions.
    lockDown(app, session.defaultSession, rendererUrl);
    let file: KeyValueFile;
    try {
      file = new ElectronStore({ cwd: dataDir, name: SETTINGS_FILE_NAME }) as unknown as KeyValueFile;
    } catch (err) {
      const failure = unreadableSettings(path.join(dataDir, `${SETTINGS_FILE_NAME}.json`), err);
      dialog.showErrorBox(PRODUCT_NAME, `${failure.message}\n\n${failure.hint}`);
      app.exit(1);
      return;
    }
    const secure = safeStorageIsReal();
    const services = createServices({
      file,
      vault: (f) => (secure.ok ? new EncryptedFileVault(f, safeStorageCipher) : new SessionVault(secure.why)),
      transport: 'electron',
      dataDir,
    });
    registerIpc(services, rendererUrl);
    app.on('will-quit', () => void services.close());

    const window = new BrowserWindow({
      width: 1100,
      height: 720,
      title: PRODUCT_NAME,
      webPreferences: {
        preload: path.join(import.meta.dirname, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    services.subscribe((event, payload) => {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, { event, payload });
    });
    installMenu(
      (command) => services.emit('menu.command', { command }),
      () => app.quit(),
    );
    void window.loadURL(rendererUrl);
  });

app.on('window-all-closed', () => app.quit());
