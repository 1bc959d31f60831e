/**
 * Publishing the directory to a real ejabberd, from the cached 20 000-user Samba DC. Prints figures with their
 * baselines measured in the same run; asserts nothing.
 *   npm run bench:publish   (as root, Samba and ejabberd installed; BENCH_DC_ADDRESS=127.0.0.8 to run beside
 *                            the test suite's DC)
 * Setup: bcscmd /LDAP imports the 20 000 accounts of OU=Bench; the benchmark then spreads them over 200 server
 * OUs (by SQL on its own database: the bench DC keeps them in one OU) and gives each a 96×96 JPEG photo (50
 * different ones, made with sharp), as a sync of a directory with photos would leave them.
 * (1) the first publish (groups, members, vCards with photos; in-process, through the product's publisher);
 *     baseline: the same API calls by a minimal loop, with the same 8 in flight, on a second ejabberd (the IM
 *     server's floor for these writes).
 * (2) a no-change reconcile (/PUBLISH /FULL); baseline: the same reads by a minimal loop.
 * (3) an incremental publish after 100 changes in AD (50 titles, 50 disables), after the sync that reads them.
 * (4) change-to-client: an AD change (a colleague disabled), bcscmd /LDAP (sync, then its publish), until an
 *     online client receives the roster push; beside it, the sync's own time.
 * (5) the console's users view during the first publish: a page of the users list, read every 50 ms on the
 *     same process's event loop (as the console's publisher runs in the console's process), p50 / p99.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { Attribute, Change } from 'ldapts';
import sharp from 'sharp';
import { OuTree } from '../electron/core/database/ou-tree.ts';
import { openUsersDatabase } from '../electron/core/database/users-database.ts';
import { accountsPage } from '../electron/core/database/users-view.ts';
import { ImApi, PARALLEL_CALLS } from '../electron/core/publish/im-api.ts';
import { publishPending } from '../electron/core/publish/auto-publish.ts';
import { vcardXml } from '../electron/core/publish/vcard.ts';
import { SettingsStore } from '../electron/core/settings/settings-store.ts';
import { openSettingsFile } from '../electron/core/settings/conf-file.ts';
import { BCSCMD } from '../test/support/bcscmd.ts';
import { DOMAIN, NETBIOS, SERVICE_ACCOUNT } from '../test/support/directory-fixture.ts';
import { type Ejabberd, extauthCommand, giveToEjabberd, startEjabberd } from '../test/support/ejabberd.ts';
import { adminClient, unicodePwd } from '../test/support/seed-directory.ts';
import { XmppSession } from '../test/support/xmpp-session.ts';
import { openBenchDc } from './bench-dc.ts';
import {
  BENCH_OU,
  BENCH_PASSWORD,
  benchDn,
  benchName,
  enableBenchAccounts,
  modifyBenchAccounts,
  percentile,
} from './seed-bench-ou.ts';
import { runBench } from './bench-kit.ts';

const USERS = 20_000;
const OUS = 200;
const PHOTOS = 50;
const PASSWORD = BENCH_PASSWORD;
const name = benchName;
const dnOf = benchDn;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const phase = (what: string) => console.error(`[bench] ${what}`);

function bcscmd(data: string, args: string[]): Promise<{ out: string; err: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [BCSCMD, `/DATA:${data}`, ...args],
      { env: { ...process.env, ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password }, maxBuffer: 64 << 20 },
      (err, out, errText) =>
        err
          ? reject(new Error(`${args.join(' ')}: ${errText}`))
          : resolve({ out, err: errText, ms: performance.now() - started }),
    ),
  );
}

/** A minimal loop: `calls` made with `parallel` in flight, nothing else. */
async function loop(api: ImApi, calls: [string, Record<string, unknown>][], parallel = PARALLEL_CALLS) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < calls.length) {
        const [command, args] = calls[next++]!;
        await api.call(command, args).catch(() => undefined);
      }
    }),
  );
}

/** A vCard's calls as the publisher makes them: set it, then read its REV back. */
function vcardCallsOf(a: Record<string, string>): [string, Record<string, unknown>][] {
  const card = vcardXml(
    {
      logon: a.logon!,
      displayName: a.display_name!,
      firstName: a.first_name!,
      middleName: a.middle_name!,
      lastName: a.last_name!,
      email: a.email!,
      department: a.department!,
      title: a.title!,
      phone: a.phone!,
      photo: a.photo!,
    },
    'Bench Corp',
  );
  const jid = `${a.logon}@${DOMAIN}`;
  return [
    ['send_stanza', { from: jid, to: jid, stanza: `<iq type="set" id="f-${card.rev}">${card.xml}</iq>` }],
    ['get_vcard', { user: a.logon, host: DOMAIN, name: 'REV' }],
  ];
}

await runBench(async () => {
  const { dc, cache, stop } = await openBenchDc(USERS);
  const data = fs.mkdtempSync(path.join(cache, '..', 'publish-'));
  fs.chmodSync(data, 0o755);
  const servers: Ejabberd[] = [];
  const sessions: XmppSession[] = [];
  try {
    phase('import');
    const caFile = path.join(data, 'ca.pem');
    fs.copyFileSync(dc.caFile, caFile);
    const passwordFile = path.join(data, 'ldap.txt');
    fs.writeFileSync(passwordFile, `${SERVICE_ACCOUNT.password}\n`, { mode: 0o600 });
    // Two accounts that log on (the seeded ones have no password: import material).
    const admin = await adminClient(dc.address, dc.caFile);
    const enabled = await enableBenchAccounts(admin);
    if (enabled) phase(`enabled again ${enabled} accounts an earlier run disabled`);
    for (const i of [0, 1])
      await admin.modify(
        dnOf(i),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(PASSWORD)] }),
        }),
      );
    await bcscmd(data, [
      `/SET:server=${dc.address}`,
      `/SET:caFile=${caFile}`,
      `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
      `/SET:ouPath=LDAP://${BENCH_OU}`,
      '/SET:pageSize=1000',
      '/SET:disableLimitPercent=100',
      `/SET:imDomains=${DOMAIN}`,
      '/SET:companyName=Bench Corp',
    ]);
    const imported = await bcscmd(data, ['/LDAP', '/MODE:new', '/YES']);
    console.log(`import of ${USERS} accounts: ${s(imported.ms)} (bcscmd /LDAP /MODE:new)`);

    // 200 server OUs (Bench / Branch 000 … 199), the accounts spread over them round-robin.
    const file = path.join(data, 'users.sqlite');
    {
      const setup = openUsersDatabase(file);
      const tree = await OuTree.read(setup.engine);
      const now = new Date().toISOString();
      const ids = await setup.engine.write(async (tx) => {
        const made: number[] = [];
        for (let k = 0; k < OUS; k++)
          made.push(await tree.ensure(tx, ['Bench', `Branch ${String(k).padStart(3, '0')}`], now));
        return made;
      });
      setup.close();
      const raw = new DatabaseSync(file);
      const photos = await Promise.all(
        Array.from({ length: PHOTOS }, (_, k) =>
          sharp({ create: { width: 96, height: 96, channels: 3, background: { r: (k * 5) % 256, g: 90, b: 160 } } })
            .jpeg({ quality: 82 })
            .toBuffer()
            .then((b) => b.toString('base64')),
        ),
      );
      // The accounts (3) changes stay in the OU the import placed them in, where a sync keeps them (a sync
      // places an account it reads by the import's rule: one moved by hand would move back, which is not (3)).
      const rows = raw.prepare('SELECT id, logon, ou_id FROM accounts ORDER BY id').all() as {
        id: number;
        logon: string;
        ou_id: number;
      }[];
      const set = raw.prepare('UPDATE accounts SET ou_id = ?, photo = ?, photo_usn = ad_usn WHERE id = ?');
      const changedIn3 = (logon: string) => logon >= name(100) && logon < name(200);
      raw.exec('BEGIN');
      rows.forEach((r, n) => set.run(changedIn3(r.logon) ? r.ou_id : ids[n % OUS]!, photos[n % PHOTOS]!, r.id));
      raw.exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'");
      raw.exec('COMMIT');
      raw.close();
    }
    giveToEjabberd(data);

    phase('ejabberd');
    const extauth = extauthCommand([`/DATA:${data}`, `/PASSWORDFILE:${passwordFile}`]);
    const server = await startEjabberd({ domain: DOMAIN, extauth, poolSize: 4, directory: true });
    const floorServer = await startEjabberd({ domain: DOMAIN, extauth, poolSize: 4, directory: true });
    servers.push(server, floorServer);
    await bcscmd(data, [`/SET:imApi=${server.apiUrl}`]);
    giveToEjabberd(data);
    const settings = () => new SettingsStore(openSettingsFile(data)).load();

    phase('(1) first publish, and its floor');
    // The floor: the calls the first publish makes, in the same bulk order, by a minimal loop.
    const floorApi = new ImApi({ url: floorServer.apiUrl!, token: null, timeoutMs: 60_000 });
    const opened = openUsersDatabase(file);
    const db = opened.db!;
    const accounts = db
      .prepare(
        'SELECT logon, display_name, first_name, middle_name, last_name, email, department, title, phone, photo, ' +
          'ou_id FROM accounts',
      )
      .all() as Record<string, string>[];
    const groupIds = [...new Set(accounts.map((a) => `adc-${a.ou_id}`))];
    const display = groupIds.join('\\n');
    const floorCalls = {
      groups: groupIds.map((g): [string, Record<string, unknown>] => [
        'srg_create',
        { group: g, host: DOMAIN, label: g, description: '', display: '' },
      ]),
      vcards: accounts.flatMap((a) => vcardCallsOf(a)),
      members: accounts.map((a): [string, Record<string, unknown>] => [
        'srg_user_add',
        { user: a.logon, host: DOMAIN, group: `adc-${a.ou_id}`, grouphost: DOMAIN },
      ]),
      displays: groupIds.map((g): [string, Record<string, unknown>] => [
        'srg_create',
        { group: g, host: DOMAIN, label: g, description: '', display },
      ]),
    };
    let t0 = performance.now();
    for (const step of [floorCalls.groups, floorCalls.vcards, floorCalls.members, floorCalls.displays])
      await loop(floorApi, step);
    const floorFirst = performance.now() - t0;

    // The product's first publish, in this process, while the users view is read every 50 ms.
    const api = new ImApi({ url: server.apiUrl!, token: null, timeoutMs: 60_000 });
    const viewDb = openUsersDatabase(file);
    const pageTimes: number[] = [];
    let publishing = true;
    const reader = (async () => {
      while (publishing) {
        const started = performance.now();
        await accountsPage(viewDb.engine, {
          ouId: null,
          recursive: true,
          search: '',
          sort: 'logon',
          descending: false,
          offset: 5000,
          limit: 60,
        });
        // How long the page waited plus took: the event loop is shared with the publish.
        await new Promise((r) => setTimeout(r, 50));
        pageTimes.push(performance.now() - started - 50);
      }
    })();
    t0 = performance.now();
    const first = await publishPending({ engine: opened.engine, settings: settings(), api, waitMs: 0 });
    const firstMs = performance.now() - t0;
    publishing = false;
    await reader;
    viewDb.close();
    if (first.status !== 'published') throw new Error(`first publish: ${JSON.stringify(first)}`);
    const firstCalls = api.calls;

    phase('(2) no-change reconcile, and its floor');
    const reads: [string, Record<string, unknown>][] = [
      ['srg_list', { host: DOMAIN }],
      ...groupIds.flatMap((g): [string, Record<string, unknown>][] => [
        ['srg_get_info', { group: g, host: DOMAIN }],
        ['srg_get_members', { group: g, host: DOMAIN }],
      ]),
      ...accounts.map((a): [string, Record<string, unknown>] => [
        'get_vcard',
        { user: a.logon, host: DOMAIN, name: 'REV' },
      ]),
    ];
    t0 = performance.now();
    await loop(api, reads);
    const floorReconcile = performance.now() - t0;
    const before = api.calls;
    t0 = performance.now();
    const reconcile = await publishPending({ engine: opened.engine, settings: settings(), api, full: true, waitMs: 0 });
    const reconcileMs = performance.now() - t0;
    if (reconcile.status !== 'published') throw new Error(`reconcile: ${JSON.stringify(reconcile)}`);
    const reconcileCalls = api.calls - before;

    phase('(3) incremental publish after 100 changes');
    await modifyBenchAccounts(admin, 100, 200, (n) =>
      n < 150
        ? new Attribute({ type: 'title', values: [`Changed ${Date.now()}`] })
        : new Attribute({ type: 'userAccountControl', values: [String(0x200 | 0x20 | 0x2)] }),
    );
    // The sync without its publish (imApi off for it), then the publish measured alone.
    await bcscmd(data, ['/SET:imApi=']);
    const synced = await bcscmd(data, ['/LDAP']);
    await bcscmd(data, [`/SET:imApi=${server.apiUrl}`]);
    const incrementalCalls: [string, Record<string, unknown>][] = [];
    const call = api.call.bind(api);
    api.call = ((command: string, args: Record<string, unknown>) => {
      incrementalCalls.push([command, args]);
      return call(command, args);
    }) as typeof api.call;
    t0 = performance.now();
    const incremental = await publishPending({ engine: opened.engine, settings: settings(), api, waitMs: 0 });
    const incrementalMs = performance.now() - t0;
    if (incremental.status !== 'published') throw new Error(`incremental: ${JSON.stringify(incremental)}`);
    // Its floor: the calls it made, made again by the minimal loop on the floor server.
    t0 = performance.now();
    await loop(floorApi, incrementalCalls);
    const floorIncremental = performance.now() - t0;
    opened.close();
    giveToEjabberd(data);

    /** An AD change (a colleague disabled), the sync that reads it, until an online client receives the push. */
    async function changeToClient(admin: Awaited<ReturnType<typeof adminClient>>) {
      const watcher = await XmppSession.open(server, name(0), PASSWORD);
      sessions.push(watcher);
      const colleague = `${name(OUS)}@${DOMAIN}`; // in bench000's OU: a contact of bench000
      if (!watcher.roster.has(colleague)) throw new Error(`${colleague} is not in ${name(0)}'s roster`);
      const started = performance.now();
      await admin.modify(
        dnOf(OUS),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userAccountControl', values: [String(0x200 | 0x20 | 0x2)] }),
        }),
      );
      const arrived = watcher
        .until('the push', () => !watcher.roster.has(colleague), 120_000)
        .then(() => performance.now() - started);
      const sync = await bcscmd(data, ['/LDAP']);
      const ms = await arrived;
      const syncMs = Number(/Finished in ([\d.]+) s/.exec(sync.out)?.[1] ?? 'NaN') * 1000;
      return { ms, syncMs, commandMs: sync.ms };
    }

    phase('(4) change-to-client');
    // Measured apart: if it fails, the figures above are still printed, with the reason it was not measured.
    const measured = await changeToClient(admin).catch((err: Error) => err);
    // Leaves the cached DC as it found it, for the benchmarks that log these accounts on.
    await enableBenchAccounts(admin);
    await admin.unbind();

    const counts = first.counts;
    const repaired = reconcile.counts;
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    console.log(
      [
        '',
        `Publishing ${USERS} accounts in ${OUS} server OUs (photos: ${PHOTOS} distinct 96×96 JPEGs), ` +
          `${PARALLEL_CALLS} calls in flight:`,
        '',
        row(['figure', 'measured', 'baseline (same run)', 'ratio', 'target']),
        row(['---', '---', '---', '---', '---']),
        row([
          '(1) first publish',
          `${s(firstMs)} (${firstCalls} calls: ${counts.groupsCreated} groups, ${counts.membersAdded} members, ` +
            `${counts.vcardsSet} vCards)`,
          `${s(floorFirst)}: minimal loop, same calls`,
          (firstMs / floorFirst).toFixed(2),
          '≤ 1.3',
        ]),
        row([
          '(2) no-change reconcile',
          `${s(reconcileMs)} (${reconcileCalls} calls; repaired: ${repaired.groupsCreated + repaired.groupsUpdated} ` +
            `groups, ${repaired.membersAdded + repaired.membersRemoved} members, ${repaired.vcardsSet} vCards)`,
          `${s(floorReconcile)}: minimal loop, same reads`,
          (reconcileMs / floorReconcile).toFixed(2),
          '≤ 1.3',
        ]),
        row([
          '(3) incremental after 100 changes',
          `${s(incrementalMs)} (${incrementalCalls.length} calls: ${incremental.counts.vcardsSet} vCards, ` +
            `${incremental.counts.membersAdded} members added, ${incremental.counts.membersRemoved} removed)`,
          `${s(floorIncremental)}: minimal loop, same calls; the sync before it: ${s(synced.ms)}`,
          (incrementalMs / floorIncremental).toFixed(2),
          '< 2 s',
        ]),
        row([
          '(4) change-to-client',
          measured instanceof Error
            ? `not measured: ${measured.message}`
            : `${s(measured.ms)} from the AD change to the push`,
          measured instanceof Error
            ? ''
            : `the sync alone: ${s(measured.syncMs)} ` +
              `(bcscmd /LDAP with its start-up and publish: ${s(measured.commandMs)})`,
          '',
          '≤ sync + 2 s',
        ]),
        row([
          '(5) users view during (1)',
          `page p50 ${percentile(pageTimes, 50).toFixed(1)} ms, p99 ${percentile(pageTimes, 99).toFixed(1)} ms ` +
            `(${pageTimes.length} reads)`,
          '',
          '',
          'responsive',
        ]),
        '',
      ].join('\n'),
    );
  } finally {
    for (const session of sessions) await session.close();
    for (const server of servers) await server.stop();
    stop();
    fs.rmSync(data, { recursive: true, force: true });
  }
});
