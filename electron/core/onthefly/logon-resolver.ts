/**
 * On-the-fly import: `resolveLogon(name)` → in the users database / imported from AD / not found /
 * directory unavailable. Concurrent lookups of one name share one directory query and create one account;
 * bound connections come from a bounded pool; "not found" is remembered for `notFoundCacheSeconds`;
 * imports use the import engine's mapping, matching and placement and are recorded as on-the-fly runs.
 */
import type { Entry } from 'ldapts';
import { dnWithin, leafName, parseDn } from '../../../shared/dn.ts';
import type { LookupResult } from '../../../shared/lookup.ts';
import { parseServerOuPath } from '../../../shared/server-ou-path.ts';
import type { Settings } from '../../../shared/settings.ts';
import { type AccountView, braced, findAccount } from '../database/accounts.ts';
import { displayOuPath, OuTree } from '../database/ou-tree.ts';
import type { SqlEngine } from '../database/engine/sql-engine.ts';
import { openUsersDatabase, type UsersDatabase, type DatabaseAt } from '../database/users-database.ts';
import { accountFilter } from '../directory/account-filter.ts';
import { escapeFilterValue } from '../directory/filter-escape.ts';
import { explainLdapError } from '../directory/ldap-errors.ts';
import type { NameResolver } from '../directory/resolver.ts';
import { readRootDse } from '../directory/rootdse.ts';
import type { DirectorySession } from '../directory/session.ts';
import { Failure } from '../failure.ts';
import { ACCOUNT_ATTRIBUTES, type AdAccount, BINARY_ATTRIBUTES, toAdAccount } from '../import/ad-account.ts';
import { applyInTransaction, plannedAction, REPORTED_ACTIONS } from '../import/applier.ts';
import { syncPhotos } from '../import/photos.ts';
import { Planner, targetOu } from '../import/planner.ts';
import { personFieldsOf } from '../../../shared/account-fields.ts';
import { beginRun } from '../import/run-history.ts';
import { Stage } from '../import/stage.ts';
import { emptyCounts } from '../../../shared/import-run.ts';
import { explainSearchError, groupMembersFilter, type ImportSource, savedScope } from '../import/source.ts';
import { parseLogonInput } from './logon-input.ts';
import { SessionPool } from './session-pool.ts';
import { RefusedPasswords } from '../secrets/refused-passwords.ts';

export interface ResolverOptions {
  settings: Settings;
  password: string | null;
  resolver: NameResolver;
  database: DatabaseAt;
  poolSize?: number;
  /** How long an unreachable directory is answered from memory. */
  retryAfterMs?: number;
  now?: () => number;
  /** Where the resolver says what an administrator should know of (a DC passed over). */
  log?: (line: string) => void;
}

type Found = { ok: true; account: AdAccount } | { ok: false; result: LookupResult };

interface Scope {
  source: ImportSource;
  domainDn: string;
  /** The source's groups' members as one filter term, or null without groups. */
  membersOf: string | null;
}

/** "not in OU Sales (with its sub-OUs) and not a member of IM Users" — why a sync would not read an entry. */
function outsideWords(scope: Scope): string {
  const { source } = scope;
  const ou = (dn: string) => leafOf(dn);
  const parts = [
    ...source.ous.map((dn) => `not in ${ou(dn)} (${dn}) or below it`),
    ...(source.levels ?? []).map((dn) => `not directly in ${ou(dn)} (${dn})`),
    ...source.groups.map((dn) => `not a member of ${ou(dn)} (${dn})`),
  ];
  return parts.join(', and ');
}

const leafOf = (dn: string): string => {
  const parsed = parseDn(dn);
  return parsed.ok ? leafName(parsed.rdns) || dn : dn;
};

/** How long the entry a dry run found serves the real import that follows it (a first logon's password check). */
const FOUND_KEPT_MS = 60_000;

export class LogonResolver {
  private readonly inFlight = new Map<string, Promise<LookupResult>>();
  private readonly notFound = new Map<string, { until: number; reason: string }>();
  /** Entries dry runs found, by name: a first logon searches once, before its password check, not again after it. */
  private readonly found = new Map<string, { account: AdAccount; until: number }>();
  private writes: Promise<unknown> = Promise.resolve();
  private database: UsersDatabase | null = null;
  private scope: Scope | null = null;
  private domain: { netbios: string; dns: string } | null = null;
  private readonly pool: SessionPool;
  private readonly options: ResolverOptions & { now: () => number };
  /** Directory searches issued: for tests and the benchmark (one per distinct unknown name). */
  queries = 0;

  constructor(options: ResolverOptions) {
    this.options = { now: Date.now, ...options };
    const retryAfterMs = options.retryAfterMs ?? Math.min(5000, options.settings.timeout * 1000);
    this.pool = new SessionPool(options.settings, options.password, options.resolver, {
      size: options.poolSize ?? 4,
      retryAfterMs,
      now: this.options.now,
      onFailover: (note) => options.log?.(`Failover: ${note}`),
      guard: new RefusedPasswords((work) => work(this.engine())),
    });
  }

  /** Work on one of the pool's bound service sessions (the domain's lockout policy, its name). */
  useSession<T>(work: (session: DirectorySession) => Promise<T>): Promise<T> {
    return this.pool.use(work);
  }

  get connectionsOpened(): number {
    return this.pool.opened;
  }

  private engine(): SqlEngine {
    this.database ??= openUsersDatabase(this.options.database);
    return this.database.engine;
  }

  /**
   * `photo: false`: an import does not read the new account's photo before it answers (the caller reads it later
   * with readPhoto, as /EXTAUTH does once ejabberd has its answer).
   */
  async resolveLogon(
    name: string,
    { dryRun = false, photo = true }: { dryRun?: boolean; photo?: boolean } = {},
  ): Promise<LookupResult> {
    const input = parseLogonInput(name);
    if (!input.ok) return { result: 'not-found', reason: `${input.reason} Nothing was looked up or imported.` };
    const local = await findAccount(this.engine(), input.sam);
    if (local) return { result: 'local', account: local };
    const { settings } = this.options;
    if (!settings.autoImport && !dryRun) {
      return {
        result: 'not-found',
        reason:
          `"${input.sam}" is not in the users database, and on-the-fly import from Active Directory is ` +
          `off (Tools → Active Directory (LDAP) integration…).`,
      };
    }
    const nameKey = input.upn
      ? input.upn.toLowerCase()
      : input.domain
        ? `${input.domain.toLowerCase()}\\${input.key}`
        : input.key;
    const cached = this.notFound.get(nameKey);
    if (cached && this.options.now() < cached.until) return { result: 'not-found', reason: cached.reason };
    const key = `${dryRun ? 'dry' : 'real'}:${nameKey}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = this.lookUp(input.sam, input.upn, input.domain, nameKey, dryRun, photo).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, work);
    return work;
  }

  private async lookUp(
    sam: string,
    upn: string | null,
    domain: string | null,
    nameKey: string,
    dryRun: boolean,
    photo: boolean,
  ): Promise<LookupResult> {
    let found: Found;
    const kept = dryRun ? undefined : this.found.get(nameKey);
    this.found.delete(nameKey);
    try {
      found =
        kept && this.options.now() < kept.until
          ? { ok: true, account: kept.account }
          : await this.pool.use((session) => this.search(session, sam, upn, domain));
    } catch (err) {
      const failure = explainLdapError(err, 'account lookup', this.options.settings.timeout * 1000);
      return {
        result: 'unavailable',
        reason: `The directory could not be asked (${failure.message}) ${failure.hint}`.trim(),
      };
    }
    if (!found.ok) {
      if (found.result.result === 'not-found' && this.options.settings.notFoundCacheSeconds > 0) {
        this.notFound.set(nameKey, {
          until: this.options.now() + this.options.settings.notFoundCacheSeconds * 1000,
          reason: found.result.reason,
        });
      }
      return found.result;
    }
    if (dryRun) {
      this.found.set(nameKey, { account: found.account, until: this.options.now() + FOUND_KEPT_MS });
      return {
        result: 'imported',
        account: this.viewOf(found.account),
        dn: found.account.dn,
        runId: null,
        dryRun: true,
      };
    }
    // One write at a time on this connection: SQLite transactions do not nest.
    const done = this.writes.then(() => this.importAccount(found.account, photo));
    this.writes = done.catch(() => undefined);
    return done;
  }

  /** The domain's own names (NetBIOS and DNS), which the DOMAIN of DOMAIN\\name must be one of. */
  private async domainNames(session: DirectorySession): Promise<{ netbios: string; dns: string }> {
    if (this.domain) return this.domain;
    const dse = await readRootDse(session.client);
    const { searchEntries } = await session.client.search(`CN=Partitions,${dse.configurationNamingContext}`, {
      scope: 'one',
      filter: `(&(objectClass=crossRef)(nCName=${escapeFilterValue(dse.defaultNamingContext)}))`,
      attributes: ['nETBIOSName', 'dnsRoot'],
      timeLimit: this.options.settings.timeout,
    });
    const entry: Record<string, unknown> = searchEntries[0] ?? {};
    this.domain = { netbios: String(entry.nETBIOSName ?? ''), dns: String(entry.dnsRoot ?? '') };
    return this.domain;
  }

  /** What a sync of the saved settings would read: the accounts on-the-fly import may admit, no others. */
  private async scopeOf(session: DirectorySession): Promise<Scope> {
    if (this.scope) return this.scope;
    const { settings } = this.options;
    const domainDn = (await readRootDse(session.client)).defaultNamingContext;
    const source = savedScope(settings, session.plan.baseDn, domainDn);
    const membership = new Map<string, string>();
    for (const group of source.groups)
      membership.set(group, await groupMembersFilter(session.client, group, settings.timeout * 1000));
    this.scope = {
      source,
      domainDn,
      membersOf: membership.size ? `(|${[...membership.values()].join('')})` : null,
    };
    return this.scope;
  }

  /** One search of the domain for the name, optionally narrowed to the source's groups' members. */
  private async find(session: DirectorySession, base: string, filter: string): Promise<Entry[]> {
    const { settings } = this.options;
    this.queries++;
    try {
      const { searchEntries } = await session.client.search(base, {
        scope: 'sub',
        filter,
        attributes: ACCOUNT_ATTRIBUTES,
        explicitBufferAttributes: BINARY_ATTRIBUTES,
        sizeLimit: 2,
        timeLimit: settings.timeout,
      });
      return searchEntries;
    } catch (err) {
      throw explainSearchError(err, base, settings.timeout * 1000);
    }
  }

  private async search(
    session: DirectorySession,
    sam: string,
    upn: string | null,
    domain: string | null,
  ): Promise<Found> {
    const { settings } = this.options;
    const notFound = (reason: string): Found => ({ ok: false, result: { result: 'not-found', reason } });
    let scope: Scope;
    try {
      scope = await this.scopeOf(session);
    } catch (err) {
      throw err instanceof Failure ? err : explainLdapError(err, 'read of the import source', settings.timeout * 1000);
    }
    if (domain) {
      const names = await this.domainNames(session);
      if (![names.netbios, names.dns].some((n) => n && n.toLowerCase() === domain.toLowerCase()))
        return notFound(
          `"${domain}\\${sam}" names the domain ${domain}, but this directory is ` +
            `${names.netbios || '?'} (${names.dns || '?'}); nothing was imported.`,
        );
    }
    const logon = settings.importComputers ? `${sam}$` : sam;
    const match = upn
      ? `(userPrincipalName=${escapeFilterValue(upn)})`
      : `(sAMAccountName=${escapeFilterValue(logon)})`;
    const named = `${accountFilter(settings.importComputers)}${match}`;
    const what = settings.importComputers ? 'computer account' : 'user account';
    const { source } = scope;
    const byGroupsOnly = source.ous.length + (source.levels?.length ?? 0) === 0;
    // A source of groups only: members are found with one query; the name is looked for again only to say why not.
    let entries = await this.find(
      session,
      scope.domainDn,
      byGroupsOnly ? `(&${named}${scope.membersOf})` : `(&${named})`,
    );
    const admittedByQuery = byGroupsOnly && entries.length > 0;
    if (byGroupsOnly && entries.length === 0) entries = await this.find(session, scope.domainDn, `(&${named})`);
    if (entries.length === 0) return notFound(`Active Directory has no ${what} "${upn ?? sam}" in ${scope.domainDn}.`);
    if (entries.length > 1)
      return notFound(`More than one ${what} in ${scope.domainDn} answers to "${upn ?? sam}"; nothing was imported.`);
    const entry = entries[0]!;
    if (!admittedByQuery && !(await this.inScope(session, entry.dn, scope)))
      return notFound(
        `"${upn ?? sam}" (${entry.dn}) is outside the import source: ${outsideWords(scope)}, so a sync would not ` +
          `import it; nothing was imported.`,
      );
    const mapped = toAdAccount(entry, {
      importComputers: settings.importComputers,
      parseMiddleName: settings.parseMiddleName,
    });
    if (!mapped.ok)
      return notFound(`The directory entry ${mapped.rejected.dn} cannot be imported: ${mapped.rejected.reason}.`);
    if (!mapped.account.enabled && !settings.importDisabled)
      return notFound(
        `"${mapped.account.logon}" is disabled in Active Directory, and the settings skip disabled accounts.`,
      );
    return { ok: true, account: mapped.account };
  }

  /** In one of the source's OU subtrees or OU levels, else (one more query) a member of one of its groups. */
  private async inScope(session: DirectorySession, dn: string, scope: Scope): Promise<boolean> {
    const { source } = scope;
    if (source.ous.some((ou) => dnWithin(dn, ou, 'sub'))) return true;
    if ((source.levels ?? []).some((ou) => dnWithin(dn, ou, 'one'))) return true;
    if (!scope.membersOf) return false;
    this.queries++;
    try {
      const { searchEntries } = await session.client.search(dn, {
        scope: 'base',
        filter: scope.membersOf,
        attributes: ['objectGUID'],
        timeLimit: this.options.settings.timeout,
      });
      return searchEntries.length > 0;
    } catch (err) {
      throw explainSearchError(err, dn, this.options.settings.timeout * 1000);
    }
  }

  private placement(): string[] {
    const parsed = parseServerOuPath(this.options.settings.placementOu);
    return parsed.ok ? parsed.names : [];
  }

  private viewOf(a: AdAccount): AccountView {
    const { settings } = this.options;
    return {
      ...personFieldsOf(a),
      enabled: a.enabled,
      kind: a.kind,
      ou: displayOuPath(targetOu(a, { placement: settings.placement, placementOu: this.placement() })),
      origin: 'ad',
      adGuid: braced(a.guid),
    };
  }

  /** The new account's photo, as a sync reads it: its failure imports the account without one (a sync reads it). */
  async readPhoto(guid: string): Promise<void> {
    const engine = this.engine();
    await this.pool
      .use((session) =>
        syncPhotos(() => Promise.resolve(session.client), engine, {
          timeoutMs: this.options.settings.timeout * 1000,
          guids: [guid],
        }),
      )
      .catch(() => undefined);
  }

  private async importAccount(account: AdAccount, photo: boolean): Promise<LookupResult> {
    const engine = this.engine();
    const { settings } = this.options;
    // Another lookup (or process) may have imported it while this one searched.
    const already = await findAccount(engine, account.logon);
    if (already) return { result: 'local', account: already };
    const now = new Date().toISOString();
    const source = `logon ${account.logon} (${account.dn})`;
    const counts = emptyCounts();
    const stage = new Stage();
    let notImported: string | null = null;
    let runId: number | null = null;
    try {
      // The engine's apply path: planned and applied under one write lock, recorded as an on-the-fly run.
      const applied = await applyInTransaction({
        engine,
        stage,
        now,
        counts,
        problems: [],
        onRow: () => undefined,
        checkCancelled: () => undefined,
        prepare: async (tx) => {
          stage.add(account);
          await stage.loadLocal(tx);
          const planner = new Planner(stage, await OuTree.read(tx), {
            mode: 'add',
            kind: account.kind,
            importDisabled: settings.importDisabled,
            placement: settings.placement,
            placementOu: this.placement(),
            seenGuids: new Set(),
          });
          planner.planEntry(account);
          const [row] = [...stage.planned(REPORTED_ACTIONS), ...stage.planned(['unchanged'])];
          const planned = row ? plannedAction(row) : null;
          if (!planned || planned.action !== 'create') {
            notImported =
              planned?.action === 'unchanged'
                ? `the directory account ${account.dn} is already in the users database under another logon ` +
                  `name (renamed in AD?); a sync updates it`
                : (planned?.reason ?? 'it could not be planned');
            return null;
          }
          runId = await beginRun(tx, {
            mode: 'on-the-fly',
            source,
            startedBy: 'on-the-fly',
            incremental: false,
            dc: null,
            startedAt: now,
          });
          return runId;
        },
        end: () => ({ status: 'succeeded', source, incremental: false, dc: null, counts, error: null, backup: null }),
      });
      if (!applied) {
        // Another process (ejabberd runs a pool of extauth programs) imported it between the check above
        // and this one's write lock: the account is there, which is what was asked.
        const meanwhile = await findAccount(engine, account.logon);
        if (meanwhile) return { result: 'local', account: meanwhile };
        return {
          result: 'not-found',
          reason: `"${account.logon}" was found in Active Directory but not imported: ${notImported}.`,
        };
      }
      if (photo) await this.readPhoto(account.guid);
      return {
        result: 'imported',
        account: (await findAccount(engine, account.logon))!,
        dn: account.dn,
        runId,
        dryRun: false,
      };
    } finally {
      stage.drop();
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
    this.database?.close();
    this.database = null;
  }
}
