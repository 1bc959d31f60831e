/**
 * One directory entry → the account the server would hold, or a reason why it cannot be imported.
 * Values are stored as AD holds them (non-ASCII, long, empty); only what would break the server is
 * refused per account: no GUID, no logon name, a logon name with control characters or over 256
 * characters, no readable userAccountControl.
 */
import type { Entry } from 'ldapts';
import { parseDn } from '../../../shared/dn.ts';
import { PERSON_FIELDS, type PersonFields } from '../../../shared/account-fields.ts';
import { guidToString } from '../directory/object-guid.ts';
import { logonName } from '../directory/account-filter.ts';
import { middleNameFrom } from './middle-name.ts';

/** What an import reads of each entry: the person fields' attributes and what identifies and marks it. */
export const ACCOUNT_ATTRIBUTES = [
  'objectGUID',
  ...PERSON_FIELDS.flatMap((f) => (f.adAttribute ? [f.adAttribute] : [])),
  'userAccountControl',
  'uSNChanged',
  'whenChanged',
];
export const BINARY_ATTRIBUTES = ['objectGUID'];

const UAC_ACCOUNTDISABLE = 0x2;
const MAX_LOGON = 256;
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface AdAccount extends PersonFields {
  guid: string;
  enabled: boolean;
  kind: 'user' | 'computer';
  dn: string;
  /** OU names from the domain down to the entry's parent (CN= containers are not OUs). */
  adOus: string[];
  usn: number | null;
  whenChanged: string | null;
}

export interface Rejected {
  logon: string;
  dn: string;
  guid: string | null;
  reason: string;
}

export interface MappingOptions {
  importComputers: boolean;
  parseMiddleName: boolean;
}

function value(entry: Record<string, unknown>, name: string): string {
  const v = entry[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined || one === null ? '' : Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
}

export function ousOf(dn: string): string[] {
  const parsed = parseDn(dn);
  if (!parsed.ok) return [];
  return parsed.rdns
    .slice(1)
    .filter((rdn) => rdn.length === 1 && rdn[0]!.type.toLowerCase() === 'ou')
    .map((rdn) => rdn[0]!.value)
    .reverse();
}

export function toAdAccount(
  entry: Entry,
  options: MappingOptions,
): { ok: true; account: AdAccount } | { ok: false; rejected: Rejected } {
  // Attribute names come back in the server's spelling; look them up case-insensitively.
  const e: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) e[k.toLowerCase()] = v;
  const dn = entry.dn;
  const rawGuid = Array.isArray(e.objectguid) ? e.objectguid[0] : e.objectguid;
  const sam = value(e, 'samaccountname');
  const logon = logonName(sam, options.importComputers);
  const guid = Buffer.isBuffer(rawGuid) && rawGuid.length === 16 ? guidToString(rawGuid) : null;
  const reject = (reason: string) => ({ ok: false as const, rejected: { logon, dn, guid, reason } });
  if (!guid) return reject('the entry has no objectGUID (is it an AD object?)');
  if (logon === '') return reject('the entry has no sAMAccountName');
  if (CONTROL.test(logon)) return reject('the logon name contains a control character');
  if (logon.length > MAX_LOGON) return reject(`the logon name is longer than ${MAX_LOGON} characters`);
  // Every field as AD holds it; the logon (computers lose their "$") and the middle name are derived.
  const read = Object.fromEntries(
    PERSON_FIELDS.map((f) => [f.key, f.adAttribute ? value(e, f.adAttribute.toLowerCase()) : '']),
  ) as PersonFields;
  const uac = Number.parseInt(value(e, 'useraccountcontrol'), 10);
  // Without it a disabled account could be imported as enabled.
  if (!Number.isFinite(uac))
    return reject(
      'userAccountControl is missing or unreadable, so whether the account is disabled is unknown (check the ' +
        "service account's read permissions)",
    );
  const usn = Number.parseInt(value(e, 'usnchanged'), 10);
  return {
    ok: true,
    account: {
      ...read,
      guid,
      logon,
      middleName: options.parseMiddleName ? middleNameFrom(read.displayName, read.firstName, read.lastName) : '',
      enabled: (uac & UAC_ACCOUNTDISABLE) === 0,
      kind: options.importComputers ? 'computer' : 'user',
      dn,
      adOus: ousOf(dn),
      usn: Number.isFinite(usn) ? usn : null,
      whenChanged: value(e, 'whenchanged') || null,
    },
  };
}
