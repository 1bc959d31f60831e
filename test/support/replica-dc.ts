/**
 * A second domain controller joined to a test DC's domain (a replica made with samba-tool domain join): its own
 * highestCommittedUSN and invocationID, a certificate from the same test CA, its own loopback address.
 * Replication between the two is forced with `samba-tool drs replicate`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, BASE_DN, DOMAIN, REALM } from './directory-fixture.ts';
import { addDnsRecord, checkPortsFree, describeDc, issueDcCertificate, runDc, type TestDc } from './samba-dc.ts';

export const REPLICA_HOST = 'dc2';
export const REPLICA_FQDN = `${REPLICA_HOST}.${DOMAIN}`;

function krb5Conf(dir: string, kdc: string): string {
  const file = path.join(dir, 'krb5.conf');
  fs.writeFileSync(
    file,
    `[libdefaults]\n\tdefault_realm = ${REALM}\n\tdns_lookup_realm = false\n\tdns_lookup_kdc = false\n\trdns = ` +
      `false\n[realms]\n${REALM} = {\n\tkdc = ${kdc}\n}\n`,
  );
  return file;
}

/** Joins `dir` as DC2 of the primary's domain on `address`, starts it, and names it in both DCs' DNS. */
export async function joinReplicaDc(
  primary: TestDc,
  dir: string,
  address: string,
  log: (line: string) => void = () => undefined,
): Promise<TestDc> {
  await checkPortsFree(address);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const sub of ['run', 'ncalrpc', 'winbindd', 'lock', 'cache'])
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const cert = issueDcCertificate(path.join(primary.dir, 'tls'), path.join(dir, 'tls'), REPLICA_FQDN, address);
  log(`joining ${REPLICA_FQDN} to the domain of ${primary.address}`);
  const joinLog = fs.openSync(path.join(dir, 'join.log'), 'w');
  execFileSync(
    'samba-tool',
    [
      'domain',
      'join',
      DOMAIN,
      'DC',
      `-UAdministrator%${ADMIN_PASSWORD}`,
      `--server=${primary.address}`,
      `--targetdir=${dir}`,
      '--dns-backend=SAMBA_INTERNAL',
      ...[
        'bind interfaces only=yes',
        `interfaces=${address}/8`,
        `netbios name=${REPLICA_HOST.toUpperCase()}`,
        `pid directory=${dir}/run`,
        `ncalrpc dir=${dir}/ncalrpc`,
        `winbindd socket directory=${dir}/winbindd`,
        `lock directory=${dir}/lock`,
        `cache directory=${dir}/cache`,
      ].map((o) => `--option=${o}`),
    ],
    { env: { ...process.env, KRB5_CONFIG: krb5Conf(dir, primary.address) }, stdio: ['ignore', joinLog, joinLog] },
  );
  // The join writes its own smb.conf: add TLS from the test CA, and no DNS forwarder (no network here).
  const conf = path.join(dir, 'etc', 'smb.conf');
  const tlsLines = [
    'tls enabled = yes',
    `tls certfile = ${cert.certFile}`,
    `tls keyfile = ${cert.keyFile}`,
    `tls cafile = ${primary.caFile}`,
    'dns forwarder =',
  ]
    .map((l) => `\t${l}`)
    .join('\n');
  fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace(/^\[global\]$/m, `[global]\n${tlsLines}`));
  const pid = await runDc(dir, address, primary.caFile, log, REPLICA_HOST);
  // Samba registers no loopback addresses: name DC2 in the primary's DNS too, and list it for SRV discovery.
  await addDnsRecord(primary.address, DOMAIN, REPLICA_HOST, 'A', address);
  for (const server of [primary.address, address])
    await addDnsRecord(server, `_msdcs.${DOMAIN}`, '_ldap._tcp.dc', 'SRV', `${REPLICA_FQDN} 389 0 100`);
  const replica = describeDc(dir, pid, address, REPLICA_FQDN);
  return { ...replica, caFile: primary.caFile, otherCaFile: primary.otherCaFile };
}

/** Pulls the domain partition's changes from `from` into `to` now (replication is not immediate). */
export function replicate(to: TestDc, from: TestDc): void {
  // The source is named by address: samba-tool connects to it as given (ncacn_ip_tcp:<source>), and these
  // names are in the DCs' own DNS, not the system's.
  const run = spawnSync(
    'samba-tool',
    [
      'drs',
      'replicate',
      to.fqdn.split('.')[0]!,
      from.address,
      BASE_DN,
      '--local',
      '-s',
      path.join(to.dir, 'etc', 'smb.conf'),
      `-UAdministrator%${ADMIN_PASSWORD}`,
    ],
    {
      env: { ...process.env, KRB5_CONFIG: krb5Conf(fs.mkdtempSync(path.join(to.dir, 'krb5-')), to.address) },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0 || !/was successful/.test(run.stdout + run.stderr))
    throw new Error(
      `samba-tool drs replicate ${to.fqdn} ← ${from.fqdn} failed: ${(run.stdout + run.stderr).trim().slice(-600)}`,
    );
}

/** Removes a stopped replica from the domain, as an admin does before rebuilding a failed DC under its old name. */
export function removeDeadReplica(primary: TestDc): void {
  const run = spawnSync(
    'samba-tool',
    [
      'domain',
      'demote',
      `--remove-other-dead-server=${REPLICA_HOST.toUpperCase()}`,
      `--server=${primary.address}`,
      `-UAdministrator%${ADMIN_PASSWORD}`,
    ],
    {
      env: { ...process.env, KRB5_CONFIG: krb5Conf(fs.mkdtempSync(path.join(primary.dir, 'krb5-')), primary.address) },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0)
    throw new Error(
      `samba-tool domain demote --remove-other-dead-server failed: ${(run.stdout + run.stderr).trim().slice(-600)}`,
    );
}
