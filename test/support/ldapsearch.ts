/** The baseline: OpenLDAP's ldapsearch, paged, as the service account, on the same base and filter. */
import { execFileSync } from 'node:child_process';
import { guidToString } from '../../electron/core/directory/object-guid.ts';
import { DOMAIN, SERVICE_ACCOUNT } from './directory-fixture.ts';
import type { TestDc } from './samba-dc.ts';

/** ldapsearch's arguments for a paged search over LDAPS as the service account (unwrapped LDIF). */
export function ldapsearchArgs(
  dc: Pick<TestDc, 'address'>,
  base: string,
  pageSize: number,
  filter: string,
  attributes: string[],
): string[] {
  return [
    '-LLL',
    '-o',
    'ldif-wrap=no',
    '-H',
    `ldaps://${dc.address}`,
    '-x',
    '-D',
    `${SERVICE_ACCOUNT.sam}@${DOMAIN}`,
    '-w',
    SERVICE_ACCOUNT.password,
    '-b',
    base,
    '-E',
    `pr=${pageSize}/noprompt`,
    filter,
    ...attributes,
  ];
}

/** The environment that makes ldapsearch trust the test DC's CA. */
export const ldapsearchEnv = (dc: Pick<TestDc, 'caFile'>) => ({ ...process.env, LDAPTLS_CACERT: dc.caFile });

/** objectGUID (text form) → sAMAccountName of every entry the search returns. */
export function ldapsearchAccounts(dc: TestDc, base: string, filter: string): Map<string, string> {
  const ldif = execFileSync('ldapsearch', ldapsearchArgs(dc, base, 1000, filter, ['objectGUID', 'sAMAccountName']), {
    env: ldapsearchEnv(dc),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const found = new Map<string, string>();
  for (const block of ldif.split(/\n\n+/)) {
    const guid = /^objectGUID:: (.+)$/m.exec(block)?.[1];
    const sam = /^sAMAccountName(::?) (.+)$/m.exec(block);
    if (!guid || !sam) continue;
    found.set(
      guidToString(Buffer.from(guid, 'base64')),
      sam[1] === '::' ? Buffer.from(sam[2]!, 'base64').toString('utf8') : sam[2]!,
    );
  }
  return found;
}
