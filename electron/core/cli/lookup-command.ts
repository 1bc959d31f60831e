/** bcscmd /LOOKUP:<name>: the on-the-fly import the communication server runs for an unknown logon. */
import type { LookupResult } from '../../../shared/lookup.ts';
import type { DatabaseAt } from '../database/users-database.ts';
import type { Settings } from '../../../shared/settings.ts';
import { createResolver } from '../directory/resolver.ts';
import { LogonResolver } from '../onthefly/logon-resolver.ts';
import type { CliIo } from './cli-io.ts';
import { EXIT } from './exit-codes.ts';

function lookupText(name: string, r: LookupResult): string {
  switch (r.result) {
    case 'local':
      return (
        `"${name}" is in the users database: ${r.account.logon} ` +
        `(${r.account.displayName || 'no display name'}), ${r.account.origin === 'ad' ? 'from AD' : 'local'}, ` +
        `${r.account.enabled ? 'enabled' : 'disabled'}, in ${r.account.ou}.\n`
      );
    case 'imported':
      return (
        `${r.dryRun ? 'Would import' : 'Imported'} ${r.account.logon} ` +
        `(${r.account.displayName || 'no display name'}) from ${r.dn} into ${r.account.ou}, ` +
        `${r.account.enabled ? 'enabled' : 'disabled'}.` +
        `${r.runId ? ` Run ${r.runId} (bcscmd /REPORT:${r.runId}).` : ''}\n`
      );
    default:
      return `${r.result === 'unavailable' ? 'Directory unavailable' : 'Not found'}: ${r.reason}\n`;
  }
}

export async function runLookup(
  name: string,
  dryRun: boolean,
  json: boolean,
  context: { settings: Settings; password: string | null; database: DatabaseAt },
  io: CliIo,
): Promise<number> {
  const resolver = new LogonResolver({ ...context, resolver: createResolver(), log: (line) => io.err(`${line}\n`) });
  try {
    const result = await resolver.resolveLogon(name, { dryRun });
    if (json) io.out(`${JSON.stringify(result, null, 2)}\n`);
    else (result.result === 'local' || result.result === 'imported' ? io.out : io.err)(lookupText(name, result));
    return result.result === 'local' || result.result === 'imported' ? EXIT.ok : EXIT.failed;
  } finally {
    await resolver.close();
  }
}
