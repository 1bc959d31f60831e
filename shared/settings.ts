/**
 * The integration settings: one schema for the dialog, the settings file and `bcscmd /SET`.
 * The password is not part of it: it lives in the secret store and never reaches the renderer.
 */
import { z } from 'zod';
import { parseAdsPath } from './adspath.ts';
import { parseDatabaseSetting } from './database-setting.ts';
import { parseImApi } from './im-api.ts';
import { parseImDomains } from './im-domains.ts';
import { parseImportSource } from './import-source.ts';
import { parseLoginId } from './login-id.ts';
import { parseServerList } from './server-list.ts';
import { parseServerOuPath } from './server-ou-path.ts';

import { SECURITY_MODES } from './security-modes.ts';

export { DEFAULT_PORTS, effectivePort, SECURITY_MODES, type Security } from './security-modes.ts';

/** The whole-number settings' ranges, once: the schema, bcscmd /SET and the Advanced dialog use these. */
export const NUMBER_RANGES = {
  port: { min: 1, max: 65535 },
  /** Seconds. */
  connectTimeout: { min: 1, max: 120 },
  /** Seconds, per LDAP operation. */
  timeout: { min: 1, max: 600 },
  pageSize: { min: 1, max: 1000 },
  /** Failed password checks per account per 30 minutes when the domain has no lockout policy. */
  logonFailureCap: { min: 1, max: 1000 },
  /** Minutes between scheduled syncs; 0 = the schedule is off. At most a week. */
  syncEveryMinutes: { min: 0, max: 10_080 },
} as const;
const whole = (key: keyof typeof NUMBER_RANGES) =>
  z.number().int().min(NUMBER_RANGES[key].min).max(NUMBER_RANGES[key].max);

/** HH:MM, 00:00–23:59. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export const settingsSchema = z
  .object({
    autoImport: z.boolean(),
    account: z.enum(['current', 'specified']),
    login: z.string().max(1024),
    ouPath: z.string().max(4200),
    /** One or more servers, separated by commas or spaces (see server-list.ts). */
    server: z.string().max(1024),
    /** null = the default port of the security mode (or the port written in the OU path). */
    port: whole('port').nullable(),
    security: z.enum(SECURITY_MODES),
    caFile: z.string().max(4096),
    connectTimeout: whole('connectTimeout'),
    timeout: whole('timeout'),
    pageSize: whole('pageSize'),
    importComputers: z.boolean(),
    parseMiddleName: z.boolean(),
    /** Where imported accounts go: the AD OU structure recreated under `placementOu`, or all into it. */
    placement: z.enum(['recreate', 'single']),
    /** A server OU path such as "Staff/AD" ('' = top level when recreating, `_Default` for one OU). */
    placementOu: z.string().max(1024),
    /** Accounts disabled in AD: imported as disabled accounts (true) or left out (false). */
    importDisabled: z.boolean(),
    /** A sync reads every account at least every this many runs (incremental runs miss deletions). */
    fullSyncEvery: z.number().int().min(1).max(1000),
    /** An unattended sync stops (exit 3) before disabling more than this share of the AD accounts… */
    disableLimitPercent: z.number().int().min(0).max(100),
    /** …or more than this many accounts. */
    disableLimitCount: z.number().int().min(0).max(10_000_000),
    /** On-the-fly import: how long "not in the directory" is remembered for a logon name (0 = not at all). */
    notFoundCacheSeconds: z.number().int().min(0).max(86_400),
    /** The IM server's domains whose users log on through this database ('' = the AD's DNS domain). */
    imDomains: z.string().max(1024),
    /**
     * Failed password checks per account that the IM server's logons may cause within 30 minutes when
     * the domain has no lockout policy (with one, two below its threshold within its window).
     */
    logonFailureCap: whole('logonFailureCap'),
    /** What the scheduled sync imports ('' = the OU container path); see import-source.ts. */
    importSource: z.string().max(65_536),
    /** `bcscmd /SERVICE` syncs this often (0 = off). */
    syncEveryMinutes: whole('syncEveryMinutes'),
    /** The daily full pass: a local time of day, HH:MM (24-hour). */
    fullSyncAt: z.string().regex(TIME_OF_DAY, 'must be a time of day such as 03:00'),
    /** ejabberd's admin API (mod_http_api), where the directory is published ('' = not published). */
    imApi: z.string().max(2048),
    /** A file holding the API's bearer token (an ejabberd on another machine), or ''. */
    imApiTokenFile: z.string().max(4096),
    /** The company name in every vCard (ORG). */
    companyName: z.string().max(256),
    /** The users database: '' = users.sqlite in the data folder; or a PostgreSQL URL (database-setting.ts). */
    database: z.string().max(2048),
    /** A file holding the PostgreSQL user's password, or '' (PGPASSWORD or ~/.pgpass then). */
    databasePasswordFile: z.string().max(4096),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  autoImport: false,
  account: 'specified',
  login: '',
  ouPath: '',
  server: '',
  port: null,
  security: 'ldaps',
  caFile: '',
  connectTimeout: 10,
  timeout: 30,
  pageSize: 500,
  importComputers: false,
  parseMiddleName: false,
  placement: 'recreate',
  placementOu: '',
  importDisabled: true,
  fullSyncEvery: 24,
  disableLimitPercent: 10,
  disableLimitCount: 50,
  notFoundCacheSeconds: 60,
  imDomains: '',
  logonFailureCap: 10,
  importSource: '',
  syncEveryMinutes: 30,
  fullSyncAt: '03:00',
  imApi: '',
  imApiTokenFile: '',
  companyName: '',
  database: '',
  databasePasswordFile: '',
};

export interface FieldProblem {
  field: keyof Settings;
  message: string;
}

/**
 * Checks the meaning of the values (the schema checks their shape). Empty list = valid.
 * `complete: false` accepts empty login and server (a configuration being built up with bcscmd /SET);
 * the dialog's OK asks for a complete one.
 */
export function settingsProblems(s: Settings, { complete = true }: { complete?: boolean } = {}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (s.account === 'specified' && (complete || s.login.trim() !== '')) {
    const login = parseLoginId(s.login);
    if (!login.ok) problems.push({ field: 'login', message: login.error });
  }
  const placement = parseServerOuPath(s.placementOu);
  if (!placement.ok)
    problems.push({ field: 'placementOu', message: `Server OU for imported accounts: ${placement.error}` });
  const domains = parseImDomains(s.imDomains);
  if (!domains.ok) problems.push({ field: 'imDomains', message: `IM domains: ${domains.error}` });
  const source = parseImportSource(s.importSource);
  if (!source.ok) problems.push({ field: 'importSource', message: `Import source: ${source.error}` });
  const path = parseAdsPath(s.ouPath);
  if (!path.ok) problems.push({ field: 'ouPath', message: `OU container path: ${path.error}` });
  const api = parseImApi(s.imApi);
  if (!api.ok) problems.push({ field: 'imApi', message: `IM server API: ${api.error}` });
  const database = parseDatabaseSetting(s.database);
  if (!database.ok) problems.push({ field: 'database', message: `Users database: ${database.error}` });
  if (/[\u0000-\u001f]/.test(s.companyName))
    problems.push({ field: 'companyName', message: 'Company name: no line breaks or other control characters.' });
  if (s.server.trim() !== '') {
    const servers = parseServerList(s.server);
    if (!servers.ok) problems.push({ field: 'server', message: `Server: ${servers.error}` });
  } else if (complete && path.ok && !path.server && !path.domain) {
    problems.push({
      field: 'server',
      message: 'Name a server, or give an OU path with DC= parts so that the domain controllers can be found by DNS.',
    });
  }
  return problems;
}

/** Keys that `bcscmd /SET:key=value` accepts, with how to read their text. */
export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

export function parseSettingValue(
  key: keyof Settings,
  text: string,
): { ok: true; value: Settings[keyof Settings] } | { ok: false; error: string } {
  const boolean = (t: string) => {
    const v = t.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return { ok: true as const, value: true };
    if (['0', 'false', 'no', 'off'].includes(v)) return { ok: true as const, value: false };
    return { ok: false as const, error: `${key} takes yes or no (true/false, 1/0), not "${t}".` };
  };
  const integer = (t: string) => {
    if (!/^\d+$/.test(t.trim())) return { ok: false as const, error: `${key} takes a whole number, not "${t}".` };
    return { ok: true as const, value: Number(t.trim()) };
  };
  const field = settingsSchema.shape[key];
  let parsed: { ok: true; value: unknown } | { ok: false; error: string };
  if (field instanceof z.ZodBoolean) parsed = boolean(text);
  else if (key === 'port')
    parsed = text.trim() === '' || text.trim().toLowerCase() === 'default' ? { ok: true, value: null } : integer(text);
  else if (field instanceof z.ZodNumber) parsed = integer(text);
  else parsed = { ok: true, value: field instanceof z.ZodEnum ? text.trim().toLowerCase() : text };
  if (!parsed.ok) return parsed;
  const checked = field.safeParse(parsed.value);
  if (!checked.success) return { ok: false, error: `${key}: ${describeIssue(checked.error.issues[0])}` };
  return { ok: true, value: checked.data as Settings[keyof Settings] };
}

export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid value';
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'too_small') return `must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}`;
  return issue.message;
}

/**
 * Whether anything has been chosen for the scheduled sync to import (the import source, or an OU path with a
 * container): until then the schedule is off, whatever syncEveryMinutes says — a new data folder does not sync
 * the whole domain on its own, nor warn about a service nobody installed yet.
 */
export function importSourceChosen(s: Settings): boolean {
  if (s.importSource.trim() !== '') return true;
  const path = parseAdsPath(s.ouPath);
  return path.ok && path.dn !== '';
}
