/** Which directory objects count as accounts: users, or computers when ImportComputersFromAD is on. */
import { attributeValues } from './entry-attributes.ts';

export const USER_FILTER = '(&(objectCategory=person)(objectClass=user))';
export const COMPUTER_FILTER = '(objectClass=computer)';

export function accountFilter(importComputers: boolean): string {
  return importComputers ? COMPUTER_FILTER : USER_FILTER;
}

export function accountNoun(importComputers: boolean, count: number): string {
  return importComputers
    ? count === 1
      ? 'computer account'
      : 'computer accounts'
    : count === 1
      ? 'user account'
      : 'user accounts';
}

/** Logon name of an account entry: computers drop the trailing "$" of their sAMAccountName. */
export function logonName(sAMAccountName: string, importComputers: boolean): string {
  return importComputers ? sAMAccountName.replace(/\$$/, '') : sAMAccountName;
}

/**
 * The same test as `accountFilter`, on an entry read with objectClass and objectCategory: for searches whose
 * server-side filter cannot say it cheaply (see `changedSince`).
 */
export function isAccountEntry(entry: Record<string, unknown>, importComputers: boolean): boolean {
  const values = (name: string): string[] => attributeValues(entry, name).map((x) => String(x).toLowerCase());
  const classes = values('objectClass');
  if (importComputers) return classes.includes('computer');
  return classes.includes('user') && values('objectCategory').some((c) => c.startsWith('cn=person,'));
}
