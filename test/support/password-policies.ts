/**
 * Fine-grained password policies (PSOs) on a test DC, made with samba-tool against the DC's own smb.conf while
 * it runs: a PSO applied to accounts, and read access to the PSOs for the service account (which it does not
 * have by default).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BASE_DN } from './directory-fixture.ts';
import type { TestDc } from './samba-dc.ts';

function sambaTool(dc: TestDc, args: string[]): string {
  const run = spawnSync('samba-tool', [...args, '-s', path.join(dc.dir, 'etc', 'smb.conf')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`samba-tool ${args.slice(0, 3).join(' ')} failed: ${run.stdout}${run.stderr}`);
  return run.stdout;
}

/** A PSO that locks after `threshold` failures within `minutes` (also the lockout's duration), applied to `sams`. */
export function createPso(dc: TestDc, name: string, threshold: number, minutes: number, sams: string[]): string {
  sambaTool(dc, [
    'domain',
    'passwordsettings',
    'pso',
    'create',
    name,
    '1',
    `--account-lockout-threshold=${threshold}`,
    `--account-lockout-duration=${minutes}`,
    `--reset-account-lockout-after=${minutes}`,
  ]);
  for (const sam of sams) sambaTool(dc, ['domain', 'passwordsettings', 'pso', 'apply', name, sam]);
  return `CN=${name},CN=Password Settings Container,CN=System,${BASE_DN}`;
}

/** What an administrator delegates so that the service account can read the PSOs' values. */
export function letReadPsos(dc: TestDc, sam: string): void {
  const sid = /objectSid: (S-[\d-]+)/.exec(sambaTool(dc, ['user', 'show', sam]))?.[1];
  if (!sid) throw new Error(`no objectSid for ${sam}`);
  sambaTool(dc, [
    'dsacl',
    'set',
    `--objectdn=CN=Password Settings Container,CN=System,${BASE_DN}`,
    `--sddl=(A;CI;RPLCLORC;;;${sid})`,
  ]);
}
