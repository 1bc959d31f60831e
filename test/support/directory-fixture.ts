/**
 * The small deterministic directory the test DC is seeded with: nested OUs (one with a comma in its name,
 * one with non-ASCII), enabled and disabled users, computers, groups and a service account.
 */
export const REALM = 'CORP.EXAMPLE.TEST';
export const DOMAIN = 'corp.example.test';
export const NETBIOS = 'CORP';
export const BASE_DN = 'DC=corp,DC=example,DC=test';
export const DC_HOST = 'dc1';
export const DC_FQDN = `${DC_HOST}.${DOMAIN}`;
export const ADMIN_PASSWORD = 'Adm1n!Passw0rd-Test';
export const SERVICE_ACCOUNT = { sam: 'svc-adconsole', password: 'Svc!Passw0rd-2026', ou: 'OU=Service Accounts' };

export interface FixtureUser {
  sam: string;
  given: string;
  sn: string;
  ou: string;
  enabled: boolean;
  password?: string;
  /** Set to provoke a bind failure sub-code. */
  special?: 'must-change' | 'expired';
}

export const OUS = [
  'OU=Sales',
  'OU=LA,OU=Sales',
  'OU=Research\\, Development',
  'OU=Zürich Büro',
  'OU=Service Accounts',
  'OU=Workstations',
  'OU=Empty',
];

export const USERS: FixtureUser[] = [
  { sam: 'alice', given: 'Alice', sn: 'Archer', ou: 'OU=Sales', enabled: true },
  { sam: 'bob', given: 'Bob', sn: 'Baker', ou: 'OU=Sales', enabled: true },
  { sam: 'carol', given: 'Carol', sn: 'Cooper', ou: 'OU=Sales', enabled: false },
  { sam: 'dave', given: 'Dave', sn: 'Dunn', ou: 'OU=LA,OU=Sales', enabled: true },
  { sam: 'erin', given: 'Erin', sn: 'Ellis', ou: 'OU=LA,OU=Sales', enabled: false },
  { sam: 'frank', given: 'Frank', sn: 'Fisher', ou: 'OU=Research\\, Development', enabled: true },
  { sam: 'grace', given: 'Grace', sn: 'Green', ou: 'OU=Research\\, Development', enabled: true },
  { sam: 'juerg', given: 'Jürg', sn: 'Müller', ou: 'OU=Zürich Büro', enabled: true },
  { sam: 'zoe', given: 'Zoë', sn: 'Štěpánová', ou: 'OU=Zürich Büro', enabled: true },
  { sam: 'locked-out', given: 'Disabled', sn: 'Holder', ou: 'OU=Service Accounts', enabled: false, password: 'Dis!Passw0rd-2026' },
  { sam: 'must-change', given: 'Must', sn: 'Change', ou: 'OU=Service Accounts', enabled: true, password: 'Chg!Passw0rd-2026', special: 'must-change' },
  { sam: 'expired', given: 'Ex', sn: 'Pired', ou: 'OU=Service Accounts', enabled: true, password: 'Exp!Passw0rd-2026', special: 'expired' },
  { sam: SERVICE_ACCOUNT.sam, given: 'AD Console', sn: 'Service', ou: SERVICE_ACCOUNT.ou, enabled: true, password: SERVICE_ACCOUNT.password },
];

export const COMPUTERS = [
  { name: 'WS01', ou: 'OU=Workstations' },
  { name: 'WS02', ou: 'OU=Workstations' },
  { name: 'LAPTOP-LA1', ou: 'OU=LA,OU=Sales' },
];

export const GROUPS = [
  { name: 'Sales Team', ou: 'OU=Sales', members: ['alice', 'bob', 'dave'] },
  { name: 'Researchers', ou: 'OU=Research\\, Development', members: ['frank', 'grace'] },
];

export const dnOf = (rdn: string, ou: string) => `${rdn},${ou},${BASE_DN}`;
export const userDn = (u: FixtureUser) => dnOf(`CN=${u.given} ${u.sn}`, u.ou);
