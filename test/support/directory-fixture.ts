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
  'OU=Staff',
  'OU=Engineering,OU=Staff',
  'OU=Groups',
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
  {
    sam: 'locked-out',
    given: 'Disabled',
    sn: 'Holder',
    ou: 'OU=Service Accounts',
    enabled: false,
    password: 'Dis!Passw0rd-2026',
  },
  {
    sam: 'must-change',
    given: 'Must',
    sn: 'Change',
    ou: 'OU=Service Accounts',
    enabled: true,
    password: 'Chg!Passw0rd-2026',
    special: 'must-change',
  },
  {
    sam: 'expired',
    given: 'Ex',
    sn: 'Pired',
    ou: 'OU=Service Accounts',
    enabled: true,
    password: 'Exp!Passw0rd-2026',
    special: 'expired',
  },
  {
    sam: SERVICE_ACCOUNT.sam,
    given: 'AD Console',
    sn: 'Service',
    ou: SERVICE_ACCOUNT.ou,
    enabled: true,
    password: SERVICE_ACCOUNT.password,
  },
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

/** A group of every staff user (over 1 500 members), and one that nests another group. */
export const ALL_STAFF_GROUP = 'CN=All Staff,OU=Groups';
export const MANAGERS_GROUP = {
  dn: 'CN=Managers,OU=Groups',
  members: ['CN=Sales Team,OU=Sales', 'CN=Frank Fisher,OU=Research\\, Development'],
  expected: ['alice', 'bob', 'dave', 'frank'],
};

/**
 * The import suite's directory: more than 1 500 users in one OU (AD's page limit is 1 000), a nested OU,
 * every 10th disabled, every 9th without mail, and a group holding all of them (over 1 500 members).
 */
export const STAFF_COUNT = 1600;
export const STAFF_OU = 'OU=Staff';
export const ENGINEERING_OU = 'OU=Engineering,OU=Staff';
const GIVEN = ['Anna', 'Ben', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hiro', 'Ingrid', 'José'];
const SURNAMES = [
  'Adams',
  'Brown',
  'Çelik',
  'Dubois',
  'Evans',
  'Fischer',
  'García',
  'Hansen',
  'Ivanova',
  'Jones',
  'Kowalski',
];

export interface StaffUser {
  sam: string;
  given: string;
  sn: string;
  displayName: string;
  mail: string | null;
  department: string;
  title: string;
  phone: string;
  enabled: boolean;
  ou: string;
}

export function staffUser(i: number): StaffUser {
  const n = String(i).padStart(4, '0');
  const given = GIVEN[i % GIVEN.length]!;
  const sn = SURNAMES[i % SURNAMES.length]!;
  return {
    sam: `staff${n}`,
    given,
    sn: `${sn}${n}`,
    displayName: `${given} ${sn}${n}`,
    mail: i % 9 === 0 ? null : `staff${n}@${'corp.example.test'}`,
    department: ['Sales', 'Support', 'Engineering', 'Finance'][i % 4]!,
    title: i % 5 === 0 ? 'Team Lead' : 'Specialist',
    phone: `+41 44 555 ${n}`,
    enabled: i % 10 !== 0,
    // The last 50 live one level down, so that "include sub-OUs" and recreating the structure are exercised.
    ou: i > STAFF_COUNT - 50 ? ENGINEERING_OU : STAFF_OU,
  };
}

/** Names that test the mapping: both DisplayName middle-name orders, non-ASCII, no mail, odd values. */
export const SPECIAL_STAFF: StaffUser[] = [
  {
    sam: 'jwilson',
    given: 'John',
    sn: 'Wilson',
    displayName: 'John Jr. Wilson',
    mail: 'jwilson@corp.example.test',
    department: 'Legal',
    title: 'Counsel',
    phone: '',
    enabled: true,
    ou: ENGINEERING_OU,
  },
  {
    sam: 'wilsonj',
    given: 'John',
    sn: 'Wilson',
    displayName: 'Wilson John Jr.',
    mail: null,
    department: 'Legal',
    title: 'Counsel',
    phone: '',
    enabled: true,
    ou: ENGINEERING_OU,
  },
  {
    sam: 'björn.åberg',
    given: 'Björn',
    sn: 'Åberg',
    displayName: 'Björn Åberg',
    mail: 'bjorn@corp.example.test',
    department: 'Zürich Büro',
    title: 'Ingénieur',
    phone: '',
    enabled: true,
    ou: ENGINEERING_OU,
  },
  {
    sam: 'longtitle',
    given: 'Long',
    sn: 'Title',
    displayName: 'Long "Quoted", Title',
    mail: null,
    department: 'A'.repeat(60),
    title: 'Tab\there',
    phone: '',
    enabled: true,
    ou: ENGINEERING_OU,
  },
];

export const STAFF: StaffUser[] = [
  ...Array.from({ length: STAFF_COUNT }, (_, k) => staffUser(k + 1)),
  ...SPECIAL_STAFF,
];

export const dnOf = (rdn: string, ou: string) => `${rdn},${ou},${BASE_DN}`;
export const userDn = (u: FixtureUser) => dnOf(`CN=${u.given} ${u.sn}`, u.ou);
export const staffDn = (u: StaffUser) => dnOf(`CN=${u.sam}`, u.ou);
