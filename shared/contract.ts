/**
 * The one contract between the renderer and the main process: every operation the renderer may call
 * (name, input schema, result type) and every event the main process pushes. The preload, the
 * handler registry, the browser transport and the renderer's client are all derived from it.
 */
import { z } from 'zod';
import type { Result } from './result.ts';
import { settingsSchema, type Settings } from './settings.ts';

const password = z.string().max(1024);
const connectionInput = z.object({ settings: settingsSchema, password: password.optional() }).strict();

/** The result type rides along as a phantom so that callers get it without a second list. */
function op<I extends z.ZodType, R>(input: I): { input: I; result: R } {
  return { input, result: undefined as R };
}

export interface SecureStorageInfo {
  /** False when passwords cannot be kept safely on this machine (then they are not stored). */
  persistent: boolean;
  description: string;
}

export interface SettingsView {
  settings: Settings;
  /** Whether a password is stored, and for which login/server; never the password itself. */
  password: { stored: boolean; login?: string; server?: string };
  secureStorage: SecureStorageInfo;
}

export interface SaveResult extends SettingsView {
  notices: string[];
}

export const TEST_STEPS = ['resolve', 'connect', 'tls', 'bind', 'directory', 'container', 'accounts'] as const;
export type TestStepName = (typeof TEST_STEPS)[number];

export interface TestStep {
  name: TestStepName;
  ok: boolean;
  ms: number;
  detail: string;
  hint?: string;
}

export interface TestReport {
  ok: boolean;
  steps: TestStep[];
  /** One paragraph for the message box: what worked, or which step failed, why and what to change. */
  summary: string;
}

export interface BrowseNode {
  dn: string;
  name: string;
  kind: 'domain' | 'organizationalUnit' | 'container' | 'builtinDomain';
}

export interface BrowseResult {
  node: BrowseNode;
  children: BrowseNode[];
}

export interface AppInfo {
  name: string;
  version: string;
  /** Where this core serves: the desktop window, the browser console, or bcscmd. */
  transport: 'electron' | 'browser' | 'cli';
  dataDir: string;
}

export const operations = {
  'app.info': op<z.ZodObject<{}>, AppInfo>(z.object({}).strict()),
  'settings.get': op<z.ZodObject<{}>, SettingsView>(z.object({}).strict()),
  'settings.save': op<z.ZodType<SaveInput>, SaveResult>(
    z
      .object({
        settings: settingsSchema,
        password: z.discriminatedUnion('action', [
          z.object({ action: z.literal('keep') }).strict(),
          z.object({ action: z.literal('clear') }).strict(),
          z.object({ action: z.literal('set'), value: password.min(1) }).strict(),
        ]),
      })
      .strict(),
  ),
  'connection.test': op<typeof connectionInput, TestReport>(connectionInput),
  'directory.browse': op<z.ZodType<BrowseInput>, BrowseResult>(
    connectionInput.extend({ dn: z.string().max(4200).nullable() }).strict(),
  ),
} as const;

export interface SaveInput {
  settings: Settings;
  password: { action: 'keep' } | { action: 'clear' } | { action: 'set'; value: string };
}
export interface BrowseInput {
  settings: Settings;
  password?: string;
  /** null = the domain's naming context. */
  dn: string | null;
}

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<K extends OperationName> = z.infer<Operations[K]['input']>;
export type ResultOf<K extends OperationName> = Operations[K]['result'];
export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

/** Events the main process pushes to every window / browser session. */
export type MenuCommand = 'integration' | 'about';
export interface Events {
  'settings.changed': SettingsView;
  /** A native menu item was chosen (Electron); the renderer opens the same dialog as its own menu bar. */
  'menu.command': { command: MenuCommand };
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['settings.changed', 'menu.command'];

/** Electron IPC channel names: one per operation, one for all pushed events (main and preload both use these). */
export const channelOf = (operation: OperationName) => `adconsole:${operation}`;
export const EVENT_CHANNEL = 'adconsole:event';

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

/** The API object the renderer sees as `window.adConsole` (Electron) or builds over HTTP (browser). */
export interface AdConsoleApi {
  invoke<K extends OperationName>(name: K, input: InputOf<K>): Promise<Result<ResultOf<K>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
