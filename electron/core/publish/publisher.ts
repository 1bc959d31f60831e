/**
 * Publishing the directory to the IM server, as a Kubernetes-style controller does: the desired state is
 * derived from the users database (groups per server OU with the OUs they display, their enabled members,
 * each member's vCard), what was last published is recorded, and a publish sends the difference — in the
 * order ejabberd handles fastest. A full publish (reconcile) first reads back what the IM server holds (our
 * groups, their members, each vCard's REV) and repairs any drift; it runs on the service's start, after a
 * failure, daily and on demand. Every call that succeeded is recorded at once, so a publish cut short by an
 * IM server that went away is continued, not redone. Only groups with this product's prefix are touched.
 */
import { randomUUID } from 'node:crypto';
import { dnsDomainOfDn, parseImDomains } from '../../../shared/im-domains.ts';
import type { Settings } from '../../../shared/settings.ts';
import type { PublishCounts, PublishingStatus } from '../../../shared/publishing.ts';
import { parseImApi } from '../../../shared/im-api.ts';
import { parseAdsPath } from '../../../shared/adspath.ts';
import { explainDatabaseError, REVISION } from '../database/users-database.ts';
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
import { Failure } from '../failure.ts';
import { directoryGroups, type DirectoryGroups, imUserOf, isOurGroup } from './directory-groups.ts';
import type { ImApi } from './im-api.ts';
import { vcardXml } from './vcard.ts';

/** More membership changes than this go out in bulk order (DESIGN §12: adds into groups nobody displays yet). */
export const BULK_MEMBER_CHANGES = 300;
const LEASE_MS = 60_000;

export const emptyPublishCounts = (full: boolean, host: string): PublishCounts => ({
  full,
  host,
  groupsCreated: 0,
  groupsUpdated: 0,
  groupsDeleted: 0,
  membersAdded: 0,
  membersRemoved: 0,
  vcardsSet: 0,
  unregistered: 0,
  problems: [],
  durationMs: 0,
});

/** The IM host the directory is published to: the first of imDomains, else the directory's DNS domain. */
export async function imHostOf(q: SqlQueryable, settings: Settings): Promise<string | null> {
  const domains = parseImDomains(settings.imDomains);
  if (domains.ok && domains.domains.length > 0) return domains.domains[0]!;
  const path = parseAdsPath(settings.ouPath);
  if (path.ok && path.dn && dnsDomainOfDn(path.dn)) return dnsDomainOfDn(path.dn);
  if (path.ok && path.domain) return path.domain.toLowerCase();
  const imported = await q.get<{ ad_dn: string }>('SELECT ad_dn FROM accounts WHERE ad_dn IS NOT NULL LIMIT 1');
  return imported ? dnsDomainOfDn(imported.ad_dn) : null;
}

interface Desired {
  directory: DirectoryGroups;
  vcards: Map<string, { xml: string; rev: string }>;
  /** Every IM user the database has an account for, enabled or not: the others were deleted. */
  known: Set<string>;
}

async function desiredState(q: SqlQueryable, settings: Settings): Promise<Desired> {
  const directory = await directoryGroups(q);
  const rows = await q.all<Record<string, string>>(
    'SELECT logon, enabled, display_name, first_name, middle_name, last_name, email, department, title, phone, ' +
      'photo FROM accounts',
  );
  const vcards = new Map<string, { xml: string; rev: string }>();
  const known = new Set<string>();
  for (const r of rows) {
    const user = imUserOf(r.logon!);
    if (!user) continue;
    known.add(user);
    if (!directory.members.has(user)) continue;
    vcards.set(
      user,
      vcardXml(
        {
          logon: r.logon!,
          displayName: r.display_name!,
          firstName: r.first_name!,
          middleName: r.middle_name!,
          lastName: r.last_name!,
          email: r.email!,
          department: r.department!,
          title: r.title!,
          phone: r.phone!,
          photo: r.photo!,
        },
        settings.companyName,
      ),
    );
  }
  return { directory, vcards, known };
}

interface Published {
  groups: Map<string, { label: string; display: string }>;
  members: Set<string>;
  vcards: Map<string, string>;
}

const memberKey = (group: string, user: string) => `${group}\u0000${user}`;
const splitMember = (key: string) => key.split('\u0000') as [string, string];
const displayText = (ids: readonly string[]) => ids.join('\\n');

async function readPublished(q: SqlQueryable): Promise<Published> {
  const groups = await q.all<{ id: string; label: string; display: string }>(
    'SELECT id, label, display FROM published_groups',
  );
  const members = await q.all<{ grp: string; usr: string }>('SELECT grp, usr FROM published_members');
  const vcards = await q.all<{ usr: string; rev: string }>('SELECT usr, rev FROM published_vcards');
  return {
    groups: new Map(groups.map((r) => [r.id, { label: r.label, display: r.display }])),
    members: new Set(members.map((r) => memberKey(r.grp, r.usr))),
    vcards: new Map(vcards.map((r) => [r.usr, r.rev])),
  };
}

/** What ejabberd holds of ours, read back: our groups with their options and members, each desired vCard's REV. */
async function readActual(api: ImApi, host: string, users: Iterable<string>): Promise<Published> {
  const ids = (await api.call<string[]>('srg_list', { host })).filter(isOurGroup);
  const actual: Published = { groups: new Map(), members: new Set(), vcards: new Map() };
  await Promise.all(
    ids.map(async (id) => {
      const [info, members] = await Promise.all([
        api.call<{ key: string; value: string }[]>('srg_get_info', { group: id, host }),
        api.call<string[]>('srg_get_members', { group: id, host }),
      ]);
      const option = (key: string) => info.find((i) => i.key === key)?.value ?? '';
      const display = option('displayed_groups')
        .split(/\\n|\n/)
        .map((d) => d.trim())
        .filter(Boolean);
      actual.groups.set(id, { label: option('label'), display: displayText(display) });
      for (const jid of members) actual.members.add(memberKey(id, jid.replace(/@[^@]*$/, '').toLowerCase()));
    }),
  );
  await Promise.all(
    [...users].map(async (user) => {
      try {
        const rev = await api.call<{ content: string }>('get_vcard', { user, host, name: 'REV' });
        if (rev?.content) actual.vcards.set(user, rev.content);
      } catch (err) {
        // No vCard yet: one to set.
        if (!(err instanceof Failure && err.code === 'im-refused' && /no_vcard/.test(err.message))) throw err;
      }
    }),
  );
  return actual;
}

/**
 * Records what went out, in batches (a transaction per call would cost more than the call), one batch after the
 * other in the order the calls succeeded.
 */
class Recorder {
  private pending: [string, ...(string | null)[]][] = [];
  private written: Promise<void> = Promise.resolve();
  private readonly engine: SqlEngine;
  constructor(engine: SqlEngine) {
    this.engine = engine;
  }
  add(sql: string, ...params: (string | null)[]): Promise<void> {
    this.pending.push([sql, ...params]);
    return this.pending.length >= 500 ? this.flush() : Promise.resolve();
  }
  flush(): Promise<void> {
    if (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.written = this.written.then(() =>
        this.engine.write(async (tx) => {
          for (const [sql, ...params] of batch) await tx.run(sql, ...params);
        }),
      );
    }
    return this.written;
  }
}

/** One publish at a time per users database, whichever process: a lease in publish_state, renewed while it runs. */
async function takeLease(engine: SqlEngine, token: string): Promise<boolean> {
  const now = Date.now();
  const taken = await engine.run(
    'UPDATE publish_state SET lock_token = ?, lock_until = ? WHERE id = 1 AND ' +
      '(lock_until IS NULL OR lock_until < ? OR lock_token = ?)',
    token,
    now + LEASE_MS,
    now,
    token,
  );
  return taken.changes === 1;
}

async function dropLease(engine: SqlEngine, token: string): Promise<void> {
  await engine.run(
    'UPDATE publish_state SET lock_token = NULL, lock_until = NULL WHERE id = 1 AND lock_token = ?',
    token,
  );
}

const revisionIn = async (q: SqlQueryable) => Number((await q.get<{ value: string }>(REVISION))!.value);

/** What the configuration contributes to what is published (a new company name rewrites every vCard). */
const configOf = (host: string, settings: Settings) => JSON.stringify([host, settings.companyName]);

export async function readPublishState(q: SqlQueryable, settings: Settings): Promise<PublishingStatus> {
  const r = (await q.get<Record<string, string | number | null>>('SELECT * FROM publish_state WHERE id = 1'))!;
  const host = await imHostOf(q, settings);
  const revision = await revisionIn(q);
  const api = parseImApi(settings.imApi);
  const configured = api.ok && api.url !== null;
  const pending =
    configured &&
    (r.reconcile_needed === 1 ||
      r.published_revision !== revision ||
      r.published_config !== (host ? configOf(host, settings) : null));
  const lastError = (r.last_error as string) ?? null;
  return {
    configured,
    api: configured ? api.url : null,
    host,
    lastAt: (r.last_at as string) ?? null,
    lastFullAt: (r.last_full_at as string) ?? null,
    lastCounts: r.last_counts ? (JSON.parse(r.last_counts as string) as PublishCounts) : null,
    lastError,
    lastErrorAt: (r.last_error_at as string) ?? null,
    pending,
    running: typeof r.lock_until === 'number' && r.lock_until > Date.now(),
    health: !configured ? 'off' : lastError ? 'failing' : pending ? 'pending' : 'ok',
  };
}

export interface PublishOptions {
  engine: SqlEngine;
  settings: Settings;
  api: ImApi;
  /** Read back what the IM server holds and repair it, instead of trusting the record. */
  full?: boolean;
  log?: (line: string) => void;
}

/**
 * Publishes what changed (or, with `full`, reconciles). Returns null when another process is publishing now
 * (it picks the changes up: it publishes again until nothing is pending). Throws the Failure that stopped it
 * — what went out before is recorded, and a reconcile is owed.
 */
export async function publishDirectory(options: PublishOptions): Promise<PublishCounts | null> {
  const { engine, settings, api } = options;
  const where = engine.location;
  const host = await imHostOf(engine, settings);
  if (!host)
    throw new Failure(
      'invalid-settings',
      'The IM host is not known: imDomains is empty and no imported account names the domain.',
      'Set imDomains (the first one is the host the directory is published to).',
    );
  const token = randomUUID();
  let taken: boolean;
  try {
    taken = await takeLease(engine, token);
  } catch (err) {
    throw explainDatabaseError(err, where);
  }
  if (!taken) return null;
  const renew = setInterval(() => {
    // Busy: renewed at the next tick, well before the lease runs out.
    takeLease(engine, token).catch(() => undefined);
  }, LEASE_MS / 3);
  renew.unref();
  try {
    let counts: PublishCounts;
    let full = options.full ?? false;
    // Until nothing is pending: changes made while a publish runs go out in the next round.
    for (let round = 0; ; round++) {
      const state = (await engine.get<Record<string, unknown>>('SELECT * FROM publish_state WHERE id = 1'))!;
      const hostChanged = state.host !== null && state.host !== host;
      full ||= state.reconcile_needed === 1 || hostChanged;
      const revision = await revisionIn(engine);
      counts = await publishOnce(engine, settings, api, host, full, options.log);
      const at = new Date().toISOString();
      await engine.run(
        'UPDATE publish_state SET host = ?, published_revision = ?, published_config = ?, last_at = ?, ' +
          'last_counts = ?, last_error = NULL, last_error_at = NULL, reconcile_needed = ?, ' +
          'last_full_at = coalesce(?, last_full_at) WHERE id = 1',
        host,
        revision,
        configOf(host, settings),
        at,
        JSON.stringify(counts),
        counts.problems.length ? 1 : 0,
        full ? at : null,
      );
      if ((await revisionIn(engine)) === revision || round >= 3) return counts;
      full = false;
    }
  } catch (err) {
    // A call that failed, or the users database busy past its timeout (a long import holds its write lock).
    const failure = explainDatabaseError(err, where);
    await engine
      .run(
        'UPDATE publish_state SET last_error = ?, last_error_at = ?, reconcile_needed = 1 WHERE id = 1',
        `${failure.message} ${failure.hint}`.trim(),
        new Date().toISOString(),
      )
      // Busy too: the revision was not marked published, so the changes are still pending and go next time.
      .catch(() => undefined);
    throw failure;
  } finally {
    clearInterval(renew);
    // Busy: the lease runs out by itself.
    await dropLease(engine, token).catch(() => undefined);
  }
}

async function publishOnce(
  engine: SqlEngine,
  settings: Settings,
  api: ImApi,
  host: string,
  full: boolean,
  log: ((line: string) => void) | undefined,
): Promise<PublishCounts> {
  const started = performance.now();
  const counts = emptyPublishCounts(full, host);
  const desired = await desiredState(engine, settings);
  const record = new Recorder(engine);
  await api.checkHost(host);
  let published = await readPublished(engine);
  if (full) {
    const users = new Set([...desired.vcards.keys(), ...published.vcards.keys()]);
    published = await readActual(api, host, users);
    // The record is what the IM server holds now.
    const actual = published;
    await engine.write(async (tx) => {
      await tx.exec('DELETE FROM published_groups; DELETE FROM published_members; DELETE FROM published_vcards;');
      await tx.copyRows(
        'published_groups',
        ['id', 'label', 'display'],
        [...actual.groups].map(([id, v]) => [id, v.label, v.display]),
      );
      await tx.copyRows('published_members', ['grp', 'usr'], [...actual.members].map(splitMember));
      await tx.copyRows('published_vcards', ['usr', 'rev'], [...actual.vcards]);
    });
  }
  const { groups, members } = desired.directory;
  const wantedMembers = new Set([...members.values()].map((m) => memberKey(m.group, m.user)));
  const adds = [...wantedMembers].filter((k) => !published.members.has(k));
  const removes = [...published.members].filter((k) => !wantedMembers.has(k));
  const bulk = published.groups.size === 0 || adds.length + removes.length > BULK_MEMBER_CHANGES;
  const setGroup = async (id: string, label: string, display: string) => {
    await api.call('srg_create', { group: id, host, label, description: 'AD Console: a server OU', display });
    await record.add(
      'INSERT INTO published_groups (id, label, display) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET ' +
        'label = excluded.label, display = excluded.display',
      id,
      label,
      display,
    );
  };
  const changedGroups = [...groups.values()].filter((g) => {
    const was = published.groups.get(g.id);
    return !was || was.label !== g.label || was.display !== displayText(g.display);
  });
  try {
    // 1. Groups. In bulk order every group goes without displayed groups first: adding a member to a group that
    //    many see rehashes all their rosters (DESIGN §12), so the displays are set once the members are in.
    const firstStep = bulk
      ? [...groups.values()].filter((g) => {
          const was = published.groups.get(g.id);
          return !was || was.label !== g.label || was.display !== '';
        })
      : changedGroups;
    await Promise.all(
      firstStep.map(async (g) => {
        const was = published.groups.get(g.id);
        await setGroup(g.id, g.label, bulk ? '' : displayText(g.display));
        if (!was) counts.groupsCreated++;
        else if (changedGroups.includes(g)) counts.groupsUpdated++;
      }),
    );
    await record.flush();
    // 2. vCards before memberships: a new contact appears under its name. Each confirmed by its REV.
    await Promise.all(
      [...desired.vcards].map(async ([user, card]) => {
        if (published.vcards.get(user) === card.rev) return;
        const jid = `${user}@${host}`;
        await api.call('send_stanza', {
          from: jid,
          to: jid,
          stanza: `<iq type="set" id="adc-${card.rev}">${card.xml}</iq>`,
        });
        const stored = await api
          .call<{ content: string }>('get_vcard', { user, host, name: 'REV' })
          .catch(() => ({ content: '' }));
        if (stored?.content !== card.rev) {
          counts.problems.push(
            `the vCard of ${user} was not stored (ejabberd reads REV "${stored?.content ?? ''}"): is ${user} a user ` +
              'ejabberd knows (bcscmd /EXTAUTH answers isuser)?',
          );
          return;
        }
        counts.vcardsSet++;
        await record.add(
          'INSERT INTO published_vcards (usr, rev) VALUES (?, ?) ON CONFLICT (usr) DO UPDATE SET rev = excluded.rev',
          user,
          card.rev,
        );
      }),
    );
    await record.flush();
    // 3. Memberships.
    await Promise.all([
      ...adds.map(async (key) => {
        const [group, user] = splitMember(key);
        await api.call('srg_user_add', { user, host, group, grouphost: host });
        counts.membersAdded++;
        await record.add('INSERT INTO published_members (grp, usr) VALUES (?, ?) ON CONFLICT DO NOTHING', group, user);
      }),
      ...removes.map(async (key) => {
        const [group, user] = splitMember(key);
        await api.call('srg_user_del', { user, host, group, grouphost: host });
        counts.membersRemoved++;
        await record.add('DELETE FROM published_members WHERE grp = ? AND usr = ?', group, user);
      }),
    ]);
    await record.flush();
    // 4. In bulk order, the displayed groups last.
    if (bulk)
      await Promise.all(
        [...groups.values()]
          .filter((g) => displayText(g.display) !== '')
          .map((g) => setGroup(g.id, g.label, displayText(g.display))),
      );
    await record.flush();
    // 5. Groups of OUs that are gone, and IM users whose account was deleted (their data on the IM server too).
    const gone = [...published.groups.keys()].filter((id) => !groups.has(id));
    await Promise.all(
      gone.map(async (id) => {
        await api.call('srg_delete', { group: id, host });
        counts.groupsDeleted++;
        await record.add('DELETE FROM published_groups WHERE id = ?', id);
        await record.add('DELETE FROM published_members WHERE grp = ?', id);
      }),
    );
    const publishedUsers = new Set([
      ...published.vcards.keys(),
      ...[...published.members].map((k) => splitMember(k)[1]),
    ]);
    const deleted = [...publishedUsers].filter((user) => !desired.known.has(user));
    await Promise.all(
      deleted.map(async (user) => {
        await api.call('unregister', { user, host });
        counts.unregistered++;
        await record.add('DELETE FROM published_vcards WHERE usr = ?', user);
        await record.add('DELETE FROM published_members WHERE usr = ?', user);
      }),
    );
  } finally {
    // What went out is recorded, even when a call failed half-way.
    await record.flush();
  }
  counts.durationMs = Math.round(performance.now() - started);
  log?.(
    `Published to ${host}${full ? ' (full)' : ''}: ${counts.groupsCreated} groups created, ${counts.groupsUpdated} ` +
      `updated, ${counts.groupsDeleted} deleted; ${counts.membersAdded} members added, ${counts.membersRemoved} ` +
      `removed; ${counts.vcardsSet} vCards; ${counts.unregistered} unregistered (${counts.durationMs} ms).`,
  );
  return counts;
}
