/**
 * The one contract between the renderer and the main process: every operation the renderer may call
 * (name, input schema, result type) and every event the main process pushes. The preload, the
 * handler registry, the browser transport and the renderer's client are all derived from it.
 */
import { z } from 'zod';
import type { PersonFieldKey } from './account-fields.ts';
import { parseDn } from './dn.ts';
import type { ErrorCode } from './error-codes.ts';
import {
  type Action,
  type ImportMode,
  type ImportOutcome,
  MAX_LEFT_OUT,
  type PlannedAction,
  type Progress,
} from './import-run.ts';
import type { LookupResult } from './lookup.ts';
import type { RefusedPassword } from './refused-password.ts';
import type { MenuCommand } from './menus.ts';
import type { ScheduleView } from './sync-status.ts';
import type { Result } from './result.ts';
import { parseServerOuPath } from './server-ou-path.ts';
import { settingsSchema, type Settings } from './settings.ts';
import {
  SORT_COLUMNS,
  type AccountHistoryLine,
  type AccountsPage,
  type AccountsQuery,
  type AccountView,
  type UsersOverview,
} from './users-view.ts';

const password = z.string().max(1024);
/** What the users view shows: an OU (with or without sub-OUs), a search, an order. */
const viewInput = z.object({
  ouId: z.number().int().positive().nullable(),
  recursive: z.boolean(),
  search: z.string().max(256),
  find: z
    .object({
      logon: z.string().max(256),
      name: z.string().max(256),
      email: z.string().max(256),
      department: z.string().max(256),
      ou: z.string().max(256),
      origin: z.enum(['any', 'ad', 'local']),
      enabled: z.enum(['any', 'yes', 'no']),
    })
    .strict()
    .optional(),
  sort: z.enum(SORT_COLUMNS),
  descending: z.boolean(),
});
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
  /**
   * Whether a password is stored, and for which login/server; never the password itself. `refused`: a domain
   * controller refused the stored password (it is not sent again until it changes).
   */
  password: { stored: boolean; login?: string; server?: string; refused?: RefusedPassword };
  secureStorage: SecureStorageInfo;
}

export interface SaveResult extends SettingsView {
  notices: string[];
}

export const TEST_STEPS = [
  'resolve',
  'connect',
  'tls',
  'bind',
  'directory',
  'container',
  'accounts',
  'policy',
] as const;
/** Test IM server (Advanced settings, bcscmd /TESTIM): the admin API the directory is published through. */
export const IM_TEST_STEPS = ['im-connect', 'im-host', 'im-permissions', 'im-roster'] as const;
/** Test database (Advanced settings, bcscmd /TEST): the users database this node uses. */
export const DB_TEST_STEPS = ['db-connect', 'db-schema', 'db-rights'] as const;
export type TestStepName =
  (typeof TEST_STEPS)[number] | (typeof IM_TEST_STEPS)[number] | (typeof DB_TEST_STEPS)[number];

export interface TestStep {
  name: TestStepName;
  ok: boolean;
  ms: number;
  detail: string;
  hint?: string;
  /** A failed step's error code (the dialog asks before saving a password the DC refused). */
  code?: ErrorCode;
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
  /** The domain controllers passed over before the one that answered, and why (failover); null if none. */
  failover: string | null;
}

export interface AppInfo {
  name: string;
  version: string;
  /** Where this core serves: the desktop window, the browser console, or bcscmd. */
  transport: 'electron' | 'browser' | 'cli';
  dataDir: string;
}

export interface GroupNode {
  dn: string;
  name: string;
  description: string;
}

export interface GroupSearchResult {
  groups: GroupNode[];
  /** More groups match than the list holds: type more of the name. */
  truncated: boolean;
}

/** What the wizard imports from: whole OU subtrees, single OU levels, groups (nested members included). */
export interface ImportSelection {
  ous: string[];
  levels: string[];
  groups: string[];
}

export interface SourceCount {
  /** Distinct accounts (one found by an OU and a group counts once). */
  total: number;
  parts: { label: string; count: number }[];
}

/** The wizard's choices that are also settings (the Advanced dialog's switches and the placement). */
export interface ImportOptions {
  importComputers: boolean;
  parseMiddleName: boolean;
  placement: 'recreate' | 'single';
  placementOu: string;
  importDisabled: boolean;
}

export interface ImportStart {
  mode: ImportMode;
  dryRun: boolean;
  source: ImportSelection;
  options: ImportOptions;
  /** objectGUIDs of preview rows the administrator unticked. */
  exclude: string[];
  /** The previewed plan's digest; required for a real run (the wizard applies only what was previewed). */
  expectPlan: string | null;
}

export type PlanFilter = Action | 'all';
/** The preview's sortable columns; 'action' is the plan's own order (disables first, unchanged last). */
export const PLAN_SORT_COLUMNS = ['action', 'logon', 'displayName', 'targetOu', 'details', 'dn'] as const;
export type PlanSort = (typeof PLAN_SORT_COLUMNS)[number];
export interface PlanQuery {
  jobId: number;
  filter: PlanFilter;
  sort: PlanSort;
  descending: boolean;
  offset: number;
  limit: number;
}
export interface PlanPage {
  total: number;
  offset: number;
  rows: PlannedAction[];
}

export interface TextFile {
  fileName: string;
  text: string;
}

const dnText = z
  .string()
  .min(1)
  .max(4200)
  .refine((dn) => parseDn(dn).ok, { message: 'not a valid distinguished name' });
const dnList = z.array(dnText).max(500);
const guidText = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not an objectGUID');
const selectionSchema = z.object({ ous: dnList, levels: dnList, groups: dnList }).strict();
const jobId = z.number().int().positive();
/** The accounts one change acts on (the users view's selection): all or none. */
const logons = z.array(z.string().min(1).max(1024)).min(1).max(1000);
const ACTIONS = ['create', 'update', 'disable', 'enable', 'unchanged', 'skip', 'conflict', 'failed'] as const;

/** The person fields Properties edits on a local account (the logon name is renamed on its own). */
export const EDITABLE_FIELDS = [
  'firstName',
  'middleName',
  'lastName',
  'displayName',
  'email',
  'department',
  'title',
  'phone',
] as const satisfies readonly Exclude<PersonFieldKey, 'logon'>[];
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export const operations = {
  'app.info': op<z.ZodObject<Record<string, never>>, AppInfo>(z.object({}).strict()),
  'settings.get': op<z.ZodObject<Record<string, never>>, SettingsView>(z.object({}).strict()),
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
  /**
   * `retryRefused`: send a password a DC refused before once more (the console's button; bcscmd /TEST /YES);
   * without it such a password is not sent and the bind step says why.
   */
  'connection.test': op<z.ZodType<{ settings: Settings; password?: string; retryRefused?: boolean }>, TestReport>(
    connectionInput.extend({ retryRefused: z.boolean().optional() }).strict(),
  ),
  'directory.browse': op<z.ZodType<BrowseInput>, BrowseResult>(
    connectionInput.extend({ dn: z.string().max(4200).nullable() }).strict(),
  ),
  /** Test lookup: what on-the-fly import would do for this logon name with these settings; imports nothing. */
  'directory.lookup': op<z.ZodType<{ settings: Settings; password?: string; name: string }>, LookupResult>(
    connectionInput.extend({ name: z.string().max(4096) }).strict(),
  ),
  /** The directory operations below use the saved settings and stored password, as an import does. */
  'directory.groups': op<z.ZodType<{ search: string }>, GroupSearchResult>(
    z.object({ search: z.string().max(256) }).strict(),
  ),
  'import.count': op<z.ZodType<{ source: ImportSelection; importComputers: boolean }>, SourceCount>(
    z.object({ source: selectionSchema, importComputers: z.boolean() }).strict(),
  ),
  'import.start': op<z.ZodType<ImportStart>, { jobId: number }>(
    z
      .object({
        mode: z.enum(['new', 'add', 'sync']),
        dryRun: z.boolean(),
        source: selectionSchema,
        options: z
          .object({
            importComputers: z.boolean(),
            parseMiddleName: z.boolean(),
            placement: z.enum(['recreate', 'single']),
            placementOu: z
              .string()
              .max(1024)
              .refine((p) => parseServerOuPath(p).ok, { message: 'not a valid server OU path' }),
            importDisabled: z.boolean(),
          })
          .strict(),
        exclude: z.array(guidText).max(MAX_LEFT_OUT),
        expectPlan: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .nullable(),
      })
      .strict(),
  ),
  'import.cancel': op<z.ZodType<{ jobId: number }>, { cancelled: boolean }>(z.object({ jobId }).strict()),
  'import.plan': op<z.ZodType<PlanQuery>, PlanPage>(
    z
      .object({
        jobId,
        filter: z.enum([...ACTIONS, 'all']),
        sort: z.enum(PLAN_SORT_COLUMNS),
        descending: z.boolean(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
      })
      .strict(),
  ),
  'import.planCsv': op<z.ZodType<{ jobId: number; exclude: string[] }>, TextFile>(
    z.object({ jobId, exclude: z.array(guidText).max(MAX_LEFT_OUT) }).strict(),
  ),
  'import.reportCsv': op<z.ZodType<{ runId: number }>, TextFile>(
    z.object({ runId: z.number().int().positive() }).strict(),
  ),
  'users.overview': op<z.ZodObject<Record<string, never>>, UsersOverview>(z.object({}).strict()),
  // Local accounts (origin local): the same rules as bcscmd /ADDUSER, /SETPASSWORD, /DISABLE, /ENABLE, /DELETEUSER.
  'accounts.add': op<z.ZodType<NewAccountInput>, AccountView>(
    z
      .object({
        logon: z.string().min(1).max(64),
        ou: z.string().max(1024),
        displayName: z.string().max(256),
        email: z.string().max(256),
      })
      .strict(),
  ),
  'accounts.setPassword': op<z.ZodType<{ logon: string; password: string }>, Record<string, never>>(
    z.object({ logon: z.string().min(1).max(64), password: z.string().max(1024) }).strict(),
  ),
  /** Enables or disables local accounts (all or none). */
  'accounts.setEnabled': op<z.ZodType<{ logons: string[]; enabled: boolean }>, Record<string, never>>(
    z.object({ logons, enabled: z.boolean() }).strict(),
  ),
  /** Properties: what every run did to this account, newest first. */
  'accounts.history': op<z.ZodType<{ logon: string }>, AccountHistoryLine[]>(
    z.object({ logon: z.string().min(1).max(1024) }).strict(),
  ),
  /** Properties → Apply on a local account: its fields, server OU and logon name, in one change. */
  'accounts.edit': op<z.ZodType<AccountEditInput>, AccountView>(
    z
      .object({
        logon: z.string().min(1).max(1024),
        fields: z
          .object(
            Object.fromEntries(EDITABLE_FIELDS.map((k) => [k, z.string().max(256).optional()])) as Record<
              EditableField,
              z.ZodOptional<z.ZodString>
            >,
          )
          .strict(),
        ou: z.string().max(4096).optional(),
        rename: z.string().min(1).max(64).optional(),
      })
      .strict(),
  ),
  /** Moves local accounts into an existing server OU (all or none). */
  'accounts.move': op<z.ZodType<{ logons: string[]; ou: string }>, { ou: string }>(
    z.object({ logons, ou: z.string().max(4096) }).strict(),
  ),
  /** Server OUs: create (with missing parents), rename the last part, delete an empty one. */
  'ous.add': op<z.ZodType<{ path: string }>, { path: string }>(z.object({ path: z.string().max(4096) }).strict()),
  'ous.rename': op<z.ZodType<{ path: string; name: string }>, { path: string }>(
    z.object({ path: z.string().max(4096), name: z.string().max(1024) }).strict(),
  ),
  'ous.delete': op<z.ZodType<{ path: string }>, Record<string, never>>(
    z.object({ path: z.string().max(4096) }).strict(),
  ),
  /** OU permissions: which server OUs an OU's users see in the IM network (two-way). */
  'ous.permissions': op<z.ZodType<{ path: string }>, OuPermissionsView>(
    z.object({ path: z.string().max(4096) }).strict(),
  ),
  /** Sets them to exactly the OUs given (the tree's ticks), or every OU. */
  'ous.setPermissions': op<z.ZodType<{ path: string; sees: string[] | '*' }>, OuPermissionsView>(
    z
      .object({
        path: z.string().max(4096),
        sees: z.union([z.literal('*'), z.array(z.string().max(4096)).max(100_000)]),
      })
      .strict(),
  ),
  /** Contact list…: what the account's IM client receives. */
  'accounts.contacts': op<z.ZodType<{ logon: string }>, ContactList>(
    z.object({ logon: z.string().min(1).max(1024) }).strict(),
  ),
  /** The account's photo from AD (a JPEG of at most 96×96, base64; '' for none), for the details and Properties. */
  'accounts.photo': op<z.ZodType<{ logon: string }>, { photo: string }>(
    z.object({ logon: z.string().min(1).max(1024) }).strict(),
  ),
  /** Test IM server: reaches ejabberd's API with these settings, checks the host and each command's permission. */
  'im.test': op<z.ZodType<{ settings: Settings }>, TestReport>(z.object({ settings: settingsSchema }).strict()),
  'database.test': op<z.ZodType<{ settings: Settings }>, TestReport>(z.object({ settings: settingsSchema }).strict()),
  /** Deletes local accounts (all or none). */
  'accounts.delete': op<z.ZodType<{ logons: string[] }>, Record<string, never>>(z.object({ logons }).strict()),
  /** Tools → Synchronization schedule… and the status bar. */
  'schedule.status': op<z.ZodObject<Record<string, never>>, ScheduleView>(z.object({}).strict()),
  /** Asks the service to sync at once; without a running service, syncs in the console (jobId). */
  'schedule.runNow': op<z.ZodType<{ confirmed: boolean }>, { by: 'service' | 'console'; jobId: number | null }>(
    z.object({ confirmed: z.boolean() }).strict(),
  ),
  /** Lifts a pause: the schedule runs with the settings as they are now. */
  'schedule.resume': op<z.ZodObject<Record<string, never>>, ScheduleView>(z.object({}).strict()),
  'users.list': op<z.ZodType<AccountsQuery>, AccountsPage>(
    viewInput.extend({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }).strict(),
  ),
  /** Type-ahead in the users table: where the first account whose logon starts with `prefix` is in the view. */
  'users.position': op<
    z.ZodType<Omit<AccountsQuery, 'offset' | 'limit'> & { prefix: string }>,
    { index: number | null }
  >(viewInput.extend({ prefix: z.string().min(1).max(64) }).strict()),
  /** Export List…: every account of the view (not only the fetched rows) as CSV with the /USERS /JSON fields. */
  'users.exportCsv': op<z.ZodType<Omit<AccountsQuery, 'offset' | 'limit'>>, TextFile>(viewInput.strict()),
} as const;

export interface AccountEditInput {
  logon: string;
  fields: Partial<Record<EditableField, string>>;
  /** An existing server OU path ('' = _Default). */
  ou?: string;
  rename?: string;
}

export interface OuPermissionsView {
  ou: string;
  /** It sees every OU (and every OU sees it). */
  everyOu: boolean;
  /** The OUs it sees, by path, itself included. */
  sees: string[];
}

export interface ContactList {
  logon: string;
  /** Each server OU the account sees, under the label its IM client shows, with the members in it. */
  groups: { label: string; members: { logon: string; displayName: string }[] }[];
}

export interface NewAccountInput {
  logon: string;
  /** A server OU path ('' = _Default). */
  ou: string;
  displayName: string;
  email: string;
}

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
export type { MenuCommand };
export interface Events {
  'settings.changed': SettingsView;
  'import.progress': { jobId: number; progress: Progress };
  /** The outcome without its plan (the preview is paged with import.plan). */
  'import.finished': { jobId: number; outcome: ImportOutcome };
  /** An import changed the users database: views refresh. */
  'users.changed': Record<string, never>;
  /** A publish to the IM server ended (sent, or failed): the status bar says how publishing goes. */
  'publishing.changed': Record<string, never>;
  /** A native menu item was chosen (Electron); the renderer opens the same dialog as its own menu bar. */
  'menu.command': { command: MenuCommand };
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = [
  'settings.changed',
  'import.progress',
  'import.finished',
  'users.changed',
  'publishing.changed',
  'menu.command',
];

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
