/** Wires the core for one process: settings file, password vault, resolver and the handler registry. */
import fs from 'node:fs';
import path from 'node:path';
import type { AppInfo, Events } from '../../shared/contract.ts';
import { formatImportSource } from '../../shared/import-source.ts';
import { createResolver } from './directory/resolver.ts';
import { SessionCache } from './directory/session-cache.ts';
import { watchForeignChanges } from './database/change-watch.ts';
import { databaseLocation, SharedDatabase } from './database/users-database.ts';
import { ImportJobs } from './import/import-jobs.ts';
import { BackgroundPublisher } from './publish/auto-publish.ts';
import { createHandlers, type Handlers } from './handlers.ts';
import { INSTALL_ROOT, PRODUCT_NAME } from './paths.ts';
import { RefusedPasswords } from './secrets/refused-passwords.ts';
import type { PasswordVault } from './secrets/password-vault.ts';
import { SettingsStore, type KeyValueFile } from './settings/settings-store.ts';

export interface Services {
  handlers: Handlers;
  settings: SettingsStore;
  vault: PasswordVault;
  /** Subscribe to pushed events; returns the unsubscribe function. */
  subscribe(listener: (event: keyof Events, payload: Events[keyof Events]) => void): () => void;
  /** Push an event to every subscriber (the Electron glue forwards menu commands this way). */
  emit<E extends keyof Events>(event: E, payload: Events[E]): void;
  log: (line: string) => void;
  /** Ends what the services hold open: a running import (cancelled), the database, the Browse session. */
  close(): Promise<void>;
}

export const APP_VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(INSTALL_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

export function createServices(options: {
  file: KeyValueFile;
  vault: (file: KeyValueFile) => PasswordVault;
  transport: AppInfo['transport'];
  dataDir: string;
  log?: (line: string) => void;
}): Services {
  const listeners = new Set<(event: keyof Events, payload: Events[keyof Events]) => void>();
  const settings = new SettingsStore(options.file);
  const vault = options.vault(options.file);
  const log = options.log ?? ((line: string) => console.error(line));
  const emit = <E extends keyof Events>(event: E, payload: Events[E]) => {
    for (const listener of listeners) listener(event, payload);
  };
  let stopWatching: (() => void) | null = null;
  const database = new SharedDatabase(() => databaseLocation(options.dataDir, settings.load()));
  const refusedPasswords = new RefusedPasswords((work) => database.use(work));
  const browseSessions = new SessionCache(refusedPasswords);
  const publisher = new BackgroundPublisher({
    use: (work) => database.use(work),
    settings: () => settings.load(),
    log,
    // The status bar shows how publishing went (not users.changed: nothing in the views changed).
    onOutcome: (outcome) => {
      if (outcome.status === 'published' || outcome.status === 'failed') emit('publishing.changed', {});
    },
  });
  const jobs = new ImportJobs({
    emit,
    // What the wizard chose is kept, so that the scheduled sync and `bcscmd /LDAP` import the same way.
    onApplied: (start) => {
      const { importComputers, parseMiddleName, placement, placementOu, importDisabled } = start.settings;
      const source = start.request.source;
      settings.save({
        ...settings.load(),
        importComputers,
        parseMiddleName,
        placement,
        placementOu,
        importDisabled,
        ...(source ? { importSource: formatImportSource({ levels: [], ...source }) } : {}),
      });
      publisher.nudge();
    },
  });
  const handlers = createHandlers({
    settings,
    vault,
    resolver: createResolver(),
    info: { name: PRODUCT_NAME, version: APP_VERSION, transport: options.transport, dataDir: options.dataDir },
    emit,
    browseSessions,
    database,
    refusedPasswords,
    jobs,
    publisher,
  });
  return {
    handlers,
    settings,
    vault,
    subscribe(listener) {
      listeners.add(listener);
      // Someone shows the database: changes by other processes (the service, bcscmd) reach the views too.
      stopWatching ??= watchForeignChanges(database, () => emit('users.changed', {}));
      return () => listeners.delete(listener);
    },
    emit,
    log,
    close: async () => {
      stopWatching?.();
      await jobs.close();
      await publisher.idle();
      database.close();
      await browseSessions.close();
    },
  };
}
