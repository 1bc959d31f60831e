/**
 * What the real-parts suites need that npm cannot install: a Samba AD DC, Chromium, ejabberd and PostgreSQL. On
 * Debian as root the suite installs them itself with apt-get; elsewhere it reports what is missing and how to
 * enable it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { postgresBin } from './postgres.ts';

export const DEBIAN_PACKAGES = [
  'samba',
  'samba-ad-dc',
  'krb5-user',
  'winbind',
  'ldap-utils',
  'libsasl2-modules-gssapi-mit',
  'libkrb5-dev',
  'chromium',
  'openssl',
  'ejabberd',
  // systemd-analyze checks the unit that bcscmd /INSTALLSERVICE writes (systemd need not run).
  'systemd',
  // The shared users database's second engine; the suite starts a private cluster (test/support/postgres.ts).
  'postgresql',
];
const REQUIRED_BINARIES = [
  '/usr/sbin/samba',
  '/usr/bin/samba-tool',
  '/usr/bin/ldapsearch',
  '/usr/bin/chromium',
  '/usr/bin/openssl',
  '/usr/sbin/ejabberdctl',
];

export function missingBinaries(): string[] {
  const missing = REQUIRED_BINARIES.filter((b) => !fs.existsSync(b));
  // Debian keeps the server under its major version: /usr/lib/postgresql/<major>/bin.
  if (!postgresBin()) missing.push('/usr/lib/postgresql/*/bin/initdb');
  return missing;
}

/** Returns null when everything is present (installing it if possible), else the reason it is not. */
export function ensureSystemPackages(log: (line: string) => void): string | null {
  let missing = missingBinaries();
  if (missing.length === 0) return null;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    return (
      `missing ${missing.join(', ')}; run as root on Debian/Ubuntu, or: sudo apt-get install -y ` +
      `${DEBIAN_PACKAGES.join(' ')}`
    );
  }
  log(`installing ${DEBIAN_PACKAGES.join(' ')} with apt-get (missing: ${missing.join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', ...DEBIAN_PACKAGES], { stdio: 'ignore', env });
  missing = missingBinaries();
  return missing.length === 0 ? null : `apt-get did not provide ${missing.join(', ')}`;
}
