/**
 * When Active Directory locks an account out: the domain's lockout policy, the fine-grained password policies
 * (PSOs) that override it for some accounts, and an account's own count of failed logons on one DC. What the
 * logon service reads before it sends a user's password, and what Test connection's "Password policy" step
 * shows. The service account can read an account's msDS-ResultantPSO, but the PSO itself only when it has
 * been given read access: an unreadable PSO is taken at its strictest (STRICTEST_THRESHOLD).
 */
import type { Client, Entry } from 'ldapts';
import { attributeText, hasAttribute } from './entry-attributes.ts';
import { parseDn, leafName } from '../../../shared/dn.ts';

export interface LockoutPolicy {
  /** Failed logons before AD locks the account; 0 = it never locks. */
  threshold: number;
  /** How long AD remembers a failed logon, in milliseconds (lockOutObservationWindow). */
  windowMs: number;
}

/** The policy that applies to one account, and where it comes from. */
export interface AccountPolicy extends LockoutPolicy {
  /** The PSO's DN, or null for the domain's policy. */
  pso: string | null;
  /** False when the account is under a PSO the service account cannot read: the values are the strictest reading. */
  readable: boolean;
}

/**
 * An unreadable PSO may lock after any number of failures: it is read as locking after the second, the lowest
 * at which a password can be checked at all (one failure at a time), and as remembering failures for at least
 * NO_POLICY_WINDOW_MS.
 */
export const STRICTEST_THRESHOLD = 2;
/** Without a policy (or with an unreadable one), failures are remembered this long. */
export const NO_POLICY_WINDOW_MS = 30 * 60 * 1000;

export const PSO_CONTAINER = (domainDn: string) => `CN=Password Settings Container,CN=System,${domainDn}`;

/** AD stores intervals as negative counts of 100 ns ("-600000000" is one minute); never means 0 here. */
export function adIntervalMs(value: unknown): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  if (!Number.isFinite(n) || n >= 0 || n <= -9.2e18) return 0;
  return Math.round(-n / 10_000);
}

/** FILETIME (100 ns since 1601) → milliseconds since 1970; null for 0 or nothing. */
export function fileTimeMs(value: string): number | null {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return null;
  return Math.round(n / 10_000 - 11_644_473_600_000);
}

const whole = (text: string) => (Number.isFinite(Number(text)) && text !== '' ? Number(text) : 0);

async function base(client: Client, dn: string, attributes: string[], timeLimit: number): Promise<Entry | null> {
  const filter = '(objectClass=*)';
  const { searchEntries } = await client.search(dn, { scope: 'base', filter, attributes, timeLimit });
  return searchEntries[0] ?? null;
}

/** The domain's own policy, on the domain object. */
export async function readDomainPolicy(client: Client, domainDn: string, timeLimit: number): Promise<LockoutPolicy> {
  const entry = (await base(client, domainDn, ['lockoutThreshold', 'lockOutObservationWindow'], timeLimit)) ?? {};
  return {
    threshold: whole(attributeText(entry, 'lockoutThreshold')),
    windowMs: adIntervalMs(attributeText(entry, 'lockOutObservationWindow')),
  };
}

const PSO_ATTRIBUTES = ['msDS-LockoutThreshold', 'msDS-LockoutObservationWindow'];

function psoPolicy(entry: Entry): LockoutPolicy | null {
  // A PSO always holds both: an entry without them is one the reader may not see into.
  if (!hasAttribute(entry, 'msDS-LockoutThreshold')) return null;
  return {
    threshold: whole(attributeText(entry, 'msDS-LockoutThreshold')),
    windowMs: adIntervalMs(attributeText(entry, 'msDS-LockoutObservationWindow')),
  };
}

/** One PSO's lockout values, or null when the service account cannot read them. */
export async function readPso(client: Client, dn: string, timeLimit: number): Promise<LockoutPolicy | null> {
  try {
    const entry = await base(client, dn, PSO_ATTRIBUTES, timeLimit);
    return entry ? psoPolicy(entry) : null;
  } catch (err) {
    // No such object (32) or insufficient access (50): as good as unreadable.
    if ([32, 50].includes((err as { code?: number }).code ?? -1)) return null;
    throw err;
  }
}

export interface PsoListing {
  dn: string;
  name: string;
  policy: LockoutPolicy | null;
}

/** The PSOs the service account can see in the Password Settings Container, readable or not. */
export async function listPsos(client: Client, domainDn: string, timeLimit: number): Promise<PsoListing[]> {
  try {
    const { searchEntries } = await client.search(PSO_CONTAINER(domainDn), {
      scope: 'one',
      filter: '(objectClass=*)',
      attributes: PSO_ATTRIBUTES,
      timeLimit,
    });
    return searchEntries.map((entry) => {
      const parsed = parseDn(entry.dn);
      return { dn: entry.dn, name: parsed.ok ? leafName(parsed.rdns) : entry.dn, policy: psoPolicy(entry) };
    });
  } catch (err) {
    if ([32, 50].includes((err as { code?: number }).code ?? -1)) return [];
    throw err;
  }
}

/** An account's state on the DC that answers: its PSO, failed logons and whether it is locked out now. */
export interface AccountLockState {
  pso: string | null;
  badPwdCount: number;
  /** When the last failure was, by the DC's clock (ms since 1970), or null. */
  badPasswordTimeMs: number | null;
  lockedOut: boolean;
}

const UF_LOCKOUT = 0x10;

/** What a logon's lockout-state read asks of the account (constructed attributes: a base search only). */
export const LOCK_STATE_ATTRIBUTES = [
  'msDS-ResultantPSO',
  'badPwdCount',
  'badPasswordTime',
  'msDS-User-Account-Control-Computed',
] as const;

export async function readAccountLockState(client: Client, dn: string, timeLimit: number): Promise<AccountLockState> {
  const entry = (await base(client, dn, [...LOCK_STATE_ATTRIBUTES], timeLimit)) ?? {};
  return {
    pso: attributeText(entry, 'msDS-ResultantPSO') || null,
    badPwdCount: whole(attributeText(entry, 'badPwdCount')),
    badPasswordTimeMs: fileTimeMs(attributeText(entry, 'badPasswordTime')),
    lockedOut: (whole(attributeText(entry, 'msDS-User-Account-Control-Computed')) & UF_LOCKOUT) !== 0,
  };
}

/** The strictest reading of a policy nobody may read: locks after STRICTEST_THRESHOLD, remembers for long. */
export function strictestReading(known: LockoutPolicy[], pso: string): AccountPolicy {
  return {
    threshold: STRICTEST_THRESHOLD,
    windowMs: Math.max(NO_POLICY_WINDOW_MS, ...known.map((p) => p.windowMs)),
    pso,
    readable: false,
  };
}

/**
 * The failed logons the DC still counts: AD keeps badPwdCount as it was until the next logon attempt, and
 * starts again from zero once the observation window has passed since the last failure.
 */
export function effectiveBadCount(state: AccountLockState, windowMs: number, dcNowMs: number): number {
  if (state.badPwdCount === 0 || state.badPasswordTimeMs === null) return state.badPwdCount;
  return dcNowMs - state.badPasswordTimeMs < windowMs ? state.badPwdCount : 0;
}

/** "CN=Strict,CN=Password Settings Container,…" → "Strict". */
export function psoName(dn: string): string {
  const parsed = parseDn(dn);
  return parsed.ok ? leafName(parsed.rdns) || dn : dn;
}

/** How to let the service account read the PSOs (the hint wherever an unreadable one is met). */
export function delegationHint(domainDn: string, login: string): string {
  return (
    `Let the service account read the password policies: dsacls "${PSO_CONTAINER(domainDn)}" /I:T /G ` +
    `"${login || '<service account>'}:GR" (on Samba: samba-tool dsacl set --objectdn="${PSO_CONTAINER(domainDn)}" ` +
    `--sddl="(A;CI;RPLCLORC;;;<the service account's SID>)").`
  );
}
