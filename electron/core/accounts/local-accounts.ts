/**
 * Accounts the administrator manages on the server itself (origin local): add, set a password, disable,
 * enable, delete. Each change is one write transaction that also records a history entry (mode
 * `account`), so that the history shows who changed what from where, as it does for imports. AD accounts
 * are refused with the reason: the directory is where they are managed, and a sync would undo the change.
 */
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
import type { StartedBy } from '../../../shared/import-run.ts';
import { type Action, type Counts, emptyCounts, type FieldChange } from '../../../shared/import-run.ts';
import { PERSON_FIELDS, type PersonFieldKey } from '../../../shared/account-fields.ts';
import { parseServerOuPath } from '../../../shared/server-ou-path.ts';
import {
  type AccountRow,
  accountRow,
  type AccountView,
  DERIVED_COLUMNS,
  derivedColumns,
  derivedValues,
  findAccount,
  logonKey,
  personFieldsOfRow,
} from '../database/accounts.ts';
import { DEFAULT_OU_ID, OuTree } from '../database/ou-tree.ts';
import { bumpRevision } from '../database/users-database.ts';
import { Failure } from '../failure.ts';
import { beginRun, endRun } from '../import/run-history.ts';
import { parseLogonInput } from '../onthefly/logon-input.ts';
import { hashPassword } from '../secrets/password-hash.ts';
import { passwordProblem } from './local-password.ts';

export interface NewLocalAccount {
  logon: string;
  /** A server OU path ("Staff/Contractors"); '' = _Default. */
  ou: string;
  displayName: string;
  email: string;
}

const MAX_LOCAL_LOGON = 64;
// XMPP's nodeprep refuses these in a user name (RFC 6122 §A.5), so no IM client could log on with them.
const NOT_IN_JID = /[\s&'"/:<>@]/u;

/** Why a logon name cannot be a local account's, or null. The AD rules first (one list), then XMPP's. */
export function localLogonProblem(logon: string): string | null {
  const input = parseLogonInput(logon);
  if (!input.ok) return input.reason;
  if (input.domain !== null || input.upn !== null || NOT_IN_JID.test(input.sam))
    return `"${logon}" cannot be a logon name: no spaces, and none of & ' " / : < > @ \\ (IM addresses refuse them).`;
  if (input.sam.length > MAX_LOCAL_LOGON) return `The logon name is longer than ${MAX_LOCAL_LOGON} characters.`;
  return null;
}

async function rowOf(q: SqlQueryable, logon: string): Promise<AccountRow> {
  const row = await accountRow(q, logon);
  if (!row)
    throw new Failure(
      'no-such-account',
      `There is no account "${logon}" in the users database.`,
      'Check the spelling (bcscmd /USERS lists the accounts).',
      { nothingChanged: true },
    );
  return row;
}

function localOnly(row: AccountRow, what: string): void {
  if (row.origin !== 'local')
    throw new Failure(
      'not-local-account',
      `${row.logon} comes from Active Directory, so it cannot be ${what} here: the next sync from the ` +
        `directory would decide it again.`,
      `Change it in Active Directory (Active Directory Users and Computers); the next sync brings the change in.`,
      { nothingChanged: true },
    );
}

/** A line of a run's report: an account, what was done to it, the fields it changed (old → new), and why. */
interface ReportedLine {
  action: Action;
  logon: string;
  reason: string | null;
  changes?: Record<string, FieldChange> | null;
}

/** One change in one transaction, with its history entry; the Failure of `work` rolls everything back. */
export function recorded<T>(
  engine: SqlEngine,
  by: StartedBy,
  source: string,
  counted: Partial<Counts>,
  work: (tx: SqlQueryable, now: string) => Promise<T>,
  /** The accounts' lines in the run's report (and so in each account's history); or made by `work`. */
  reported: ReportedLine[] | ((result: T) => ReportedLine[]) = [],
): Promise<T> {
  const now = new Date().toISOString();
  return engine.write(async (tx) => {
    const result = await work(tx, now);
    const id = await beginRun(tx, {
      mode: 'account',
      source,
      startedBy: by,
      incremental: false,
      dc: null,
      startedAt: now,
    });
    const counts = { ...emptyCounts(), ...counted };
    await endRun(tx, id, {
      status: 'succeeded',
      source,
      incremental: false,
      dc: null,
      counts,
      error: null,
      backup: null,
    });
    const lines = typeof reported === 'function' ? reported(result) : reported;
    await tx.copyRows(
      'run_actions',
      ['run_id', 'seq', 'action', 'logon', 'changes', 'reason'],
      lines.map((r, seq) => [id, seq + 1, r.action, r.logon, r.changes ? JSON.stringify(r.changes) : null, r.reason]),
    );
    await bumpRevision(tx);
    return result;
  });
}

export async function addLocalAccount(
  engine: SqlEngine,
  account: NewLocalAccount,
  by: StartedBy,
): Promise<AccountView> {
  const problem = localLogonProblem(account.logon);
  if (problem) throw new Failure('invalid-logon', problem, 'Choose another logon name.', { nothingChanged: true });
  const ou = parseServerOuPath(account.ou);
  if (!ou.ok)
    throw new Failure('invalid-input', `Server OU: ${ou.error}`, 'Correct the OU path.', { nothingChanged: true });
  const logon = account.logon.normalize('NFC').trim();
  const source = `local account ${logon}: created`;
  await recorded(
    engine,
    by,
    source,
    { created: 1 },
    async (tx, now) => {
      const existing = await findAccount(tx, logon);
      if (existing)
        throw new Failure(
          'account-exists',
          `The users database already has an account "${existing.logon}" ` +
            `(${existing.origin === 'ad' ? 'from Active Directory' : 'a local account'}, in ${existing.ou}).`,
          'Choose another logon name.',
          { nothingChanged: true },
        );
      const [first, ...rest] = account.displayName.trim().split(/\s+/);
      const person = {
        logon,
        firstName: first ?? '',
        middleName: '',
        lastName: rest.join(' '),
        displayName: account.displayName.trim(),
        email: account.email.trim(),
        department: '',
      };
      const ouId = await (await OuTree.read(tx)).ensure(tx, ou.names, now);
      await tx.run(
        `INSERT INTO accounts (logon, ${DERIVED_COLUMNS.join(', ')}, first_name, last_name, display_name, email, ` +
          "enabled, kind, ou_id, origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'user', ?, " +
          "'local', ?, ?)",
        logon,
        ...derivedValues(person),
        person.firstName,
        person.lastName,
        person.displayName,
        person.email,
        ouId,
        now,
        now,
      );
    },
    [{ action: 'create', logon, reason: 'local account added' }],
  );
  return (await findAccount(engine, logon))!;
}

export async function setLocalPassword(engine: SqlEngine, logon: string, password: string, by: StartedBy) {
  const problem = passwordProblem(password);
  if (problem)
    throw new Failure('invalid-password', problem, 'Choose a password of 8 to 1 024 characters.', {
      nothingChanged: true,
    });
  localOnly(await rowOf(engine, logon), 'given a password');
  // Hashing takes tens of milliseconds: outside the write lock, so that logons are not held up.
  const hash = await hashPassword(password);
  await recorded(
    engine,
    by,
    `local account ${logon}: password set`,
    { updated: 1 },
    async (tx, now) => {
      const row = await rowOf(tx, logon);
      localOnly(row, 'given a password');
      await tx.run('UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?', hash, now, row.id);
    },
    [{ action: 'update', logon, reason: 'password set' }],
  );
}

/** "alice", "alice, bob", "alice, bob, carol and 4 more": the accounts a history entry is about. */
const namesOf = (logons: readonly string[]) =>
  `local account${logons.length === 1 ? '' : 's'} ` +
  (logons.length <= 3 ? logons.join(', ') : `${logons.slice(0, 3).join(', ')} and ${logons.length - 3} more`);

/** Enables or disables local accounts (one history entry, all or none). */
export async function setLocalEnabled(
  engine: SqlEngine,
  logons: string[],
  enabled: boolean,
  by: StartedBy,
): Promise<void> {
  const what = enabled ? 'enabled' : 'disabled';
  await recorded(
    engine,
    by,
    `${namesOf(logons)}: ${what}`,
    { [what]: logons.length },
    async (tx, now) => {
      for (const logon of logons) {
        const row = await rowOf(tx, logon);
        localOnly(row, what);
        await tx.run(
          'UPDATE accounts SET enabled = ?, disabled_by = ?, updated_at = ? WHERE id = ?',
          enabled ? 1 : 0,
          enabled ? null : 'admin',
          now,
          row.id,
        );
      }
    },
    logons.map((logon) => ({
      action: enabled ? ('enable' as const) : ('disable' as const),
      logon,
      reason: `${what} by the administrator`,
    })),
  );
}

/** Moves local accounts into an existing server OU (one history entry each, all or none). */
export async function moveLocalAccounts(
  engine: SqlEngine,
  logons: string[],
  ouPath: string,
  by: StartedBy,
): Promise<string> {
  const ou = parseServerOuPath(ouPath);
  if (!ou.ok)
    throw new Failure('invalid-input', `Server OU: ${ou.error}`, 'Correct the OU path.', { nothingChanged: true });
  const tree = await OuTree.read(engine);
  const target = ou.names.length === 0 ? DEFAULT_OU_ID : tree.find(ou.names);
  if (target === null) throw noSuchServerOu(ouPath);
  const path = tree.path(target);
  await recorded(
    engine,
    by,
    `${namesOf(logons)}: moved to ${path}`,
    { updated: logons.length },
    async (tx, now) => {
      for (const logon of logons) {
        const row = await rowOf(tx, logon);
        localOnly(row, 'moved');
        await tx.run('UPDATE accounts SET ou_id = ?, updated_at = ? WHERE id = ?', target, now, row.id);
      }
    },
    logons.map((logon) => ({ action: 'update' as const, logon, reason: `moved to ${path}` })),
  );
  return path;
}

export const noSuchServerOu = (path: string) =>
  new Failure(
    'no-such-server-ou',
    `There is no OU "${path}" on the server.`,
    'Pick one from the OU tree, or create it first (New OU…, bcscmd /ADDOU).',
    { nothingChanged: true },
  );

/** Deletes local accounts (one history entry, all or none). */
export async function deleteLocalAccounts(engine: SqlEngine, logons: string[], by: StartedBy): Promise<void> {
  await recorded(
    engine,
    by,
    `${namesOf(logons)}: deleted`,
    { deleted: logons.length },
    async (tx) => {
      for (const logon of logons) {
        const row = await rowOf(tx, logon);
        localOnly(row, 'deleted');
        await tx.run('DELETE FROM accounts WHERE id = ?', row.id);
        await tx.run('DELETE FROM logon_failures WHERE account_key = ?', logonKey(row.logon));
      }
    },
    logons.map((logon) => ({ action: 'delete' as const, logon, reason: 'deleted by the administrator' })),
  );
}

/** What Properties (or bcscmd /SETUSER) changes on a local account: any person field, the server OU, the logon. */
export interface LocalAccountEdit {
  /** Person fields to set; the logon name is changed with `rename`. */
  fields: Partial<Record<Exclude<PersonFieldKey, 'logon'>, string>>;
  /** An existing server OU path ('' = _Default), or undefined to leave it. */
  ou?: string;
  /** A new logon name, or undefined. */
  rename?: string;
}

const MAX_FIELD = 256;

/**
 * Changes a local account's fields, server OU and logon name in one transaction with one history line that
 * lists every change (old → new). AD accounts are refused (they are changed in AD); a new logon name follows
 * the rules of a new account and must not be another account's. Returns the account as it is now.
 */
export async function editLocalAccount(
  engine: SqlEngine,
  logon: string,
  edit: LocalAccountEdit,
  by: StartedBy,
): Promise<AccountView> {
  for (const [key, value] of Object.entries(edit.fields)) {
    const label = PERSON_FIELDS.find((f) => f.key === key)?.label ?? key;
    if (value.length > MAX_FIELD || /[\u0000-\u001f\u007f]/.test(value))
      throw new Failure(
        'invalid-input',
        `${label}: at most ${MAX_FIELD} characters, and no control characters (such as line breaks).`,
        `Correct the ${label.toLowerCase()}.`,
        { nothingChanged: true },
      );
  }
  const newLogon = edit.rename?.normalize('NFC').trim();
  if (newLogon !== undefined) {
    const problem = localLogonProblem(newLogon);
    if (problem) throw new Failure('invalid-logon', problem, 'Choose another logon name.', { nothingChanged: true });
  }
  const ou = edit.ou === undefined ? null : parseServerOuPath(edit.ou);
  if (ou && !ou.ok)
    throw new Failure('invalid-input', `Server OU: ${ou.error}`, 'Correct the OU path.', { nothingChanged: true });
  const changed = await recorded(
    engine,
    by,
    `local account ${logon}: changed`,
    { updated: 1 },
    async (tx, now) => {
      const row = await rowOf(tx, logon);
      localOnly(row, 'changed');
      const changes: Record<string, FieldChange> = {};
      const sets: [string, string | number][] = [];
      for (const f of PERSON_FIELDS) {
        const to = f.key === 'logon' ? newLogon : edit.fields[f.key as Exclude<PersonFieldKey, 'logon'>]?.trim();
        if (to === undefined || to === row[f.column]) continue;
        changes[f.key] = { from: row[f.column], to };
        sets.push([f.column, to]);
      }
      if (newLogon !== undefined && logonKey(newLogon) !== row.logon_key) {
        const taken = await findAccount(tx, newLogon);
        if (taken)
          throw new Failure(
            'account-exists',
            `"${newLogon}" is the logon name of ` +
              `${taken.origin === 'ad' ? 'an account from Active Directory' : 'another local account'} ` +
              `(${taken.logon}, in ${taken.ou}); ${row.logon} keeps its name.`,
            'Choose another logon name.',
            { nothingChanged: true },
          );
      }
      const after = {
        ...personFieldsOfRow(row),
        ...Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c.to])),
      };
      sets.push(...derivedColumns(after));
      if (ou?.ok) {
        const tree = await OuTree.read(tx);
        const target = ou.names.length === 0 ? DEFAULT_OU_ID : tree.find(ou.names);
        if (target === null) throw noSuchServerOu(edit.ou!);
        if (target !== row.ou_id) {
          changes.ou = { from: tree.path(row.ou_id), to: tree.path(target) };
          sets.push(['ou_id', target]);
        }
      }
      if (Object.keys(changes).length === 0)
        throw new Failure('nothing-to-change', `${row.logon} already has these values.`, '', { nothingChanged: true });
      sets.push(['updated_at', now]);
      await tx.run(
        `UPDATE accounts SET ${sets.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`,
        ...sets.map(([, v]) => v),
        row.id,
      );
      // The failures counted for the old name belong to nobody now.
      if (newLogon !== undefined) await tx.run('DELETE FROM logon_failures WHERE account_key = ?', row.logon_key);
      return { logon: newLogon ?? row.logon, changes };
    },
    (done) => [
      {
        action: 'update',
        logon: done.logon,
        changes: done.changes,
        reason: done.changes.logon
          ? `renamed from ${done.changes.logon.from} by the administrator`
          : 'changed by the administrator',
      },
    ],
  );
  return (await findAccount(engine, changed.logon))!;
}
