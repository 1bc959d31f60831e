/** Fills OU=Bench with `count` users for the benchmarks (8 adds in flight; Samba manages 20–60 adds/s). */
import { performance } from 'node:perf_hooks';
import { Attribute, Change, type Client } from 'ldapts';
import { BASE_DN, DOMAIN } from '../test/support/directory-fixture.ts';
import type { TestDc } from '../test/support/samba-dc.ts';
import { adminClient } from '../test/support/seed-directory.ts';

export const BENCH_OU = `OU=Bench,${BASE_DN}`;
/** The password benchmarks give the accounts that log on (the seeded ones have none: import material). */
export const BENCH_PASSWORD = 'Bench!Passw0rd-2026';
/** The n-th seeded account's logon name and DN. */
export const benchName = (i: number) => `bench${String(i).padStart(6, '0')}`;
export const benchDn = (i: number) => `CN=Bench User ${String(i).padStart(6, '0')},${BENCH_OU}`;
/** The p-th percentile of `values`. */
export const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const CONCURRENCY = 8;

/** Replaces one attribute of the seeded accounts from .. to (exclusive), ten modifications in flight. */
export async function modifyBenchAccounts(
  admin: Client,
  from: number,
  to: number,
  attribute: (n: number) => Attribute,
): Promise<void> {
  for (let i = from; i < to; i += 10)
    await Promise.all(
      Array.from({ length: Math.min(10, to - i) }, (_, k) =>
        admin.modify(benchDn(i + k), new Change({ operation: 'replace', modification: attribute(i + k) })),
      ),
    );
}

/**
 * The cached DC keeps what a benchmark changed (bench:publish disables accounts): enables again every disabled
 * account of OU=Bench, so that each benchmark starts from the seeded directory. Returns how many it enabled.
 */
export async function enableBenchAccounts(admin: Client): Promise<number> {
  const { searchEntries: disabled } = await admin.search(BENCH_OU, {
    filter: '(&(objectClass=user)(userAccountControl:1.2.840.113556.1.4.803:=2))',
    attributes: ['dn'],
    sizeLimit: 0,
    paged: { pageSize: 1000 },
  });
  for (const entry of disabled)
    await admin.modify(
      entry.dn,
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'userAccountControl', values: [String(0x200 | 0x20)] }),
      }),
    );
  return disabled.length;
}

export async function seedBenchOu(dc: TestDc, count: number): Promise<{ seconds: number }> {
  const admin = await adminClient(dc.address, dc.caFile);
  await admin.add(BENCH_OU, { objectClass: ['top', 'organizationalUnit'], ou: 'Bench' });
  const started = performance.now();
  for (let i = 0; i < count; i += CONCURRENCY) {
    if (i > 0 && i % 5000 === 0) console.error(`[bench] ${i} users seeded`);
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, count - i) }, (_, k) => {
        const n = String(i + k).padStart(6, '0');
        return admin.add(`CN=Bench User ${n},${BENCH_OU}`, {
          objectClass: ['top', 'person', 'organizationalPerson', 'user'],
          sAMAccountName: `bench${n}`,
          givenName: 'Bench',
          sn: `User ${n}`,
          displayName: `Bench User ${n}`,
          mail: `bench${n}@${DOMAIN}`,
          department: ['Sales', 'Support', 'Engineering'][(i + k) % 3]!,
          userAccountControl: String(0x200 | 0x20), // enabled, no password needed: import material only
        });
      }),
    );
  }
  await admin.unbind();
  return { seconds: (performance.now() - started) / 1000 };
}
