/** Settings that reach the test DC as the service account, varied per test. */
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.ts';
import { BASE_DN, NETBIOS, SERVICE_ACCOUNT } from './directory-fixture.ts';
import type { TestDc } from './samba-dc.ts';
import type { ImportOutcome } from '../../shared/import-run.ts';
import { createResolver } from '../../electron/core/directory/resolver.ts';
import { type ImportRequest, runImport } from '../../electron/core/import/import-engine.ts';
import { importRequest } from './users-db.ts';

export function dcSettings(dc: TestDc, overrides: Partial<Settings> = {}): Settings {
  return {
    ...DEFAULT_SETTINGS,
    server: dc.address,
    caFile: dc.caFile,
    login: `${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
    ouPath: `LDAP://${BASE_DN}`,
    connectTimeout: 5,
    timeout: 10,
    ...overrides,
  };
}
export const SERVICE_PASSWORD = SERVICE_ACCOUNT.password;

/** An import of the OU `ouDn` into the users database `file`, as the service account, on the test DC. */
export function importFromOu(
  dc: TestDc,
  ouDn: string,
  file: string,
  request: Partial<ImportRequest> = {},
): Promise<ImportOutcome> {
  return runImport(importRequest(request), {
    settings: dcSettings(dc, { ouPath: `LDAP://${ouDn}` }),
    password: SERVICE_PASSWORD,
    resolver: createResolver(),
    database: file,
  });
}
