/** Seeds the test DC with the fixture directory, over LDAPS as Administrator. */
import fs from 'node:fs';
import { Attribute, Change, Client } from 'ldapts';
import {
  ADMIN_PASSWORD,
  ALL_STAFF_GROUP,
  BASE_DN,
  COMPUTERS,
  DOMAIN,
  GROUPS,
  MANAGERS_GROUP,
  OUS,
  STAFF,
  USERS,
  dnOf,
  staffDn,
  userDn,
  type FixtureUser,
  type StaffUser,
} from './directory-fixture.ts';

const UAC_NORMAL = 0x200;
const UAC_DISABLED = 0x2;
const UAC_WORKSTATION_TRUST = 0x1000;
const UAC_PASSWD_NOTREQD = 0x20;

/** AD takes passwords as the UTF-16LE bytes of the quoted password, over an encrypted connection only. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

export const passwordOf = (u: FixtureUser) => u.password ?? `User!Passw0rd-${u.sam}`;

export async function adminClient(address: string, caFile: string): Promise<Client> {
  const client = new Client({
    url: `ldaps://${address}:636`,
    tlsOptions: { ca: [fs.readFileSync(caFile)] },
    timeout: 30_000,
    connectTimeout: 10_000,
  });
  await client.bind(`Administrator@${DOMAIN}`, ADMIN_PASSWORD);
  return client;
}

export async function addUser(client: Client, u: FixtureUser): Promise<void> {
  await client.add(userDn(u), [
    new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
    new Attribute({ type: 'sAMAccountName', values: [u.sam] }),
    new Attribute({ type: 'userPrincipalName', values: [`${u.sam}@${DOMAIN}`] }),
    new Attribute({ type: 'givenName', values: [u.given] }),
    new Attribute({ type: 'sn', values: [u.sn] }),
    new Attribute({ type: 'displayName', values: [`${u.given} ${u.sn}`] }),
    new Attribute({ type: 'mail', values: [`${u.sam}@${DOMAIN}`] }),
    new Attribute({ type: 'unicodePwd', values: [unicodePwd(passwordOf(u))] }),
    new Attribute({ type: 'userAccountControl', values: [String(UAC_NORMAL | (u.enabled ? 0 : UAC_DISABLED))] }),
  ]);
  if (u.special === 'must-change')
    await client.modify(
      userDn(u),
      new Change({ operation: 'replace', modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }) }),
    );
  // 2009-10-13 in FILETIME: long past.
  if (u.special === 'expired')
    await client.modify(
      userDn(u),
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'accountExpires', values: ['129000000000000000'] }),
      }),
    );
}

/** An account for an OU of a suite's own (enabled, no password): `tag` names the suite in its fields. */
export function labUser(sam: string, n: number, tag: string): StaffUser {
  return {
    sam,
    given: tag,
    sn: `User ${n}`,
    displayName: `${tag} User ${n}`,
    mail: `${sam}@${DOMAIN}`,
    department: tag,
    title: 'Tester',
    phone: '',
    enabled: true,
    ou: '',
  };
}

/** Staff users have no password (PASSWD_NOTREQD): they are import material, never bound as; and it is 5× faster. */
export async function addStaffUser(client: Client, u: StaffUser, dn = staffDn(u)): Promise<void> {
  const attributes: Record<string, string | string[]> = {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: u.sam,
    givenName: u.given,
    sn: u.sn,
    displayName: u.displayName,
    department: u.department,
    title: u.title,
    userAccountControl: String(UAC_NORMAL | UAC_PASSWD_NOTREQD | (u.enabled ? 0 : UAC_DISABLED)),
  };
  if (u.mail) attributes.mail = u.mail;
  if (u.phone) attributes.telephoneNumber = u.phone;
  await client.add(dn, attributes);
}

export async function seedDirectory(address: string, caFile: string): Promise<void> {
  const client = await adminClient(address, caFile);
  try {
    for (const ou of OUS) {
      const name = ou
        .split(/(?<!\\),/)[0]!
        .slice(3)
        .replace(/\\(.)/g, '$1');
      await client.add(`${ou},${BASE_DN}`, { objectClass: ['top', 'organizationalUnit'], ou: name });
    }
    for (const u of USERS) await addUser(client, u);
    for (const c of COMPUTERS) {
      await client.add(dnOf(`CN=${c.name}`, c.ou), {
        objectClass: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
        sAMAccountName: `${c.name}$`,
        dNSHostName: `${c.name.toLowerCase()}.${DOMAIN}`,
        userAccountControl: String(UAC_WORKSTATION_TRUST),
      });
    }
    for (const g of GROUPS) {
      const members = g.members.map((sam) => userDn(USERS.find((u) => u.sam === sam)!));
      await client.add(dnOf(`CN=${g.name}`, g.ou), {
        objectClass: ['top', 'group'],
        sAMAccountName: g.name,
        member: members,
      });
    }
    for (const u of STAFF) await addStaffUser(client, u);
    await client.add(`${ALL_STAFF_GROUP},${BASE_DN}`, {
      objectClass: ['top', 'group'],
      sAMAccountName: 'All Staff',
      member: STAFF.map(staffDn),
    });
    await client.add(`${MANAGERS_GROUP.dn},${BASE_DN}`, {
      objectClass: ['top', 'group'],
      sAMAccountName: 'Managers',
      member: MANAGERS_GROUP.members.map((m) => `${m},${BASE_DN}`),
    });
  } finally {
    await client.unbind();
  }
}
