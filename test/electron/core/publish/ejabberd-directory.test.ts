/**
 * The directory on a real ejabberd (Debian's 23.01, configured with the lines bcscmd /IMCONFIG prints), users
 * logging on through bcscmd /EXTAUTH against the real DC, and real XMPP clients: what a user's client receives
 * is what /CONTACTS computes, and changes — OU permissions, a first logon, AD renames, disables and deletes —
 * reach online clients. The suite works on an OU of its own in AD, created and removed here.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Attribute, Change, type Client } from 'ldapts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bcscmd } from '../../../support/bcscmd.ts';
import { BASE_DN, DOMAIN, NETBIOS, SERVICE_ACCOUNT } from '../../../support/directory-fixture.ts';
import {
  asEjabberd,
  bcscmdAsEjabberdAsync,
  type Ejabberd,
  ejabberdInstalled,
  extauthCommand,
  giveToEjabberd,
  startEjabberd,
} from '../../../support/ejabberd.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { adminClient, unicodePwd } from '../../../support/seed-directory.ts';
import { startTcpProxy, type TcpProxy } from '../../../support/tcp-proxy.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';
import { startService } from '../../../support/sync-service.ts';
import { sql } from '../../../support/users-db.ts';
import { xmppLogon } from '../../../support/xmpp.ts';
import { type RosterEntry, XmppSession } from '../../../support/xmpp-session.ts';

const LAB = `IM Lab ${process.pid}`;
const LAB_DN = `OU=${LAB},${BASE_DN}`;
const PASSWORD = 'Im!Passw0rd-Lab-2026';
const ENV = { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password };

interface LabUser {
  sam: string;
  given: string;
  sn: string;
  ou: 'Sales' | 'HR' | 'Support';
}
const LAB_USERS: LabUser[] = [
  { sam: 'ims1', given: 'Sandra', sn: 'Seller', ou: 'Sales' },
  { sam: 'ims2', given: 'Simon', sn: 'Sales', ou: 'Sales' },
  { sam: 'imh1', given: 'Hanna', sn: 'Hiring', ou: 'HR' },
  { sam: 'imh2', given: 'Henry', sn: 'Holiday', ou: 'HR' },
  { sam: 'imp1', given: 'Paula', sn: 'Patch', ou: 'Support' },
];
const dnOf = (u: LabUser) => `CN=${u.given} ${u.sn},OU=${u.ou},${LAB_DN}`;
const jid = (logon: string) => `${logon}@${DOMAIN}`;

async function addLabUser(admin: Client, u: LabUser): Promise<void> {
  await admin.add(dnOf(u), [
    new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
    new Attribute({ type: 'sAMAccountName', values: [u.sam] }),
    new Attribute({ type: 'userPrincipalName', values: [`${u.sam}@${DOMAIN}`] }),
    new Attribute({ type: 'givenName', values: [u.given] }),
    new Attribute({ type: 'sn', values: [u.sn] }),
    new Attribute({ type: 'displayName', values: [`${u.given} ${u.sn}`] }),
    new Attribute({ type: 'mail', values: [`${u.sam}@${DOMAIN}`] }),
    new Attribute({ type: 'department', values: [u.ou] }),
    new Attribute({ type: 'title', values: ['Specialist'] }),
    new Attribute({ type: 'unicodePwd', values: [unicodePwd(PASSWORD)] }),
    new Attribute({ type: 'userAccountControl', values: ['512'] }),
  ]);
}

interface ContactList {
  logon: string;
  groups: { label: string; members: { logon: string; displayName: string }[] }[];
}

/** /CONTACTS as a roster: each contact's JID, name and groups (a contact in several groups is one item). */
function asRoster(list: ContactList): RosterEntry[] {
  const items = new Map<string, RosterEntry>();
  for (const g of list.groups)
    for (const m of g.members) {
      const item = items.get(jid(m.logon.toLowerCase())) ?? {
        jid: jid(m.logon.toLowerCase()),
        name: m.displayName,
        groups: [],
      };
      item.groups.push(g.label);
      item.groups.sort();
      items.set(item.jid, item);
    }
  return [...items.values()].sort((a, b) => a.jid.localeCompare(b.jid));
}

describe.runIf(realPartsAvailable() && ejabberdInstalled())('The directory on a real ejabberd', () => {
  const dc = testDc()!;
  let admin: Client;
  let server: Ejabberd;
  let proxy: TcpProxy;
  let dir: string;
  const sessions: XmppSession[] = [];
  let stopService: (() => void) | null = null;
  const db = () => path.join(dir, 'users.sqlite');
  /**
   * bcscmd as the ejabberd user, whose extauth programs share the data folder (as the README sets it up); not
   * blocking this process, whose relay carries bcscmd's calls to the API.
   */
  const run = (args: string[]) => bcscmdAsEjabberdAsync([`/DATA:${dir}`, ...args], ENV);
  const contacts = async (logon: string) => {
    const result = await run([`/CONTACTS:${logon}`, '/JSON']);
    expect(result.code, result.err).toBe(0);
    return JSON.parse(result.out) as ContactList;
  };
  const online = async (logon: string) => {
    const session = await XmppSession.open(server, logon, PASSWORD);
    sessions.push(session);
    return session;
  };
  /** The OU path bcscmd names a server OU by, from the label the IM client shows. */
  const ouPathOf = (label: string) => label.split(' / ').join('/');
  const replace = (dn: string, type: string, value: string) =>
    admin.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) }));

  beforeAll(async () => {
    admin = await adminClient(dc.address, dc.caFile);
    await admin.add(LAB_DN, { objectClass: ['top', 'organizationalUnit'], ou: LAB });
    for (const ou of ['Sales', 'HR', 'Support'])
      await admin.add(`OU=${ou},${LAB_DN}`, { objectClass: ['top', 'organizationalUnit'], ou });
    for (const u of LAB_USERS) await addLabUser(admin, u);

    dir = tempDirFor('im-directory');
    const caFile = path.join(dir, 'ca.pem');
    fs.copyFileSync(dc.caFile, caFile);
    const passwordFile = path.join(dir, 'ldap-password.txt');
    fs.writeFileSync(passwordFile, `${SERVICE_ACCOUNT.password}\n`, { mode: 0o600 });
    giveToEjabberd(dir);
    server = await startEjabberd({
      domain: DOMAIN,
      extauth: extauthCommand([`/DATA:${dir}`, `/PASSWORDFILE:${passwordFile}`]),
      directory: true,
    });
    // The API through a relay, so that a test can make ejabberd go away in the middle of a publish.
    const api = new URL(server.apiUrl!);
    proxy = await startTcpProxy('127.0.0.1', Number(api.port));
    const set = await run(
      Object.entries({
        server: dc.address,
        caFile,
        login: `${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
        ouPath: `LDAP://${LAB_DN}`,
        autoImport: 'yes',
        imDomains: DOMAIN,
        imApi: `http://127.0.0.1:${proxy.port}/api`,
        companyName: 'Example Corp',
      }).map(([k, v]) => `/SET:${k}=${v}`),
    );
    expect(set.code, set.err).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const s of sessions) await s.close();
    await server?.stop();
    await proxy?.close();
    const { searchEntries } = await admin
      .search(LAB_DN, { scope: 'sub', attributes: ['dn'] })
      .catch(() => ({ searchEntries: [] }));
    // Deepest first.
    for (const e of searchEntries.sort((a, b) => b.dn.length - a.dn.length))
      await admin.del(e.dn).catch(() => undefined);
    await admin?.unbind();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('publishes after an import, and each user then receives exactly the contact list /CONTACTS computes', async () => {
    const imported = await run(['/LDAP']);
    expect(imported.code, imported.err).toBe(0);
    // bcscmd /LDAP published what it imported before it exited: nothing is left to publish.
    expect(imported.err).not.toMatch(/publishing it to the IM server failed/);
    const again = await run(['/PUBLISH', '/JSON']);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toEqual({ status: 'nothing' });

    for (const u of LAB_USERS) {
      const session = await online(u.sam);
      const expected = asRoster(await contacts(u.sam));
      expect(session.entries(), u.sam).toEqual(expected);
    }
    // Every OU sees every OU by default: a Sales user sees HR and Support, under their OU's label.
    const sandra = sessions[0]!.entries();
    expect(sandra.map((e) => e.jid)).toEqual(['imh1', 'imh2', 'imp1', 'ims2'].map(jid));
    expect(sandra.find((e) => e.jid === jid('imh1'))).toMatchObject({ name: 'Hanna Hiring', groups: [`${LAB} / HR`] });
  });

  it('passes Test IM server on an ejabberd configured with the lines bcscmd /IMCONFIG prints', async () => {
    const tested = await run(['/TESTIM', '/JSON']);
    expect(tested.code, tested.err).toBe(0);
    const report = JSON.parse(tested.out).im as { ok: boolean; steps: { name: string; ok: boolean }[] };
    expect(report.steps.map((s) => [s.name, s.ok])).toEqual([
      ['im-connect', true],
      ['im-host', true],
      ['im-permissions', true],
      ['im-roster', true],
    ]);
  });

  it('a full publish reads back what ejabberd holds and finds nothing to repair', async () => {
    const full = await run(['/PUBLISH', '/FULL', '/JSON']);
    expect(full.code, full.err).toBe(0);
    expect(JSON.parse(full.out)).toMatchObject({
      status: 'published',
      counts: { full: true, groupsCreated: 0, groupsUpdated: 0, membersAdded: 0, membersRemoved: 0, vcardsSet: 0 },
    });
  });

  it('gives each user the vCard of their account: name, N, e-mail, company and department, title', async () => {
    const card = await sessions[0]!.vcard(jid('imh1'));
    expect(card?.getChildText('FN')).toBe('Hanna Hiring');
    expect(card?.getChild('N')?.getChildText('GIVEN')).toBe('Hanna');
    expect(card?.getChild('N')?.getChildText('FAMILY')).toBe('Hiring');
    expect(card?.getChild('EMAIL')?.getChildText('USERID')).toBe(`imh1@${DOMAIN}`);
    expect(card?.getChild('ORG')?.getChildText('ORGNAME')).toBe('Example Corp');
    expect(card?.getChild('ORG')?.getChildText('ORGUNIT')).toBe('HR');
    expect(card?.getChildText('TITLE')).toBe('Specialist');
    expect(card?.getChildText('NICKNAME') ?? '').toBe('');
  });

  it('narrows and widens contact lists with OU permissions (what clients fetch after logging on again)', async () => {
    const hr = ouPathOf(`${LAB} / HR`);
    const narrowed = await run([`/OUPERMISSIONS:${hr}`, `/SEES:${hr}`]);
    expect(narrowed.code, narrowed.err).toBe(0);
    expect(narrowed.err).toBe('');
    const hanna = await online('imh1');
    expect(hanna.entries()).toEqual(asRoster(await contacts('imh1')));
    expect(hanna.entries().map((e) => e.jid)).toEqual([jid('imh2')]);
    // Two-way: Sales no longer sees HR either.
    const sandra = await online('ims1');
    expect(sandra.entries().map((e) => e.jid)).toEqual(['imp1', 'ims2'].map(jid));

    const widened = await run([`/OUPERMISSIONS:${hr}`, '/SEES:*']);
    expect(widened.code, widened.err).toBe(0);
    const hannaAgain = await online('imh1');
    expect(hannaAgain.entries()).toEqual(asRoster(await contacts('imh1')));
    expect(hannaAgain.entries().map((e) => e.jid)).toEqual(['imh2', 'imp1', 'ims1', 'ims2'].map(jid));
  });

  it("shows a colleague imported on the fly at the first logon live in an online user's contact list", async () => {
    const paula = await online('imp1');
    const newcomer: LabUser = { sam: 'ims3', given: 'Nora', sn: 'Newcomer', ou: 'Sales' };
    await addLabUser(admin, newcomer);
    expect(await xmppLogon(server, 'ims3', PASSWORD)).toEqual({ ok: true });
    // /EXTAUTH answered first, then published: the roster push reaches Paula's client while she is online.
    await paula.until("Nora in Paula's roster", () => paula.roster.has(jid('ims3')), 10_000);
    expect(paula.roster.get(jid('ims3'))).toMatchObject({ groups: [`${LAB} / Sales`] });
    expect(paula.entries()).toEqual(asRoster(await contacts('imp1')));
  });

  it('brings an AD rename, disable and delete to online clients after a sync', async () => {
    const paula = await online('imp1');
    const [, simon, hanna, henry] = LAB_USERS as [LabUser, LabUser, LabUser, LabUser, LabUser];
    expect([...paula.roster.keys()]).toEqual(expect.arrayContaining(['ims2', 'imh1', 'imh2'].map(jid)));
    await replace(dnOf(simon), 'sAMAccountName', 'ims2b');
    await replace(dnOf(simon), 'displayName', 'Simon Sales-Renamed');
    await replace(dnOf(hanna), 'userAccountControl', '514');
    await admin.del(dnOf(henry));
    // A full pass sees the deletion (an incremental one reads only entries that changed). Two of the seven
    // accounts disabled is past the safety limit's 10 %: confirmed, as an administrator would.
    const synced = await run(['/LDAP', '/FULL', '/YES']);
    expect(synced.code, synced.err).toBe(0);
    // Each change was pushed to the online client: the old name out, the new one in, the disabled and the
    // deleted account out of the list.
    await paula.until(
      'the renamed, disabled and deleted accounts in the roster',
      () =>
        paula.roster.has(jid('ims2b')) &&
        !paula.roster.has(jid('ims2')) &&
        !paula.roster.has(jid('imh1')) &&
        !paula.roster.has(jid('imh2')),
      10_000,
    );
    expect((await paula.vcard(jid('ims2b')))?.getChildText('FN')).toBe('Simon Sales-Renamed');
    const sandra = await online('ims1');
    expect(sandra.entries()).toEqual(asRoster(await contacts('ims1')));
    expect(sandra.roster.get(jid('ims2b'))?.name).toBe('Simon Sales-Renamed');
  });

  it('carries a photo set in AD into the vCard (a JPEG of at most 96×96) and its hash into presence', async () => {
    const sandra = LAB_USERS[0]!;
    const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#2a6' } })
      .jpeg()
      .toBuffer();
    await admin.modify(
      dnOf(sandra),
      new Change({ operation: 'replace', modification: new Attribute({ type: 'thumbnailPhoto', values: [photo] }) }),
    );
    const synced = await run(['/LDAP']);
    expect(synced.code, synced.err).toBe(0);
    const paula = await online('imp1');
    await paula.available();
    const card = await paula.vcard(jid('ims1'));
    expect(card?.getChild('PHOTO')?.getChildText('TYPE')).toBe('image/jpeg');
    const bytes = Buffer.from((card?.getChild('PHOTO')?.getChildText('BINVAL') ?? '').replace(/\s/g, ''), 'base64');
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 96, 72]);
    // XEP-0153: her presence carries the photo's SHA-1, so that clients know to fetch it.
    const hash = createHash('sha1').update(bytes).digest('hex');
    const her = await online('ims1');
    await her.available();
    await paula.until(
      "Sandra's presence with her photo's hash",
      () => paula.presences.get(jid('ims1'))?.getChild('x', 'vcard-temp:x:update')?.getChildText('photo') === hash,
      10_000,
    );
  });

  it('removes an account deleted from the users database from the IM server, vCard and all', async () => {
    const added = await run(['/ADDUSER:im-local', '/NAME:Local Person', `/OU:${ouPathOf(`${LAB} / Support`)}`]);
    expect(added.code, added.err).toBe(0);
    const sandra = await online('ims1');
    expect(sandra.roster.has(jid('im-local'))).toBe(true);
    expect((await sandra.vcard(jid('im-local')))?.getChildText('FN')).toBe('Local Person');
    const deleted = await run(['/DELETEUSER:im-local']);
    expect(deleted.code, deleted.err).toBe(0);
    await sandra.until('the deleted account out of the roster', () => !sandra.roster.has(jid('im-local')), 10_000);
    expect(await sandra.vcard(jid('im-local'))).toBeNull();
  });

  it('leaves groups made by hand in ejabberd alone', async () => {
    const call = (command: string, args: object) =>
      fetch(`${server.apiUrl}/${command}`, { method: 'POST', body: JSON.stringify(args) }).then((r) => r.json());
    await call('srg_create', { group: 'helpdesk', host: DOMAIN, label: 'Helpdesk', description: '', display: '' });
    await call('srg_user_add', { user: 'someone', host: DOMAIN, group: 'helpdesk', grouphost: DOMAIN });
    const full = await run(['/PUBLISH', '/FULL', '/JSON']);
    expect(full.code, full.err).toBe(0);
    expect(JSON.parse(full.out)).toMatchObject({ status: 'published', counts: { groupsDeleted: 0 } });
    expect(await call('srg_list', { host: DOMAIN })).toContain('helpdesk');
    expect(await call('srg_get_members', { group: 'helpdesk', host: DOMAIN })).toEqual([`someone@${DOMAIN}`]);
  });

  it('says so when ejabberd goes away in mid-publish, keeps the changes, and repairs them at the next', async () => {
    const support = ouPathOf(`${LAB} / Support`);
    // Some answers get through, then every connection is cut, then nothing listens.
    proxy.cutAfter(proxy.fromServer() + 600);
    const changed = await run([`/OUPERMISSIONS:${support}`, `/SEES:${support}`]);
    expect(changed.code, changed.err).toBe(0);
    expect(changed.err).toMatch(
      /The change is saved, but publishing it to the IM server failed: The IM server's API at http:\/\/127\.0\.0\.1:\d+\/api does not answer \(the connection was closed\)/,
    );
    await proxy.down();
    const status = await run(['/STATUS', '/JSON']);
    expect(JSON.parse(status.out).publishing).toMatchObject({ health: 'failing', pending: true });
    const refused = await run(['/PUBLISH']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/does not answer \(connection refused: nothing listens there\)/);
    expect(refused.err).toMatch(/Nothing is lost: the changes go out when it answers again/);

    proxy.cutAfter(Infinity);
    await proxy.up();
    const repaired = await run(['/PUBLISH', '/JSON']);
    expect(repaired.code, repaired.err).toBe(0);
    expect(JSON.parse(repaired.out)).toMatchObject({ status: 'published', counts: { full: true } });
    const paula = await online('imp1');
    expect(paula.entries()).toEqual(asRoster(await contacts('imp1')));
    expect(JSON.parse((await run(['/STATUS', '/JSON'])).out).publishing).toMatchObject({
      health: 'ok',
      pending: false,
    });
  });

  it('has the sync service publish, by itself, the changes that waited while ejabberd was down', async () => {
    const sandra = await online('ims1');
    await proxy.down();
    const added = await run(['/ADDUSER:im-waiting', '/NAME:Wendy Waiting', `/OU:${ouPathOf(`${LAB} / Sales`)}`]);
    expect(added.code, added.err).toBe(0);
    expect(added.err).toMatch(
      /publishing it to the IM server failed: .* \(connection refused: nothing listens there\)/,
    );
    const service = startService(dir, ENV, [], asEjabberd());
    try {
      const started = await service.waitFor(/Sync service started \(pid (\d+)/);
      const pid = Number(/pid (\d+)/.exec(started)![1]);
      stopService = () => process.kill(pid, 'SIGTERM');
      await service.waitFor(/Publishing to the IM server failed: .*connection refused.* Tried again in 5 s\./);
      await proxy.up();
      // Nobody publishes but the service: its retry sends the change, and the online client gets it.
      await sandra.until('Wendy in the roster', () => sandra.roster.has(jid('im-waiting')), 20_000);
      await service.waitFor(/Publishing to the IM server works again\./);
    } finally {
      stopService?.();
      await service.exited();
    }
  });

  it('publishes once at a time when several processes change the database together', async () => {
    const sales = ouPathOf(`${LAB} / Sales`);
    const results = await Promise.all([
      bcscmdAsEjabberdAsync([`/DATA:${dir}`, `/OUPERMISSIONS:${sales}`, '/SEES:*'], ENV),
      bcscmdAsEjabberdAsync([`/DATA:${dir}`, '/ADDUSER:im-local2', '/NAME:Second Local', `/OU:${sales}`], ENV),
      bcscmdAsEjabberdAsync([`/DATA:${dir}`, '/PUBLISH'], ENV),
    ]);
    for (const r of results) expect(r.code, r.err).toBe(0);
    expect(sql(db(), 'SELECT lock_token FROM publish_state')).toEqual([{ lock_token: null }]);
    const full = await run(['/PUBLISH', '/FULL', '/JSON']);
    expect(JSON.parse(full.out)).toMatchObject({
      counts: { groupsCreated: 0, groupsUpdated: 0, membersAdded: 0, membersRemoved: 0, vcardsSet: 0 },
    });
  });
});

describe.runIf(ejabberdInstalled())('The directory on an ejabberd whose api_permissions leave a command out', () => {
  let server: Ejabberd;
  let dir: string;
  beforeAll(async () => {
    server = await startEjabberd({
      domain: 'refusing.example.test',
      directory: true,
      apiCommands: ['"[tag:shared_roster_group]"', '"[tag:vcard]"', 'unregister'],
    });
    dir = tempDirFor('im-refused');
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the refused command and what to add to ejabberd.yml', () => {
    const set = bcscmd([`/DATA:${dir}`, `/SET:imApi=${server.apiUrl}`, '/SET:imDomains=refusing.example.test']);
    expect(set.code, set.err).toBe(0);
    const added = bcscmd([`/DATA:${dir}`, '/ADDUSER:frontdesk', '/NAME:Front Desk']);
    expect(added.code, added.err).toBe(0);
    expect(added.err).toMatch(/ejabberd refuses the command send_stanza to AD Console \(HTTP 403/);
    const published = bcscmd([`/DATA:${dir}`, '/PUBLISH']);
    expect(published.code).toBe(1);
    expect(published.err).toMatch(/ejabberd refuses the command send_stanza to AD Console \(HTTP 403/);
    expect(published.err).toMatch(/Add send_stanza to the "what" list of AD Console's api_permissions/);
    const tested = bcscmd([`/DATA:${dir}`, '/TESTIM']);
    expect(tested.code).toBe(1);
    expect(tested.out).toMatch(/\[FAIL\] im-permissions .*ejabberd refuses send_stanza to AD Console/);
  });

  it('says that ejabberd does not serve the IM host when imDomains names another', () => {
    const set = bcscmd([`/DATA:${dir}`, '/SET:imDomains=elsewhere.example.test']);
    expect(set.code, set.err).toBe(0);
    const published = bcscmd([`/DATA:${dir}`, '/PUBLISH', '/JSON']);
    expect(published.code).toBe(1);
    expect(JSON.parse(published.out)).toMatchObject({ status: 'failed', error: { code: 'im-wrong-host' } });
  });
});
