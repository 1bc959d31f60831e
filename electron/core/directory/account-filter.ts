/** Which directory objects count as accounts: users, or computers when ImportComputersFromAD is on. */
export const USER_FILTER = '(&(objectCategory=person)(objectClass=user))';
export const COMPUTER_FILTER = '(objectClass=computer)';

export function accountFilter(importComputers: boolean): string {
  return importComputers ? COMPUTER_FILTER : USER_FILTER;
}

export function accountNoun(importComputers: boolean, count: number): string {
  return importComputers ? (count === 1 ? 'computer account' : 'computer accounts') : count === 1 ? 'user account' : 'user accounts';
}

/** Logon name of an account entry: computers drop the trailing "$" of their sAMAccountName. */
export function logonName(sAMAccountName: string, importComputers: boolean): string {
  return importComputers ? sAMAccountName.replace(/\$$/, '') : sAMAccountName;
}
