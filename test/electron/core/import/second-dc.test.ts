/**
 * Two real domain controllers of one domain (a replica joined with samba-tool): a server list tried in
 * order, failover when the first DC is stopped (Test connection, /LDAP, /LOOKUP, the wizard's job,
 * Browse), and sync marks that belong to the DC they were read from — in both directions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Attribute, Change, type Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browse } from '../../../../electron/core/directory/browse.ts';
import { testConnection } from '../../../../electron/core/directory/connection-test.ts';
import { readDcMarks } from '../../../../electron/core/directory/dc-marks.ts';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import { SessionCache } from '../../../../electron/core/directory/session-cache.ts';
import { bcscmd } from '../../../support/bcscmd.ts';
import { consoleServices } from '../../../support/console-services.ts';
import { BASE_DN, DC_FQDN, NETBIOS, SERVICE_ACCOUNT, STAFF_OU } from '../../../support/directory-fixture.ts';
import { ldapsearchAccounts } from '../../../support/ldapsearch.ts';
import { realPartsAvailable } from '../../../support/real-parts.ts';
import { joinReplicaDc, removeDeadReplica, REPLICA_FQDN, replicate } from '../../../support/replica-dc.ts';
import { restartTestDc, startTestDc, stopTestDc, type TestDc } from '../../../support/samba-dc.ts';
import { adminClient, addStaffUser } from '../../../support/seed-directory.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { tempDir, tempDirFor } from '../../../support/temp-dir.ts';
import { testGuard } from '../../../support/bind-guard.ts';

const DC1_ADDRESS = '127.0.0.5';
const DC2_ADDRESS = '127.0.0.6';
const STAFF_DN = `${STAFF_OU},${BASE_DN}`;
const USERS = '(&(objectCategory=person)(objectClass=user))';
const PASSWORD_ENV = { ADCONSOLE_LDAP_PASSWORD: SERVICE_ACCOUNT.password };
// Both DCs' DNS answer for the domain, as a site's DNS does; the first one is down for part of the suite.
const DNS_ENV = { ADCONSOLE_DNS_SERVERS: `${DC1_ADDRESS},${DC2_ADDRESS}` };
const SERVERS = `${DC_FQDN}, ${REPLICA_FQDN}`;

interface ImportJson {
  ok: boolean;
  dc: string;
  incremental: boolean;
  fullReason?: string;
  failover?: string;
  read: number;
  created: number;
  updated: number;
  disabled: number;
  enabled: number;
  errors: unknown[];
}

async function setTitle(dc: TestDc, sam: string, title: string): Promise<void> {
  const client: Client = await adminClient(dc.address, dc.caFile);
  try {
    await client.modify(
      `CN=${sam},${STAFF_DN}`,
      new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: [title] }) }),
    );
  } finally {
    await client.unbind();
  }
}

describe.runIf(realPartsAvailable())('two domain controllers of one domain', () => {
  let dc1: TestDc;
  let dc2: TestDc;
  let dc1Running = false;
  const data = tempDirFor('second-dc');
  const log = (line: string) => console.log(`[second DC] ${line}`);
  const sync = (...extra: string[]) => {
    const run = bcscmd([`/DATA:${data}`, '/LDAP', '/JSON', ...extra], { ...PASSWORD_ENV, ...DNS_ENV });
    expect(run.code, run.err).toBe(0);
    return JSON.parse(run.out) as ImportJson;
  };
  const title = (sam: string) =>
    (JSON.parse(bcscmd([`/DATA:${data}`, '/USERS', '/JSON']).out) as { logon: string; title: string }[]).find(
      (u) => u.logon === sam,
    )?.title;

  beforeAll(async () => {
    dc1 = await startTestDc(path.join(os.tmpdir(), `adconsole-dc1-of-two-${process.pid}`), log, DC1_ADDRESS);
    dc1Running = true;
    dc2 = await joinReplicaDc(dc1, path.join(os.tmpdir(), `adconsole-dc2-of-two-${process.pid}`), DC2_ADDRESS, log);
    expect(
      bcscmd([
        `/DATA:${data}`,
        `/SET:server=${SERVERS}`,
        `/SET:caFile=${dc1.caFile}`,
        `/SET:login=${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
        `/SET:ouPath=LDAP://${STAFF_DN}`,
        '/SET:autoImport=yes',
      ]).code,
    ).toBe(0);
  }, 300_000);
  afterAll(() => {
    if (dc2) stopTestDc(dc2);
    if (dc1) stopTestDc(dc1);
    fs.rmSync(data, { recursive: true, force: true });
  });

  it('has a replica with its own invocationID and USNs, holding the same accounts', async () => {
    const [one, two] = await Promise.all(
      [dc1, dc2].map(async (dc) => {
        const client = await adminClient(dc.address, dc.caFile);
        try {
          return await readDcMarks(client);
        } finally {
          await client.unbind();
        }
      }),
    );
    expect(one!.dnsHostName).toBe(DC_FQDN);
    expect(two!.dnsHostName).toBe(REPLICA_FQDN);
    expect(two!.invocationId).not.toBe(one!.invocationId);
    expect(two!.highestCommittedUsn).not.toBe(one!.highestCommittedUsn);
    expect(new Set(ldapsearchAccounts(dc2, STAFF_DN, USERS).keys())).toEqual(
      new Set(ldapsearchAccounts(dc1, STAFF_DN, USERS).keys()),
    );
  });

  it('lists both DCs in DNS SRV and tries them in priority/weight order when no server is named', async () => {
    const report = await testConnection(
      dcSettings(dc1, { server: '', ouPath: `LDAP://${STAFF_DN}` }),
      SERVICE_PASSWORD,
      createResolver(DNS_ENV),
      testGuard(),
    );
    expect(report.ok, report.summary).toBe(true);
    expect(report.steps.find((s) => s.name === 'resolve')!.detail).toMatch(
      new RegExp(
        `${DC_FQDN.replace(/\./g, '\\.')} → ${DC1_ADDRESS}.*${REPLICA_FQDN.replace(/\./g, '\\.')} → ` +
          `${DC2_ADDRESS}|${REPLICA_FQDN.replace(/\./g, '\\.')} → ` +
          `${DC2_ADDRESS}.*${DC_FQDN.replace(/\./g, '\\.')} → ${DC1_ADDRESS}`,
      ),
    );
  });

  it('imports from the first DC of the list while both answer', () => {
    const first = sync('/MODE:new');
    expect(first).toMatchObject({ ok: true, dc: DC_FQDN, created: ldapsearchAccounts(dc1, STAFF_DN, USERS).size });
    expect(first.failover).toBeUndefined();
  });

  it(
    "with DC1 stopped, syncs on DC2: notices the marks are DC1's, reads in full, brings the change in and " +
      'disables nothing',
    async () => {
      await setTitle(dc1, 'staff0005', 'Changed on DC1');
      replicate(dc2, dc1);
      stopTestDc({ pid: dc1.pid });
      dc1Running = false;
      const run = sync();
      expect(run).toMatchObject({
        ok: true,
        dc: REPLICA_FQDN,
        incremental: false,
        updated: 1,
        disabled: 0,
        created: 0,
        enabled: 0,
      });
      expect(run.fullReason).toMatch(
        /first sync from dc2\.corp\.example\.test: USNs are per domain controller \(the last sync read dc1\.corp\.example\.test\)/,
      );
      expect(run.failover).toMatch(/dc1\.corp\.example\.test: .*refused.* Used dc2\.corp\.example\.test instead\./);
      expect(title('staff0005')).toBe('Changed on DC1');
      // The next sync on DC2 starts from DC2's own mark.
      await setTitle(dc2, 'staff0006', 'Changed on DC2');
      const next = sync();
      expect(next).toMatchObject({ ok: true, dc: REPLICA_FQDN, incremental: true, updated: 1, disabled: 0 });
      expect(next.read).toBeLessThan(10);
      expect(title('staff0006')).toBe('Changed on DC2');
    },
  );

  it('fails over to DC2 within the connect timeout in Test connection, and says which DC failed and why', async () => {
    const settings = dcSettings(dc1, { server: SERVERS, ouPath: `LDAP://${STAFF_DN}`, connectTimeout: 5 });
    const report = await testConnection(settings, SERVICE_PASSWORD, createResolver(DNS_ENV), testGuard());
    expect(report.ok, report.summary).toBe(true);
    const connect = report.steps.find((s) => s.name === 'connect')!;
    expect(connect.detail).toMatch(
      new RegExp(
        `^Connected to ${REPLICA_FQDN.replace(/\./g, '\\.')} at ${DC2_ADDRESS}:636\\. Before that: Nothing ` +
          `accepts connections on ${DC1_ADDRESS}:636 \\(connection refused\\)\\.`,
      ),
    );
    expect(connect.ms).toBeLessThan(settings.connectTimeout * 1000);
    expect(report.summary).toMatch(/Logged on to dc2\.corp\.example\.test/);
  });

  it("fails over for /LOOKUP, Browse and the wizard's import job too", async () => {
    // An account made on DC2 while DC1 is down: only DC2 can answer for it.
    const client = await adminClient(dc2.address, dc2.caFile);
    try {
      await addStaffUser(
        client,
        {
          sam: 'newhire42',
          given: 'New',
          sn: 'Hire',
          displayName: 'New Hire',
          department: 'Support',
          title: 'Trainee',
          enabled: true,
          ou: STAFF_OU,
          mail: 'newhire42@corp.example.test',
          phone: '',
        },
        `CN=newhire42,${STAFF_DN}`,
      );
    } finally {
      await client.unbind();
    }
    const lookup = bcscmd([`/DATA:${data}`, '/LOOKUP:newhire42', '/JSON'], { ...PASSWORD_ENV, ...DNS_ENV });
    expect(lookup.code, lookup.err).toBe(0);
    expect(JSON.parse(lookup.out)).toMatchObject({ result: 'imported', account: { logon: 'newhire42' } });
    expect(lookup.err).toMatch(/Failover: dc1\.corp\.example\.test: .* Used dc2\.corp\.example\.test instead\./);

    const sessions = new SessionCache(testGuard());
    try {
      const listed = await browse(
        dcSettings(dc1, { server: SERVERS }),
        SERVICE_PASSWORD,
        null,
        createResolver(DNS_ENV),
        sessions,
      );
      expect(listed.children.map((c) => c.name)).toContain('Staff');
      expect(listed.failover).toMatch(/^dc1\.corp\.example\.test: .* Used dc2\.corp\.example\.test instead\.$/);
    } finally {
      await sessions.close();
    }

    const before = { ...process.env };
    Object.assign(process.env, DNS_ENV);
    const wizard = consoleServices(tempDir());
    try {
      expect(
        await wizard.call('settings.save', {
          settings: dcSettings(dc1, { server: SERVERS, ouPath: `LDAP://${STAFF_DN}` }),
          password: { action: 'set', value: SERVICE_PASSWORD },
        }),
      ).toMatchObject({ ok: true });
      const outcome = await wizard.startImport('new', [STAFF_DN]);
      expect(outcome).toMatchObject({
        ok: true,
        dc: REPLICA_FQDN,
        failover: expect.stringMatching(/Used dc2\.corp\.example\.test instead/),
      });
    } finally {
      await wizard.close();
      process.env = before;
    }
  });

  it(
    'the other way round: DC1 back, a change made on DC2 replicated, DC2 stopped — the sync runs on DC1 from ' +
      "DC1's own mark",
    async () => {
      await restartTestDc(dc1.dir, log, DC1_ADDRESS).then((restarted) => (dc1 = { ...restarted, fqdn: DC_FQDN }));
      dc1Running = true;
      await setTitle(dc2, 'staff0007', 'Changed on DC2 for DC1');
      replicate(dc1, dc2);
      stopTestDc({ pid: dc2.pid });
      const run = sync();
      // DC1 was read before (the first import): its own mark is still good, so the pass is incremental.
      expect(run).toMatchObject({ ok: true, dc: DC_FQDN, incremental: true, disabled: 0 });
      expect(run.updated).toBeGreaterThanOrEqual(1);
      expect(title('staff0007')).toBe('Changed on DC2 for DC1');
      expect(title('staff0005')).toBe('Changed on DC1');
      expect(title('staff0006')).toBe('Changed on DC2');
      const full = sync('/FULL');
      expect(full).toMatchObject({ ok: true, dc: DC_FQDN, disabled: 0 });
      expect(dc1Running).toBe(true);
    },
  );

  it('reads in full from a DC rebuilt under its old name (a new invocationID), and disables nothing', async () => {
    // DC2 failed and is rebuilt: removed from the domain, joined again as dc2 — same name, new invocationID.
    removeDeadReplica(dc1);
    dc2 = await joinReplicaDc(dc1, dc2.dir, DC2_ADDRESS, log);
    stopTestDc({ pid: dc1.pid });
    dc1Running = false;
    const run = sync();
    expect(run).toMatchObject({ ok: true, dc: REPLICA_FQDN, incremental: false, disabled: 0, created: 0 });
    expect(run.fullReason).toMatch(
      /invocationID changed \(dc2\.corp\.example\.test restored from backup\?\): its earlier USNs no longer count/,
    );
  });
});
