/**
 * A Kerberos ticket for the service account from the test DC's KDC, in a private krb5.conf and ticket
 * cache (KRB5_CONFIG, KRB5CCNAME), as an administrator's logon session would have one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadKerberos } from '../../electron/core/directory/kerberos/kerberos-module.ts';
import { REALM, SERVICE_ACCOUNT } from './directory-fixture.ts';
import type { TestDc } from './samba-dc.ts';

export type KerberosEnv = {
  KRB5_CONFIG: string;
  KRB5CCNAME: string;
};

/** Why the Kerberos suites cannot run here, or null when they can. */
export function kerberosMissing(): string | null {
  const loaded = loadKerberos();
  if ('missing' in loaded) return loaded.missing;
  if (!fs.existsSync(path.resolve('node_modules/kerberos/build/Release/.adconsole-wrap-fix')))
    return 'the kerberos package was not rebuilt with its wrap() fix (npm install runs scripts/build-kerberos.mjs)';
  if (spawnSync('kinit', ['--version']).error) return 'kinit (krb5-user) is not installed';
  return null;
}

export function kerberosConfig(dc: TestDc, dir: string): string {
  const file = path.join(dir, 'krb5.conf');
  fs.writeFileSync(
    file,
    `[libdefaults]\n\tdefault_realm = ${REALM}\n\tdns_lookup_realm = false\n\tdns_lookup_kdc = false\n\trdns = ` +
      `false\n\tdns_canonicalize_hostname = false\n[realms]\n${REALM} = {\n\tkdc = ${dc.address}\n}\n`,
  );
  return file;
}

/** kinit as the service account into a cache of its own; returns the environment that uses it. */
export function ticketFor(dc: TestDc, dir: string): KerberosEnv {
  fs.mkdirSync(dir, { recursive: true });
  const env = { KRB5_CONFIG: kerberosConfig(dc, dir), KRB5CCNAME: `FILE:${path.join(dir, 'ccache')}` };
  const run = spawnSync('kinit', [`${SERVICE_ACCOUNT.sam}@${REALM}`], {
    input: `${SERVICE_ACCOUNT.password}\n`,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`kinit failed: ${run.stderr}`);
  return env;
}

/** Runs `work` with these variables in this process's environment (the Kerberos library reads them per context). */
export async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
